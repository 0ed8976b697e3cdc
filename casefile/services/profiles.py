"""An entity's profile in one place: its spellings and where each came from, its claims by
kind and by role, the conflicts about it, how often its names occur, and its relations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from casefile.db.database import Database
from casefile.db.models import Document
from casefile.services import analysis, claims, entities, identity
from casefile.services.records import ClaimRecord, EntityRecord
from casefile.vocab import stated, with_stance


@dataclass(frozen=True)
class SeenIn:
    document_id: str
    title: str


@dataclass(frozen=True)
class Spelling:
    """One spelling and every document it was seen in (none when it came from elsewhere)."""

    name: str
    documents: tuple[SeenIn, ...]


@dataclass(frozen=True)
class Relation:
    """A relationship, membership or role link to another entity, from one or more claims."""

    direction: str  # "out" (this entity is the subject) or "in" (it is the object)
    other_id: str
    other: str
    label: str
    stance: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class ConflictSummary:
    kind: str
    reason: str
    claim_ids: tuple[str, ...]
    resolved: bool


@dataclass(frozen=True)
class EntityProfile:
    entity: EntityRecord
    spellings: tuple[Spelling, ...]
    claims_by_kind: dict[str, tuple[ClaimRecord, ...]]  # claims about it (subject)
    mentioned_in: dict[str, tuple[ClaimRecord, ...]]  # role → claims naming it otherwise
    conflicts: tuple[ConflictSummary, ...]
    mentions: int  # occurrences of its names in the case's documents
    mention_documents: int
    relations: tuple[Relation, ...]


RELATION_KINDS = frozenset({"relationship", "membership", "role"})


def claim_line(c: ClaimRecord) -> str:
    """A claim under its kind in a profile, with its stance: "killed (denied)", or the
    statement led by "death (denied): " when the claim has no value."""
    return with_stance(c.value, c.stance) if c.value else stated(c.statement, c.kind, c.stance)


def entity_profile(db: Database, *, entity_id: str, count_mentions: bool = True
                   ) -> EntityProfile:
    """Everything the case holds about one entity (its id; names are resolved by callers)."""
    ent = entities.get_entity(db, entity_id=entity_id)
    doc_ids = {a.document_id for a in ent.aliases if a.document_id}
    with db.read() as s:
        titles = dict(s.execute(select(Document.id, Document.title)
                                .where(Document.id.in_(doc_ids))).all()) if doc_ids else {}
    seen: dict[str, list[SeenIn]] = {}
    for a in ent.aliases:  # one row per (spelling, document): grouped by spelling, in order
        docs = seen.setdefault(a.name, [])
        if a.document_id and a.document_id in titles and all(
                d.document_id != a.document_id for d in docs):
            docs.append(SeenIn(a.document_id, titles[a.document_id]))
    spellings = tuple(Spelling(name, tuple(docs)) for name, docs in seen.items())
    about: dict[str, list[ClaimRecord]] = defaultdict(list)
    other: dict[str, list[ClaimRecord]] = defaultdict(list)
    relations: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for c in claims.list_claims(db, case_id=ent.case_id, entity_id=entity_id):
        if c.subject_id == entity_id:
            about[c.kind].append(c)
        for role, eid in (("object", c.object_id), ("place", c.place_id),
                          ("origin", c.origin_id)):
            if eid == entity_id:
                other[role].append(c)
        if c.kind not in RELATION_KINDS:
            continue
        label = c.value or c.kind
        if c.subject_id == entity_id and c.object_id:
            relations[("out", c.object_id, label, c.stance)].append(c.id)
            names[c.object_id] = c.object
        elif c.object_id == entity_id:
            relations[("in", c.subject_id, label, c.stance)].append(c.id)
            names[c.subject_id] = c.subject
    conflicts = tuple(
        ConflictSummary(v.set.kind, v.set.reason, tuple(v.set.claim_ids), v.set.resolved)
        for v in analysis.list_conflicts(db, case_id=ent.case_id)
        if v.set.subject_id == entity_id)
    mentions = identity.find_mentions(db, entity_id=entity_id) if count_mentions else []
    return EntityProfile(
        entity=ent, spellings=spellings,
        claims_by_kind={k: tuple(v) for k, v in sorted(about.items())},
        mentioned_in={k: tuple(v) for k, v in other.items()},
        conflicts=conflicts, mentions=len(mentions),
        mention_documents=len({m.document_id for m in mentions}),
        relations=tuple(Relation(d, oid, names.get(oid, ""), label, stance, tuple(ids))
                        for (d, oid, label, stance), ids in relations.items()))
