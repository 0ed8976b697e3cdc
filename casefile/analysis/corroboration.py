"""Independent corroboration: how many distinct origins back a claim, and a suggested grade."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casefile.analysis.conflicts import ConflictSet
from casefile.analysis.facts import ClaimFact

# Admiralty information credibility, 1 (confirmed) … 6 (cannot be judged).
GRADE_WORDS = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful",
               5: "improbable", 6: "cannot be judged"}


@dataclass(frozen=True)
class Corroboration:
    claim_id: str
    independent_origins: int
    origins: tuple[str, ...]  # origin keys (entity ids, or "outlet:<id>" / "claim:<id>")
    supporting_claims: tuple[str, ...]
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
    if a.place_id and b.place_id and a.place_id != b.place_id:
        return False
    da, db_ = a.when, b.when
    return da is None or db_ is None or da.overlaps(db_)


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
        for c in members:
            support = [d for d in members if d.id != c.id and same_fact(c, d)]
            support += [by_id[x] for x in linked.get(c.id, ()) if by_id[x] not in support]
            origins = tuple(dict.fromkeys([origin_key(c), *(origin_key(d) for d in support)]))
            grade, why = _suggest(len(origins), c.id in contested, c.id in rejected)
            out[c.id] = Corroboration(c.id, len(origins), origins,
                                      tuple(d.id for d in support), grade, why)
    return out
