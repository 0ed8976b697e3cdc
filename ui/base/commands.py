"""Undo commands: every edit of the window is one, applied through ``Controller.apply``.

A command holds ids and payloads and calls services: ``first()`` makes the edit (raising a
``CasefileError`` with nothing left half-done when it is refused), ``do()`` repeats it after an
undo, ``revert()`` takes it back. ``Controller.apply`` runs ``first()`` before pushing the
command (so an error reaches the caller, not Qt), and the stack's first ``redo`` is skipped.
Whatever each step changed in the database is published through the notifier — the one path
by which views learn of edits. This module holds the base, highlights and claims;
``case_commands`` the case's documents, entities and tags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from casefile.db.changes import Changes
from casefile.errors import CasefileError
from casefile.services import claims, entities, highlights
from casefile.services.claims import ClaimInput
from casefile.services.records import (
    ClaimRecord,
    ClaimSnapshot,
    EntityRecord,
    HighlightRecord,
    HighlightSnapshot,
)

if TYPE_CHECKING:
    from ui.base.controller import Controller


class Command(QUndoCommand):
    """Base of every undoable edit (see the module docstring). Subclasses must not name an
    attribute after a QUndoCommand method (``id``, ``text``…): Qt would call it."""

    def __init__(self, ctl: Controller, text: str):
        super().__init__(text)
        self.ctl = ctl
        self._skip_redo = True
        self.touched = Changes()  # every record its steps changed so far

    def record_ids(self) -> set[str]:
        """Ids of every record this step changed (and of their owners)."""
        t = self.touched
        out: set[str] = set()
        for m in (t.created, t.updated, t.deleted, t.parents):
            for ids in m.values():
                out |= ids
        return out

    def first(self) -> None:
        """Make the edit for the first time (default: as a redo would)."""
        self.do()

    def known(self) -> dict[str, list[Any]]:
        """Records, by kind, exactly as ``first()`` left them, when the command holds them:
        published with its changes so views need not read them again."""
        return {}

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_redo:  # QUndoStack.push calls redo; first() has done the work
            self._skip_redo = False
            return
        self._step(self.do, "Redone")

    def undo(self) -> None:
        self._step(self.revert, "Undone")

    def _step(self, action, done: str) -> None:
        """Run an undo/redo step and publish what it changed. If it fails (another program
        kept the case busy, or changed it so the step no longer applies), the stack has
        already moved past it: the history no longer matches the case, so it is cleared —
        right after this call, as Qt requires."""
        ctl = self.ctl
        changes = Changes()
        try:
            with ctl.db.capture() as cap:
                try:
                    action()
                finally:
                    changes = cap.changes
        except CasefileError as exc:
            QTimer.singleShot(0, ctl.undo_stack.clear)
            ctl.status.emit(f"“{self.text()}” could not be repeated: {exc}. The undo "
                            "history was cleared.")
        except Exception:
            QTimer.singleShot(0, ctl.undo_stack.clear)
            raise
        else:
            ctl.status.emit(f"{done}: {self.text()}")
        finally:
            self.touched = self.touched | changes
            ctl.notifier.publish(changes)


class Macro(Command):
    """Several commands as one undo step: ``first``/``do`` run them in order, ``revert`` in
    reverse. A step that fails in ``first`` takes back the steps made before it."""

    def __init__(self, ctl: Controller, text: str, steps: list[Command] | None = None):
        super().__init__(ctl, text)
        self.steps: list[Command] = list(steps or [])

    def adopt(self, step: Command) -> Command:
        self.steps.append(step)
        return step

    def first(self) -> None:
        done: list[Command] = []
        try:
            for step in self.steps:
                step.first()
                done.append(step)
        except Exception:
            for step in reversed(done):
                step.revert()
            raise

    def do(self) -> None:
        for step in self.steps:
            step.do()

    def revert(self) -> None:
        for step in reversed(self.steps):
            step.revert()


# -- highlights ---------------------------------------------------------------------------
class HighlightPassage(Command):
    """Highlight a passage; one that is highlighted already keeps its one highlight (the note
    and tags are added to it, and undo takes just those back)."""

    def __init__(self, ctl: Controller, document_id: str, start: int, end: int, *,
                 note: str = "", tag_paths: tuple[str, ...] = (), id: str | None = None):
        super().__init__(ctl, "Highlight passage")
        self.args = dict(document_id=document_id, start=start, end=end, note=note,
                         tag_paths=tag_paths, id=id)
        self.rec: HighlightRecord | None = None
        self.before: HighlightRecord | None = None  # the existing highlight, if there was one
        self.snapshot: HighlightSnapshot | None = None

    @property
    def created(self) -> bool:
        return self.rec is not None and self.before is None

    def first(self) -> None:
        self.rec, self.before = highlights.highlight_passage(self.ctl.db, **self.args)
        if self.before is not None:
            self.setText("Tag passage" if self.args["tag_paths"] else "Edit note")

    def known(self) -> dict[str, list[Any]]:
        return {"highlights": [self.rec]} if self.rec is not None else {}

    def do(self) -> None:
        if self.created:
            assert self.snapshot is not None
            self.rec = highlights.restore_highlight(self.ctl.db, snapshot=self.snapshot)
        else:
            _put_highlight(self.ctl, self.rec)

    def revert(self) -> None:
        assert self.rec is not None
        if self.created:
            self.snapshot = highlights.delete_highlight(self.ctl.db, highlight_id=self.rec.id)
        else:
            _put_highlight(self.ctl, self.before)


def _put_highlight(ctl: Controller, r: HighlightRecord | None) -> None:
    assert r is not None
    highlights.update_highlight(ctl.db, highlight_id=r.id, note=r.note, color=r.color,
                                tag_ids=r.tag_ids)


class UpdateHighlight(Command):
    """A highlight's note, or tags added by path."""

    def __init__(self, ctl: Controller, highlight_id: str, *, note: str | None = None,
                 add_tag_paths: tuple[str, ...] = (), tag_ids: tuple[str, ...] | None = None):
        super().__init__(ctl, "Edit note" if note is not None else "Tag passage")
        self.highlight_id = highlight_id
        self.args = dict(note=note, add_tag_paths=add_tag_paths, tag_ids=tag_ids)
        self.before: HighlightRecord | None = None
        self.after: HighlightRecord | None = None

    def first(self) -> None:
        self.before = highlights.get_highlight(self.ctl.db, highlight_id=self.highlight_id)
        self.after = highlights.update_highlight(self.ctl.db, highlight_id=self.highlight_id,
                                                 **self.args)

    def do(self) -> None:
        _put_highlight(self.ctl, self.after)

    def revert(self) -> None:
        _put_highlight(self.ctl, self.before)


class Delete(Command):
    """A record deleted by ``delete()``, which returns what ``restore(snapshot)`` needs to bring
    it back under its id (with what it took along: evidence, links, ratings)."""

    def __init__(self, ctl: Controller, text: str, delete: Callable[[], Any],
                 restore: Callable[[Any], Any]):
        super().__init__(ctl, text)
        self._delete, self._restore = delete, restore
        self.snapshot: Any = None

    def do(self) -> None:
        self.snapshot = self._delete()

    def revert(self) -> None:
        self._restore(self.snapshot)


def delete_highlight(ctl: Controller, highlight_id: str) -> Delete:
    db = ctl.db
    return Delete(ctl, "Delete highlight",
                  lambda: highlights.delete_highlight(db, highlight_id=highlight_id),
                  lambda snap: highlights.restore_highlight(db, snapshot=snap))


# -- claims -------------------------------------------------------------------------------
class _ClaimEdit(Command):
    """A claim edit that may first highlight a passage (the claim's new evidence, unless the
    passage is highlighted already) and may create entities by name: undo removes both with
    the edit, redo brings them back under their ids."""

    def __init__(self, ctl: Controller, text: str, passage: tuple[str, int, int] | None):
        super().__init__(ctl, text)
        self.passage = passage
        self.highlight: HighlightPassage | None = None
        self.new_entities: list[EntityRecord] = []

    def _highlight_passage(self) -> str | None:
        if self.passage is None:
            return None
        self.highlight = HighlightPassage(self.ctl, *self.passage)
        self.highlight.first()
        assert self.highlight.rec is not None
        return self.highlight.rec.id

    def _first(self, action: Callable[[], None]) -> None:
        """Run the claim's own first write, noting the entities it creates; if it fails, the
        highlight made for it goes too (nothing half-done)."""
        try:
            with self.ctl.db.capture() as cap:
                action()
        except Exception:
            self._drop_highlight()
            raise
        self.ctl.db.changes.committed(cap.changes)  # on to the enclosing capture
        self.new_entities = [entities.get_entity(self.ctl.db, entity_id=i)
                             for i in sorted(cap.changes.created.get("entities", ()))]

    def _drop_highlight(self) -> None:
        if self.highlight is not None and self.highlight.created:
            self.highlight.revert()

    def _restore_extras(self) -> None:
        if self.highlight is not None and self.highlight.created:
            self.highlight.do()
        for e in self.new_entities:
            entities.restore_entity(self.ctl.db, entity=e)

    def _drop_extras(self) -> None:
        for e in self.new_entities:
            entities.delete_entity(self.ctl.db, entity_id=e.id)
        self._drop_highlight()


class CreateClaim(_ClaimEdit):
    """A new claim; with ``passage`` (document id, start, end) its evidence is that passage's
    highlight. One undo step."""

    def __init__(self, ctl: Controller, data: ClaimInput, *,
                 passage: tuple[str, int, int] | None = None, id: str | None = None):
        super().__init__(ctl, "New claim", passage)
        self.data, self.new_id = data, id
        self.rec: ClaimRecord | None = None
        self.snapshot: ClaimSnapshot | None = None

    def first(self) -> None:
        if self.passage is None:
            self._first(lambda: setattr(self, "rec", claims.create_claim(
                self.ctl.db, case_id=self.ctl.case_id, data=self.data, id=self.new_id)))
            return

        def both() -> None:  # the passage's highlight and the claim in one transaction
            self.rec, hl, before = claims.create_claim_on_passage(
                self.ctl.db, case_id=self.ctl.case_id, data=self.data, passage=self.passage,
                id=self.new_id)
            self.highlight = HighlightPassage(self.ctl, *self.passage)
            self.highlight.rec, self.highlight.before = hl, before
        self._first(both)

    def known(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"claims": [self.rec]} if self.rec is not None else {}
        if self.highlight is not None and self.highlight.rec is not None:
            out["highlights"] = [self.highlight.rec]
        return out

    def do(self) -> None:
        self._restore_extras()
        assert self.snapshot is not None
        self.rec = claims.restore_claim(self.ctl.db, snapshot=self.snapshot)

    def revert(self) -> None:
        assert self.rec is not None
        self.snapshot = claims.delete_claim(self.ctl.db, claim_id=self.rec.id)
        self._drop_extras()


def delete_claim(ctl: Controller, claim_id: str) -> Delete:
    db = ctl.db
    return Delete(ctl, "Delete claim", lambda: claims.delete_claim(db, claim_id=claim_id),
                  lambda snap: claims.restore_claim(db, snapshot=snap))


class UpdateClaim(_ClaimEdit):
    """A claim's fields (and evidence) as the editor states them, before and after."""

    def __init__(self, ctl: Controller, claim_id: str, data: ClaimInput | None,
                 text: str = "Edit claim", passage: tuple[str, int, int] | None = None):
        super().__init__(ctl, text, passage)
        self.claim_id, self.data = claim_id, data
        self.before: ClaimRecord | None = None
        self.after: ClaimRecord | None = None

    def first(self) -> None:
        self.before = claims.get_claim(self.ctl.db, claim_id=self.claim_id)
        assert self.data is not None
        self._first(lambda: setattr(self, "after", claims.update_claim(
            self.ctl.db, claim_id=self.claim_id, data=self.data)))

    def _apply(self, rec: ClaimRecord | None) -> None:
        assert rec is not None
        claims.update_claim(self.ctl.db, claim_id=self.claim_id, data=claims.as_input(rec))

    def do(self) -> None:
        self._restore_extras()
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)
        self._drop_extras()


class AddEvidence(UpdateClaim):
    """A passage (highlighted for it if need be) or a highlight added to a claim's evidence."""

    def __init__(self, ctl: Controller, claim_id: str, *,
                 passage: tuple[str, int, int] | None = None, highlight_id: str | None = None):
        super().__init__(ctl, claim_id, None, "Add evidence", passage)
        self.highlight_id = highlight_id

    def first(self) -> None:
        hid = self._highlight_passage() or self.highlight_id
        assert hid is not None
        self.before = claims.get_claim(self.ctl.db, claim_id=self.claim_id)
        self._first(lambda: setattr(self, "after", claims.add_evidence(
            self.ctl.db, claim_id=self.claim_id, highlight_id=hid)))
