"""Is this file a Casefile database that can be opened? Refusals that say why, before anything
is changed."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from casefile import paths
from casefile.db import files
from casefile.db.revisions import scan_revisions
from casefile.errors import (
    DatabaseBusy,
    DatabaseTooNew,
    DatabaseUnavailable,
    FileProblem,
    NotACasefileDatabase,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables whose presence marks a database as ours even before alembic_version existed.
OUR_TABLES = {"case", "document", "claim", "entity"}

# SQLite messages that mean the file itself is damaged; any other failure to open (permission,
# read-only disk, missing folder, full disk, lock) is not damage and never sets the file aside.
DAMAGE_WORDS = ("malformed", "not a database", "disk image", "file is encrypted")


def is_damage(message: str) -> bool:
    return any(w in message for w in DAMAGE_WORDS)


def is_busy(message: str) -> bool:
    return "locked" in message or "busy" in message


def storage_problem(message: str) -> str | None:
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
    if is_busy(text):
        return DatabaseBusy(f"Cannot open {path}: another program (a Casefile window or "
                            "command) is busy with it. Try again in a moment.")
    if isinstance(exc, OSError):
        return DatabaseUnavailable(f"Cannot open the database {files.describe_os_error(exc)}")
    return DatabaseUnavailable(f"Cannot open {path}: {storage_problem(text) or text}. It was "
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
