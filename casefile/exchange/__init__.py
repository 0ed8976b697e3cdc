"""Sharing case files: the portable bundle and its merge, standard exports, the report."""

from casefile.errors import CasefileError

# The HTML files Casefile writes hold untrusted text: a browser opening one runs nothing and
# fetches nothing (images only from the file itself, as data: URIs).
CSP_META = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">")


class BundleError(CasefileError):
    """A bundle that cannot be read or is refused whole; nothing was changed."""


class ExportRefused(CasefileError):
    """An export that could not carry the whole case (and so was not written)."""
