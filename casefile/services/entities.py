"""Entities and their aliases: people, organizations, places, events; name resolution."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from casefile.db.database import Database
from casefile.db.engine import name_key
from casefile.db.models import (
    Alias,
    Case,
    Claim,
    Document,
    Entity,
)
from casefile.errors import NotFound, ValidationError
from casefile.services.common import get_or_raise, require_choice, require_text
from casefile.services.records import AliasRecord, EntityRecord
from casefile.vocab import ENTITY_KINDS, RELIABILITY_GRADES


def record(ent: Entity) -> EntityRecord:
    """An entity row (aliases loaded) as plain data."""
    return EntityRecord(
        ent.id, ent.case_id, ent.kind, ent.name, ent.description, ent.reliability,
        tuple(AliasRecord(a.id, ent.id, a.name, a.document_id) for a in ent.aliases),
        ent.created_at, ent.updated_at,
    )


def normalize_reliability(value: str) -> str:
    """An upper-case grade A–F, or empty for ungraded."""
    value = (value or "").strip().upper()
    if value:
        require_choice(value, RELIABILITY_GRADES, "reliability grade (A–F)")
    return value


def find_entity_in_session(s: Session, case_id: str, name: str) -> Entity | None:
    """An entity of the case whose id, name or alias equals ``name`` (Unicode case-insensitive,
    white space collapsed)."""
    return find_entities_in_session(s, case_id, [name]).get(name.strip())


def find_entities_in_session(s: Session, case_id: str, names: Iterable[str]
                             ) -> dict[str, Entity]:
    """``find_entity_in_session`` for several names at once (a claim's parties), in one query,
    or two when some are known only by an alias: {stripped name: entity} of those found. An id
    wins over a name, a name over an alias; among equals the oldest entity."""
    keys = {n: name_key(n) for n in {n.strip() for n in names} if n}
    if not keys:
        return {}
    rows = s.scalars(select(Entity).where(
        Entity.case_id == case_id,
        Entity.id.in_(list(keys)) | func.name_key(Entity.name).in_(set(keys.values())))
        .order_by(Entity.created_at, Entity.id)).all()
    by_id = {e.id: e for e in rows}
    by_key: dict[str | None, Entity] = {}
    for e in rows:
        by_key.setdefault(name_key(e.name), e)
    out = {n: by_id.get(n) or by_key.get(k) for n, k in keys.items()}
    missing = {k for n, k in keys.items() if out[n] is None}
    if missing:
        by_alias: dict[str | None, Entity] = {}
        for ent, alias in s.execute(select(Entity, Alias.name).join(Alias).where(
                Entity.case_id == case_id, func.name_key(Alias.name).in_(missing))
                .order_by(Entity.created_at, Entity.id)):
            by_alias.setdefault(name_key(alias), ent)
        out.update({n: by_alias.get(k) for n, k in keys.items() if out[n] is None})
    return {n: e for n, e in out.items() if e is not None}


def create_entity(db: Database, *, case_id: str, name: str, kind: str = "person",
                  description: str = "", reliability: str = "", aliases: tuple[str, ...] = (),
                  id: str | None = None) -> EntityRecord:
    with db.write() as s:
        return record(create_entity_in_session(
            s, case_id=case_id, name=name, kind=kind, description=description,
            reliability=reliability, aliases=aliases, id=id))


def create_entity_in_session(s: Session, *, case_id: str, name: str, kind: str = "person",
                             description: str = "", reliability: str = "",
                             aliases: tuple[str, ...] = (), id: str | None = None) -> Entity:
    get_or_raise(s, Case, case_id, "case")
    ent = Entity(case_id=case_id, name=require_text(name, "an entity name", limit=500),
                 kind=require_choice(kind, ENTITY_KINDS, "entity kind"),
                 description=description or "", reliability=normalize_reliability(reliability))
    if id:
        ent.id = id
    ent.aliases = [Alias(name=a.strip()) for a in aliases if a.strip()]
    s.add(ent)
    s.flush()
    return ent


def get_or_create_in_session(s: Session, *, case_id: str, name: str, kind: str = "person"
                             ) -> Entity:
    """Resolve ``name`` by id, name or alias, else create an entity of ``kind``."""
    ent = find_entity_in_session(s, case_id, name)
    return ent if ent is not None else create_entity_in_session(
        s, case_id=case_id, name=name, kind=kind)


def get_entity(db: Database, *, entity_id: str) -> EntityRecord:
    with db.read() as s:
        return record(get_or_raise(s, Entity, entity_id, "entity"))


def find_entity(db: Database, *, case_id: str, name: str) -> EntityRecord:
    """The entity named ``name`` (id, name or alias) or ``NotFound``."""
    with db.read() as s:
        ent = find_entity_in_session(s, case_id, name)
        if ent is None:
            raise NotFound(f"no entity called {name!r} in this case")
        return record(ent)


def list_entities(db: Database, *, case_id: str, kind: str | None = None
                  ) -> list[EntityRecord]:
    """Entities of a case by kind then name, aliases included."""
    with db.read() as s:
        q = (select(Entity).where(Entity.case_id == case_id)
             .options(selectinload(Entity.aliases)).order_by(Entity.kind, Entity.name))
        if kind:
            q = q.where(Entity.kind == kind)
        return [record(e) for e in s.scalars(q).all()]


def entity_ids(db: Database, *, case_id: str) -> set[str]:
    """Ids of the case's entities (cheap: to see which ones an action created)."""
    with db.read() as s:
        return set(s.scalars(select(Entity.id).where(Entity.case_id == case_id)))


def update_entity(db: Database, *, entity_id: str, name: str | None = None,
                  kind: str | None = None, description: str | None = None,
                  reliability: str | None = None) -> EntityRecord:
    with db.write() as s:
        ent = get_or_raise(s, Entity, entity_id, "entity")
        if name is not None:
            ent.name = require_text(name, "an entity name", limit=500)
        if kind is not None:
            ent.kind = require_choice(kind, ENTITY_KINDS, "entity kind")
        if description is not None:
            ent.description = description
        if reliability is not None:
            ent.reliability = normalize_reliability(reliability)
        s.flush()
        return record(ent)


def add_alias(db: Database, *, entity_id: str, name: str, document_id: str | None = None,
              id: str | None = None) -> AliasRecord:
    """Record a spelling of the entity, optionally with the document it was seen in.

    The same spelling from the same document is stored once."""
    name = require_text(name, "an alias", limit=500)
    with db.write() as s:
        ent = get_or_raise(s, Entity, entity_id, "entity")
        if document_id:
            doc = get_or_raise(s, Document, document_id, "document")
            if doc.case_id != ent.case_id:
                raise ValidationError("that document belongs to another case")
        for a in ent.aliases:
            if a.name == name and a.document_id == document_id:
                return AliasRecord(a.id, ent.id, a.name, a.document_id)
        alias = Alias(name=name, document_id=document_id)
        if id:
            alias.id = id
        ent.aliases.append(alias)
        s.flush()
        return AliasRecord(alias.id, ent.id, alias.name, alias.document_id)


def remove_alias(db: Database, *, alias_id: str) -> AliasRecord:
    with db.write() as s:
        a = get_or_raise(s, Alias, alias_id, "alias")
        rec = AliasRecord(a.id, a.entity_id, a.name, a.document_id)
        s.delete(a)
        return rec


def claim_count(db: Database, *, entity_id: str) -> int:
    """Claims that mention the entity in any role."""
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Claim).where(or_(
            Claim.subject_id == entity_id, Claim.object_id == entity_id,
            Claim.place_id == entity_id, Claim.origin_id == entity_id))) or 0


def delete_entity(db: Database, *, entity_id: str) -> EntityRecord:
    """Delete an entity that no claim has as its subject; returns it for undo."""
    with db.write() as s:
        ent = get_or_raise(s, Entity, entity_id, "entity")
        n = s.scalar(select(func.count()).select_from(Claim).where(Claim.subject_id == entity_id))
        if n:
            raise ValidationError(f"{ent.name} is the subject of {n} claim(s); delete or move "
                                  "them first, or merge the entity into another")
        rec = record(ent)
        s.delete(ent)
        return rec


def restore_entity(db: Database, *, entity: EntityRecord) -> EntityRecord:
    """Re-create a deleted entity under its old id with its aliases (undo)."""
    with db.write() as s:
        ent = Entity(id=entity.id, case_id=entity.case_id, kind=entity.kind, name=entity.name,
                     description=entity.description, reliability=entity.reliability)
        ent.aliases = [Alias(id=a.id, name=a.name,
                             document_id=a.document_id if a.document_id and
                             s.get(Document, a.document_id) else None)
                       for a in entity.aliases]
        s.add(ent)
        s.flush()
        return record(ent)
