"""Conflict sets: claims on one subject and kind that cannot all be true."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casefile.analysis.facts import ClaimFact, Resolution
from casefile.dates import ABOUT_SLACK, PartialDate

# Facts that happen once: different dates or places for them cannot all be true.
ONCE_KINDS = frozenset({"death", "birth"})
# Facts with one holder at a time: different subjects holding the same role is a conflict.
HOLDER_KINDS = frozenset({"role"})


@dataclass(frozen=True)
class ConflictSet:
    """Claims that disagree, shown side by side. ``key`` identifies the set across edits:
    (subject or role-holder entity id, kind, detail)."""

    subject_id: str
    subject: str
    kind: str
    claim_ids: tuple[str, ...]
    reason: str
    detail: str = ""
    resolution: Resolution | None = None

    @property
    def resolved(self) -> bool:
        """Resolved when a verdict covers every current member (a new claim re-opens it)."""
        return (self.resolution is not None
                and set(self.claim_ids) <= set(self.resolution.claim_ids))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _value_key(c: ClaimFact) -> str:
    return c.object_id or _norm(c.value)


def _stances(claims: Sequence[ClaimFact]) -> list[str]:
    return sorted({c.stance for c in claims})


def _spans(dates: Sequence[PartialDate]) -> list[tuple[int, int, bool]]:
    """(first day, last day, about) of each date as ordinals (see ``PartialDate.overlaps``)."""
    out = []
    for d in dates:
        first, last = d.span()
        out.append((first.toordinal(), last.toordinal(), d.about))
    return out


def _all_overlap(dates: Sequence[PartialDate]) -> bool:
    """Whether every two of the dates could be the same day, in linear time: exact dates all
    overlap when the latest start is not after the earliest end (intervals on a line), and an
    "about" date overlaps everything when it reaches, with its slack, both extremes."""
    spans = _spans(dates)
    if not spans:
        return True
    exact = [(a, b) for a, b, about in spans if not about]
    if exact and max(a for a, _ in exact) > min(b for _, b in exact):
        return False
    latest_start = max(a for a, _, _ in spans)
    earliest_end = min(b for _, b, _ in spans)
    return all(latest_start - ABOUT_SLACK <= b and a - ABOUT_SLACK <= earliest_end
               for a, b, about in spans if about)


def _any_overlap(dates: Sequence[PartialDate]) -> bool:
    """Whether some two of the dates could be the same day, in n log n: a sweep over exact
    dates sorted by start, then for each "about" date (widened by its slack) a count of the
    spans it meets, by binary search over sorted starts and ends."""
    spans = _spans(dates)
    exact = sorted((a, b) for a, b, about in spans if not about)
    reach = None
    for a, b in exact:
        if reach is not None and a <= reach:
            return True
        reach = b if reach is None else max(reach, b)
    n = len(spans)
    starts = sorted(a for a, _, _ in spans)
    ends = sorted(b for _, b, _ in spans)
    for a, b, about in spans:
        if about:  # spans meeting [a - slack, b + slack]: all but those ending before it or
            # starting after it; it meets itself, so another means more than one
            meets = n - bisect_left(ends, a - ABOUT_SLACK) - (n - bisect_right(starts,
                                                                             b + ABOUT_SLACK))
            if meets > 1:
                return True
    return False


def _dates_disagree(claims: Sequence[ClaimFact]) -> list[str]:
    dated = [(c, d) for c in claims if c.stance == "asserts" and (d := c.when) is not None]
    if _all_overlap([d for _, d in dated]):
        return []
    return sorted({c.date for c, _ in dated})


def _places_disagree(claims: Sequence[ClaimFact]) -> list[str]:
    places = {c.place_id: c.place for c in claims if c.stance == "asserts" and c.place_id}
    return sorted(places.values()) if len(places) > 1 else []


def _once_reason(claims: Sequence[ClaimFact]) -> str:
    parts = []
    ds = _dates_disagree(claims)
    if ds:
        parts.append(f"{len(ds)} different dates ({', '.join(ds)})")
    ps = _places_disagree(claims)
    if ps:
        parts.append(f"{len(ps)} different places ({', '.join(ps)})")
    st = _stances(claims)
    if len(st) > 1:
        parts.append("stances oppose (" + " vs ".join(st) + ")")
    return "; ".join(parts)


def _holders_reason(claims: Sequence[ClaimFact]) -> str:
    holders = sorted({c.subject for c in claims if c.stance == "asserts"})
    if len(holders) < 2:
        return ""
    dated = [c.when for c in claims if c.when is not None]
    if len(dated) == len(claims) and not _any_overlap(dated):
        return ""  # successive holders at different times
    return f"{len(holders)} different holders ({', '.join(holders)})"


def _same_day_places(claims: Sequence[ClaimFact]
                     ) -> Iterable[tuple[tuple[str, str, str], list[ClaimFact], str]]:
    """Location claims putting one subject in different places on the same day."""
    by_day: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    for c in claims:
        when = c.when
        if (c.kind == "location" and c.stance == "asserts" and c.place_id and when is not None
                and when.precision == "day" and not when.about):
            by_day[(c.subject_id, when.iso())].append(c)
    for (subject_id, day), members in by_day.items():
        places = sorted({c.place for c in members})
        if len(places) > 1:
            yield ((subject_id, "location", "day:" + day), members,
                   f"in {len(places)} places on {day} ({', '.join(places)})")


def find_conflicts(claims: Sequence[ClaimFact], *, links: Iterable[tuple[str, str, str]] = (),
                   resolutions: Iterable[Resolution] = ()) -> list[ConflictSet]:
    """Group disagreeing claims. Rules:

    * death/birth: dates that cannot be the same day, different places, or opposed stances
      among the subject's claims of that kind — the whole group is one set;
    * role: the same role (object or value) held by different subjects at overlapping or
      unknown times — one set per role, keyed by the role's entity (or first holder);
    * location: the subject asserted to be in two different places on the same day;
    * any other kind: claims with the same subject, kind and object/value whose stances
      oppose (asserts vs denies/doubts);
    * claims the analyst linked as "contradicts" always form (or join) a set.
    """
    res: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
    for r in resolutions:
        res[(r.subject_id, r.kind)].append(r)
    by_id = {c.id: c for c in claims}
    groups: dict[tuple[str, str, str], list[ClaimFact]] = defaultdict(list)
    roles: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    for c in claims:
        if c.kind in ONCE_KINDS:
            groups[(c.subject_id, c.kind, "")].append(c)
        else:
            groups[(c.subject_id, c.kind, _value_key(c))].append(c)
            if c.kind in HOLDER_KINDS and _value_key(c):
                roles[(_value_key(c), c.kind)].append(c)
    found: dict[tuple[str, str, str], tuple[list[ClaimFact], str]] = {}
    for key, members in groups.items():
        if len(members) < 2:
            continue
        if key[1] in ONCE_KINDS:
            why = _once_reason(members)
        else:
            st = _stances(members)
            why = "stances oppose (" + " vs ".join(st) + ")" if len(st) > 1 else ""
        if why:
            found[key] = (members, why)
    for (value, kind), members in roles.items():
        if len({c.subject_id for c in members}) < 2:
            continue
        why = _holders_reason(members)
        if why:
            owner = members[0].object_id or members[0].subject_id
            found[(owner, kind, "holders:" + value)] = (members, why)
    for key, members, why in _same_day_places(claims):
        found.setdefault(key, (members, why))
    # A link joins the earliest set holding either claim (an index, not a search per link).
    order = {key: i for i, key in enumerate(found)}
    first_set: dict[str, tuple[str, str, str]] = {}  # claim id -> earliest set holding it
    member_ids: dict[tuple[str, str, str], set[str]] = {}

    def hold(cid: str, key: tuple[str, str, str]) -> None:
        if cid not in first_set or order[key] < order[first_set[cid]]:
            first_set[cid] = key

    for key, (members, _why) in found.items():
        member_ids[key] = {c.id for c in members}
        for c in members:
            hold(c.id, key)
    for src, dst, relation in links:
        if relation != "contradicts" or src not in by_id or dst not in by_id:
            continue
        a, b = by_id[src], by_id[dst]
        held = [first_set[c] for c in (src, dst) if c in first_set]
        if not held:
            key = (a.subject_id, a.kind, "link:" + src)
            found[key] = ([a, b], "marked as contradicting by the analyst")
            order[key] = len(order)
            member_ids[key] = {src, dst}
        else:
            key = min(held, key=order.__getitem__)
            members, why = found[key]
            extra = [x for x in (a, b) if x.id not in member_ids[key]]
            found[key] = (members + extra, why)
            member_ids[key].update(x.id for x in extra)
        hold(src, key)
        hold(dst, key)
    out = []
    for (subject_id, kind, detail), (members, why) in found.items():
        subject = next((c.subject for c in members if c.subject_id == subject_id),
                       members[0].object or members[0].subject)
        ids = tuple(c.id for c in members)
        verdict = next((r for r in res.get((subject_id, kind), ())
                        if set(ids) & set(r.claim_ids)), None)
        out.append(ConflictSet(subject_id, subject, kind, ids, why, detail, verdict))
    out.sort(key=lambda s: (s.resolved, s.subject.casefold(), s.kind))
    return out


def conflicting_claim_ids(sets: Iterable[ConflictSet]) -> dict[str, int]:
    """claim id -> index of its (first) conflict set."""
    out: dict[str, int] = {}
    for i, s in enumerate(sets):
        for cid in s.claim_ids:
            out.setdefault(cid, i)
    return out
