"""Undo commands for the ACH matrix: hypotheses added, edited, moved, deleted; cells rated;
passages put in or taken out. Each holds ids and payloads and calls the hypotheses services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casefile.services import hypotheses
from casefile.services.hypotheses import (
    Hypothesis,
    HypothesisInput,
    HypothesisSnapshot,
    PassageRecord,
    PassageSnapshot,
    RatingRecord,
)
from ui.base.commands import Command, Delete

if TYPE_CHECKING:
    from ui.base.controller import Controller

# what the matrix shows (record kinds of casefile.db.changes)
KINDS = frozenset({"hypotheses", "ratings", "ach_passages"})


class AddHypothesis(Command):
    """A new hypothesis; undo deletes it (with its ratings), redo restores it under its id."""

    def __init__(self, ctl: Controller, case_id: str, data: HypothesisInput):
        super().__init__(ctl, "Add hypothesis")
        self.case_id, self.data = case_id, data
        self.rec: Hypothesis | None = None
        self.snapshot: HypothesisSnapshot | None = None

    def first(self) -> None:
        self.rec = hypotheses.add_hypothesis(self.ctl.db, case_id=self.case_id, data=self.data)

    def do(self) -> None:
        assert self.snapshot is not None
        self.rec = hypotheses.restore_hypothesis(self.ctl.db, snapshot=self.snapshot)

    def revert(self) -> None:
        assert self.rec is not None
        self.snapshot = hypotheses.delete_hypothesis(self.ctl.db, hypothesis_id=self.rec.id)


def delete_hypothesis(ctl: Controller, hypothesis_id: str) -> Delete:
    db = ctl.db
    return Delete(ctl, "Delete hypothesis",
                  lambda: hypotheses.delete_hypothesis(db, hypothesis_id=hypothesis_id),
                  lambda snap: hypotheses.restore_hypothesis(db, snapshot=snap))


class EditHypothesis(Command):
    def __init__(self, ctl: Controller, before: Hypothesis, data: HypothesisInput):
        super().__init__(ctl, "Edit hypothesis")
        self.before, self.data = before, data
        self.after: Hypothesis | None = None

    def first(self) -> None:
        self.after = hypotheses.update_hypothesis(self.ctl.db, hypothesis_id=self.before.id,
                                                  data=self.data)

    def _apply(self, h: Hypothesis | None) -> None:
        assert h is not None
        hypotheses.update_hypothesis(self.ctl.db, hypothesis_id=h.id,
                                     data=hypotheses.as_input(h))

    def do(self) -> None:
        self._apply(self.after)

    def revert(self) -> None:
        self._apply(self.before)


class ReorderHypotheses(Command):
    def __init__(self, ctl: Controller, case_id: str, after: list[str]):
        super().__init__(ctl, "Move hypothesis")
        self.case_id, self.after = case_id, after
        self.before: list[str] = []

    def first(self) -> None:
        self.before = hypotheses.reorder_hypotheses(self.ctl.db, case_id=self.case_id,
                                                    order=self.after)

    def do(self) -> None:
        hypotheses.reorder_hypotheses(self.ctl.db, case_id=self.case_id, order=self.after)

    def revert(self) -> None:
        hypotheses.reorder_hypotheses(self.ctl.db, case_id=self.case_id, order=self.before)


class RateCells(Command):
    """One or more cells set (a rating, an accepted suggestion, a cleared cell)."""

    def __init__(self, ctl: Controller, after: list[RatingRecord], text: str):
        super().__init__(ctl, text)
        self.after = after
        self.before: list[RatingRecord] = []

    def first(self) -> None:
        self.before = hypotheses.set_ratings(self.ctl.db, ratings=self.after)

    def do(self) -> None:
        hypotheses.set_ratings(self.ctl.db, ratings=self.after, missing_ok=True)

    def revert(self) -> None:
        hypotheses.set_ratings(self.ctl.db, ratings=self.before, missing_ok=True)


class AddPassage(Command):
    """A highlight put into the matrix as evidence of its own."""

    def __init__(self, ctl: Controller, highlight_id: str):
        super().__init__(ctl, "Add passage to the matrix")
        self.highlight_id = highlight_id
        self.rec: PassageRecord | None = None
        self.snapshot: PassageSnapshot | None = None

    def first(self) -> None:
        self.rec = hypotheses.add_passage(self.ctl.db, highlight_id=self.highlight_id)

    def do(self) -> None:
        assert self.snapshot is not None
        self.rec = hypotheses.restore_passage(self.ctl.db, snapshot=self.snapshot)

    def revert(self) -> None:
        self.snapshot = hypotheses.remove_passage(self.ctl.db, highlight_id=self.highlight_id)
