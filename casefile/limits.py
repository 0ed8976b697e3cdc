"""Sizes Casefile accepts, one value per kind, the same on every way in and out.

An article's file may be up to ``MAX_FILE_BYTES``; its text, once extracted, up to
``MAX_TEXT_BYTES`` of UTF-8 — on import, in a bundle's case.json (the schema's ``long`` strings
are this many characters at most, which every such text is), as a .qdpx source's text file, and
on export, so whatever Casefile stored it can export and read back.
"""

from __future__ import annotations

import os

MAX_FILE_BYTES = 200 * 1024**2
MAX_TEXT_BYTES = 100_000_000
# Pages of a PDF or a multi-page image read at most, checked before reading starts (a book is
# a few hundred; 10,000 blank pages took 19 minutes of CPU to refuse). ``CASEFILE_MAX_PAGES``
# (or ``casefile import --max-pages``) raises it.
MAX_PAGES = 1000
PAGES_ENV = "CASEFILE_MAX_PAGES"


def max_pages() -> int:
    """The page limit in force: ``CASEFILE_MAX_PAGES`` when it is a positive number."""
    value = os.environ.get(PAGES_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_PAGES


def text_bytes(text: str) -> int:
    """The UTF-8 size of ``text`` (without encoding a short one)."""
    return len(text) if len(text) * 4 <= MAX_TEXT_BYTES else len(text.encode("utf-8", "replace"))


def text_too_long(text: str, what: str = "the text") -> str | None:
    """Why ``text`` is too long to keep, or None."""
    size = text_bytes(text)
    if size <= MAX_TEXT_BYTES:
        return None
    return (f"{what} is {size / 1e6:,.0f} MB; Casefile keeps articles of up to "
            f"{MAX_TEXT_BYTES / 1e6:,.0f} MB of text (so that every export can be read back)")
