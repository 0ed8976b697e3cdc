"""The files around a database and the paths users hand us: which paths are the database's own,
who else has it open, and checks that turn a bad path into one clear sentence."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from casefile.errors import DatabaseInUse, FileProblem

try:  # POSIX; elsewhere nothing is locked (and nothing is refused for being in use)
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def sqlite_uri(path: Path | str, **params: str) -> str:
    """An SQLite ``file:`` URI for ``path``: ``#``, ``?`` and ``%`` in a folder name are data,
    not URI syntax, so the path is percent-encoded."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path), safe='/')}" + (f"?{query}" if query else "")


def connect_ro(path: Path | str, **kw: Any) -> sqlite3.Connection:
    """A read-only connection to an existing database file, whatever characters its path has."""
    return sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, **kw)


def backup_dir(db_path: Path) -> Path:
    """Backups live next to the database, in ``<name>.backups/``."""
    return db_path.with_name(db_path.name + ".backups")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def own_paths(db_path: Path) -> list[Path]:
    """The database file, its journals, its lock file and its backups folder."""
    return [db_path, *(Path(str(db_path) + s) for s in SIDE_SUFFIXES), lock_path(db_path),
            backup_dir(db_path)]


def _real(p: Path) -> Path:
    return Path(os.path.realpath(p))


def is_own_path(target: Path | str, db_path: Path) -> bool:
    """Whether ``target`` is (or, through a link, names) the database, one of its journals,
    its lock, its backups folder or a file inside it. The one place that decides it."""
    target = _real(Path(target).expanduser())
    for own in own_paths(_real(db_path)):
        if target == own or own in target.parents:
            return True
        try:
            if target.exists() and own.exists() and os.path.samefile(target, own):
                return True  # a hard link
        except OSError:
            continue
    return False


# Databases this process has open. Opening and closing any of their files here — to read it
# as an article, a bundle, a project — would end the POSIX locks SQLite holds on it (they belong
# to the process, and one close() drops them all), so such reads are refused.
_OPEN_DATABASES: set[Path] = set()


def register_open(db_path: Path) -> None:
    _OPEN_DATABASES.add(_real(db_path))


def unregister_open(db_path: Path) -> None:
    _OPEN_DATABASES.discard(_real(db_path))


def live_database_of(target: Path) -> Path | None:
    """The open database ``target`` is (or is a journal or lock of, by name or by link)."""
    real = _real(target)
    for db in _OPEN_DATABASES:
        for own in (db, *(Path(str(db) + s) for s in SIDE_SUFFIXES), lock_path(db)):
            if real == own:
                return db
            try:
                if real.exists() and own.exists() and os.path.samefile(real, own):
                    return db
            except OSError:
                continue
    return None


def describe_os_error(exc: OSError, path: Path | str | None = None) -> str:
    """One line for an operating-system failure, naming the file and the reason."""
    where = path if path is not None else exc.filename
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EFBIG: "the file would be larger than this system allows",
        errno.EROFS: "the disk is mounted read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "there is no such file or folder",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.EISDIR: "it is a folder",
        errno.ELOOP: "the path is a loop of symbolic links",
        errno.ENAMETOOLONG: "the name is too long",
    }.get(exc.errno or -1, exc.strerror or str(exc))
    return f"{where}: {reason}" if where else reason


def check_input_file(path: Path | str, *, what: str = "file",
                     max_bytes: int | None = None) -> Path:
    """Refuse, with one sentence, a path that cannot be read as an ordinary file: empty, missing,
    a folder, a FIFO or device (they would hang or never end), a symlink loop, unreadable, or
    larger than ``max_bytes``. Returns the path."""
    if not str(path).strip():
        raise FileProblem(f"no {what} was given (the path is empty)")
    path = Path(path).expanduser()
    try:
        st = path.stat()
    except OSError as exc:
        raise FileProblem(f"cannot read the {what} {describe_os_error(exc, path)}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise FileProblem(f"{path} is a folder, not a {what}")
    db = live_database_of(path)
    if db is not None:
        raise FileProblem(f"{path} is the open case database {db} (or one of its files), not a "
                          f"{what}; it was not read. To bring in another case, export it as a "
                          "bundle and use Import bundle.")
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem(f"{path} is not an ordinary file (a pipe, socket or device); "
                          f"it cannot be read as a {what}")
    if max_bytes is not None and st.st_size > max_bytes:
        raise FileProblem(f"{path} is too large to be a {what} ({st.st_size:,} bytes; the "
                          f"limit is {max_bytes:,})")
    if not os.access(path, os.R_OK):
        raise FileProblem(f"cannot read the {what} {path}: permission denied")
    return path


def check_output_file(target: Path | str, *, db_path: Path | None = None,
                      what: str = "file") -> Path:
    """Refuse a target that an export must not write: empty, a folder, something that is not an
    ordinary file, a missing or unwritable folder, or the open database's own files."""
    if not str(target).strip():
        raise FileProblem(f"no {what} name was given (the path is empty)")
    target = Path(target).expanduser()
    if db_path is not None and is_own_path(target, db_path):
        raise FileProblem(f"{target} is the case database or one of its own files (journal, "
                          "lock or backups); choose another file name")
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise FileProblem(f"cannot write the {what} {describe_os_error(exc, target)}") from exc
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise FileProblem(f"{target} is a folder; give a file name to write the {what} to")
        if not stat.S_ISREG(st.st_mode):
            raise FileProblem(f"{target} is not an ordinary file (a pipe, socket or device); "
                              f"the {what} is written to ordinary files only")
    parent = target.parent
    if not parent.is_dir():
        raise FileProblem(f"cannot write the {what} {target}: the folder {parent} does not "
                          "exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise FileProblem(f"cannot write the {what} {target}: the folder is read-only for you")
    return target


def atomic_write(target: Path | str, write: Callable[[Path], Any], *,
                 db_path: Path | None = None, what: str = "file") -> Path:
    """Check ``target`` (see ``check_output_file``), then write it through a temporary file in
    the same folder renamed over it: a failure (disk full, an error in ``write``) leaves no half
    file, and an existing file as it was."""
    target = check_output_file(target, db_path=db_path, what=what)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                   dir=target.parent)
    except OSError as exc:
        raise FileProblem(f"cannot write the {what} {describe_os_error(exc, target)}") from exc
    os.close(fd)
    try:
        write(Path(tmp))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; give it the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        kept = " (the existing file was left as it was)" if target.exists() else ""
        raise FileProblem(f"cannot write the {what} {describe_os_error(exc, target)}; nothing "
                          f"was written{kept}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class UseLock:
    """Marks a database as in use by this process: a shared ``flock`` on ``<db>.lock`` for as
    long as it is open. Replacing the file (restore, setting a damaged file aside) needs the
    exclusive lock, so it is refused while any window or command has the database open — their
    later writes would otherwise go to a file nobody reads."""

    def __init__(self, db_path: Path):
        self.path = lock_path(db_path)
        self.fd: int | None = None

    def _open(self) -> int | None:
        if fcntl is None:
            return None
        if self.fd is None:
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError:
                return None  # a read-only folder: nothing can be replaced there anyway
        return self.fd

    def shared(self) -> UseLock:
        fd = self._open()
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)
        return self

    def exclusive(self, db_path: Path, doing: str) -> UseLock:
        """Take the exclusive lock now or raise ``DatabaseInUse`` (never waits)."""
        fd = self._open()
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise DatabaseInUse(
                    f"Cannot {doing}: {db_path} is open in another Casefile window or command. "
                    "Close it there, then try again.") from exc
        return self

    def downgrade(self) -> None:
        if self.fd is not None and fcntl is not None:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock
            self.fd = None

    def __del__(self) -> None:  # a Database dropped without close() must not keep it "in use"
        self.release()

    def __enter__(self) -> UseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
