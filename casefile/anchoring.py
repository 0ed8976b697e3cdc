"""Highlight anchors: quote + context, and re-anchoring them on a changed text."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from casefile.textmatch import fold, fold_query

CONTEXT = 32
MAX_WIDEN = 24  # how far a fuzzy match may grow to reach whole words
# Close-match searches over the whole text cost its length times the quote's; one ``Anchorer``
# spends at most this much on them (seconds, not the minutes 30,000 missing quotes took):
# later quotes are then sought close to their old position only.
WIDE_SEARCH_BUDGET = 20_000_000_000


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The prefix and suffix around ``text[start:end]`` kept to re-find it later."""
    return text[max(0, start - width):start], text[end:end + width]


@dataclass(frozen=True)
class Placement:
    """Where an anchor landed: ``how`` is "exact", "moved", "fuzzy" or "orphan" (start/end None)."""

    start: int | None
    end: int | None
    how: str


class Anchorer:
    """Places many anchors on one text, folding the text (quotes, dashes, spaces) only once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.hay, self.offsets = fold(text)
        self.budget = WIDE_SEARCH_BUDGET
        self.narrowed = 0  # quotes not sought over the whole text: the budget was spent

    def _span(self, fs: int, fe: int) -> tuple[int, int]:
        """Original offsets of the folded span ``[fs, fe)``."""
        return self.offsets[fs], self.offsets[fe - 1] + 1

    def _context_score(self, fs: int, fe: int, prefix: str, suffix: str) -> float:
        score = 0.0
        if prefix:
            before = self.hay[max(0, fs - len(prefix)):fs]
            score += fuzz.ratio(before.lstrip(), prefix.lstrip())
        if suffix:
            score += fuzz.ratio(self.hay[fe:fe + len(suffix)].rstrip(), suffix.rstrip())
        return score

    def place(self, *, quote: str, prefix: str, suffix: str, old_start: int,
              min_score: float = 85.0) -> Placement:
        """Exact/loose matches first (best context, then verbatim, then nearest the old
        position), then a fuzzy match near the old position, then anywhere, else an orphan."""
        needle = fold_query(quote)
        if not needle:
            return Placement(None, None, "orphan")
        fprefix, fsuffix = fold(prefix)[0], fold(suffix)[0]
        found = []
        pos = self.hay.find(needle)
        while pos >= 0:
            found.append((pos, pos + len(needle)))
            pos = self.hay.find(needle, pos + 1)
        if found:
            def rank(f: tuple[int, int]) -> tuple[float, bool, int]:
                start, end = self._span(*f)
                # best context; then the very words of the quote over a match that only
                # agrees once white space is folded; then the nearest to the old position
                return (self._context_score(f[0], f[1], fprefix, fsuffix),
                        self.text[start:end] == quote.strip(), -abs(start - old_start))

            start, end = self._span(*max(found, key=rank))
            how = "exact" if start == old_start and self.text[start:end] == quote else "moved"
            return Placement(start, end, how)
        if len(needle) < 4:
            return Placement(None, None, "orphan")
        old_f = self._folded_index(old_start)
        pad = max(2000, 4 * len(needle))
        windows = [(max(0, old_f - pad), min(len(self.hay), old_f + len(needle) + pad))]
        if windows[0] != (0, len(self.hay)):
            cost = len(self.hay) * len(needle)
            if cost <= self.budget:
                self.budget -= cost
                windows.append((0, len(self.hay)))
            else:
                self.narrowed += 1
        for lo, hi in windows:
            res = fuzz.partial_ratio_alignment(needle, self.hay[lo:hi], score_cutoff=min_score)
            if res is not None and res.dest_end > res.dest_start:
                fs, fe = self._widen(lo + res.dest_start, lo + res.dest_end)
                start, end = self._span(fs, fe)
                return Placement(start, end, "fuzzy")
        return Placement(None, None, "orphan")

    def _folded_index(self, offset: int) -> int:
        import bisect

        return min(bisect.bisect_left(self.offsets, offset), max(0, len(self.hay) - 1))

    def _widen(self, fs: int, fe: int) -> tuple[int, int]:
        """Grow a fuzzy span to whole words and trim white space at its ends."""
        hay = self.hay
        lo = max(0, fs - MAX_WIDEN)
        while fs > lo and hay[fs - 1].isalnum() and hay[fs].isalnum():
            fs -= 1
        hi = min(len(hay), fe + MAX_WIDEN)
        while fe < hi and hay[fe - 1].isalnum() and hay[fe].isalnum():
            fe += 1
        while fs < fe - 1 and hay[fs].isspace():
            fs += 1
        while fe > fs + 1 and hay[fe - 1].isspace():
            fe -= 1
        return fs, fe


def reanchor(text: str, *, quote: str, prefix: str, suffix: str, old_start: int,
             min_score: float = 85.0) -> Placement:
    """Place one highlight on ``text`` (see ``Anchorer.place``; use an ``Anchorer`` for many)."""
    return Anchorer(text).place(quote=quote, prefix=prefix, suffix=suffix, old_start=old_start,
                                min_score=min_score)
