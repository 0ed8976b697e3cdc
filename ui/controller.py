"""The one change path: widgets call the controller, it calls services via undo commands and
emits ``changed`` so every model refreshes from the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from casefile.db.database import Database
from casefile.services import cases, claims, documents, entities, highlights, tags
from casefile.services.claims import ClaimInput
from casefile.services.records import (
    CaseRecord,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    HighlightRecord,
    TagRecord,
)
from ui import commands
from ui.errors import guard_database

ALL = frozenset({"cases", "documents", "highlights", "claims", "entities", "tags"})
WATCH_MS = 2000  # how often the window looks for changes made by other programs


@dataclass(frozen=True)
class Changes:
    """What an edit touched: record kinds, and (when known) the highlight ids involved."""

    kinds: frozenset[str]
    highlight_ids: frozenset[str] = frozenset()

    def __contains__(self, kind: str) -> bool:
        return kind in self.kinds


class Controller(QObject):
    """Owns the database handle, the open case and the undo stack.

    Threading: GUI thread only. Every method either returns plain records or raises a
    ``CasefileError`` with a message for the user; nothing is half-done on error.
    """

    changed = Signal(object)  # Changes
    case_changed = Signal(str)  # case id or ""
    status = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.case_id = ""
        self.undo_stack = QUndoStack(self)
        guard_database(db, parent if isinstance(parent, QWidget) else None)
        db.changed_elsewhere()  # from here on, other programs' commits are noticed
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.poll_elsewhere)
        self.watch.start()

    # -- plumbing -------------------------------------------------------------------------
    def poll_elsewhere(self) -> bool:
        """Reload every view when another window or command changed the case: two windows on
        one database, or a command run beside the window, never leave it showing stale data."""
        if not self.db.changed_elsewhere():
            return False
        self.notify(ALL)
        self.status.emit("Updated with changes made by another Casefile window or command")
        return True

    def notify(self, kinds: frozenset[str] | set[str], highlight_ids: frozenset[str] = frozenset()
               ) -> None:
        self.changed.emit(Changes(frozenset(kinds), frozenset(highlight_ids)))

    def _push(self, cmd: QUndoCommand, kinds: frozenset[str], hids: frozenset[str] = frozenset()
              ) -> None:
        self.undo_stack.push(cmd)
        self.notify(kinds, hids)
        self.status.emit(cmd.text())

    # -- cases ----------------------------------------------------------------------------
    def set_case(self, case_id: str) -> None:
        if case_id == self.case_id:
            return
        self.case_id = case_id
        self.undo_stack.clear()
        self.case_changed.emit(case_id)
        self.notify(ALL)

    def create_case(self, title: str) -> CaseRecord:
        rec = cases.create_case(self.db, title=title)
        self.notify({"cases"})
        self.set_case(rec.id)
        self.status.emit(f"Created case “{rec.title}”")
        return rec

    def rename_case(self, case_id: str, title: str) -> CaseRecord:
        rec = cases.update_case(self.db, case_id=case_id, title=title)
        self.notify({"cases"})
        return rec

    def delete_case(self, case_id: str) -> None:
        """Delete a case and everything in it (not undoable; the window asks first)."""
        cases.delete_case(self.db, case_id=case_id)
        if case_id == self.case_id:
            rest = cases.list_cases(self.db)
            self.case_id = ""
            self.set_case(rest[0].id if rest else "")
        self.notify({"cases"})

    # -- highlights -----------------------------------------------------------------------
    def _new_highlight(self, document_id: str, start: int, end: int, *, note: str = "",
                       tag_paths: tuple[str, ...] = (), tag_ids: tuple[str, ...] = ()
                       ) -> HighlightRecord:
        return highlights.create_highlight(self.db, document_id=document_id, start=start,
                                           end=end, note=note, tag_paths=tag_paths,
                                           tag_ids=tag_ids, id=str(uuid.uuid4()))

    def existing_highlight(self, document_id: str, start: int, end: int
                           ) -> HighlightRecord | None:
        """The highlight already covering exactly this passage, if any."""
        return highlights.find_exact(self.db, document_id=document_id, start=start, end=end)

    def create_highlight(self, document_id: str, start: int, end: int, *, note: str = "",
                         tag_paths: tuple[str, ...] = ()) -> HighlightRecord:
        """Highlight ``[start, end)`` (code points) as one undoable step. A passage that is
        already highlighted keeps its one highlight (the note and tags are added to it)."""
        existing = self.existing_highlight(document_id, start, end)
        if existing is not None:
            if tag_paths:
                existing = self.update_highlight(existing.id, tag_paths=tag_paths)
            if note:
                existing = self.update_highlight(existing.id, note=note)
            return existing
        rec = self._new_highlight(document_id, start, end, note=note, tag_paths=tag_paths)
        self._push(commands.CreateHighlight(self, rec), commands.CreateHighlight.kinds,
                   frozenset({rec.id}))
        return rec

    def update_highlight(self, highlight_id: str, *, note: str | None = None,
                         tag_paths: tuple[str, ...] | None = None,
                         tag_ids: tuple[str, ...] | None = None) -> HighlightRecord:
        before = highlights.get_highlight(self.db, highlight_id=highlight_id)
        if tag_paths is not None:
            known = {t.path.casefold(): t.id for t in tags.list_tags(self.db,
                                                                     case_id=self.case_id)}
            tag_ids = tuple(before.tag_ids) + tuple(
                known.get(p.casefold()) or self._ensure_tag(p) for p in tag_paths)
        after = highlights.update_highlight(self.db, highlight_id=highlight_id, note=note,
                                            tag_ids=tag_ids)
        text = "Edit note" if note is not None else "Tag passage"
        self._push(commands.UpdateHighlight(self, before, after, text),
                   commands.UpdateHighlight.kinds, frozenset({highlight_id}))
        return after

    def _ensure_tag(self, path: str) -> str:
        parent: str | None = None
        for part in [p.strip() for p in path.split("/") if p.strip()]:
            found = [t for t in tags.list_tags(self.db, case_id=self.case_id)
                     if t.parent_id == parent and t.name.casefold() == part.casefold()]
            parent = found[0].id if found else tags.create_tag(
                self.db, case_id=self.case_id, name=part, parent_id=parent).id
        if parent is None:
            from casefile.errors import ValidationError
            raise ValidationError("a tag name cannot be empty")
        return parent

    def delete_highlight(self, highlight_id: str) -> None:
        snap = highlights.delete_highlight(self.db, highlight_id=highlight_id)
        self._push(commands.DeleteHighlight(self, snap), commands.CreateHighlight.kinds,
                   frozenset({highlight_id}))

    # -- claims ---------------------------------------------------------------------------
    def create_claim(self, data: ClaimInput, *, passage: tuple[str, int, int] | None = None
                     ) -> ClaimRecord:
        """Store a claim; with ``passage`` (document id, start, end) a new highlight becomes its
        evidence. Highlight and claim are one undo step."""
        macro = commands.Macro(self, "New claim")
        hid: frozenset[str] = frozenset()
        h = None
        if passage is not None:
            existing = self.existing_highlight(*passage)
            if existing is None:
                h = self._new_highlight(*passage)
                macro.adopt(commands.CreateHighlight(self, h))
            used = existing or h
            assert used is not None
            data = replace(data, evidence=(*data.evidence, used.id))
            hid = frozenset({used.id})
        known = self._entity_ids()
        try:
            rec = claims.create_claim(self.db, case_id=self.case_id, data=data,
                                      id=str(uuid.uuid4()))
        except Exception:
            if h is not None:
                highlights.delete_highlight(self.db, highlight_id=h.id)
            raise
        # Entities the claim created by name go with it on undo (and come back on redo).
        created = self._entity_ids() - known
        for entity_id in created:
            macro.adopt(commands.CreateEntity(
                self, entities.get_entity(self.db, entity_id=entity_id)))
        macro.adopt(commands.CreateClaim(self, rec))
        # the entity list changes only when the claim named a new entity (undo says all)
        kinds = commands.CreateClaim.kinds | {"documents"}
        self._push(macro, kinds if created else kinds - {"entities"}, hid | set(rec.evidence))
        return rec

    def _entity_ids(self) -> set[str]:
        return entities.entity_ids(self.db, case_id=self.case_id)

    def update_claim(self, claim_id: str, data: ClaimInput) -> ClaimRecord:
        before = claims.get_claim(self.db, claim_id=claim_id)
        after = claims.update_claim(self.db, claim_id=claim_id, data=data)
        cmd = commands.UpdateClaim(self, before, after, "Edit claim")
        self._push(cmd, cmd.kinds, cmd.highlight_ids())
        return after

    def add_evidence(self, claim_id: str, *, passage: tuple[str, int, int] | None = None,
                     highlight_id: str | None = None) -> ClaimRecord:
        """Add a passage (new highlight) or an existing highlight as evidence: one undo step."""
        macro = commands.Macro(self, "Add evidence")
        h = None
        if passage is not None:
            existing = self.existing_highlight(*passage)
            if existing is None:
                h = self._new_highlight(*passage)
                macro.adopt(commands.CreateHighlight(self, h))
            highlight_id = (existing or h).id  # type: ignore[union-attr]
        assert highlight_id is not None
        before = claims.get_claim(self.db, claim_id=claim_id)
        try:
            after = claims.add_evidence(self.db, claim_id=claim_id, highlight_id=highlight_id)
        except Exception:
            if h is not None:
                highlights.delete_highlight(self.db, highlight_id=h.id)
            raise
        macro.adopt(commands.UpdateClaim(self, before, after, "Add evidence"))
        self._push(macro, commands.UpdateClaim.kinds | {"documents"},
                   frozenset({highlight_id}))
        return after

    def delete_claim(self, claim_id: str) -> None:
        snap = claims.delete_claim(self.db, claim_id=claim_id)
        self._push(commands.DeleteClaim(self, snap), commands.CreateClaim.kinds,
                   frozenset(snap.claim.evidence))

    # -- documents ------------------------------------------------------------------------
    def update_document(self, document_id: str, *, confirm: tuple[str, ...] = (),
                        **fields: str | None) -> DocumentRecord:
        """Edit a document's details as one undoable step (fields left None stay)."""
        before = documents.get_document(self.db, document_id=document_id)
        after = documents.update_document(self.db, document_id=document_id, confirm=confirm,
                                          **fields)
        self._push(commands.UpdateDocument(self, before, after), commands.UpdateDocument.kinds)
        return after

    # -- entities and tags ----------------------------------------------------------------
    def create_entity(self, name: str, kind: str = "person", aliases: tuple[str, ...] = ()
                      ) -> EntityRecord:
        rec = entities.create_entity(self.db, case_id=self.case_id, name=name, kind=kind,
                                     aliases=aliases, id=str(uuid.uuid4()))
        self._push(commands.CreateEntity(self, rec), commands.CreateEntity.kinds)
        return rec

    def update_entity(self, entity_id: str, **fields: str) -> EntityRecord:
        before = entities.get_entity(self.db, entity_id=entity_id)
        after = entities.update_entity(self.db, entity_id=entity_id, **fields)
        self._push(commands.UpdateEntity(self, before, after), commands.UpdateEntity.kinds)
        return after

    def edit_entity(self, entity_id: str, *, add_aliases: tuple[str, ...] = (),
                    remove_aliases: tuple[str, ...] = (), **fields: str) -> EntityRecord:
        """Change an entity's fields and aliases as one undoable step."""
        before = entities.get_entity(self.db, entity_id=entity_id)
        macro = commands.Macro(self, f"Edit {before.name}")
        try:
            after = entities.update_entity(self.db, entity_id=entity_id, **fields)
            macro.adopt(commands.UpdateEntity(self, before, after))
            for alias_id in remove_aliases:
                gone = entities.remove_alias(self.db, alias_id=alias_id)
                macro.adopt(commands.AliasCommand(self, gone, removed=True))
            for name in add_aliases:
                made = entities.add_alias(self.db, entity_id=entity_id, name=name,
                                          id=str(uuid.uuid4()))
                macro.adopt(commands.AliasCommand(self, made))
        except Exception:
            macro.revert()  # nothing half-done: the steps taken so far are undone
            raise
        self._push(macro, macro.kinds)
        return entities.get_entity(self.db, entity_id=entity_id)

    def delete_entity(self, entity_id: str) -> None:
        rec = entities.delete_entity(self.db, entity_id=entity_id)
        self._push(commands.CreateEntity(self, rec, deleted=True), commands.CreateEntity.kinds)

    def create_tag(self, name: str, *, parent_id: str | None = None, color: str = ""
                   ) -> TagRecord:
        rec = tags.create_tag(self.db, case_id=self.case_id, name=name, parent_id=parent_id,
                              color=color, id=str(uuid.uuid4()))
        self._push(commands.CreateTag(self, rec), commands.CreateTag.kinds)
        return rec

    def update_tag(self, tag_id: str, **fields: str) -> TagRecord:
        before = next(t for t in tags.list_tags(self.db, case_id=self.case_id) if t.id == tag_id)
        after = tags.update_tag(self.db, tag_id=tag_id, **fields)
        self._push(commands.UpdateTag(self, before, after), commands.UpdateTag.kinds)
        return after

    def delete_tag(self, tag_id: str) -> None:
        """Delete a tag and its sub-tags (not undoable: the window asks first)."""
        tags.delete_tag(self.db, tag_id=tag_id)
        self.undo_stack.clear()
        self.notify({"tags", "highlights"})
