"""Loose text matching: runs of white space and typographic quotes/dashes compare equal."""

from __future__ import annotations

import re

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_WS = re.compile(r"\s+")


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, its offset in ``text``.

    Quotes and dashes map to ASCII, case is kept, and every run of white space becomes one space.
    """
    t = text.translate(_FOLD)  # one-to-one, so offsets in ``t`` are offsets in ``text``
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _WS.finditer(t):
        start, end = m.span()
        if start > pos:
            out.append(t[pos:start])
            offsets.extend(range(pos, start))
        out.append(" ")
        offsets.append(start)
        pos = end
    if pos < len(t):
        out.append(t[pos:])
        offsets.extend(range(pos, len(t)))
    return "".join(out), offsets


def fold_query(quote: str) -> str:
    """A quote folded the same way, trimmed."""
    return _WS.sub(" ", quote.translate(_FOLD)).strip()


def find_all_loose(text: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` span of ``text`` that matches ``quote`` loosely, in order."""
    needle = fold_query(quote)
    if not needle:
        return []
    hay, offsets = fold(text)
    spans = []
    pos = hay.find(needle)
    while pos >= 0:
        spans.append((offsets[pos], offsets[pos + len(needle) - 1] + 1))
        pos = hay.find(needle, pos + 1)
    return spans


def find_loose(text: str, quote: str) -> tuple[int, int] | None:
    """The first loose match of ``quote`` in ``text``, or None."""
    needle = fold_query(quote)
    if not needle:
        return None
    hay, offsets = fold(text)
    pos = hay.find(needle)
    if pos < 0:
        return None
    return offsets[pos], offsets[pos + len(needle) - 1] + 1
