"""Undo commands shared by the rooms: entities merged (from the duplicates tab or the codebook),
conflicts resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casefile.services import identity, resolutions
from ui.base.commands import Command

if TYPE_CHECKING:
    from ui.base.controller import Controller


class MergeEntities(Command):
    """Merge ``other`` into ``keep``; undo restores ``other`` under its id with its claims."""

    def __init__(self, ctl: Controller, keep_id: str, other_id: str, label: str = ""):
        super().__init__(ctl, label or "Merge entities")
        self.keep_id, self.other_id = keep_id, other_id
        self.snapshot: identity.MergeSnapshot | None = None

    def do(self) -> None:
        self.snapshot = identity.merge_entities(self.ctl.db, keep_id=self.keep_id,
                                                other_id=self.other_id)

    def revert(self) -> None:
        assert self.snapshot is not None
        identity.unmerge_entities(self.ctl.db, snapshot=self.snapshot)
        self.snapshot = None


class ResolveConflict(Command):
    """Mark a conflict set resolved; undo removes the verdict (or restores the earlier one)."""

    def __init__(self, ctl: Controller, subject_id: str, kind: str, claim_ids: tuple[str, ...],
                 accepted_claim_id: str | None, reason: str = ""):
        super().__init__(ctl, "Resolve conflict")
        self.subject_id, self.kind = subject_id, kind
        self.claim_ids, self.accepted, self.reason = claim_ids, accepted_claim_id, reason
        self.previous: resolutions.ResolutionRecord | None = None

    def do(self) -> None:
        _new, self.previous = resolutions.resolve_conflict(
            self.ctl.db, subject_id=self.subject_id, kind=self.kind, claim_ids=self.claim_ids,
            accepted_claim_id=self.accepted, reason=self.reason)

    def revert(self) -> None:
        resolutions.unresolve_conflict(self.ctl.db, subject_id=self.subject_id, kind=self.kind,
                                       claim_ids=self.claim_ids, restore=self.previous)
