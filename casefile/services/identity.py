"""Identity: duplicate candidates, undoable entity merges, aliases, and finding mentions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, cast, delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from casefile.analysis import mentions as _mentions
from casefile.analysis import names as _names
from casefile.analysis.names import Candidate, NameEntry
from casefile.db.database import Database
from casefile.db.models import (
    Alias,
    Claim,
    ClaimEvidence,
    ConflictResolution,
    Document,
    Entity,
    Highlight,
)
from casefile.errors import NotFound, ValidationError
from casefile.services import entities, highlights, hypotheses, search
from casefile.services.common import get_or_raise
from casefile.services.records import AliasRecord, EntityRecord, HighlightRecord


def duplicate_candidates(db: Database, *, case_id: str, threshold: float = 0.45
                         ) -> list[Candidate]:
    """Likely duplicate entities of the case with a score (0–1) and a reason, best first."""
    with db.read() as s:
        rows = s.execute(select(Entity.id, Entity.name, Entity.kind)
                         .where(Entity.case_id == case_id)
                         .order_by(Entity.created_at, Entity.id)).all()
        aliases: dict[str, list[str]] = {}
        for eid, name in s.execute(select(Alias.entity_id, Alias.name).join(Entity)
                                   .where(Entity.case_id == case_id)):
            aliases.setdefault(eid, []).append(name)
    entries = [NameEntry(eid, name, kind,
                         tuple(dict.fromkeys(a for a in aliases.get(eid, ()) if a != name)))
               for eid, name, kind in rows]
    return _names.candidates(entries, threshold=threshold)


def _entries(records: Iterable[EntityRecord]) -> dict[str, tuple[NameEntry, EntityRecord]]:
    return {r.id: (NameEntry(r.id, r.name, r.kind, tuple(a.name for a in r.aliases)), r)
            for r in records}


def likely_same(name: str, records: Iterable[EntityRecord], *, kind: str = ""
                ) -> tuple[EntityRecord, float] | None:
    """The known entity a new name most probably means ("Gulmorod Khalimov" → "Gulmurod
    Khalimov"), scored by the duplicate finder, if it reaches ``names.LIKELY``; only entities
    of ``kind`` when given. For "did you mean …?" before a new entity is made."""
    known = _entries(r for r in records if not kind or r.kind == kind)
    if not name.strip():
        return None
    best = _names.best_matches(name, (e for e, _r in known.values()), limit=1)
    if best and best[0][0] >= _names.LIKELY:
        score, entry = best[0]
        return known[entry.id][1], score
    return None


def named_in(text: str, records: Iterable[EntityRecord], *,
             kinds: tuple[str, ...] = ("person", "organization", "event", "other")
             ) -> EntityRecord | None:
    """The entity a passage names by one of its spellings (the longest found; places are left
    out unless asked for): what a new claim on that passage is most likely about."""
    known = _entries(records)
    found = _names.spelled_in(text, (e for e, _r in known.values()), kinds=kinds)
    return known[found[0].id][1] if found else None


def resolve_entity(db: Database, *, case_id: str, ref: str) -> str:
    """The id of the entity named ``ref`` (id, name or alias); ``NotFound`` otherwise."""
    with db.read() as s:
        ent = entities.find_entity_in_session(s, case_id, ref)
        if ent is not None:
            return ent.id
        raise NotFound(f"no entity called {ref!r} in this case")


@dataclass(frozen=True)
class MergeSnapshot:
    """Everything a merge changed, so ``unmerge`` restores it exactly under the same ids."""

    keep_id: str
    other_id: str
    other_case_id: str
    other_kind: str
    other_name: str
    other_description: str
    other_reliability: str
    other_created_at: datetime
    keep_description: str
    keep_reliability: str
    moved_alias_ids: tuple[str, ...]
    added_alias_ids: tuple[str, ...]  # the other's name as a spelling, one per document
    # (claim id, column) pairs that pointed at the other entity
    claim_refs: tuple[tuple[str, str], ...]
    via_before: tuple[tuple[str, tuple[str, ...]], ...]
    outlet_docs: tuple[str, ...]
    resolution_ids: tuple[str, ...]
    # (hypothesis id, column) pairs that pointed at the other entity
    hypothesis_refs: tuple[tuple[str, str], ...] = ()


_CLAIM_COLS = ("subject_id", "object_id", "place_id", "origin_id")


def merge_entities(db: Database, *, keep_id: str, other_id: str) -> MergeSnapshot:
    """Fold ``other`` into ``keep``: its aliases, its name (as an alias), its claims, outlets and
    verdicts move to ``keep``; ``other`` is deleted. One transaction; returns the undo snapshot."""
    if keep_id == other_id:
        raise ValidationError("an entity cannot be merged into itself")
    with db.write() as s:
        keep = get_or_raise(s, Entity, keep_id, "entity")
        other = get_or_raise(s, Entity, other_id, "entity")
        if keep.case_id != other.case_id:
            raise ValidationError("the two entities belong to different cases")
        refs: list[tuple[str, str]] = []
        for col in _CLAIM_COLS:
            column = getattr(Claim, col)
            ids = list(s.scalars(select(Claim.id).where(column == other_id)))
            refs += [(cid, col) for cid in ids]
            if ids:
                s.execute(update(Claim).where(column == other_id).values({col: keep_id}))
        via_before = []
        for claim in s.scalars(select(Claim).where(Claim.case_id == keep.case_id,
                                                   cast(Claim.via, Text).contains(other_id))):
            if other_id in (claim.via or ()):
                via_before.append((claim.id, tuple(claim.via)))
                claim.via = list(dict.fromkeys(keep_id if v == other_id else v
                                               for v in claim.via))
        docs = list(s.scalars(select(Document.id).where(Document.outlet_id == other_id)))
        if docs:
            s.execute(update(Document).where(Document.outlet_id == other_id)
                      .values(outlet_id=keep_id))
        res = list(s.scalars(select(ConflictResolution.id)
                             .where(ConflictResolution.subject_id == other_id)))
        if res:
            s.execute(update(ConflictResolution).where(ConflictResolution.subject_id == other_id)
                      .values(subject_id=keep_id))
        moved = [a.id for a in other.aliases]
        known = {(a.name, a.document_id) for a in (*keep.aliases, *other.aliases)}
        seen = _seen_in(s, other, [cid for cid, _col in refs])
        s.execute(update(Alias).where(Alias.entity_id == other_id).values(entity_id=keep_id))
        added = []
        if other.name != keep.name:
            names = {n for n, _d in known}
            for doc_id in [d for d in seen if (other.name, d) not in known] or (
                    [None] if other.name not in names else []):
                alias = Alias(entity_id=keep_id, name=other.name, document_id=doc_id)
                s.add(alias)
                s.flush()
                added.append(alias.id)
        snap = MergeSnapshot(
            keep_id, other_id, other.case_id, other.kind, other.name, other.description,
            other.reliability, other.created_at, keep.description, keep.reliability,
            tuple(moved), tuple(added), tuple(refs), tuple(via_before), tuple(docs),
            tuple(res), hypotheses.repoint_entity(s, other_id, keep_id))
        if not keep.description and other.description:
            keep.description = other.description
        if not keep.reliability and other.reliability:
            keep.reliability = other.reliability
        s.expire(other)
        s.delete(other)
        s.flush()
        return snap


def _seen_in(s: Session, ent: Entity, claim_ids: list[str]) -> list[str]:
    """Documents ``ent``'s name was seen in, in the case's order: those whose text mentions it
    and the evidence of the claims that name it."""
    names = [ent.name] if ent.name.strip() else []
    # the index names the documents that can mention it; only those are read closely
    maybe = search.documents_matching(s, case_id=ent.case_id, query=ent.name) if names else set()
    evidence = set(s.scalars(select(Highlight.document_id).join(
        ClaimEvidence, ClaimEvidence.highlight_id == Highlight.id)
        .where(ClaimEvidence.claim_id.in_(claim_ids)))) if claim_ids else set()
    wanted = evidence | maybe
    if not wanted:
        return []
    rows = s.execute(select(Document.id, Document.text).where(Document.id.in_(wanted))
                     .order_by(Document.published, Document.title, Document.id))
    return [did for did, text in rows
            if did in evidence or _mentions.find(text or "", names)]


def unmerge_entities(db: Database, *, snapshot: MergeSnapshot) -> None:
    """Undo ``merge_entities``: re-create the other entity under its id and put back every
    alias and reference the merge moved."""
    sn = snapshot
    with db.write() as s:
        keep = get_or_raise(s, Entity, sn.keep_id, "entity")
        if s.get(Entity, sn.other_id) is not None:
            raise ValidationError("that merge has already been undone")
        s.add(Entity(id=sn.other_id, case_id=sn.other_case_id, kind=sn.other_kind,
                     name=sn.other_name, description=sn.other_description,
                     reliability=sn.other_reliability, created_at=sn.other_created_at))
        s.flush()
        if sn.moved_alias_ids:
            s.execute(update(Alias).where(Alias.id.in_(sn.moved_alias_ids))
                      .values(entity_id=sn.other_id))
        if sn.added_alias_ids:
            s.execute(delete(Alias).where(Alias.id.in_(sn.added_alias_ids)))
        for cid, col in sn.claim_refs:
            s.execute(update(Claim).where(Claim.id == cid, getattr(Claim, col) == sn.keep_id)
                      .values({col: sn.other_id}))
        for cid, via in sn.via_before:
            claim = s.get(Claim, cid)
            if claim is not None:
                claim.via = list(via)
        if sn.outlet_docs:
            s.execute(update(Document).where(Document.id.in_(sn.outlet_docs),
                                             Document.outlet_id == sn.keep_id)
                      .values(outlet_id=sn.other_id))
        hypotheses.restore_entity_refs(s, sn.hypothesis_refs, sn.other_id)
        if sn.resolution_ids:
            s.execute(update(ConflictResolution)
                      .where(ConflictResolution.id.in_(sn.resolution_ids))
                      .values(subject_id=sn.other_id))
        keep.description = sn.keep_description
        keep.reliability = sn.keep_reliability
        s.flush()


def add_alias(db: Database, *, entity_id: str, name: str, document_id: str | None = None
              ) -> AliasRecord:
    """Record a spelling of the entity (with the document it was seen in, if known)."""
    return entities.add_alias(db, entity_id=entity_id, name=name, document_id=document_id)


@dataclass(frozen=True)
class Mention:
    """One occurrence of a name of the entity in a document (code-point offsets)."""

    document_id: str
    document_title: str
    start: int
    end: int
    text: str
    alias: str
    highlighted: bool  # an existing highlight already covers it


def find_mentions(db: Database, *, entity_id: str) -> list[Mention]:
    """Every occurrence of the entity's name or any alias in every document of its case, in
    document order: whole words, any case, any run of spaces between words, in any script
    ("Халимов" for "Khalimov"), with Russian/Tajik case endings ("Халимову"), and the family
    name alone in a document where the full name was seen (``analysis.mentions``)."""
    with db.read() as s:
        ent = s.scalar(select(Entity).where(Entity.id == entity_id)
                       .options(selectinload(Entity.aliases)))
        if ent is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        spellings = list(dict.fromkeys(n for n in (ent.name, *(a.name for a in ent.aliases))
                                       if n.strip()))
        docs = s.execute(select(Document.id, Document.title, Document.text)
                         .where(Document.case_id == ent.case_id)
                         .order_by(Document.published, Document.title)).all()
        spans: dict[str, list[tuple[int, int]]] = {}
        for did, start, end in s.execute(
                select(Highlight.document_id, Highlight.start, Highlight.end).join(Document)
                .where(Document.case_id == ent.case_id)):
            spans.setdefault(did, []).append((start, end))
    out = []
    for did, title, text in docs:
        for start, end, alias in _mentions.find(text or "", spellings):
            covered = any(a <= start and end <= b for a, b in spans.get(did, ()))
            out.append(Mention(did, title, start, end, text[start:end], alias, covered))
    return out


def accept_mention(db: Database, *, entity_id: str, mention: Mention) -> HighlightRecord:
    """Turn a mention into a highlight and record the spelling as seen in that document."""
    h = highlights.create_highlight(db, document_id=mention.document_id, start=mention.start,
                                    end=mention.end, note=f"mention of {mention.alias}")
    entities.add_alias(db, entity_id=entity_id, name=" ".join(mention.text.split()),
                       document_id=mention.document_id)
    return h


def entity_claim_ids(db: Database, *, entity_id: str) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Claim.id).where(or_(
            Claim.subject_id == entity_id, Claim.object_id == entity_id,
            Claim.place_id == entity_id, Claim.origin_id == entity_id))))
