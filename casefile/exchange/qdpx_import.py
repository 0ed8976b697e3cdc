"""REFI-QDA project import: a .qdpx from Casefile, QualCoder or another tool as a new case.

The archive is checked and read into a plan first (``qdpx_read``, ``qdpx_map``); the plan is
written in one transaction through the services, so a refused project or a failure changes
nothing. What could not be mapped is listed in the result, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import Case, ClaimLink
from casefile.errors import CasefileError
from casefile.exchange.qdpx_map import Extract, Plan, plan_project
from casefile.exchange.qdpx_read import open_archive
from casefile.services.claims import ClaimInput, create_claim_in_session
from casefile.services.documents import add_document_in_session
from casefile.services.entities import create_entity_in_session
from casefile.services.highlights import create_highlight_in_session
from casefile.services.tags import create_tag_in_session

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class QdpxImport:
    """What an import created, and one line for each part it could not map."""

    case_id: str
    title: str
    origin: str
    documents: int
    highlights: int
    tags: int
    entities: int
    claims: int
    not_imported: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case_id, "title": self.title, "origin": self.origin,
                "documents": self.documents, "highlights": self.highlights, "tags": self.tags,
                "entities": self.entities, "claims": self.claims,
                "not_imported": list(self.not_imported)}


def _default_extract(data: bytes, name: str):
    from casefile.importers import _safe_extract

    return _safe_extract(data, name, None)


def read_plan(path: Path | str, *, extract: Extract | None = None,
              progress: Progress | None = None) -> Plan:
    """Check and read a .qdpx into a plan (no database needed); ``BundleError`` if refused."""
    archive = open_archive(path)
    with archive.zf:
        return plan_project(archive, extract=extract or _default_extract, progress=progress)


def import_qdpx(db: Database, *, path: Path | str, extract: Extract | None = None,
                progress: Progress | None = None) -> QdpxImport:
    """Import the project at ``path`` as a new case. Safe on a worker thread.

    Raises ``BundleError`` (a ``QdpxError``) when the archive is refused; the database is then
    untouched."""
    plan = read_plan(path, extract=extract, progress=progress)
    if progress:
        progress(0, 1, "saving")
    with db.write() as s:
        result = _write(s, plan)
    if progress:
        progress(1, 1, "done")
    return result


def _write(s: Session, plan: Plan) -> QdpxImport:
    skipped = list(plan.not_imported)
    case = Case(title=(plan.title or "Imported project")[:500], summary=plan.summary)
    s.add(case)
    s.flush()
    tag_ids: dict[str, str] = {}
    for t in plan.tags:
        tag_ids[t.key] = create_tag_in_session(
            s, case_id=case.id, name=t.name, parent_id=tag_ids.get(t.parent) if t.parent
            else None, color=t.color, description=t.description).id
    entity_ids: dict[str, str] = {}
    for e in plan.entities:
        entity_ids[e.key] = create_entity_in_session(
            s, case_id=case.id, name=e.name, kind=e.kind, description=e.description,
            reliability=e.reliability, aliases=tuple(e.aliases)).id
    hl_ids: dict[str, str] = {}
    highlights = 0
    for d in plan.documents:
        doc_id = add_document_in_session(s, case_id=case.id, doc=d.doc).id
        for h in d.highlights:
            hl_ids[h.key] = create_highlight_in_session(
                s, document_id=doc_id, start=h.start, end=h.end, note="\n\n".join(h.notes),
                tag_ids=tuple(dict.fromkeys(tag_ids[t] for t in h.tags))).id
            highlights += 1
    claim_ids: dict[str, str] = {}
    for c in plan.claims:
        try:
            with s.begin_nested():
                claim_ids[c.key] = create_claim_in_session(s, case_id=case.id,
                                                           data=_claim_input(c, entity_ids,
                                                                             hl_ids)).id
        except CasefileError as exc:
            skipped.append(f"claim “{c.statement[:60]}” not imported: {exc}")
    for source, target, relation in plan.claim_links:
        if source in claim_ids and target in claim_ids:
            s.add(ClaimLink(case_id=case.id, source_id=claim_ids[source],
                            target_id=claim_ids[target], relation=relation))
    s.flush()
    return QdpxImport(case.id, case.title, plan.origin, len(plan.documents), highlights,
                      len(plan.tags), len(plan.entities), len(claim_ids), tuple(skipped))


def _claim_input(c, entity_ids: dict[str, str], hl_ids: dict[str, str]) -> ClaimInput:
    f = c.fields

    def one(role: str, field: str) -> str:
        ids = [entity_ids[k] for k in c.roles.get(role, ()) if k in entity_ids]
        return ids[0] if ids else f.get(field, "").split(" (reliability ")[0]

    credibility = f.get("Credibility", "6")[:1]
    return ClaimInput(
        subject=one("subject", "Subject"), kind=f.get("Kind", "other"), statement=c.statement,
        object=one("object", "Object"), value=f.get("Value", ""), date=f.get("Event date", ""),
        place=one("place", "Place"), origin=one("origin", "Origin"),
        via=tuple(entity_ids[k] for k in c.roles.get("via", ()) if k in entity_ids),
        stance=f.get("Stance", "asserts"), credibility=int(credibility),
        status=f.get("Status", "open"), note=c.note,
        evidence=tuple(hl_ids[k] for k in c.evidence if k in hl_ids))
