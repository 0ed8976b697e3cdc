"""Independent corroboration: how many distinct origins back a claim, and a suggested grade."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casefile.analysis.conflicts import ConflictSet
from casefile.analysis.facts import ClaimFact, parse

# Admiralty information credibility, 1 (confirmed) … 6 (cannot be judged).
GRADE_WORDS = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful",
               5: "improbable", 6: "cannot be judged"}


@dataclass(frozen=True)
class Corroboration:
    claim_id: str
    independent_origins: int
    origins: tuple[str, ...]  # origin keys (entity ids, or "outlet:<id>" / "claim:<id>")
    supporting: int  # other claims stating the same fact (or linked as corroborating)
    suggested_credibility: int
    why: str


def origin_key(c: ClaimFact) -> str:
    """Who a claim ultimately rests on: its origin; else the first intermediary; else the
    reporting outlet (its own reporting); else the claim itself."""
    if c.origin_id:
        return c.origin_id
    if c.via:
        return c.via[0]
    if c.outlet_ids:
        return "outlet:" + c.outlet_ids[0]
    return "claim:" + c.id


def same_fact(a: ClaimFact, b: ClaimFact) -> bool:
    """Whether two claims of one fact key could state the same event: their places (when
    both given) are one, and their dates (when both given) could be the same day."""
    return _compatible((a.place_id, a.date), (b.place_id, b.date))


def _compatible(a: tuple[str | None, str], b: tuple[str | None, str]) -> bool:
    """Whether two (place id, date) pairs can describe one fact: places equal or one unknown,
    dates that could be the same day or one unknown."""
    (pa, da), (pb, db_) = a, b
    if pa and pb and pa != pb:
        return False
    wa, wb = parse(da), parse(db_)
    return wa is None or wb is None or wa.overlaps(wb)


def fact_key(c: ClaimFact) -> tuple[str, str, str, str]:
    """Claims that may state the same fact share this: subject, kind, stance, object/value."""
    return (c.subject_id, c.kind, c.stance, c.object_id or " ".join(c.value.casefold().split()))


def _suggest(n: int, contested: bool, rejected: bool) -> tuple[int, str]:
    if rejected:
        return 5, "another claim was accepted when its conflict was resolved"
    if n >= 3:
        grade = 3 if contested else 1
    elif n == 2:
        grade = 3 if contested else 2
    else:
        grade = 4 if contested else 3
    why = f"{n} independent origin{'s' if n != 1 else ''}"
    if contested:
        why += "; contradicted by other claims"
    return grade, why


def corroborate(claims: Sequence[ClaimFact], *, links: Iterable[tuple[str, str, str]] = (),
                conflicts: Iterable[ConflictSet] = ()) -> dict[str, Corroboration]:
    """Per claim: the distinct origins among it and the claims that state the same fact
    (same subject, kind, stance and object/value, compatible date and place) or that the analyst
    linked as corroborating/same-as. Outlets repeating one origin count once."""
    groups: dict[tuple, list[ClaimFact]] = defaultdict(list)
    for c in claims:
        groups[fact_key(c)].append(c)
    by_id = {c.id: c for c in claims}
    linked: dict[str, set[str]] = defaultdict(set)
    for src, dst, rel in links:
        if rel in ("corroborates", "same-as") and src in by_id and dst in by_id:
            linked[src].add(dst)
            linked[dst].add(src)
    contested: set[str] = set()
    rejected: set[str] = set()
    for s in conflicts:
        if s.resolved and s.resolution and s.resolution.accepted_claim_id:
            rejected.update(cid for cid in s.claim_ids
                            if cid != s.resolution.accepted_claim_id)
        elif not s.resolved:
            contested.update(s.claim_ids)
    out: dict[str, Corroboration] = {}
    for members in groups.values():
        # Claims with the same place and date are interchangeable: compare those classes, not
        # every pair of claims (a thousand reports of one death share a handful of dates).
        classes: dict[tuple[str | None, str], list[ClaimFact]] = defaultdict(list)
        for c in members:
            classes[(c.place_id, c.date)].append(c)
        keys = list(classes)
        near: dict[tuple, list[tuple]] = {k: [j for j in keys if _compatible(k, j)]
                                           for k in keys}
        origins_of = {k: dict.fromkeys(origin_key(c) for c in classes[k]) for k in keys}
        for k in keys:
            origins_near = dict.fromkeys(o for j in near[k] for o in origins_of[j])
            size = sum(len(classes[j]) for j in near[k])
            near_set = set(near[k])
            for c in classes[k]:
                extra = [by_id[x] for x in linked.get(c.id, ())
                         if fact_key(by_id[x]) != fact_key(c)
                         or (by_id[x].place_id, by_id[x].date) not in near_set]
                origins = tuple(dict.fromkeys([origin_key(c), *origins_near,
                                               *(origin_key(d) for d in extra)]))
                grade, why = _suggest(len(origins), c.id in contested, c.id in rejected)
                out[c.id] = Corroboration(c.id, len(origins), origins, size - 1 + len(extra),
                                          grade, why)
    return out
