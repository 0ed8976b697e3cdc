"""A case database in use: short read and write sessions, locks, what each write changed,
periodic backups, and SQLite's failures as errors a user can read."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from casefile.db import backup, files
from casefile.db.changes import Capture, Recorder, drain
from casefile.db.checks import is_busy, is_damage, storage_problem
from casefile.db.engine import BUSY_TIMEOUT_MS
from casefile.errors import DatabaseBusy, DatabaseCorrupt, DatabaseUnavailable

log = logging.getLogger(__name__)

BACKUP_INTERVAL_S = 10 * 60

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
                if not is_busy(str(exc.orig)) or not self._can_ask():
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
            if is_busy(text):
                raise DatabaseBusy(
                    f"Another program (a Casefile window or command) is writing to {self.path} "
                    "and kept it busy, so this change was not saved. Wait for it to finish, "
                    "then try again.") from exc
            if not is_damage(text):
                problem = storage_problem(text)
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
