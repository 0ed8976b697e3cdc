"""REFI-QDA project import: a .qdpx from Casefile, QualCoder or another tool as a new case.

The archive is checked and read into a plan first (``qdpx_read``, ``qdpx_map``); the plan becomes
case records that pass the same checks as a bundle's case.json and are written by the bundle's
merge in one transaction, so a refused project or a failure changes nothing. What could not be
mapped is listed in the result, never dropped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casefile import dates
from casefile.anchoring import context
from casefile.db.database import Database
from casefile.db.engine import name_key
from casefile.db.models import new_id, utcnow
from casefile.errors import ValidationError, stop_if_cancelled
from casefile.exchange import validate
from casefile.exchange.bundle import FORMAT_VERSION, MAX_RECORDS, Bundle
from casefile.exchange.casedata import CASE_FORMAT, TYPES, stamp_text
from casefile.exchange.merge import merge_in_session
from casefile.exchange.qdpx_map import Extract, PClaim, PDocument, Plan, plan_project
from casefile.exchange.qdpx_read import open_archive
from casefile.services.tags import PALETTE
from casefile.vocab import ENTITY_KINDS

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


def _extractor(cancelled: Callable[[], bool] | None) -> Extract:
    def extract(data: bytes, name: str):
        from casefile.importers.reading import safe_extract

        return safe_extract(data, name, cancelled)

    return extract


def read_plan(path: Path | str, *, extract: Extract | None = None,
              progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> Plan:
    """Check and read a .qdpx into a plan (no database needed); ``BundleError`` if refused."""
    archive = open_archive(path)
    with archive.zf:
        return plan_project(archive, extract=extract or _extractor(cancelled),
                            progress=progress, cancelled=cancelled)


def import_qdpx(db: Database, *, path: Path | str, extract: Extract | None = None,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> QdpxImport:
    """Import the project at ``path`` as a new case. Safe on a worker thread.

    Raises ``BundleError`` (a ``QdpxError``) when the archive is refused, ``ImportCancelled``
    once ``cancelled()``; the database is then untouched."""
    plan = read_plan(path, extract=extract, progress=progress, cancelled=cancelled)
    stop_if_cancelled(cancelled)
    if progress:
        progress(0, 1, "saving")
    with db.write() as s:
        result = _write(s, plan)
        stop_if_cancelled(cancelled)  # rolls the new case back
    if progress:
        progress(1, 1, "done")
    return result


class _MemoryBundle(Bundle):
    """A bundle whose source files are bytes in memory (the originals read from the .qdpx)."""

    def __init__(self, manifest: dict[str, Any], case: dict[str, Any], blobs: dict[str, bytes]):
        super().__init__(manifest=manifest, case=case)
        self.blobs = blobs

    def source_bytes(self, sha: str) -> bytes:
        return self.blobs[sha]


def _write(s: Session, plan: Plan) -> QdpxImport:
    """The plan as case records, checked like a bundle's case.json, then written by the
    bundle's merge into a new case (bulk inserts, one transaction)."""
    records, blobs, skipped = case_records(plan)
    case_id = records["case"]["id"]
    manifest = {"case_id": case_id, "exported_at": records["case"]["created_at"],
                "members": {f"sources/{sha}": {} for sha in blobs}}
    validate.against_schema(records, "case", "the project")
    validate.check_case(records, manifest=manifest, max_records=MAX_RECORDS)
    merge_in_session(s, _MemoryBundle(manifest, records, blobs))
    return QdpxImport(case_id, records["case"]["title"], plan.origin, len(records["documents"]),
                      len(records["highlights"]), len(records["tags"]),
                      len(records["entities"]), len(records["claims"]),
                      tuple(plan.not_imported) + tuple(skipped))


class _Records:
    """Builds case.json-shaped records from a plan, with fresh ids."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.stamp = stamp_text(utcnow())
        self.ids: dict[str, str] = {}
        self.out: dict[str, Any] = {"format": CASE_FORMAT, "format_version": FORMAT_VERSION,
                                    **{rt.key: [] for rt in TYPES}}
        self.blobs: dict[str, bytes] = {}
        self.skipped: list[str] = []
        self.by_name: dict[str, str] = {}

    def new(self, key: str) -> str:
        return self.ids.setdefault(key, new_id())

    def stamped(self, **fields: Any) -> dict[str, Any]:
        return {**fields, "created_at": self.stamp, "updated_at": self.stamp}

    def entity(self, name: str, kind: str, *, key: str | None = None, description: str = "",
               reliability: str = "") -> str:
        eid = self.new(key) if key else new_id()
        self.out["entities"].append(self.stamped(
            id=eid, kind=kind if kind in ENTITY_KINDS else "other", name=name[:500],
            description=description, reliability=reliability))
        self.by_name.setdefault(name_key(name) or "", eid)
        return eid

    def named(self, name: str, kind: str) -> str | None:
        """The entity called ``name`` (by name or alias), else a new one of ``kind``."""
        name = " ".join(name.split())[:500]
        if not name:
            return None
        found = self.by_name.get(name_key(name) or "")
        return found or self.entity(name, kind)

    def build(self) -> dict[str, Any]:
        plan, out = self.plan, self.out
        out["case"] = self.stamped(id=new_id(), title=(plan.title or "Imported project")[:500],
                                   summary=plan.summary)
        for e in plan.entities:
            eid = self.entity(e.name, e.kind, key=e.key, description=e.description,
                              reliability=e.reliability)
            for alias in dict.fromkeys(e.aliases):
                out["aliases"].append({"id": new_id(), "entity_id": eid, "name": alias[:500],
                                       "document_id": None, "created_at": self.stamp})
                self.by_name.setdefault(name_key(alias) or "", eid)
        self.tags()
        for d in plan.documents:
            self.document(d)
        for c in plan.claims:
            self.claim(c)
        for source, target, relation in plan.claim_links:
            if source in self.ids and target in self.ids:
                out["claim_links"].append(self.stamped(
                    id=new_id(), source_id=self.ids[source], target_id=self.ids[target],
                    relation=relation, note=""))
        return out

    def tags(self) -> None:
        colors: dict[str | None, str] = {}
        tops = 0
        for t in self.plan.tags:  # parents come before their children
            color = t.color
            if not color:
                if t.parent is None:
                    color, tops = PALETTE[tops % len(PALETTE)], tops + 1
                else:
                    color = colors.get(t.parent, "")
            colors[t.key] = color
            self.out["tags"].append(self.stamped(
                id=self.new(t.key), parent_id=self.ids.get(t.parent) if t.parent else None,
                name=t.name, color=color, description=t.description))

    def document(self, d: PDocument) -> None:
        doc, out = d.doc, self.out
        sha = hashlib.sha256(doc.original).hexdigest()
        self.blobs[sha] = doc.original
        try:
            published = dates.normalize(doc.published) if doc.published else ""
        except ValidationError:
            published = ""
        starts = list(doc.page_starts)
        if starts and (starts[0] != 0 or starts != sorted(starts) or starts[-1] > len(doc.text)):
            starts = []
        did = self.new(d.key or new_id())
        out["documents"].append(self.stamped(
            id=did, title=doc.title.strip()[:1000], author=doc.author.strip()[:500],
            outlet_id=self.named(doc.outlet, "organization"), url=doc.url.strip()[:2000],
            published=published, imported_at=self.stamp, content_type=doc.content_type[:100],
            source_name=doc.source_name[:500], sha256=sha, text=doc.text, page_starts=starts,
            extractor=doc.extractor[:100], extractor_version=doc.extractor_version[:100],
            source=sha))
        tag_ids = {t.key: self.ids[t.key] for t in self.plan.tags}
        for h in d.highlights:
            prefix, suffix = context(doc.text, h.start, h.end)
            out["highlights"].append(self.stamped(
                id=self.new(h.key), document_id=did, start=h.start, end=h.end,
                quote=doc.text[h.start:h.end], prefix=prefix, suffix=suffix, color="",
                note="\n\n".join(h.notes), anchor="exact",
                tags=sorted({tag_ids[k] for k in h.tags if k in tag_ids})))

    def claim(self, c: PClaim) -> None:
        f = c.fields

        def role(name: str, field: str, kind: str) -> str | None:
            keys = [k for k in c.roles.get(name, ()) if k in self.ids]
            if keys:
                return self.ids[keys[0]]
            return self.named(f.get(field, "").split(" (reliability ")[0], kind)

        subject = role("subject", "Subject", "person")
        if subject is None:
            self.skipped.append(f"claim “{c.statement[:60]}” not imported: it names no subject")
            return
        statement = c.statement.strip() or " ".join(
            x for x in (f.get("Subject", ""), f.get("Kind", ""), f.get("Value", "")) if x)
        self.out["claims"].append(self.stamped(
            id=self.new(c.key), statement=statement, kind=f.get("Kind", "other").lower(),
            subject_id=subject, object_id=role("object", "Object", "person"),
            value=f.get("Value", ""), date=f.get("Event date", ""),
            place_id=role("place", "Place", "place"),
            stance=f.get("Stance", "asserts"), origin_id=role("origin", "Origin", "organization"),
            via=[self.ids[k] for k in c.roles.get("via", ()) if k in self.ids],
            credibility=int(f.get("Credibility", "6")[:1]), status=f.get("Status", "open"),
            note=c.note,
            evidence=list(dict.fromkeys(self.ids[k] for k in c.evidence if k in self.ids))))


def case_records(plan: Plan) -> tuple[dict[str, Any], dict[str, bytes], list[str]]:
    """The plan as case.json records (fresh ids), the originals by SHA-256, and what was left."""
    r = _Records(plan)
    return r.build(), r.blobs, r.skipped
