"""The two timelines: when it happened (event date) and when it was reported (publication)."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date

from casefile.analysis.facts import ClaimFact, Passage
from casefile.analysis.facts import parse as parse_stored
from casefile.bulk import bulk_allocation
from casefile.dates import PartialDate

EVENT = "event"
REPORTED = "reported"
_FAR = (9999, 99, 99)


@dataclass(slots=True)
class TimelineEntry:
    """One claim on the axis. ``start``/``end`` span the date the active clock uses (a year or
    month is a span); ``fuzzy`` marks an "about" date; ``conflict`` the conflict set index.

    Treat as read-only (not frozen: frozen construction is slow for 20,000 entries)."""

    claim_id: str
    subject_id: str
    subject: str
    kind: str
    statement: str
    date: str
    reported: str
    start: date
    end: date
    precision: str
    fuzzy: bool
    conflict: int | None
    passage: Passage | None
    stance: str = "asserts"  # a denial or a doubt is never drawn like an assertion
    label: str = ""  # a few words for the axis: the value, object or place
    accepted: bool = False  # the analyst accepted it as the verdict of its conflict set


def _key(p: PartialDate | None) -> tuple[int, int, int]:
    return p.sort_key() if p is not None else _FAR


def build_timeline(claims: Sequence[ClaimFact], *, by: str = EVENT,
                   conflicts: dict[str, int] | None = None,
                   accepted: Set[str] = frozenset()) -> list[TimelineEntry]:
    """Dated claims in order of the chosen clock (ties broken by the other clock, then
    statement). ``by="event"`` keeps claims with an event date; ``by="reported"`` keeps claims
    whose evidence documents carry a publication date."""
    if by not in (EVENT, REPORTED):
        raise ValueError(f"unknown clock {by!r}")
    conflicts = conflicts or {}
    memo: dict[str, tuple | None] = {}  # stored date -> (key, about, start, end, precision)

    def info(value: str) -> tuple | None:
        if value not in memo:
            p = parse_stored(value)
            memo[value] = None if p is None else (_key(p), p.about, *p.span(), p.precision)
        return memo[value]

    rows = []
    with bulk_allocation():
        for c in claims:
            ev, rep = info(c.date), info(c.reported)
            clock, other = (ev, rep) if by == EVENT else (rep, ev)
            if clock is None:
                continue
            key, about, start, end, precision = clock
            rows.append(((key, about, other[0] if other else _FAR, c.statement.casefold(), c.id),
                         TimelineEntry(c.id, c.subject_id, c.subject, c.kind, c.statement, c.date,
                                       c.reported, start, end, precision, about,
                                       conflicts.get(c.id),
                                       c.passages[0] if c.passages else None, c.stance,
                                       _label(c), c.id in accepted)))
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


def _label(c: ClaimFact) -> str:
    what = c.value or c.object or c.kind
    return f"{what}, {c.place}" if c.place and c.place not in what else what


def lanes(entries: Sequence[TimelineEntry]) -> list[tuple[str, str]]:
    """(subject id, name) per lane, in order of each subject's first entry."""
    seen: dict[str, str] = {}
    for e in entries:
        seen.setdefault(e.subject_id, e.subject)
    return list(seen.items())
