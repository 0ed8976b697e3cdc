"""Load a case's claims as flat, plain facts for analysis (one read transaction, bulk queries)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import select

from casefile import dates
from casefile.bulk import bulk_allocation
from casefile.db.database import Database
from casefile.db.models import (
    ClaimLink,
    ConflictResolution,
    Entity,
)


@lru_cache(maxsize=65536)
def parse(value: str) -> dates.PartialDate | None:
    """``dates.parse_stored`` memoised (dates repeat a lot; PartialDate is immutable)."""
    return dates.parse_stored(value)


class Passage(NamedTuple):
    """A cited passage: document and code-point span (a tuple: 20,000 are built per load)."""

    document_id: str
    start: int
    end: int


@dataclass(slots=True)
class ClaimFact:
    """A claim with everything the analyses need, names resolved, evidence summarised.

    Treat as read-only (not frozen only because frozen construction is slow for 20,000)."""

    id: str
    subject_id: str
    subject: str
    kind: str
    statement: str = ""
    stance: str = "asserts"
    date: str = ""
    place_id: str | None = None
    place: str = ""
    object_id: str | None = None
    object: str = ""
    value: str = ""
    origin_id: str | None = None
    origin: str = ""
    via: tuple[str, ...] = ()
    credibility: int = 6
    status: str = "open"
    outlet_ids: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    reported: str = ""  # earliest published date of the evidence documents
    passages: tuple[Passage, ...] = ()

    @property
    def when(self) -> dates.PartialDate | None:
        return parse(self.date)

    @property
    def reported_date(self) -> dates.PartialDate | None:
        return parse(self.reported)


@dataclass(frozen=True)
class Resolution:
    id: str
    subject_id: str
    kind: str
    accepted_claim_id: str | None
    claim_ids: tuple[str, ...]
    reason: str


@dataclass
class CaseFacts:
    claims: list[ClaimFact] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # source, target, relation
    resolutions: list[Resolution] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # entity id -> name
    kinds: dict[str, str] = field(default_factory=dict)  # entity id -> entity kind


def _earliest(values: list[str]) -> str:
    parsed = [(p.sort_key(), v) for v in values if (p := parse(v)) is not None]
    return min(parsed)[1] if parsed else ""


# Evidence walks from the case's claims (index on claim.case_id, then primary keys): faster
# than from its documents; document outlets and dates come from one small query.
_EVIDENCE = """
SELECT ce.claim_id, h.document_id, h.start, h."end", ce.position
FROM claim c JOIN claim_evidence ce ON ce.claim_id = c.id
JOIN highlight h ON h.id = ce.highlight_id
WHERE c.case_id = ?"""
_DOCUMENTS = "SELECT id, outlet_id, published FROM document WHERE case_id = ?"
_CLAIMS = """
SELECT id, subject_id, kind, statement, stance, date, place_id, object_id, value, origin_id,
       via, credibility, status
FROM claim WHERE case_id = ?"""
_NO_DOC = (None, "")


def load_facts(db: Database, *, case_id: str) -> CaseFacts:
    """Every claim of the case with names, outlets, report dates and passages; links and
    resolutions. One read transaction."""
    out = CaseFacts()
    with db.read() as s, bulk_allocation():
        for eid, name, kind in s.execute(select(Entity.id, Entity.name, Entity.kind)
                                         .where(Entity.case_id == case_id)):
            out.names[eid] = name
            out.kinds[eid] = kind
        raw = s.connection().connection.driver_connection  # plain sqlite3: no row wrapping
        docs = {d: (outlet, published) for d, outlet, published
                in raw.execute(_DOCUMENTS, (case_id,)).fetchall()}
        ev: dict[str, list[tuple]] = {}
        for cid_, doc, start, end, pos in raw.execute(_EVIDENCE, (case_id,)).fetchall():
            ev.setdefault(cid_, []).append((pos, Passage(doc, start, end)))
        names = out.names
        get_name = names.get
        append = out.claims.append
        for (cid, subj, kind, stmt, stance, date, place, obj, value, origin, via, cred,
             status) in raw.execute(_CLAIMS, (case_id,)).fetchall():
            evs = ev.get(cid)
            if not evs:
                outlet_ids, reported, passages = (), "", ()
            elif len(evs) == 1:
                passage = evs[0][1]
                outlet, reported = docs.get(passage.document_id, _NO_DOC)
                outlet_ids = (outlet,) if outlet else ()
                reported = reported or ""
                passages = (passage,)
            else:
                evs.sort(key=lambda e: e[0])  # evidence position
                passages = tuple(p for _pos, p in evs)
                infos = [docs.get(p.document_id, _NO_DOC) for p in passages]
                outlet_ids = tuple({o: None for o, _ in infos if o})
                reported = _earliest([d for _, d in infos if d])
            append(ClaimFact(
                cid, subj, get_name(subj, ""), kind, stmt, stance, date, place,
                get_name(place, "") if place else "", obj, get_name(obj, "") if obj else "",
                value, origin, get_name(origin, "") if origin else "",
                tuple(json.loads(via)) if via and via != "[]" else (), cred, status,
                outlet_ids, tuple([get_name(o, "") for o in outlet_ids]), reported,
                passages))
        out.links = [tuple(r) for r in s.execute(
            select(ClaimLink.source_id, ClaimLink.target_id, ClaimLink.relation)
            .where(ClaimLink.case_id == case_id))]
        out.resolutions = [Resolution(r.id, r.subject_id, r.kind, r.accepted_claim_id,
                                      tuple(r.claim_ids or ()), r.reason)
                           for r in s.scalars(select(ConflictResolution)
                                              .where(ConflictResolution.case_id == case_id))]
    return out
