"""The analyst's workspace around the reader: this document's annotations, passages by tag,
document details, entity profiles and help."""
