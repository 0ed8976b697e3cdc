"""Sizes Casefile accepts, one value per kind, the same on every way in and out.

An article's file may be up to ``MAX_FILE_BYTES``; its text, once extracted, up to
``MAX_TEXT_BYTES`` of UTF-8 — on import, in a bundle's case.json (the schema's ``long`` strings
are this many characters at most, which every such text is), as a .qdpx source's text file, and
on export, so whatever Casefile stored it can export and read back.
"""

from __future__ import annotations

MAX_FILE_BYTES = 200 * 1024**2
MAX_TEXT_BYTES = 100_000_000


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
