"""Reading without the ORM: commands that only look (``case list``) read a database that is
already at head with sqlite3 alone, and start in a fraction of the time. Anything unusual (no
file yet, an older schema, a file that will not open) returns None: the caller then opens the
database the full way, which creates, migrates, backs up or reports as needed."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.request import pathname2url

from casefile.services.records import CaseRecord

_CASES = """
SELECT c.id, c.title, c.summary, c.created_at, c.updated_at,
       (SELECT count(*) FROM document d WHERE d.case_id = c.id),
       (SELECT count(*) FROM claim k WHERE k.case_id = c.id)
FROM "case" c ORDER BY c.updated_at DESC, c.title"""


def connect_readonly(path: Path | str | None) -> sqlite3.Connection | None:
    """A read-only connection to the database at ``path`` (default: the user's) if it exists
    and is at the code's head revision, else None."""
    from casefile import paths
    from casefile.db.revisions import scan_revisions

    path = (Path(path) if path is not None else paths.default_db_path()).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        conn = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is not None and row[0] == scan_revisions()[0]:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def _stamp(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def list_cases(conn: sqlite3.Connection) -> list[CaseRecord]:
    """All cases, most recently changed first, with document and claim counts."""
    return [CaseRecord(cid, title, summary, _stamp(created), _stamp(updated), docs, claims)
            for cid, title, summary, created, updated, docs, claims in conn.execute(_CASES)]
