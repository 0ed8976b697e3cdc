"""Marking a conflict set resolved (which claim the analyst accepts and why), and undoing it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from casefile.db.database import Database
from casefile.db.models import Claim, ConflictResolution, Entity
from casefile.errors import ValidationError
from casefile.services.common import get_or_raise


@dataclass(frozen=True)
class ResolutionRecord:
    id: str
    case_id: str
    subject_id: str
    kind: str
    accepted_claim_id: str | None
    claim_ids: tuple[str, ...]
    reason: str


def _record(r: ConflictResolution) -> ResolutionRecord:
    return ResolutionRecord(r.id, r.case_id, r.subject_id, r.kind, r.accepted_claim_id,
                            tuple(r.claim_ids or ()), r.reason)


def get_resolution(db: Database, *, subject_id: str, kind: str) -> ResolutionRecord | None:
    with db.read() as s:
        r = s.scalar(select(ConflictResolution).where(ConflictResolution.subject_id == subject_id,
                                                      ConflictResolution.kind == kind))
        return _record(r) if r else None


def _covering(s, subject_id: str, kind: str, claim_ids: tuple[str, ...]
              ) -> list[ConflictResolution]:
    """Verdicts on (subject, kind) that concern this set: those sharing a claim with it. One
    subject can have several sets of a kind (two days' locations, two roles)."""
    rows = s.scalars(select(ConflictResolution).where(
        ConflictResolution.subject_id == subject_id, ConflictResolution.kind == kind)).all()
    if not claim_ids:
        return list(rows)
    wanted = set(claim_ids)
    return [r for r in rows if wanted & set(r.claim_ids or ())]


def accepted_claims(db: Database, *, case_id: str) -> dict[str, str]:
    """Claim id -> the analyst's reason, for every claim accepted as a conflict's verdict."""
    with db.read() as s:
        return {cid: reason or "" for cid, reason in s.execute(
            select(ConflictResolution.accepted_claim_id, ConflictResolution.reason)
            .where(ConflictResolution.case_id == case_id,
                   ConflictResolution.accepted_claim_id.is_not(None)))}


def resolve_conflict(db: Database, *, subject_id: str, kind: str, claim_ids: tuple[str, ...],
                     accepted_claim_id: str | None = None, reason: str = ""
                     ) -> tuple[ResolutionRecord, ResolutionRecord | None]:
    """Record the verdict on the set of (subject, kind) holding ``claim_ids``; replaces an
    earlier verdict on that set (not on other sets of the same subject and kind). Returns the
    new record and the one it replaced (for undo)."""
    if accepted_claim_id and accepted_claim_id not in claim_ids:
        raise ValidationError("the accepted claim must be one of the set's claims")
    with db.write() as s:
        subject = get_or_raise(s, Entity, subject_id, "entity")
        found = {c for c in s.scalars(select(Claim.id).where(Claim.id.in_(claim_ids)))}
        missing = set(claim_ids) - found
        if missing:
            raise ValidationError(f"no claim with id {sorted(missing)[0]!r}")
        olds = _covering(s, subject_id, kind, claim_ids)
        previous = _record(olds[0]) if olds else None
        for old in olds:
            s.delete(old)
        s.flush()
        r = ConflictResolution(case_id=subject.case_id, subject_id=subject_id, kind=kind,
                               accepted_claim_id=accepted_claim_id, claim_ids=list(claim_ids),
                               reason=reason or "")
        s.add(r)
        s.flush()
        return _record(r), previous


def unresolve_conflict(db: Database, *, subject_id: str, kind: str,
                       claim_ids: tuple[str, ...] = (),
                       restore: ResolutionRecord | None = None) -> None:
    """Remove the verdict on the set holding ``claim_ids`` (every verdict on (subject, kind)
    when none are given); with ``restore``, put back an earlier one under its old id (undo of
    a re-resolution)."""
    with db.write() as s:
        for r in _covering(s, subject_id, kind, claim_ids):
            s.delete(r)
        s.flush()
        if restore is not None:
            live = set(s.scalars(select(Claim.id).where(Claim.id.in_(restore.claim_ids))))
            s.add(ConflictResolution(
                id=restore.id, case_id=restore.case_id, subject_id=restore.subject_id,
                kind=restore.kind, reason=restore.reason,
                accepted_claim_id=restore.accepted_claim_id
                if restore.accepted_claim_id in live else None,
                claim_ids=list(restore.claim_ids)))
