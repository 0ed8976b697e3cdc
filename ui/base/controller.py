"""Edits: widgets call the controller, which applies undo commands through the services and
publishes what they changed through the notifier (``ui.base.notifier``)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from casefile.db.changes import Changes
from casefile.db.database import Database
from casefile.services import cases, entities, highlights, tags
from casefile.services.claims import ClaimInput
from casefile.services.records import (
    CaseRecord,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    HighlightRecord,
    TagRecord,
)
from ui.base import case_commands, commands
from ui.base.errors import guard_database
from ui.base.notifier import Notifier

WATCH_MS = 2000  # how often the window looks for changes made by other programs


class Controller(QObject):
    """Owns the database handle, the open case, the undo stack and the notifier.

    Every edit of the window is an undo command applied by ``apply``; what it changed reaches
    the views through ``notifier`` (``ui.base.notifier``), as do writes made without a command
    (merges, imports, a sync) and other programs' edits (``poll_elsewhere``).

    Threading: GUI thread only. Every method either returns plain records or raises a
    ``CasefileError`` with a message for the user; nothing is half-done on error.
    """

    case_changed = Signal(str)  # case id or ""
    status = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.case_id = ""
        self.undo_stack = QUndoStack(self)
        self.notifier = Notifier(db, self)
        guard_database(db, parent if isinstance(parent, QWidget) else None)
        db.changed_elsewhere()  # from here on, other programs' commits are noticed
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self.poll_elsewhere)
        self.watch.start()

    def stop(self) -> None:
        """The window is closing: no more polling and no more changes published to it."""
        self.watch.stop()
        self.notifier.stop()

    # -- plumbing -------------------------------------------------------------------------
    def poll_elsewhere(self) -> bool:
        """Reload every view when another window or command changed the case: two windows on
        one database, or a command run beside the window, never leave it showing stale data."""
        if not self.db.changed_elsewhere():
            return False
        self.notifier.publish(Changes.all())
        self.status.emit("Updated with changes made by another Casefile window or command")
        return True

    def apply(self, cmd: commands.Command) -> Changes:
        """Make an edit as one undo step: run the command's first application (an error
        propagates with nothing half-done), push it, and publish what it changed. A command
        that changed nothing is not pushed (no empty undo steps)."""
        with self.db.capture() as cap:
            cmd.first()
        cmd.touched = changes = cap.changes
        if changes:
            self.undo_stack.push(cmd)
            self.status.emit(cmd.text())
        for kind, recs in cmd.known().items():
            changes = changes.with_known(kind, recs)
        self.notifier.publish(changes)
        return changes

    # -- cases ----------------------------------------------------------------------------
    def set_case(self, case_id: str) -> None:
        if case_id == self.case_id:
            return
        self.case_id = case_id
        self.undo_stack.clear()
        self.case_changed.emit(case_id)
        self.notifier.publish(Changes.all())

    def create_case(self, title: str) -> CaseRecord:
        rec = cases.create_case(self.db, title=title)
        self.set_case(rec.id)
        self.status.emit(f"Created case “{rec.title}”")
        return rec

    def rename_case(self, case_id: str, title: str) -> CaseRecord:
        return cases.update_case(self.db, case_id=case_id, title=title)

    def delete_case(self, case_id: str) -> None:
        """Delete a case and everything in it (not undoable; the window asks first)."""
        cases.delete_case(self.db, case_id=case_id)
        if case_id == self.case_id:
            rest = cases.list_cases(self.db)
            self.case_id = ""
            self.set_case(rest[0].id if rest else "")

    # -- highlights -----------------------------------------------------------------------
    def existing_highlight(self, document_id: str, start: int, end: int
                           ) -> HighlightRecord | None:
        """The highlight already covering exactly this passage, if any."""
        return highlights.find_exact(self.db, document_id=document_id, start=start, end=end)

    def highlight_passage(self, document_id: str, start: int, end: int, *, note: str = "",
                          tag_paths: tuple[str, ...] = ()) -> commands.HighlightPassage:
        """Highlight ``[start, end)`` (code points) as one undoable step, in one write. A
        passage that is already highlighted keeps its one highlight (the note and tags are
        added to it); the returned command says which (``created``) and holds the record."""
        cmd = commands.HighlightPassage(self, document_id, start, end, note=note,
                                        tag_paths=tag_paths, id=str(uuid.uuid4()))
        self.apply(cmd)
        return cmd

    def create_highlight(self, document_id: str, start: int, end: int, *, note: str = "",
                         tag_paths: tuple[str, ...] = ()) -> HighlightRecord:
        rec = self.highlight_passage(document_id, start, end, note=note,
                                     tag_paths=tag_paths).rec
        assert rec is not None
        return rec

    def update_highlight(self, highlight_id: str, *, note: str | None = None,
                         tag_paths: tuple[str, ...] | None = None,
                         tag_ids: tuple[str, ...] | None = None) -> HighlightRecord:
        cmd = commands.UpdateHighlight(self, highlight_id, note=note,
                                       add_tag_paths=tuple(tag_paths or ()), tag_ids=tag_ids)
        self.apply(cmd)
        assert cmd.after is not None
        return cmd.after

    def delete_highlight(self, highlight_id: str) -> None:
        self.apply(commands.delete_highlight(self, highlight_id))

    # -- claims ---------------------------------------------------------------------------
    def create_claim(self, data: ClaimInput, *, passage: tuple[str, int, int] | None = None
                     ) -> ClaimRecord:
        """Store a claim; with ``passage`` (document id, start, end) that passage's highlight
        (made for it if need be) becomes its evidence. Highlight and claim are one undo step;
        entities the claim names for the first time go with it on undo."""
        cmd = commands.CreateClaim(self, data, passage=passage, id=str(uuid.uuid4()))
        self.apply(cmd)
        assert cmd.rec is not None
        return cmd.rec

    def update_claim(self, claim_id: str, data: ClaimInput) -> ClaimRecord:
        cmd = commands.UpdateClaim(self, claim_id, data)
        self.apply(cmd)
        assert cmd.after is not None
        return cmd.after

    def add_evidence(self, claim_id: str, *, passage: tuple[str, int, int] | None = None,
                     highlight_id: str | None = None) -> ClaimRecord:
        """Add a passage (highlighted for it if need be) or an existing highlight as
        evidence: one undo step."""
        cmd = commands.AddEvidence(self, claim_id, passage=passage, highlight_id=highlight_id)
        self.apply(cmd)
        assert cmd.after is not None
        return cmd.after

    def delete_claim(self, claim_id: str) -> None:
        self.apply(commands.delete_claim(self, claim_id))

    # -- documents ------------------------------------------------------------------------
    def update_document(self, document_id: str, *, confirm: tuple[str, ...] = (),
                        **fields: str | None) -> DocumentRecord:
        """Edit a document's details as one undoable step (fields left None stay)."""
        cmd = case_commands.UpdateDocument(self, document_id, confirm, **fields)
        self.apply(cmd)
        assert cmd.after is not None
        return cmd.after

    # -- entities and tags ----------------------------------------------------------------
    def create_entity(self, name: str, kind: str = "person", aliases: tuple[str, ...] = ()
                      ) -> EntityRecord:
        cmd = case_commands.CreateEntity(self, name=name, kind=kind, aliases=aliases,
                                    id=str(uuid.uuid4()))
        self.apply(cmd)
        assert cmd.rec is not None
        return cmd.rec

    def update_entity(self, entity_id: str, **fields: str) -> EntityRecord:
        cmd = case_commands.UpdateEntity(self, entity_id, **fields)
        self.apply(cmd)
        assert cmd.after is not None
        return cmd.after

    def edit_entity(self, entity_id: str, *, add_aliases: tuple[str, ...] = (),
                    remove_aliases: tuple[str, ...] = (), **fields: str) -> EntityRecord:
        """Change an entity's fields and aliases as one undoable step."""
        name = entities.get_entity(self.db, entity_id=entity_id).name
        steps: list[commands.Command] = [case_commands.UpdateEntity(self, entity_id, **fields)]
        steps += [case_commands.AliasCommand(self, remove=a) for a in remove_aliases]
        steps += [case_commands.AliasCommand(self, entity_id=entity_id, name=n,
                                             id=str(uuid.uuid4())) for n in add_aliases]
        self.apply(commands.Macro(self, f"Edit {name}", steps))
        return entities.get_entity(self.db, entity_id=entity_id)

    def delete_entity(self, entity_id: str) -> None:
        self.apply(case_commands.delete_entity(self, entity_id))

    def create_tag(self, name: str, *, parent_id: str | None = None, color: str = ""
                   ) -> TagRecord:
        cmd = case_commands.CreateTag(self, name=name, parent_id=parent_id, color=color,
                                 id=str(uuid.uuid4()))
        self.apply(cmd)
        assert cmd.rec is not None
        return cmd.rec

    def update_tag(self, tag_id: str, **fields: str) -> TagRecord:
        before = next(t for t in tags.list_tags(self.db, case_id=self.case_id) if t.id == tag_id)
        cmd = case_commands.UpdateTag(self, tag_id, before, **fields)
        self.apply(cmd)
        assert cmd.after is not None
        return cmd.after

    def delete_tag(self, tag_id: str) -> None:
        """Delete a tag and its sub-tags (not undoable: the window asks first)."""
        tags.delete_tag(self.db, tag_id=tag_id)
        self.undo_stack.clear()
