"""Sharing case files: the portable bundle and its merge, standard exports, the report."""

from casefile.errors import CasefileError


class BundleError(CasefileError):
    """A bundle that cannot be read or is refused whole; nothing was changed."""


class ExportRefused(CasefileError):
    """An export that could not carry the whole case (and so was not written)."""
