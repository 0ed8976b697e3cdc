"""Loose text matching: runs of white space and typographic quotes/dashes compare equal."""

from __future__ import annotations

import re
import unicodedata

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


# Closing marks kept at the end of a selection when their opener is inside it.
_PAIRS = {")": "(", "]": "[", "}": "{", "\u201d": "\u201c", "\u2019": "\u2018", "\u00bb": "\u00ab",
          '"': '"', "'": "'"}
_OPENERS = frozenset("([{\u201c\u2018\u00ab")


def _wordish(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _inner_joiner(text: str, i: int) -> bool:
    """An apostrophe or hyphen between two letters belongs to the word (Khalimov's, al-Tajiki)."""
    return (text[i] in "'\u2019-\u2010\u2011" and 0 < i < len(text) - 1
            and _wordish(text[i - 1]) and _wordish(text[i + 1]))


def _in_word(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (_wordish(text[i]) or _inner_joiner(text, i))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A sloppy selection made tidy: white space and stray punctuation trimmed from both ends
    (", had been killed" → "had been killed"; a closing quote stays when its opener is inside),
    and words cut at either end completed. None when nothing but spaces and punctuation is left.
    """
    start, end = max(0, start), min(len(text), end)
    closers = {v: k for k, v in _PAIRS.items() if v not in "\"'"}
    while True:
        before = (start, end)
        while start < end and not _in_word(text, start) and not (
                text[start] in _OPENERS and closers[text[start]] in text[start + 1:end]):
            start += 1
        while end > start and not _in_word(text, end - 1):
            ch = text[end - 1]
            opener = _PAIRS.get(ch)
            if opener is not None and opener in text[start:end - 1] and (
                    ch not in "\"'" or text[start:end - 1].count(ch) % 2 == 1):
                break
            end -= 1
        if (start, end) == before:
            break
    if not any(_in_word(text, k) for k in range(start, end)):
        return None
    while start > 0 and _in_word(text, start) and _in_word(text, start - 1):
        start -= 1
    while end < len(text) and _in_word(text, end - 1) and _in_word(text, end):
        end += 1
    return start, end
