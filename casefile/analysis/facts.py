"""Load a case's claims as flat, plain facts for analysis (one read transaction, bulk queries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import aliased

from casefile import dates
from casefile.db.database import Database
from casefile.db.models import (
    Claim,
    ClaimEvidence,
    ClaimLink,
    ConflictResolution,
    Document,
    Entity,
    Highlight,
)


@dataclass(frozen=True)
class Passage:
    document_id: str
    start: int
    end: int


@dataclass(frozen=True)
class ClaimFact:
    """A claim with everything the analyses need, names resolved, evidence summarised."""

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
        return dates.parse_stored(self.date)

    @property
    def reported_date(self) -> dates.PartialDate | None:
        return dates.parse_stored(self.reported)


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
    parsed = [(p.sort_key(), v) for v in values if (p := dates.parse_stored(v)) is not None]
    return min(parsed)[1] if parsed else ""


def load_facts(db: Database, *, case_id: str) -> CaseFacts:
    """Every claim of the case with names, outlets, report dates and passages; links and
    resolutions. One read transaction."""
    out = CaseFacts()
    with db.read() as s:
        for eid, name, kind in s.execute(select(Entity.id, Entity.name, Entity.kind)
                                         .where(Entity.case_id == case_id)):
            out.names[eid] = name
            out.kinds[eid] = kind
        ev: dict[str, list[tuple]] = {}
        outlet = aliased(Entity)
        q = (select(ClaimEvidence.claim_id, Highlight.document_id, Highlight.start, Highlight.end,
                    Document.outlet_id, outlet.name, Document.published)
             .join(Highlight, Highlight.id == ClaimEvidence.highlight_id)
             .join(Document, Document.id == Highlight.document_id)
             .outerjoin(outlet, outlet.id == Document.outlet_id)
             .where(Document.case_id == case_id)
             .order_by(ClaimEvidence.claim_id, ClaimEvidence.position))
        for row in s.execute(q):
            ev.setdefault(row[0], []).append(row[1:])
        names = out.names
        cols = (Claim.id, Claim.subject_id, Claim.kind, Claim.statement, Claim.stance,
                Claim.date, Claim.place_id, Claim.object_id, Claim.value, Claim.origin_id,
                Claim.via, Claim.credibility, Claim.status)
        rows = s.execute(select(*cols).where(Claim.case_id == case_id)
                         .order_by(Claim.created_at, Claim.id)).all()
        for (cid, subj, kind, stmt, stance, date, place, obj, value, origin, via, cred,
             status) in rows:
            evs = ev.get(cid, [])
            outlet_ids = tuple(dict.fromkeys(e[3] for e in evs if e[3]))
            out.claims.append(ClaimFact(
                id=cid, subject_id=subj, subject=names.get(subj, ""), kind=kind, statement=stmt,
                stance=stance, date=date, place_id=place, place=names.get(place, "") if place
                else "", object_id=obj, object=names.get(obj, "") if obj else "", value=value,
                origin_id=origin, origin=names.get(origin, "") if origin else "",
                via=tuple(via or ()), credibility=cred, status=status, outlet_ids=outlet_ids,
                outlets=tuple(names.get(o, "") for o in outlet_ids),
                reported=_earliest([e[5] for e in evs if e[5]]),
                passages=tuple(Passage(e[0], e[1], e[2]) for e in evs)))
        out.links = [tuple(r) for r in s.execute(
            select(ClaimLink.source_id, ClaimLink.target_id, ClaimLink.relation)
            .where(ClaimLink.case_id == case_id))]
        out.resolutions = [Resolution(r.id, r.subject_id, r.kind, r.accepted_claim_id,
                                      tuple(r.claim_ids or ()), r.reason)
                           for r in s.scalars(select(ConflictResolution)
                                              .where(ConflictResolution.case_id == case_id))]
    return out
