"""Timeline layout without widgets: marks, rows within a lane so labels never overlap, and
grid ticks that suit the zoom. ``place`` is plain Python (the window runs it with the load, off
the GUI thread); text is measured on the GUI thread (``measure``)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QFontMetricsF

from casefile.analysis.timeline import TimelineEntry, lanes
from casefile.vocab import with_stance

MIN_MARK_W = 8.0
MAX_ROWS = 8  # sub-rows a lane may grow to before labels give way
STANCE_MARK = {"denies": "✕", "doubts": "?"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(slots=True)
class Mark:
    """One entry placed on the canvas: lane, day span [d0, d1) and, after packing, its row."""

    entry: TimelineEntry
    lane: int
    d0: float
    d1: float
    text: str
    text_w: float = 0.0
    row: int = 0
    labelled: bool = True


@dataclass(slots=True)
class Placed:
    """Entries (in their order) made into marks sorted by lane then start, with what painting
    needs per load (``lane_bounds``: the [a, b) slice of ``marks`` of each lane; ``span``:
    first and last day, None without marks). ``lane_name_w`` and the marks' ``text_w`` are
    0 until ``measure``."""

    entries: list[TimelineEntry]
    marks: list[Mark]
    lanes: list[tuple[str, str]]
    span: tuple[float, float] | None
    lane_bounds: list[tuple[int, int]]
    lane_name_w: float = 0.0


def place(entries: Sequence[TimelineEntry]) -> Placed:
    """Marks for ``entries`` (plain Python, no Qt: safe on a worker thread)."""
    lane_list = lanes(entries)
    lane_of = {sid: i for i, (sid, _n) in enumerate(lane_list)}
    marks = [Mark(e, lane_of[e.subject_id], float(e.start.toordinal()),
                  float(e.end.toordinal() + 1), mark_text(e)) for e in entries]
    marks.sort(key=lambda m: (m.lane, m.d0, m.d1))
    starts = [k for k in range(len(marks)) if k == 0 or marks[k].lane != marks[k - 1].lane]
    return Placed(list(entries), marks, lane_list,
                  (min(m.d0 for m in marks), max(m.d1 for m in marks)) if marks else None,
                  list(itertools.pairwise([*starts, len(marks)])))


def measure(placed: Placed, fm: QFontMetricsF) -> None:
    """Set the text widths (GUI thread: Qt's font engine is not to be shared with a worker
    that holds the interpreter lock); each distinct text is measured once."""
    widths: dict[str, float] = {}
    for m in placed.marks:
        w = widths.get(m.text)
        if w is None:
            w = widths[m.text] = fm.horizontalAdvance(m.text)
        m.text_w = w
    placed.lane_name_w = max((fm.horizontalAdvance(n) for _i, n in placed.lanes),
                             default=60.0)


def mark_text(e: TimelineEntry) -> str:
    sign = STANCE_MARK.get(e.stance, "")
    words = with_stance(e.label or e.kind, e.stance)
    text = f"{sign} {words}" if sign else words
    return f"✓ {text}" if e.accepted else text


def pack(marks: list[Mark], n_lanes: int, ppd: float) -> list[int]:
    """Give each mark (sorted by lane, then start) a row inside its lane so that marks and their
    labels never overlap at ``ppd`` pixels per day; returns the rows each lane needs. Past
    ``MAX_ROWS`` a mark goes, unlabelled, to the row that frees up first."""
    rows_per_lane = [1] * n_lanes
    i = 0
    n = len(marks)
    while i < n:
        lane = marks[i].lane
        ends: list[float] = []  # right edge (px, in day-0 space) per row
        j = i
        while j < n and marks[j].lane == lane:
            m = marks[j]
            x0 = m.d0 * ppd
            w = max(MIN_MARK_W, (m.d1 - m.d0) * ppd)
            full = x0 + w + 4 + m.text_w + 10
            bare = x0 + w + 2
            row = next((r for r, end in enumerate(ends) if end <= x0), -1)
            if row < 0 and len(ends) < MAX_ROWS:
                ends.append(0.0)
                row = len(ends) - 1
            if row >= 0:
                m.row, m.labelled = row, True
                ends[row] = full
            else:  # crowded: the row that frees up first, without a label
                row = min(range(len(ends)), key=ends.__getitem__)
                m.row, m.labelled = row, False
                ends[row] = max(ends[row], bare)
            j += 1
        rows_per_lane[lane] = max(1, len(ends))
        # a label that would run into the next mark of its row gives way
        last: dict[int, Mark] = {}
        for k in range(i, j):
            m = marks[k]
            prev = last.get(m.row)
            if prev is not None and prev.labelled:
                pw = max(MIN_MARK_W, (prev.d1 - prev.d0) * ppd)
                if prev.d0 * ppd + pw + 4 + prev.text_w + 6 > m.d0 * ppd:
                    prev.labelled = False
            last[m.row] = m
        i = j
    return rows_per_lane


def ticks(day_lo: float, day_hi: float, ppd: float) -> list[tuple[float, str, bool]]:
    """(day, label, major) for the grid at the current zoom."""
    first = date.fromordinal(max(1, int(day_lo)))
    last = date.fromordinal(max(1, min(3652059, int(day_hi) + 1)))
    year_px = 365.25 * ppd
    out: list[tuple[float, str, bool]] = []
    if year_px < 60:
        step = next(s for s in (2, 5, 10, 20, 50, 100, 1000) if year_px * s >= 60)
        for y in range(first.year - first.year % step, last.year + 1, step):
            if 1 <= y <= 9999:
                out.append((float(date(y, 1, 1).toordinal()), str(y), True))
    elif year_px < 700:
        for y in range(first.year, last.year + 1):
            out.append((float(date(y, 1, 1).toordinal()), str(y), True))
            if year_px >= 240:
                for mo in (4, 7, 10):
                    out.append((float(date(y, mo, 1).toordinal()), MONTHS[mo - 1], False))
    elif ppd < 18:
        y, mo = first.year, first.month
        while (y, mo) <= (last.year, last.month):
            label = f"{MONTHS[mo - 1]} {y}" if mo == 1 or not out else MONTHS[mo - 1]
            out.append((float(date(y, mo, 1).toordinal()), label, mo == 1))
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    else:
        step = 1 if ppd >= 40 else 7
        d = first.toordinal()
        while d <= last.toordinal():
            dd = date.fromordinal(d)
            out.append((float(d), f"{dd.day} {MONTHS[dd.month - 1]} {dd.year}"
                        if dd.day == 1 or not out else f"{dd.day} {MONTHS[dd.month - 1]}",
                        dd.day == 1))
            d += step
    return out


def describe(e: TimelineEntry) -> str:
    """The plain-text tooltip of an entry: statement, kind and stance, both dates."""
    when = e.date or "no event date"
    lines = [e.statement or e.label or e.kind,
             f"{e.subject} · {with_stance(e.kind, e.stance)}",
             f"happened: {when}{' (about)' if e.fuzzy else ''} · reported: {e.reported or '?'}"]
    if e.conflict is not None:
        lines.append("In a conflict set")
    if e.accepted:
        lines.append("✓ Accepted by you as what happened (its conflict is resolved)")
    return "\n".join(lines)
