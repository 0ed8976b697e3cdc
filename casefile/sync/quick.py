"""``casefile sync`` with nothing to do, without loading the ORM: one read of the replica's
state with sqlite3 and one request to the server. Anything to merge or send returns None and
the caller runs the full sync (``casefile.sync.engine``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from casefile.db.revisions import connect_at_head
from casefile.sync.client import Client


def nothing_to_do(db_path: Path | str | None, case_prefix: str | None) -> dict[str, Any] | None:
    """The sync's answer when neither side has anything new for the case, else None."""
    conn = connect_at_head(db_path)
    if conn is None:
        return None
    try:
        shared = conn.execute("SELECT case_id, version FROM sync_case").fetchall()
        if case_prefix:
            shared = [row for row in shared if row[0].startswith(case_prefix)]
        remote = conn.execute("SELECT url, token FROM sync_remote WHERE name = 'default'"
                              ).fetchone()
        if len(shared) != 1 or remote is None:
            return None
        if conn.execute("SELECT 1 FROM sync_dirty UNION ALL SELECT 1 FROM sync_push LIMIT 1"
                        ).fetchone() is not None:
            return None  # changes to send, or a push whose answer was lost to settle
        (case_id, version), (url, token) = shared[0], remote
        conflicts = conn.execute("SELECT count(*) FROM sync_conflict WHERE case_id = ?",
                                 (case_id,)).fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    client = Client(url, token)
    try:
        pulled = client.pull(case_id, version)
    finally:
        client.close()
    if pulled["changes"] or int(pulled["version"]) != version:
        return None
    return {"pushed": 0, "pulled": 0, "version": version, "conflicts": conflicts}
