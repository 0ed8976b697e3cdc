"""Claims: who, what kind, when, where, on whose word, backed by which passages; and links."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casefile import dates
from casefile.bulk import bulk_allocation
from casefile.db.database import Database
from casefile.db.engine import name_key
from casefile.db.models import (
    Case,
    Claim,
    ClaimEvidence,
    ClaimLink,
    Document,
    Entity,
    Highlight,
    utcnow,
)
from casefile.errors import NotFound, ValidationError
from casefile.services.common import get_or_raise, require_choice
from casefile.services.entities import (
    create_entity_in_session,
    find_entities_in_session,
    normalize_reliability,
)
from casefile.services.highlights import highlight_passage_in_session, require_highlight
from casefile.services.records import ClaimRecord, ClaimSnapshot, HighlightRecord, LinkRecord
from casefile.vocab import CLAIM_STATUSES, LINK_RELATIONS, STANCES, guess_entity_kind

KIND_MAX = 40


@dataclass(frozen=True)
class ClaimInput:
    """A claim as the analyst states it. Entities are given by id or by name: a name resolves to
    an entity by name or alias, else a new one is created (``*_kind`` says of what kind; empty:
    ``guess_entity_kind`` guesses)."""

    subject: str
    kind: str = "other"
    statement: str = ""
    subject_kind: str = ""
    object: str = ""
    object_kind: str = ""
    value: str = ""
    date: str = ""
    place: str = ""
    origin: str = ""
    origin_kind: str = ""
    origin_reliability: str | None = None
    via: tuple[str, ...] = ()
    stance: str = "asserts"
    credibility: int = 6
    status: str = "open"
    note: str = ""
    evidence: tuple[str, ...] = ()


def _names(s: Session, ids: set[str]) -> dict[str, str]:
    ids.discard(None)  # type: ignore[arg-type]
    if not ids:
        return {}
    return dict(s.execute(select(Entity.id, Entity.name).where(Entity.id.in_(ids))).all())


_ClaimRow = namedtuple("_ClaimRow", Claim.__table__.columns.keys())  # type: ignore[misc]


def records(s: Session, claims: Sequence[Any], *, case_id: str | None = None
            ) -> list[ClaimRecord]:
    """Claim rows (ORM objects or Core rows with the claim's columns) as plain data with entity
    names and evidence ids in order. With ``case_id`` (the claims are the whole case, or most
    of it) evidence and names are read case-wide in one query each instead of by id lists."""
    ids = [c.id for c in claims]
    evidence: dict[str, list[str]] = {i: [] for i in ids}
    ev = select(ClaimEvidence.claim_id, ClaimEvidence.highlight_id)
    order = (ClaimEvidence.claim_id, ClaimEvidence.position)
    if case_id is not None:
        rows = s.execute(ev.join(Claim, Claim.id == ClaimEvidence.claim_id)
                         .where(Claim.case_id == case_id).order_by(*order)).all()
    else:
        rows = [r for chunk in range(0, len(ids), 500) for r in s.execute(
            ev.where(ClaimEvidence.claim_id.in_(ids[chunk:chunk + 500])).order_by(*order))]
    for cid, hid in rows:
        if cid in evidence:
            evidence[cid].append(hid)
    if case_id is not None:
        names = dict(s.execute(select(Entity.id, Entity.name)
                               .where(Entity.case_id == case_id)).all())
    else:
        names = _names(s, {x for c in claims for x in (c.subject_id, c.object_id, c.place_id,
                                                       c.origin_id, *(c.via or ()))})
    get = names.get
    return [ClaimRecord(
        id=c.id, case_id=c.case_id, statement=c.statement, kind=c.kind, subject_id=c.subject_id,
        subject=get(c.subject_id, ""), object_id=c.object_id,
        object=get(c.object_id, "") if c.object_id else "", value=c.value, date=c.date,
        place_id=c.place_id, place=get(c.place_id, "") if c.place_id else "",
        stance=c.stance, origin_id=c.origin_id,
        origin=get(c.origin_id, "") if c.origin_id else "", via=tuple(c.via or ()),
        credibility=c.credibility, status=c.status, note=c.note, evidence=tuple(evidence[c.id]),
        created_at=c.created_at, updated_at=c.updated_at) for c in claims]


def _kind(kind: str) -> str:
    kind = (kind or "other").strip().lower()
    if not kind or len(kind) > KIND_MAX or not all(ch.isalnum() or ch in "-_ " for ch in kind):
        raise ValidationError(f"{kind!r} is not a usable claim kind")
    return kind


def _credibility(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError("credibility is a number from 1 (confirmed) to 6 (cannot be "
                              "judged)") from None
    if not 1 <= n <= 6:
        raise ValidationError("credibility is a number from 1 (confirmed) to 6 (cannot be judged)")
    return n


class _Parties:
    """The entities a claim names, looked up together (one query, not one per party); a name
    not found becomes a new entity of the kind given, else of the kind guessed for its role."""

    def __init__(self, s: Session, claim: Claim, data: ClaimInput):
        self.s, self.claim = s, claim
        names = (data.subject, data.object, data.place, data.origin, *data.via)
        # by the name as written, and by its folded form (for names first made here)
        self.found: dict[str | None, Entity] = dict(find_entities_in_session(
            s, claim.case_id, names))

    def __call__(self, name: str, field: str, kind: str = "") -> str | None:
        name = (name or "").strip()
        if not name:
            return None
        ent = self.found.get(name) or self.found.get(name_key(name))
        if ent is None:
            ent = create_entity_in_session(self.s, case_id=self.claim.case_id, name=name,
                                           kind=kind or guess_entity_kind(
                                               name, field=field, claim_kind=self.claim.kind))
            self.found[name_key(name)] = ent
        return ent.id


def _apply(s: Session, claim: Claim, data: ClaimInput) -> None:
    if not data.subject.strip():
        raise ValidationError("a claim needs a subject (who or what it is about)")
    claim.kind = _kind(data.kind)
    party = _Parties(s, claim, data)
    claim.subject_id = party(data.subject, "subject", data.subject_kind)
    claim.object_id = party(data.object, "object", data.object_kind)
    claim.value = data.value.strip()
    claim.date = dates.normalize(data.date)
    claim.place_id = party(data.place, "place", "place")
    claim.origin_id = party(data.origin, "origin", data.origin_kind)
    if data.origin_reliability is not None and claim.origin_id:
        s.get(Entity, claim.origin_id).reliability = normalize_reliability(data.origin_reliability)
    claim.via = [v for v in (party(n, "via", "organization") for n in data.via) if v]
    claim.stance = require_choice(data.stance, STANCES, "stance")
    claim.credibility = _credibility(data.credibility)
    claim.status = require_choice(data.status, CLAIM_STATUSES, "status")
    claim.note = data.note or ""
    statement = data.statement.strip()
    if not statement:
        statement = " ".join(x for x in (data.subject.strip(), claim.kind, data.value.strip(),
                                         data.object.strip()) if x)
    claim.statement = statement


def _set_evidence(s: Session, claim: Claim, highlight_ids: tuple[str, ...], *,
                  new: bool = False) -> None:
    """The claim's evidence becomes these passages, in order (``new``: it has none yet)."""
    if not new:
        for ev in s.scalars(select(ClaimEvidence).where(ClaimEvidence.claim_id == claim.id)):
            s.delete(ev)
        s.flush()
    wanted = list(dict.fromkeys(highlight_ids))
    if not wanted:
        return
    # each passage's case in one query (never loading a document: its text may be a book)
    cases = dict(s.execute(select(Highlight.id, Document.case_id).join(Document)
                           .where(Highlight.id.in_(wanted))).all())
    for pos, hid in enumerate(wanted):
        if hid not in cases:
            raise NotFound(f"no highlight with id {hid!r}")
        if cases[hid] != claim.case_id:
            raise ValidationError("that passage belongs to another case")
        s.add(ClaimEvidence(claim_id=claim.id, highlight_id=hid, position=pos))


def create_claim_in_session(s: Session, *, case_id: str, data: ClaimInput, id: str | None = None
                            ) -> Claim:
    get_or_raise(s, Case, case_id, "case")
    claim = Claim(case_id=case_id)
    if id:
        claim.id = id
    _apply(s, claim, data)
    s.add(claim)
    s.flush()
    _set_evidence(s, claim, data.evidence, new=True)
    s.flush()
    return claim


def create_claim(db: Database, *, case_id: str, data: ClaimInput, id: str | None = None
                 ) -> ClaimRecord:
    """Store a claim and its evidence; unknown entity names become new entities."""
    with db.write() as s:
        return records(s, [create_claim_in_session(s, case_id=case_id, data=data, id=id)])[0]


def create_claim_on_passage(db: Database, *, case_id: str, data: ClaimInput,
                            passage: tuple[str, int, int], id: str | None = None
                            ) -> tuple[ClaimRecord, HighlightRecord, HighlightRecord | None]:
    """A claim whose evidence includes a passage (document id, start, end), highlighted for it
    unless it is already, in one transaction: the claim, the passage's highlight, and that
    highlight as it was before when it existed (else None)."""
    doc_id, start, end = passage
    with db.write() as s:
        hl, before = highlight_passage_in_session(s, document_id=doc_id, start=start, end=end)
        data = replace(data, evidence=(*data.evidence, hl.id))
        claim = create_claim_in_session(s, case_id=case_id, data=data, id=id)
        rec = records(s, [claim])[0]
    return rec, replace(hl, claim_ids=(*hl.claim_ids, rec.id)), before


def update_claim(db: Database, *, claim_id: str, data: ClaimInput) -> ClaimRecord:
    """Replace a claim's fields (and its evidence) with ``data``."""
    with db.write() as s:
        claim = get_or_raise(s, Claim, claim_id, "claim")
        _apply(s, claim, data)
        _set_evidence(s, claim, data.evidence)
        claim.updated_at = utcnow()
        s.flush()
        return records(s, [claim])[0]


def as_input(rec: ClaimRecord) -> ClaimInput:
    """A stored claim as input (entities by id), for edits and undo."""
    return ClaimInput(subject=rec.subject_id, kind=rec.kind, statement=rec.statement,
                      object=rec.object_id or "", value=rec.value, date=rec.date,
                      place=rec.place_id or "", origin=rec.origin_id or "", via=rec.via,
                      stance=rec.stance, credibility=rec.credibility, status=rec.status,
                      note=rec.note, evidence=rec.evidence)


def get_claim(db: Database, *, claim_id: str) -> ClaimRecord:
    with db.read() as s:
        return records(s, [get_or_raise(s, Claim, claim_id, "claim")])[0]


def list_claims(db: Database, *, case_id: str, subject_id: str | None = None,
                entity_id: str | None = None, ids: list[str] | None = None
                ) -> list[ClaimRecord]:
    """Claims of a case (optionally about one subject, mentioning an entity in any role, or
    just those of ``ids`` — at most a few hundred)."""
    with db.read() as s, bulk_allocation():
        # Core rows, not ORM objects: a case can hold tens of thousands of claims.
        q = (select(*Claim.__table__.columns).where(Claim.case_id == case_id)
             .order_by(Claim.created_at, Claim.id))
        whole_case = not (subject_id or entity_id or ids is not None)
        if ids is not None:
            q = q.where(Claim.id.in_(ids))
        if subject_id:
            q = q.where(Claim.subject_id == subject_id)
        if entity_id:
            q = q.where((Claim.subject_id == entity_id) | (Claim.object_id == entity_id)
                        | (Claim.place_id == entity_id) | (Claim.origin_id == entity_id))
        rows = [_ClaimRow._make(r) for r in s.execute(q)]  # fast attribute access
        return records(s, rows, case_id=case_id if whole_case else None)


def add_evidence(db: Database, *, claim_id: str, highlight_id: str) -> ClaimRecord:
    """Add one more passage as evidence for a claim (no-op if it is already there)."""
    with db.write() as s:
        claim = get_or_raise(s, Claim, claim_id, "claim")
        h = require_highlight(s, highlight_id)
        if s.get(Document, h.document_id).case_id != claim.case_id:
            raise ValidationError("that passage belongs to another case")
        if s.get(ClaimEvidence, (claim_id, highlight_id)) is None:
            pos = s.scalar(select(func.coalesce(func.max(ClaimEvidence.position), -1))
                           .where(ClaimEvidence.claim_id == claim_id)) + 1
            s.add(ClaimEvidence(claim_id=claim_id, highlight_id=highlight_id, position=pos))
            claim.updated_at = utcnow()
        s.flush()
        return records(s, [claim])[0]


def remove_evidence(db: Database, *, claim_id: str, highlight_id: str) -> ClaimRecord:
    with db.write() as s:
        claim = get_or_raise(s, Claim, claim_id, "claim")
        ev = s.get(ClaimEvidence, (claim_id, highlight_id))
        if ev is not None:
            s.delete(ev)
            claim.updated_at = utcnow()
        s.flush()
        return records(s, [claim])[0]


def _link_record(link: ClaimLink) -> LinkRecord:
    return LinkRecord(link.id, link.case_id, link.source_id, link.target_id, link.relation,
                      link.note)


def delete_claim(db: Database, *, claim_id: str) -> ClaimSnapshot:
    """Delete a claim (its passages stay); the snapshot lets ``restore_claim`` undo it."""
    with db.write() as s:
        claim = get_or_raise(s, Claim, claim_id, "claim")
        rec = records(s, [claim])[0]
        links = s.scalars(select(ClaimLink).where((ClaimLink.source_id == claim_id)
                                                  | (ClaimLink.target_id == claim_id))).all()
        snap = ClaimSnapshot(rec, tuple(_link_record(x) for x in links))
        s.delete(claim)
        return snap


def restore_claim(db: Database, *, snapshot: ClaimSnapshot) -> ClaimRecord:
    """Re-create a deleted claim under its old id, with evidence and links that still resolve."""
    r = snapshot.claim
    with db.write() as s:
        data = as_input(r)
        live = tuple(h for h in data.evidence if s.get(Highlight, h) is not None)
        claim = create_claim_in_session(
            s, case_id=r.case_id, id=r.id,
            data=ClaimInput(**{**data.__dict__, "evidence": live}))
        for link in snapshot.links:
            if s.get(Claim, link.source_id) and s.get(Claim, link.target_id):
                s.add(ClaimLink(id=link.id, case_id=link.case_id, source_id=link.source_id,
                                target_id=link.target_id, relation=link.relation,
                                note=link.note))
        s.flush()
        return records(s, [claim])[0]


def link_claims(db: Database, *, source_id: str, target_id: str, relation: str, note: str = "",
                id: str | None = None) -> LinkRecord:
    """Record that one claim corroborates, contradicts or is the same as another."""
    require_choice(relation, LINK_RELATIONS, "relation")
    if source_id == target_id:
        raise ValidationError("a claim cannot be linked to itself")
    with db.write() as s:
        a = get_or_raise(s, Claim, source_id, "claim")
        b = get_or_raise(s, Claim, target_id, "claim")
        if a.case_id != b.case_id:
            raise ValidationError("the two claims belong to different cases")
        link = ClaimLink(case_id=a.case_id, source_id=a.id, target_id=b.id, relation=relation,
                         note=note)
        if id:
            link.id = id
        s.add(link)
        s.flush()
        return _link_record(link)


def list_links(db: Database, *, case_id: str) -> list[LinkRecord]:
    with db.read() as s:
        return [_link_record(x) for x in s.scalars(
            select(ClaimLink).where(ClaimLink.case_id == case_id).order_by(ClaimLink.created_at))]


def delete_link(db: Database, *, link_id: str) -> LinkRecord:
    with db.write() as s:
        link = get_or_raise(s, ClaimLink, link_id, "link")
        rec = _link_record(link)
        s.delete(link)
        return rec
