"""Undo commands on a case's documents, entities and tags (see ``ui.base.commands`` for how
commands work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casefile.services import documents, entities, tags
from casefile.services.records import AliasRecord, DocumentRecord, EntityRecord, TagRecord
from ui.base.commands import Command, Delete

if TYPE_CHECKING:
    from ui.base.controller import Controller


# -- documents ----------------------------------------------------------------------------
class UpdateDocument(Command):
    """A document's details (title, author, outlet, date, URL, what is still a guess)."""

    def __init__(self, ctl: Controller, document_id: str, confirm: tuple[str, ...] = (),
                 **fields: str | None):
        super().__init__(ctl, "Edit document details")
        self.document_id, self.confirm, self.fields = document_id, confirm, fields
        self.before: DocumentRecord | None = None
        self.after: DocumentRecord | None = None

    def first(self) -> None:
        self.before = documents.get_document(self.ctl.db, document_id=self.document_id)
        self.after = documents.update_document(self.ctl.db, document_id=self.document_id,
                                               confirm=self.confirm, **self.fields)

    def _apply(self, r: DocumentRecord | None) -> None:
        assert r is not None
        documents.update_document(self.ctl.db, document_id=r.id, title=r.title,
                                  author=r.author, outlet=r.outlet, url=r.url,
                                  published=r.published, guessed=r.guessed)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)


# -- entities and tags --------------------------------------------------------------------
class CreateEntity(Command):
    def __init__(self, ctl: Controller, *, name: str, kind: str, aliases: tuple[str, ...] = (),
                 id: str | None = None):
        super().__init__(ctl, "New entity")
        self.args = dict(name=name, kind=kind, aliases=aliases, id=id)
        self.rec: EntityRecord | None = None

    def first(self) -> None:
        self.rec = entities.create_entity(self.ctl.db, case_id=self.ctl.case_id, **self.args)

    def do(self) -> None:
        assert self.rec is not None
        self.rec = entities.restore_entity(self.ctl.db, entity=self.rec)

    def revert(self) -> None:
        assert self.rec is not None
        self.rec = entities.delete_entity(self.ctl.db, entity_id=self.rec.id)


def delete_entity(ctl: Controller, entity_id: str) -> Delete:
    db = ctl.db
    return Delete(ctl, "Delete entity", lambda: entities.delete_entity(db, entity_id=entity_id),
                  lambda rec: entities.restore_entity(db, entity=rec))


class UpdateEntity(Command):
    """An entity's fields, before and after."""

    def __init__(self, ctl: Controller, entity_id: str, **fields: str):
        super().__init__(ctl, "Edit entity")
        self.entity_id, self.fields = entity_id, fields
        self.before: EntityRecord | None = None
        self.after: EntityRecord | None = None

    def first(self) -> None:
        self.before = entities.get_entity(self.ctl.db, entity_id=self.entity_id)
        self.after = entities.update_entity(self.ctl.db, entity_id=self.entity_id,
                                            **self.fields)

    def _apply(self, r: EntityRecord | None) -> None:
        assert r is not None
        entities.update_entity(self.ctl.db, entity_id=r.id, name=r.name, kind=r.kind,
                               description=r.description, reliability=r.reliability)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)


class AliasCommand(Command):
    """A spelling added to an entity (or, with ``remove``, taken from it) under one id."""

    def __init__(self, ctl: Controller, *, entity_id: str = "", name: str = "",
                 remove: str | None = None, id: str | None = None):
        super().__init__(ctl, "Remove alias" if remove else "Add alias")
        self.entity_id, self.name, self.remove, self.new_id = entity_id, name, remove, id
        self.rec: AliasRecord | None = None

    def first(self) -> None:
        if self.remove:
            self.rec = entities.remove_alias(self.ctl.db, alias_id=self.remove)
        else:
            self.rec = entities.add_alias(self.ctl.db, entity_id=self.entity_id,
                                          name=self.name, id=self.new_id)

    def _add(self) -> None:
        r = self.rec
        assert r is not None
        entities.add_alias(self.ctl.db, entity_id=r.entity_id, name=r.name,
                           document_id=r.document_id, id=r.id)

    def _drop(self) -> None:
        assert self.rec is not None
        entities.remove_alias(self.ctl.db, alias_id=self.rec.id)

    def do(self) -> None:
        self._drop() if self.remove else self._add()

    def revert(self) -> None:
        self._add() if self.remove else self._drop()


class CreateTag(Command):
    def __init__(self, ctl: Controller, *, name: str, parent_id: str | None = None,
                 color: str = "", id: str | None = None):
        super().__init__(ctl, "New tag")
        self.args = dict(name=name, parent_id=parent_id, color=color, id=id)
        self.rec: TagRecord | None = None

    def first(self) -> None:
        self.rec = tags.create_tag(self.ctl.db, case_id=self.ctl.case_id, **self.args)

    def do(self) -> None:
        r = self.rec
        assert r is not None
        tags.create_tag(self.ctl.db, case_id=r.case_id, name=r.name, parent_id=r.parent_id,
                        color=r.color, description=r.description, id=r.id)

    def revert(self) -> None:
        assert self.rec is not None
        tags.delete_tag(self.ctl.db, tag_id=self.rec.id)


class UpdateTag(Command):
    def __init__(self, ctl: Controller, tag_id: str, before: TagRecord, **fields: str):
        super().__init__(ctl, "Edit tag")
        self.tag_id, self.fields = tag_id, fields
        self.before: TagRecord = before
        self.after: TagRecord | None = None

    def first(self) -> None:
        self.after = tags.update_tag(self.ctl.db, tag_id=self.tag_id, **self.fields)

    def _apply(self, r: TagRecord | None) -> None:
        assert r is not None
        tags.update_tag(self.ctl.db, tag_id=r.id, name=r.name, color=r.color,
                        description=r.description)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)
