"""Reading without the ORM: commands that only look (``case list``, ``docs``, ``text``) read a
database that is
already at head with sqlite3 alone, and start in a fraction of the time. Anything unusual (no
file yet, an older schema, a file that will not open) returns None: the caller then opens the
database the full way, which creates, migrates, backs up or reports as needed."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from casefile.services.records import CaseRecord, DocumentRecord

_CASES = """
SELECT c.id, c.title, c.summary, c.created_at, c.updated_at,
       (SELECT count(*) FROM document d WHERE d.case_id = c.id),
       (SELECT count(*) FROM claim k WHERE k.case_id = c.id)
FROM "case" c ORDER BY c.updated_at DESC, c.title"""
_DOCUMENTS = """
SELECT d.id, d.case_id, d.title, d.author, d.outlet_id, coalesce(e.name, ''), d.url,
       d.published, d.imported_at, d.updated_at, d.content_type, d.source_name, d.sha256,
       length(d.text), d.page_starts, d.extractor, d.extractor_version,
       (SELECT count(*) FROM highlight h WHERE h.document_id = d.id),
       l.ocr_confidence, d.guessed
FROM document d LEFT JOIN entity e ON e.id = d.outlet_id
     LEFT JOIN document_layout l ON l.document_id = d.id
WHERE d.case_id = ? {only} ORDER BY d.published DESC, d.title"""


def _stamp(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def list_cases(conn: sqlite3.Connection) -> list[CaseRecord]:
    """All cases, most recently changed first, with document and claim counts."""
    return [CaseRecord(cid, title, summary, _stamp(created), _stamp(updated), docs, claims)
            for cid, title, summary, created, updated, docs, claims in conn.execute(_CASES)]


def list_documents(conn: sqlite3.Connection, case_id: str,
                   ids: list[str] | None = None) -> list[DocumentRecord]:
    """Documents of a case (or just those of ``ids``), newest publication first, with outlet
    names and highlight counts."""
    out = []
    only = f"AND d.id IN ({', '.join('?' * len(ids))})" if ids is not None else ""
    for row in conn.execute(_DOCUMENTS.format(only=only), (case_id, *(ids or ()))):
        (did, cid, title, author, outlet_id, outlet, url, published, imported, updated, ctype,
         source, sha, chars, starts, extractor, version, highlights, ocr, guessed) = row
        starts = json.loads(starts) if isinstance(starts, str) else starts
        guessed = json.loads(guessed) if isinstance(guessed, str) else guessed
        out.append(DocumentRecord(did, cid, title, author, outlet_id, outlet, url, published,
                                  _stamp(imported), _stamp(updated), ctype, source, sha,
                                  chars or 0, tuple(starts or ()), extractor, version,
                                  highlights, ocr, tuple(guessed or ())))
    return out


def case_for(conn: sqlite3.Connection, wanted: str | None) -> str | None:
    """The case a reading command means when that is plain: the one named (or the only one
    whose id starts so), else the only case; None otherwise (the full path explains)."""
    ids = [r[0] for r in conn.execute('SELECT id FROM "case"')]
    found = [i for i in ids if i == wanted or i.startswith(wanted)] if wanted else ids
    return found[0] if len(found) == 1 else None


def document_text(conn: sqlite3.Connection, document_id: str) -> str | None:
    row = conn.execute("SELECT text FROM document WHERE id = ?", (document_id,)).fetchone()
    return None if row is None else row[0]
