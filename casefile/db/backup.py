"""Rotating, verified backups through SQLite's online backup API."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from casefile.db.files import UseLock, backup_dir, connect_ro

KEEP = 10
STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Backup:
    """A backup file and the moment it was taken (UTC)."""

    path: Path
    taken_at: datetime


def quick_check(path: Path) -> str | None:
    """None when ``path`` passes ``PRAGMA quick_check``, else the reason it does not."""
    try:
        conn = connect_ro(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    return "; ".join(str(r[0]) for r in rows[:5])


def make_backup(db_path: Path, *, reason: str = "auto", keep: int = KEEP) -> Backup:
    """Copy the live database with the online backup API, verify the copy, prune old ones.

    A copy that fails its check is deleted and ``OSError`` raised; the database is only read.
    """
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    taken = datetime.now(UTC)
    target = folder / f"{db_path.stem}-{taken.strftime(STAMP)}-{reason}.sqlite"
    src = connect_ro(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()
    problem = quick_check(target)
    if problem:
        target.unlink(missing_ok=True)
        raise OSError(f"backup of {db_path} failed its check: {problem}")
    prune(db_path, keep=keep)
    return Backup(target, taken.replace(tzinfo=None))


def list_backups(db_path: Path) -> list[Backup]:
    """Backups of ``db_path``, newest first."""
    out = []
    for p in backup_dir(db_path).glob(f"{db_path.stem}-*.sqlite"):
        try:
            stamp = p.stem[len(db_path.stem) + 1 :].split("-")[0]
            taken = datetime.strptime(stamp, STAMP)
        except ValueError:
            continue
        out.append(Backup(p, taken))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def good_backups(db_path: Path) -> list[Backup]:
    """Backups that pass their integrity check, newest first."""
    return [b for b in list_backups(db_path) if quick_check(b.path) is None]


def prune(db_path: Path, *, keep: int = KEEP) -> None:
    """Keep the newest ``keep`` backups."""
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)


def restore(backup_path: Path, db_path: Path) -> None:
    """Put a verified Casefile backup in place of the database (the current file, if sound, is
    itself backed up first).

    Refused (``DatabaseInUse``) while any window or command has the database open: their later
    edits would go to the replaced file and be lost. Refused too when ``backup_path`` is not a
    sound Casefile database (``DatabaseError``/``FileProblem``); nothing is changed then.
    """
    from casefile.db.checks import check_db_path, verify_casefile_file

    db_path = check_db_path(db_path)
    verify_casefile_file(backup_path, what="backup")
    with UseLock(db_path).exclusive(db_path, "restore the backup"):
        if db_path.exists() and quick_check(db_path) is None:
            make_backup(db_path, reason="before-restore")
        tmp = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(backup_path, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        tmp.replace(db_path)
