"""Undo commands: each holds ids and payloads and calls services in redo/undo.

A command is pushed *after* its first action has been done by the controller (so a validation
error reaches the caller as an exception, not an unhandled error inside Qt); its first ``redo``
call, made by ``QUndoStack.push``, is therefore skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from casefile.errors import CasefileError
from casefile.services import claims, documents, entities, highlights, tags
from casefile.services.claims import ClaimInput
from casefile.services.records import (
    AliasRecord,
    ClaimRecord,
    ClaimSnapshot,
    DocumentRecord,
    EntityRecord,
    HighlightRecord,
    HighlightSnapshot,
    TagRecord,
)

if TYPE_CHECKING:
    from ui.controller import Controller


class _Command(QUndoCommand):
    """Base: skips the first redo, and tells the controller what changed after each step."""

    kinds: frozenset[str] = frozenset()

    def __init__(self, ctl: Controller, text: str):
        super().__init__(text)
        self.ctl = ctl
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._step(self.do)

    def undo(self) -> None:
        self._step(self.revert)

    def _step(self, action) -> None:
        """Run an undo/redo step. If it fails (another program kept the case busy and the user
        chose not to wait, say), the stack has already moved past it: the history no longer
        matches the case, so it is cleared — right after this call, as Qt requires — and the
        error goes on to the window's error boundary."""
        try:
            action()
        except CasefileError as exc:  # the case changed meanwhile (another window, a command)
            QTimer.singleShot(0, self.ctl.undo_stack.clear)
            self.ctl.notify(self.kinds, self.highlight_ids())
            self.ctl.status.emit(f"“{self.text()}” could not be repeated: {exc}. The undo "
                                 "history was cleared.")
            return
        except Exception:
            QTimer.singleShot(0, self.ctl.undo_stack.clear)
            raise
        self.ctl.notify(self.kinds, self.highlight_ids())

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def highlight_ids(self) -> frozenset[str]:
        return frozenset()


class CreateHighlight(_Command):
    kinds = frozenset({"highlights", "documents", "tags"})

    def __init__(self, ctl: Controller, rec: HighlightRecord):
        super().__init__(ctl, "Highlight passage")
        self.rec = rec
        self.snapshot: HighlightSnapshot | None = None

    def do(self) -> None:
        assert self.snapshot is not None
        self.rec = highlights.restore_highlight(self.ctl.db, snapshot=self.snapshot)

    def revert(self) -> None:
        self.snapshot = highlights.delete_highlight(self.ctl.db, highlight_id=self.rec.id)

    def highlight_ids(self) -> frozenset[str]:
        return frozenset({self.rec.id})


class DeleteHighlight(CreateHighlight):
    """The mirror of ``CreateHighlight``: done means deleted."""

    def __init__(self, ctl: Controller, snapshot: HighlightSnapshot):
        super().__init__(ctl, snapshot.highlight)
        self.setText("Delete highlight")
        self.snapshot = snapshot

    def do(self) -> None:
        self.snapshot = highlights.delete_highlight(self.ctl.db, highlight_id=self.rec.id)

    def revert(self) -> None:
        assert self.snapshot is not None
        self.rec = highlights.restore_highlight(self.ctl.db, snapshot=self.snapshot)


class UpdateHighlight(_Command):
    """Note and tags of a highlight, before and after."""

    kinds = frozenset({"highlights", "tags"})

    def __init__(self, ctl: Controller, before: HighlightRecord, after: HighlightRecord,
                 text: str):
        super().__init__(ctl, text)
        self.before, self.after = before, after

    def _apply(self, r: HighlightRecord) -> None:
        highlights.update_highlight(self.ctl.db, highlight_id=r.id, note=r.note, color=r.color,
                                    tag_ids=r.tag_ids)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)

    def highlight_ids(self) -> frozenset[str]:
        return frozenset({self.after.id})


class CreateClaim(_Command):
    kinds = frozenset({"claims", "entities", "highlights"})

    def __init__(self, ctl: Controller, rec: ClaimRecord):
        super().__init__(ctl, "New claim")
        self.rec = rec
        self.snapshot: ClaimSnapshot | None = None

    def do(self) -> None:
        assert self.snapshot is not None
        self.rec = claims.restore_claim(self.ctl.db, snapshot=self.snapshot)

    def revert(self) -> None:
        self.snapshot = claims.delete_claim(self.ctl.db, claim_id=self.rec.id)

    def highlight_ids(self) -> frozenset[str]:
        return frozenset(self.rec.evidence)


class DeleteClaim(CreateClaim):
    def __init__(self, ctl: Controller, snapshot: ClaimSnapshot):
        super().__init__(ctl, snapshot.claim)
        self.setText("Delete claim")
        self.snapshot = snapshot

    def do(self) -> None:
        self.snapshot = claims.delete_claim(self.ctl.db, claim_id=self.rec.id)

    def revert(self) -> None:
        assert self.snapshot is not None
        self.rec = claims.restore_claim(self.ctl.db, snapshot=self.snapshot)


class UpdateClaim(_Command):
    kinds = frozenset({"claims", "entities", "highlights"})

    def __init__(self, ctl: Controller, before: ClaimRecord, after: ClaimRecord, text: str):
        super().__init__(ctl, text)
        self.before, self.after = before, after

    def _apply(self, data: ClaimInput) -> None:
        claims.update_claim(self.ctl.db, claim_id=self.before.id, data=data)

    def do(self) -> None:
        self._apply(claims.as_input(self.after))

    def revert(self) -> None:
        self._apply(claims.as_input(self.before))

    def highlight_ids(self) -> frozenset[str]:
        return frozenset(self.before.evidence) | frozenset(self.after.evidence)


class CreateEntity(_Command):
    kinds = frozenset({"entities", "claims"})

    def __init__(self, ctl: Controller, rec: EntityRecord, deleted: bool = False):
        super().__init__(ctl, "Delete entity" if deleted else "New entity")
        self.rec = rec
        self.deleted = deleted

    def _create(self) -> None:
        self.rec = entities.restore_entity(self.ctl.db, entity=self.rec)

    def _delete(self) -> None:
        self.rec = entities.delete_entity(self.ctl.db, entity_id=self.rec.id)

    def do(self) -> None:
        self._delete() if self.deleted else self._create()

    def revert(self) -> None:
        self._create() if self.deleted else self._delete()


class UpdateEntity(_Command):
    kinds = frozenset({"entities", "claims", "documents"})

    def __init__(self, ctl: Controller, before: EntityRecord, after: EntityRecord):
        super().__init__(ctl, "Edit entity")
        self.before, self.after = before, after

    def _apply(self, r: EntityRecord) -> None:
        entities.update_entity(self.ctl.db, entity_id=r.id, name=r.name, kind=r.kind,
                               description=r.description, reliability=r.reliability)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)


class AliasCommand(_Command):
    """An alias added to (or, with ``removed``, taken from) an entity, under the same id."""

    kinds = frozenset({"entities"})

    def __init__(self, ctl: Controller, rec: AliasRecord, removed: bool = False):
        super().__init__(ctl, "Remove alias" if removed else "Add alias")
        self.rec, self.removed = rec, removed

    def _add(self) -> None:
        r = self.rec
        entities.add_alias(self.ctl.db, entity_id=r.entity_id, name=r.name,
                           document_id=r.document_id, id=r.id)

    def _remove(self) -> None:
        entities.remove_alias(self.ctl.db, alias_id=self.rec.id)

    def do(self) -> None:
        self._remove() if self.removed else self._add()

    def revert(self) -> None:
        self._add() if self.removed else self._remove()


class CreateTag(_Command):
    kinds = frozenset({"tags", "highlights"})

    def __init__(self, ctl: Controller, rec: TagRecord):
        super().__init__(ctl, "New tag")
        self.rec = rec

    def do(self) -> None:
        r = self.rec
        tags.create_tag(self.ctl.db, case_id=r.case_id, name=r.name, parent_id=r.parent_id,
                        color=r.color, description=r.description, id=r.id)

    def revert(self) -> None:
        tags.delete_tag(self.ctl.db, tag_id=self.rec.id)


class UpdateTag(_Command):
    kinds = frozenset({"tags", "highlights"})

    def __init__(self, ctl: Controller, before: TagRecord, after: TagRecord):
        super().__init__(ctl, "Edit tag")
        self.before, self.after = before, after

    def _apply(self, r: TagRecord) -> None:
        tags.update_tag(self.ctl.db, tag_id=r.id, name=r.name, color=r.color,
                        description=r.description)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)


class Macro(_Command):
    """Several steps as one undo step. The steps are commands used as plain objects (never
    pushed, no Qt parent): the macro calls their ``do``/``revert`` itself, in order and in
    reverse order, and keeps the Python references that keep them alive."""

    def __init__(self, ctl: Controller, text: str):
        super().__init__(ctl, text)
        self.steps: list[_Command] = []
        self.kinds = frozenset()

    def adopt(self, step: _Command) -> _Command:
        self.steps.append(step)
        self.kinds = self.kinds | step.kinds
        return step

    def do(self) -> None:
        for step in self.steps:
            step.do()

    def revert(self) -> None:
        for step in reversed(self.steps):
            step.revert()

    def highlight_ids(self) -> frozenset[str]:
        return frozenset().union(*(step.highlight_ids() for step in self.steps))


class UpdateDocument(_Command):
    """A document's details (title, author, outlet, date, URL, what is still a guess)."""

    kinds = frozenset({"documents", "entities"})

    def __init__(self, ctl: Controller, before: DocumentRecord, after: DocumentRecord):
        super().__init__(ctl, "Edit document details")
        self.before, self.after = before, after

    def _apply(self, r: DocumentRecord) -> None:
        documents.update_document(self.ctl.db, document_id=r.id, title=r.title,
                                  author=r.author, outlet=r.outlet, url=r.url,
                                  published=r.published, guessed=r.guessed)

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)
