"""Undo commands for the ACH matrix: hypotheses added, edited, moved, deleted; cells rated;
passages put in or taken out. Each holds ids and payloads and calls the hypotheses services."""

from __future__ import annotations

from casefile.services import hypotheses
from casefile.services.hypotheses import (
    Hypothesis,
    HypothesisSnapshot,
    PassageRecord,
    PassageSnapshot,
    RatingRecord,
)
from ui.commands import _Command

KINDS = frozenset({"hypotheses"})


class AddHypothesis(_Command):
    """Done (by the caller) before it is pushed; undo deletes it, redo restores it."""

    kinds = KINDS

    def __init__(self, ctl, rec: Hypothesis, deleted: bool = False):
        super().__init__(ctl, "Delete hypothesis" if deleted else "Add hypothesis")
        self.rec, self.deleted = rec, deleted
        self.snapshot: HypothesisSnapshot | None = None

    def _delete(self) -> None:
        self.snapshot = hypotheses.delete_hypothesis(self.ctl.db, hypothesis_id=self.rec.id)

    def _restore(self) -> None:
        assert self.snapshot is not None
        self.rec = hypotheses.restore_hypothesis(self.ctl.db, snapshot=self.snapshot)

    def do(self) -> None:
        self._delete() if self.deleted else self._restore()

    def revert(self) -> None:
        self._restore() if self.deleted else self._delete()


class DeleteHypothesis(AddHypothesis):
    def __init__(self, ctl, snapshot: HypothesisSnapshot):
        super().__init__(ctl, snapshot.hypothesis, deleted=True)
        self.snapshot = snapshot


class EditHypothesis(_Command):
    kinds = KINDS

    def __init__(self, ctl, before: Hypothesis, after: Hypothesis):
        super().__init__(ctl, "Edit hypothesis")
        self.before, self.after = before, after

    def _apply(self, h: Hypothesis) -> None:
        hypotheses.update_hypothesis(self.ctl.db, hypothesis_id=h.id,
                                     data=hypotheses.as_input(h))

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)


class ReorderHypotheses(_Command):
    kinds = KINDS

    def __init__(self, ctl, case_id: str, before: list[str], after: list[str]):
        super().__init__(ctl, "Move hypothesis")
        self.case_id, self.before, self.after = case_id, before, after

    def do(self) -> None:
        hypotheses.reorder_hypotheses(self.ctl.db, case_id=self.case_id, order=self.after)

    def revert(self) -> None:
        hypotheses.reorder_hypotheses(self.ctl.db, case_id=self.case_id, order=self.before)


class RateCells(_Command):
    """One or more cells set (a rating, an accepted suggestion, a cleared cell)."""

    kinds = KINDS

    def __init__(self, ctl, after: list[RatingRecord], before: list[RatingRecord], text: str):
        super().__init__(ctl, text)
        self.after, self.before = after, before

    def do(self) -> None:
        hypotheses.set_ratings(self.ctl.db, ratings=self.after, missing_ok=True)

    def revert(self) -> None:
        hypotheses.set_ratings(self.ctl.db, ratings=self.before, missing_ok=True)


class AddPassage(_Command):
    kinds = KINDS

    def __init__(self, ctl, rec: PassageRecord, removed: PassageSnapshot | None = None):
        super().__init__(ctl, "Remove passage from the matrix" if removed
                         else "Add passage to the matrix")
        self.rec = rec
        self.snapshot = removed
        self.removed = removed is not None

    def _remove(self) -> None:
        self.snapshot = hypotheses.remove_passage(self.ctl.db, highlight_id=self.rec.highlight_id)

    def _restore(self) -> None:
        assert self.snapshot is not None
        self.rec = hypotheses.restore_passage(self.ctl.db, snapshot=self.snapshot)

    def do(self) -> None:
        self._remove() if self.removed else self._restore()

    def revert(self) -> None:
        self._restore() if self.removed else self._remove()
