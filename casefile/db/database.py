"""Opening a case database: checks, backups, migration to head, and short sessions."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from casefile import paths
from casefile.db import backup
from casefile.db.engine import make_engine
from casefile.db.revisions import scan_revisions
from casefile.errors import DatabaseCorrupt, DatabaseTooNew, NotACasefileDatabase

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables whose presence marks a database as ours even before alembic_version existed.
OUR_TABLES = {"case", "document", "claim", "entity"}
BACKUP_INTERVAL_S = 10 * 60


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    return cfg


def head_revision() -> str:
    """The newest revision the code knows."""
    return scan_revisions()[0]


class Database:
    """An open, migrated case database. Services take one; widgets hold one, never a session.

    Thread rule: the object may be shared between threads; each ``read()``/``write()`` opens its
    own short session on its own pooled connection.
    """

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(engine.execution_options(immediate=True),
                                    expire_on_commit=False)
        self._last_backup = time.monotonic()
        self._backup_thread: threading.Thread | None = None
        self.backup_interval_s = BACKUP_INTERVAL_S

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; rolled back at the end."""
        with self._damage_reported(), self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        with self._damage_reported(), self._writer() as session, session.begin():
            yield session
        self._maybe_backup()

    @contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """SQLite's "malformed"/"not a database" while in use becomes ``DatabaseCorrupt``: the
        edit is not saved, and the next start sets the file aside and offers a backup."""
        try:
            yield
        except sa_exc.DatabaseError as exc:
            text = str(exc.orig if exc.orig is not None else exc)
            if "malformed" not in text and "not a database" not in text:
                raise
            raise DatabaseCorrupt(
                f"The database {self.path} is damaged ({text}). Nothing more can be saved to "
                "it. Restart Casefile: it will set the file aside and offer the newest good "
                "backup.", backups=[(b.path, b.taken_at) for b in backup.good_backups(self.path)]
            ) from exc

    def _maybe_backup(self) -> None:
        """Start a periodic backup in a background thread (never more than one at a time): a
        large database takes seconds to copy, and the edit that triggered it must not wait."""
        if time.monotonic() - self._last_backup < self.backup_interval_s:
            return
        if self._backup_thread is not None and self._backup_thread.is_alive():
            return
        self._last_backup = time.monotonic()
        self._backup_thread = threading.Thread(target=self._backup, name="casefile-backup")
        self._backup_thread.start()

    def _backup(self) -> None:
        try:
            backup.make_backup(self.path, reason="auto")
        except (OSError, sqlite3.Error) as exc:  # a failed backup must not fail the edit
            log.warning("periodic backup failed: %s", exc)

    def wait_for_backup(self, timeout: float | None = None) -> None:
        """Block until a periodic backup under way has finished."""
        if self._backup_thread is not None:
            self._backup_thread.join(timeout)

    def close(self) -> None:
        self.wait_for_backup()
        self.engine.dispose()


def _inspect_file(path: Path) -> tuple[set[str], str | None]:
    """Table names and alembic revision of an existing file, read-only. Raises if not SQLite."""
    with path.open("rb") as fh:
        magic = fh.read(len(SQLITE_MAGIC))
    if magic != SQLITE_MAGIC:
        raise NotACasefileDatabase(f"{path} is not a Casefile database (not an SQLite file); "
                                   "it was left untouched.")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rev = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
    finally:
        conn.close()
    return tables, rev


def _set_aside(path: Path, problem: str) -> DatabaseCorrupt:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            shutil.move(src, Path(str(aside) + suffix))
    goods = backup.good_backups(path)
    offer = (f" The newest good backup is {goods[0].path} from {goods[0].taken_at:%Y-%m-%d %H:%M} "
             "UTC." if goods else " No good backup was found.")
    return DatabaseCorrupt(
        f"The database {path} is damaged ({problem}). It was moved to {aside}.{offer}",
        set_aside=aside,
        backups=[(b.path, b.taken_at) for b in goods],
    )


def open_database(path: Path | str | None = None) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    Refuses, leaving the file as it was: a non-SQLite file, an SQLite file that is not ours, a
    database from a newer Casefile. A damaged database is moved aside and ``DatabaseCorrupt``
    names the newest good backup. An older database is backed up, then upgraded in one
    transaction.
    """
    path = Path(path) if path is not None else paths.default_db_path()
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    head, known = scan_revisions()

    current = None
    if path.exists() and path.stat().st_size > 0:
        try:
            tables, current = _inspect_file(path)
        except sqlite3.DatabaseError as exc:
            raise _set_aside(path, str(exc)) from exc
        if current is None and tables - {"sqlite_sequence"} and not tables >= OUR_TABLES:
            raise NotACasefileDatabase(f"{path} is an SQLite database but not a Casefile "
                                       "one; it was left untouched.")
        if current is not None and current not in known:
            raise DatabaseTooNew(
                f"{path} was written by a newer version of Casefile (schema {current}); this "
                f"version understands up to {head}. Update Casefile to open it. The file was "
                "left untouched.")
        problem = backup.quick_check(path)
        if problem:
            raise _set_aside(path, problem)

    if current is not None and current != head:
        made = backup.make_backup(path, reason=f"before-{head}")
        log.info("backed up %s to %s before upgrading %s -> %s", path, made.path, current, head)
    if current != head:
        upgrade(path)
    engine = make_engine(path)
    db = Database(path, engine)
    if current is not None and current != head:
        _repair_search_index(db)
    return db


def _repair_search_index(db: Database) -> None:
    """A batch migration that recreates an indexed table drops its search triggers; put them
    back (and refill the index) so search stays in step after any upgrade."""
    from casefile.services.search import index_is_current, rebuild_index

    if not index_is_current(db):
        log.info("rebuilding the search index after the upgrade")
        rebuild_index(db)


def upgrade(path: Path, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in a single transaction, foreign keys off."""
    from alembic import command

    cfg = alembic_config()
    engine = make_engine(path, migrating=True)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise RuntimeError(f"migration left dangling references: {bad[:5]}")
    finally:
        engine.dispose()


def current_revision(path: Path) -> str | None:
    """The alembic revision stamped in the database at ``path``."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def integrity_check(db: Database) -> list[str]:
    """Problems found by ``PRAGMA integrity_check`` and ``foreign_key_check``; empty when sound."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
        if rows != [("ok",)]:
            problems += [f"integrity: {r[0]}" for r in rows]
        for row in conn.execute(text("PRAGMA foreign_key_check")).fetchall():
            problems.append(f"dangling reference in {row[0]} (rowid {row[1]}) to {row[2]}")
        conn.rollback()
    return problems
