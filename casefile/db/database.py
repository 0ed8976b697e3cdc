"""Opening a case database: checks, backups, migration to head, a damaged file set aside.

``Database`` (the open database, ``casefile.db.session``) is named here too, so that callers
import both from one place."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc

from casefile.db import backup, files, fts
from casefile.db.checks import (
    OUR_TABLES,
    _check_access,
    _inspect_file,
    _unavailable,
    check_db_path,
    damage_of,
    is_damage,
)
from casefile.db.engine import make_engine
from casefile.db.revisions import scan_revisions
from casefile.db.schema import upgrade
from casefile.db.session import Database
from casefile.errors import DatabaseCorrupt, DatabaseTooNew, NotACasefileDatabase

__all__ = ["Database", "open_database"]

log = logging.getLogger(__name__)


def _set_aside(path: Path, problem: str, lock: files.UseLock) -> DatabaseCorrupt:
    lock.exclusive(path, "set the damaged database aside")
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
    database from a newer Casefile, and any file that cannot be opened for a reason other than
    damage (``DatabaseUnavailable`` says which: permission, read-only disk, missing folder, full
    disk, a lock). A damaged database is moved aside — unless another window or command has it
    open — and ``DatabaseCorrupt`` names the newest good backup. An older database is backed
    up, then upgraded in one transaction. The returned ``Database`` marks the file as in use
    (``files.UseLock``) until it is closed.
    """
    path = check_db_path(path)
    _check_access(path)
    had_lock_file = files.lock_path(path).exists()
    lock = files.UseLock(path).shared()
    try:
        return _open_locked(path, lock)
    except BaseException:
        lock.release()
        if not had_lock_file:  # a refused file leaves nothing of ours beside it
            files.lock_path(path).unlink(missing_ok=True)
        raise


def _open_locked(path: Path, lock: files.UseLock) -> Database:
    head, known = scan_revisions()

    current = None
    if path.exists() and path.stat().st_size > 0:
        try:
            tables, current = _inspect_file(path)
        except OSError as exc:
            raise _unavailable(path, exc) from exc
        except sqlite3.DatabaseError as exc:
            if not is_damage(str(exc)):
                raise _unavailable(path, exc) from exc
            raise _set_aside(path, str(exc), lock) from exc
        if current is None and tables - {"sqlite_sequence"} and not tables >= OUR_TABLES:
            raise NotACasefileDatabase(f"{path} is an SQLite database but not a Casefile "
                                       "one; it was left untouched.")
        if current is not None and current not in known:
            raise DatabaseTooNew(
                f"{path} was written by a newer version of Casefile (schema {current}); this "
                f"version understands up to {head}. Update Casefile to open it. The file was "
                "left untouched.")
        problem = damage_of(path)
        if problem:
            raise _set_aside(path, problem, lock)

    try:
        if current is not None and current != head:
            made = backup.make_backup(path, reason=f"before-{head}")
            log.info("backed up %s to %s before upgrading %s -> %s", path, made.path, current,
                     head)
        if current != head:
            upgrade(path)
        engine = make_engine(path)
        db = Database(path, engine, use_lock=lock, fresh=current is None)
        files.register_open(path)
        if current is not None and current != head:
            _repair_search_index(db)
    except (OSError, sqlite3.OperationalError, sa_exc.OperationalError) as exc:
        raise _unavailable(path, exc) from exc
    return db


def _repair_search_index(db: Database) -> None:
    """A batch migration that recreates an indexed table drops its search triggers; put them
    back (and refill the index) so search stays in step after any upgrade."""
    if not fts.index_is_current(db):
        log.info("rebuilding the search index after the upgrade")
        fts.rebuild_index(db)
