"""Undo commands for analysis actions; they hold ids and payloads and call services."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from casefile.db.database import Database
from casefile.services import identity, resolutions


class MergeEntitiesCommand(QUndoCommand):
    """Merge ``other`` into ``keep``; undo restores ``other`` under its id with its claims."""

    def __init__(self, db: Database, keep_id: str, other_id: str, label: str = ""):
        super().__init__(label or "Merge entities")
        self.db, self.keep_id, self.other_id = db, keep_id, other_id
        self.snapshot: identity.MergeSnapshot | None = None

    def redo(self) -> None:
        self.snapshot = identity.merge_entities(self.db, keep_id=self.keep_id,
                                                other_id=self.other_id)

    def undo(self) -> None:
        if self.snapshot is not None:
            identity.unmerge_entities(self.db, snapshot=self.snapshot)
            self.snapshot = None


class ResolveConflictCommand(QUndoCommand):
    """Mark a conflict set resolved; undo removes the verdict (or restores the earlier one)."""

    def __init__(self, db: Database, subject_id: str, kind: str, claim_ids: tuple[str, ...],
                 accepted_claim_id: str | None, reason: str = ""):
        super().__init__("Resolve conflict")
        self.db, self.subject_id, self.kind = db, subject_id, kind
        self.claim_ids, self.accepted, self.reason = claim_ids, accepted_claim_id, reason
        self.previous: resolutions.ResolutionRecord | None = None

    def redo(self) -> None:
        _new, self.previous = resolutions.resolve_conflict(
            self.db, subject_id=self.subject_id, kind=self.kind, claim_ids=self.claim_ids,
            accepted_claim_id=self.accepted, reason=self.reason)

    def undo(self) -> None:
        resolutions.unresolve_conflict(self.db, subject_id=self.subject_id, kind=self.kind,
                                       claim_ids=self.claim_ids,
                                       restore=self.previous)
