"""An interval index of highlights: flat, non-overlapping segments for fast per-block lookup."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """One highlight in UTF-16 positions with the colour it is drawn in."""

    id: str
    start: int
    end: int
    color: str


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of highlights (``ids``, in start order)."""

    start: int
    end: int
    ids: tuple[str, ...]
    colors: tuple[str, ...]

    @property
    def depth(self) -> int:
        return len(self.ids)


class IntervalIndex:
    """Cuts possibly overlapping spans into disjoint segments once; a text block then finds its
    segments by binary search, so drawing a block costs O(log n + segments in it)."""

    def __init__(self, spans: Iterable[Span] = ()):
        self.spans: dict[str, Span] = {}
        self.segments: list[Segment] = []
        self._starts: list[int] = []
        self.rebuild(spans)

    def rebuild(self, spans: Iterable[Span]) -> None:
        self.spans = {s.id: s for s in spans if s.end > s.start}
        self.segments = self._cut(self.spans.values(), self.spans)
        self._starts = [seg.start for seg in self.segments]

    def update(self, changed: Iterable[Span], removed: Iterable[str]) -> tuple[int, int] | None:
        """Apply a few changes, re-cutting only the stretch they touch; returns that stretch."""
        touched: list[Span] = []
        for sid in removed:
            old = self.spans.pop(sid, None)
            if old is not None:
                touched.append(old)
        for s in changed:
            old = self.spans.pop(s.id, None)
            if old is not None:
                touched.append(old)
            if s.end > s.start:
                self.spans[s.id] = s
                touched.append(s)
        if not touched:
            return None
        lo = min(s.start for s in touched)
        hi = max(s.end for s in touched)
        inside = [Span(s.id, max(s.start, lo), min(s.end, hi), s.color)
                  for s in self.spans.values() if s.start < hi and s.end > lo]
        fresh = self._cut(inside, {s.id: s for s in inside})
        segs = self.segments
        i = max(0, bisect_right(self._starts, lo) - 1)
        while i < len(segs) and segs[i].end <= lo:
            i += 1
        j = i
        while j < len(segs) and segs[j].start < hi:
            j += 1
        edge: list[Segment] = []
        if i < j and segs[i].start < lo:
            edge.append(Segment(segs[i].start, lo, segs[i].ids, segs[i].colors))
        tail: list[Segment] = []
        if i < j and segs[j - 1].end > hi:
            tail.append(Segment(hi, segs[j - 1].end, segs[j - 1].ids, segs[j - 1].colors))
        segs[i:j] = edge + fresh + tail
        self._starts = [seg.start for seg in segs]
        return lo, hi

    @staticmethod
    def _cut(spans: Iterable[Span], by_id: dict[str, Span]) -> list[Segment]:
        events: list[tuple[int, int, str]] = []
        for s in spans:
            events.append((s.start, 1, s.id))
            events.append((s.end, 0, s.id))
        events.sort()
        active: dict[str, None] = {}
        segments: list[Segment] = []
        prev = None
        i = 0
        while i < len(events):
            pos = events[i][0]
            if prev is not None and active and pos > prev:
                ids = tuple(active)
                segments.append(Segment(prev, pos, ids, tuple(by_id[x].color for x in ids)))
            while i < len(events) and events[i][0] == pos:
                _, kind, sid = events[i]
                if kind:
                    active[sid] = None
                else:
                    active.pop(sid, None)
                i += 1
            prev = pos
        return segments

    def segments_in(self, start: int, end: int) -> Iterator[Segment]:
        """Segments that overlap ``[start, end)``."""
        k = max(0, bisect_right(self._starts, start) - 1)
        segs = self.segments
        while k < len(segs) and segs[k].start < end:
            if segs[k].end > start:
                yield segs[k]
            k += 1

    def at(self, pos: int) -> tuple[str, ...]:
        """Ids of the highlights covering position ``pos``."""
        for seg in self.segments_in(pos, pos + 1):
            return seg.ids
        return ()

    def __len__(self) -> int:
        return len(self.spans)
