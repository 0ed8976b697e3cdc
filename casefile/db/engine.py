"""SQLite engine with Casefile's pragmas and real transactions (we emit BEGIN, not pysqlite)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event

from casefile.db import changes
from casefile.translit import fold_text

# How long a writer waits for another program's write to finish before giving up with a clear
# message (``DatabaseBusy``). The window's own thread waits far less (see ``Database``).
BUSY_TIMEOUT_MS = 5_000


def name_key(value: str | None) -> str | None:
    """How names compare: Unicode case-folded, white space collapsed ("Темур  ВАХИДОВ" equals
    "темур вахидов"). Registered in SQLite as ``name_key()``; its own lower() folds ASCII only."""
    return None if value is None else " ".join(value.split()).casefold()


def make_engine(path: Path | str, *, migrating: bool = False) -> Engine:
    """An engine on ``path`` in WAL mode.

    pysqlite's own transaction handling commits DDL silently; following SQLAlchemy's documented
    recipe we switch it off and emit BEGIN ourselves, so a migration or a multi-statement write is
    one real transaction. A connection with the execution option ``immediate=True`` starts with
    ``BEGIN IMMEDIATE`` (writers take the lock up front instead of failing on upgrade).
    ``migrating=True`` is for migrations. Batch mode recreates tables (create, copy, drop,
    rename): with foreign keys enforced, dropping a parent table would cascade deletes into its
    children, so enforcement is off; and SQLite's modern ALTER TABLE RENAME re-checks every
    trigger in the schema, failing while a trigger on another table (the search index's)
    names the table being recreated, so the legacy rename is used.

    The path goes to SQLite as it is (never through a URL), so ``#``, ``?`` and ``%`` in folder
    names are plain characters. A transaction whose connection carries the execution option
    ``busy_ms`` waits that long for another writer's lock (else ``BUSY_TIMEOUT_MS``).
    """
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(Path(path))), future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute(f"PRAGMA foreign_keys = {'OFF' if migrating else 'ON'}")
        if migrating:
            cur.execute("PRAGMA legacy_alter_table = ON")
        cur.close()
        dbapi_conn.create_function("name_key", 1, name_key, deterministic=True)
        # the search index's folded shadow of each text (its triggers call it)
        dbapi_conn.create_function("search_fold", 1, fold_text, deterministic=True)
        if not migrating:
            changes.install(dbapi_conn)  # what each write changed (casefile.db.changes)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        options = conn.get_execution_options()
        immediate = options.get("immediate", False)
        busy_ms = int(options.get("busy_ms", BUSY_TIMEOUT_MS))
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {busy_ms}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
