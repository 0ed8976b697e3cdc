"""Opening a case database: checks, backups, migration to head, and short sessions."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from casefile import paths
from casefile.db import backup, files
from casefile.db.changes import Capture, Recorder, drain
from casefile.db.engine import BUSY_TIMEOUT_MS, make_engine
from casefile.db.revisions import scan_revisions
from casefile.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnavailable,
    FileProblem,
    NotACasefileDatabase,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables whose presence marks a database as ours even before alembic_version existed.
OUR_TABLES = {"case", "document", "claim", "entity"}
BACKUP_INTERVAL_S = 10 * 60
# SQLite messages that mean the file itself is damaged; any other failure to open (permission,
# read-only disk, missing folder, full disk, lock) is not damage and never sets the file aside.
DAMAGE_WORDS = ("malformed", "not a database", "disk image", "file is encrypted")


def is_damage(message: str) -> bool:
    return any(w in message for w in DAMAGE_WORDS)


def _busy(message: str) -> bool:
    return "locked" in message or "busy" in message


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

    Locks: a write waits ``busy_timeout_ms`` for another program's write lock, then raises
    ``DatabaseBusy`` (nothing saved). ``main_thread_busy_ms``, when set (the window sets it),
    is the wait on the main thread instead, so an event loop is never held for long.
    """

    def __init__(self, path: Path, engine: Engine, use_lock: files.UseLock | None = None, *,
                 fresh: bool = True):
        self.path = path
        self.engine = engine
        self.use_lock = use_lock
        self.busy_timeout_ms = BUSY_TIMEOUT_MS
        self.main_thread_busy_ms: int | None = None
        # on_busy(message, attempt) -> retry?; attempt counts the waits of this one write
        self.on_busy: Callable[[str, int], bool] | None = None
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        self._seen_version: int | None = None
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(engine.execution_options(immediate=True),
                                    expire_on_commit=False)
        self.backup_interval_s = BACKUP_INTERVAL_S
        # a new file needs no backup yet; an existing one is backed up at the session's first
        # edit when its newest backup is older than the interval
        self._last_backup = (time.monotonic() if fresh
                             else _since_last_backup(path, self.backup_interval_s))
        self._backup_thread: threading.Thread | None = None
        self._journal: tuple[int, int] | None = None  # (device, inode) of our -wal file
        self._journal_lock = threading.Lock()
        self.changes = Recorder()
        self._main_waiting = False  # the main thread is waiting for another program's lock

    def _journal_id(self) -> tuple[int, int] | None:
        try:
            st = os.stat(f"{self.path}-wal")
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _check_journal(self) -> None:
        """Reconnect if the write-ahead log this process writes to was deleted or replaced.

        While any connection of ours is open, SQLite's locks keep other programs from
        removing the -wal file. If it is gone anyway, those locks were lost (POSIX locks end
        when *any* descriptor of the file in the process is closed — a library reading the
        file would do it) and another program checkpointed and deleted the journal; writing on
        would go to a file nobody reads. Closing every connection and opening anew puts the
        locks and the journal back before anything is written."""
        with self._journal_lock:
            seen, now = self._journal, self._journal_id()
            if seen is not None and now != seen:
                log.warning("the write-ahead log of %s was removed by another program while "
                            "this one had it open; reconnecting", self.path)
                self.engine.dispose()
                with self._watch_lock:
                    if self._watch is not None:
                        self._watch.close()
                        self._watch = None
                self._journal = None

    def _note_journal(self) -> None:
        with self._journal_lock:
            self._journal = self._journal_id()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; rolled back at the end."""
        self._check_journal()
        with self._damage_reported(), self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    def busy_ms(self) -> int:
        """How long a write on the calling thread waits for another program's lock."""
        if (self.main_thread_busy_ms is not None
                and threading.current_thread() is threading.main_thread()):
            return self.main_thread_busy_ms
        return self.busy_timeout_ms

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error.

        The write lock is taken before the body runs, so waiting for it can be retried safely:
        on the main thread, when another program holds it past ``main_thread_busy_ms``,
        ``on_busy(message)`` (set by the window) is asked whether to try again."""
        self._check_journal()
        with self._damage_reported():
            session = self._locked_session()
            with session:
                try:
                    yield session
                    session.flush()
                    done = drain(session.connection())
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        self._note_journal()
        self.changes.committed(done)
        self._seen_version = self._data_version()
        self._maybe_backup()

    @contextmanager
    def capture(self) -> Iterator[Capture]:
        """Collect what the writes made on this thread inside the block changed (see
        ``casefile.db.changes.Recorder``); ``capture.changes`` holds them afterwards."""
        with self.changes.capture() as cap:
            yield cap

    @contextmanager
    def batch(self) -> Iterator[Capture]:
        """Report what the writes inside the block changed once, at its end."""
        with self.changes.batch() as cap:
            yield cap

    def _data_version(self) -> int | None:
        """SQLite's ``data_version`` as one private connection sees it: it moves whenever any
        other connection — this program's own or another program's — commits."""
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = files.connect_ro(self.path, check_same_thread=False)
                    self._watch.execute("PRAGMA query_only = ON")
                return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return None

    def changed_elsewhere(self) -> bool:
        """Whether another program (another window, a command) has committed since this object
        last wrote or asked. The window polls it and reloads what it shows."""
        now = self._data_version()
        if now is None or now == self._seen_version:
            return False
        self._seen_version = now
        return True

    def _locked_session(self) -> Session:
        """A write session holding the write lock. While the main thread waits for it (the
        window's wait lets its event loop run), a second write started on the main thread by
        something that ran meanwhile is refused at once rather than nested inside the first."""
        attempt = 0
        main = threading.current_thread() is threading.main_thread()
        if main and self._main_waiting:
            raise DatabaseBusy("The previous change is still waiting to be saved (another "
                               "program is writing to the case); this one was not made.",
                               asked=True)
        while True:
            session = self._writer()
            try:
                session.connection(execution_options={"busy_ms": self.busy_ms()})
                return session
            except sa_exc.OperationalError as exc:
                session.close()
                if not _busy(str(exc.orig)) or not self._can_ask():
                    raise
                attempt += 1
                self._main_waiting = True
                try:
                    retry = self._ask_retry(attempt)
                finally:
                    self._main_waiting = False
                if not retry:
                    raise DatabaseBusy("The change was not saved: another program is writing "
                                       "to the case.", asked=True) from exc

    def _can_ask(self) -> bool:
        return self.on_busy is not None and threading.current_thread() is threading.main_thread()

    def _ask_retry(self, attempt: int) -> bool:
        assert self.on_busy is not None
        return bool(self.on_busy(f"Another program (a Casefile window or command) is writing "
                                 f"to {self.path.name} right now, so this change is not saved "
                                 "yet.", attempt))

    @contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """SQLite's failures while in use become errors the user can read: "malformed"/"not a
        database" is ``DatabaseCorrupt`` (the next start sets the file aside and offers a
        backup); a lock held too long by another program is ``DatabaseBusy``; a full disk or a
        read-only file is ``DatabaseUnavailable``. In every case the edit is not saved."""
        try:
            yield
        except sa_exc.DatabaseError as exc:
            text = str(exc.orig if exc.orig is not None else exc)
            if _busy(text):
                raise DatabaseBusy(
                    f"Another program (a Casefile window or command) is writing to {self.path} "
                    "and kept it busy, so this change was not saved. Wait for it to finish, "
                    "then try again.") from exc
            if not is_damage(text):
                problem = _storage_problem(text)
                if problem is None:
                    raise
                raise DatabaseUnavailable(f"Cannot save to {self.path}: {problem}. The change "
                                          "was not saved.") from exc
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
        files.unregister_open(self.path)
        self.wait_for_backup()
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self.engine.dispose()
        if self.use_lock is not None:
            self.use_lock.release()


def _storage_problem(message: str) -> str | None:
    """The plain reason behind SQLite's storage failures; None when it is not one of them."""
    if "disk is full" in message or "disk full" in message:
        return "the disk is full"
    if "readonly" in message or "read-only" in message:
        return "the file or its folder is read-only"
    if "unable to open" in message:
        return "the file cannot be opened (check that its folder exists and is writable)"
    if "disk I/O error" in message:
        return "the disk reported an input/output error"
    return None


def _inspect_file(path: Path) -> tuple[set[str], str | None]:
    """Table names and alembic revision of an existing file, read-only. Raises if not SQLite."""
    with path.open("rb") as fh:
        magic = fh.read(len(SQLITE_MAGIC))
    if magic != SQLITE_MAGIC:
        raise NotACasefileDatabase(f"{path} is not a Casefile database (not an SQLite file); "
                                   "it was left untouched.")
    conn = files.connect_ro(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rev = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
    finally:
        conn.close()
    return tables, rev


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


def check_db_path(path: Path | str | None) -> Path:
    """The database path, absolute, after refusing what can never be a database file: an empty
    path, a folder, a pipe or device (``/dev/null``), a symlink loop."""
    if path is not None and not str(path).strip():
        raise FileProblem("the database path is empty; give a file name such as case.sqlite")
    path = Path(path) if path is not None else paths.default_db_path()
    try:
        path = Path(os.path.realpath(path.expanduser(), strict=False))
        st = path.stat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise DatabaseUnavailable("Cannot open the database "
                                  f"{files.describe_os_error(exc, path)}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise DatabaseUnavailable(f"{path} is a folder; give the database file inside it, e.g. "
                                  f"{path / 'casefile.sqlite'}")
    if not stat.S_ISREG(st.st_mode):
        raise DatabaseUnavailable(f"{path} is not an ordinary file (a pipe or device); it "
                                  "cannot hold a database")
    return path


def _check_access(path: Path) -> None:
    """A database needs a readable, writable file in a writable folder (WAL keeps two files
    beside it). Says which is missing, before SQLite gives a vaguer error."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable("Cannot create the folder for the database "
                                  f"{files.describe_os_error(exc, folder)}") from exc
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailable(f"Cannot open {path}: the file is read-only or not yours "
                                  "(Casefile saves every edit, so it needs to write to it). It "
                                  "was left untouched.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseUnavailable(f"Cannot open {path}: its folder {folder} is read-only "
                                  "(Casefile keeps its journal and backups beside the file). It "
                                  "was left untouched.")


def _unavailable(path: Path, exc: BaseException) -> DatabaseUnavailable | DatabaseBusy:
    text = str(getattr(exc, "orig", None) or exc)
    if _busy(text):
        return DatabaseBusy(f"Cannot open {path}: another program (a Casefile window or "
                            "command) is busy with it. Try again in a moment.")
    if isinstance(exc, OSError):
        return DatabaseUnavailable(f"Cannot open the database {files.describe_os_error(exc)}")
    return DatabaseUnavailable(f"Cannot open {path}: {_storage_problem(text) or text}. It was "
                               "left untouched.")


def damage_of(path: Path) -> str | None:
    """SQLite's quick check of a database file: None when sound, the problem when damaged.
    A failure that is not damage (permission, lock, missing file) raises, never passes for it."""
    try:
        conn = files.connect_ro(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_damage(str(exc)):
            return str(exc)
        raise _unavailable(path, exc) from exc
    if rows == [("ok",)]:
        return None
    return "; ".join(str(r[0]) for r in rows[:5])


def verify_casefile_file(path: Path | str, *, what: str = "file") -> Path:
    """Refuse a file that is not a sound Casefile database (empty, not SQLite, another program's
    SQLite file, from a newer Casefile, damaged): what ``restore`` checks before it replaces
    anything."""
    path = files.check_input_file(path, what=what)
    if path.stat().st_size == 0:
        raise NotACasefileDatabase(f"{path} is empty; it is not a Casefile {what}")
    try:
        tables, current = _inspect_file(path)
    except (sqlite3.DatabaseError, NotACasefileDatabase) as exc:
        raise NotACasefileDatabase(f"{path} is not a Casefile {what} (not a readable SQLite "
                                   "database); nothing was changed") from exc
    if not tables >= OUR_TABLES:
        raise NotACasefileDatabase(f"{path} is an SQLite database but not a Casefile one")
    if current is not None and current not in scan_revisions()[1]:
        raise DatabaseTooNew(f"{path} was written by a newer version of Casefile (schema "
                             f"{current}); update Casefile to use it")
    problem = damage_of(path)
    if problem:
        raise NotACasefileDatabase(f"the {what} {path} is damaged ({problem})")
    return path


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


def _since_last_backup(path: Path, interval_s: float) -> float:
    """A ``time.monotonic()`` value standing for when the newest backup of ``path`` was taken:
    a session that starts long after the last backup (or with none) takes one at its first
    edit, instead of only after ten minutes of work — short sessions are protected too."""
    now = time.monotonic()
    try:
        newest = max((b.taken_at for b in backup.list_backups(path)), default=None)
    except OSError:
        newest = None
    if newest is None:
        return now - interval_s - 1
    age = (datetime.now(UTC).replace(tzinfo=None) - newest.replace(tzinfo=None)).total_seconds()
    return now - max(0.0, age)


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
    """Problems found by ``PRAGMA integrity_check``, ``foreign_key_check`` and a comparison of
    the schema (tables, indexes, triggers) with what the migrations define; empty when sound."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
        if rows != [("ok",)]:
            problems += [f"integrity: {r[0]}" for r in rows]
        for row in conn.execute(text("PRAGMA foreign_key_check")).fetchall():
            problems.append(f"dangling reference in {row[0]} (rowid {row[1]}) to {row[2]}")
        conn.rollback()
    return problems + [f"schema: {p}" for p in schema_differences(db)]


_SCHEMA_SQL = ("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
               "AND name NOT LIKE 'sqlite_%'")


def _schema_of(execute: Any) -> dict[tuple[str, str], str]:
    return {(t, n): str(sql) for t, n, sql in execute(_SCHEMA_SQL).fetchall()}


def _current_schema(db: Database) -> tuple[str, dict[tuple[str, str], str]]:
    with db.engine.connect() as conn:
        rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        have = _schema_of(conn.exec_driver_sql)
        conn.rollback()
    return rev, have


@cache
def expected_schema(revision: str) -> dict[tuple[str, str], str]:
    """Every table, index and trigger as the migrations up to ``revision`` create them (built
    once per process in a throw-away database)."""
    with tempfile.TemporaryDirectory(prefix="casefile-schema-") as tmp:
        path = Path(tmp) / "expected.sqlite"
        upgrade(path, revision)
        conn = sqlite3.connect(path)
        try:
            return _schema_of(conn.execute)
        finally:
            conn.close()


def schema_differences(db: Database) -> list[str]:
    """What differs between this database's schema and the one its migrations define: a
    trigger or index altered (a flipped byte in its stored SQL), missing or unknown. These
    escape ``integrity_check`` and would leave, say, the search index silently wrong."""
    rev, have = _current_schema(db)
    want = expected_schema(rev)
    out = []
    for key in sorted(want.keys() | have.keys()):
        kind, name = key
        if key not in have:
            out.append(f"{kind} {name} is missing")
        elif key not in want:
            out.append(f"{kind} {name} is not one the migrations define")
        elif have[key] != want[key]:
            out.append(f"{kind} {name} differs from what the migrations define")
    return out


def repair_schema(db: Database) -> list[str]:
    """Re-create every index and trigger that is missing or differs from the migrations'
    definition; returns their names (tables are never rebuilt here)."""
    rev, have = _current_schema(db)
    want = expected_schema(rev)
    fixed = [key for key in want if key[0] in ("index", "trigger") and have.get(key) != want[key]]
    if fixed:
        with db.write() as s:
            for kind, name in fixed:
                s.execute(text(f'DROP {kind.upper()} IF EXISTS "{name}"'))
                s.execute(text(want[(kind, name)]))
    return [name for _kind, name in fixed]
