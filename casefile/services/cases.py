"""Cases: create, list, rename, delete, and pick the case a command means."""

from __future__ import annotations

from casefile.db.database import Database
from casefile.db.models import Case
from casefile.errors import NotFound, ValidationError
from casefile.services.common import get_or_raise, require_text
from casefile.services.records import CaseRecord

DEFAULT_TITLE = "Untitled case"


def _record(case: Case, documents: int = 0, claims: int = 0) -> CaseRecord:
    return CaseRecord(case.id, case.title, case.summary, case.created_at, case.updated_at,
                      documents, claims)


def create_case(db: Database, *, title: str, summary: str = "", id: str | None = None
                ) -> CaseRecord:
    title = require_text(title, "a case title", limit=500)
    with db.write() as s:
        case = Case(title=title, summary=summary or "")
        if id:
            case.id = id
        s.add(case)
        s.flush()
        return _record(case)


def list_cases(db: Database) -> list[CaseRecord]:
    """All cases, most recently changed first, with document and claim counts."""
    from casefile.services import quick

    with db.read() as s:
        return quick.list_cases(s.connection().connection.driver_connection)


def get_case(db: Database, *, case_id: str) -> CaseRecord:
    with db.read() as s:
        return _record(get_or_raise(s, Case, case_id, "case"))


def update_case(db: Database, *, case_id: str, title: str | None = None,
                summary: str | None = None) -> CaseRecord:
    with db.write() as s:
        case = get_or_raise(s, Case, case_id, "case")
        if title is not None:
            case.title = require_text(title, "a case title", limit=500)
        if summary is not None:
            case.summary = summary
        s.flush()
        return _record(case)


def delete_case(db: Database, *, case_id: str) -> None:
    """Delete a case and everything in it."""
    with db.write() as s:
        s.delete(get_or_raise(s, Case, case_id, "case"))


def resolve_case(db: Database, case_id: str | None = None, *, create: bool = True) -> CaseRecord:
    """The case a command means: the one named; else the only one; else a new one if there are
    none (when ``create``); with several, a ``ValidationError`` listing them."""
    if case_id:
        cases = list_cases(db)
        matches = [c for c in cases if c.id == case_id or c.id.startswith(case_id)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFound(f"no case with id {case_id!r}")
        raise ValidationError(f"case id {case_id!r} is ambiguous")
    cases = list_cases(db)
    if len(cases) == 1:
        return cases[0]
    if not cases:
        if not create:
            raise NotFound("there is no case yet")
        return create_case(db, title=DEFAULT_TITLE)
    listing = "\n".join(f"  {c.id}  {c.title}" for c in cases)
    raise ValidationError(f"there are {len(cases)} cases; choose one with --case:\n{listing}")
