"""Highlight anchors: quote + context, and re-anchoring them on a changed text."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from casefile.textmatch import find_all_loose

CONTEXT = 32


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The prefix and suffix around ``text[start:end]`` kept to re-find it later."""
    return text[max(0, start - width):start], text[end:end + width]


@dataclass(frozen=True)
class Placement:
    """Where an anchor landed: ``how`` is "exact", "moved", "fuzzy" or "orphan" (start/end None)."""

    start: int | None
    end: int | None
    how: str


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    before, after = context(text, start, end, max(len(prefix), len(suffix), 1))
    score = 0.0
    if prefix:
        score += fuzz.ratio(before[-len(prefix):], prefix)
    if suffix:
        score += fuzz.ratio(after[:len(suffix)], suffix)
    return score


def reanchor(text: str, *, quote: str, prefix: str, suffix: str, old_start: int,
             min_score: float = 85.0) -> Placement:
    """Place a highlight on ``text``: exact/loose match first (best context, then nearest the
    old position), then a fuzzy match of the quote near the old position, else an orphan."""
    if text[old_start:old_start + len(quote)] == quote:
        return Placement(old_start, old_start + len(quote), "exact")
    spans = find_all_loose(text, quote)
    if spans:
        best = max(spans, key=lambda s: (_context_score(text, s[0], s[1], prefix, suffix),
                                         -abs(s[0] - old_start)))
        return Placement(best[0], best[1], "moved")
    if len(quote) < 4:
        return Placement(None, None, "orphan")
    # Fuzzy: search a window around the old position first, then the whole text.
    windows = []
    pad = max(2000, 4 * len(quote))
    lo, hi = max(0, old_start - pad), min(len(text), old_start + len(quote) + pad)
    windows.append((lo, hi))
    if (lo, hi) != (0, len(text)):
        windows.append((0, len(text)))
    for lo, hi in windows:
        res = fuzz.partial_ratio_alignment(quote, text[lo:hi], score_cutoff=min_score)
        if res is not None and res.dest_end > res.dest_start:
            start, end = _snap_to_words(text, lo + res.dest_start, lo + res.dest_end)
            return Placement(start, end, "fuzzy")
    return Placement(None, None, "orphan")


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy span that cuts a word in two so it covers whole words."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end
