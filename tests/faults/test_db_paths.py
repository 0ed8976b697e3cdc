"""Any legal path holds a database, and a database that cannot be opened for a reason other than
damage is never set aside or called damaged: the user is told the real reason (issue 10, item 3).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from casefile.db import backup
from casefile.db.database import open_database
from casefile.db.schema import upgrade
from casefile.errors import DatabaseBusy, DatabaseCorrupt, DatabaseUnavailable, FileProblem
from casefile.services import cases
from tests.faults.helpers import cli_command, fingerprint, in_mount_namespace

ODD_NAMES = ["a#b", "q?x", "My%20Cases", "100% sure", "x?mode=ro#y", "ünï cødé"]


@pytest.mark.parametrize("folder", ODD_NAMES)
def test_odd_characters_in_the_path_hold_a_healthy_database(tmp_path: Path, folder: str):
    path = tmp_path / folder / "c.sqlite"
    db = open_database(path)
    cases.create_case(db, title="Kept")
    db.close()
    db = open_database(path)  # reopened: checked, not declared damaged
    try:
        assert [c.title for c in cases.list_cases(db)] == ["Kept"]
    finally:
        db.close()
    stray = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert all(name.startswith("c.sqlite") for name in stray), stray
    assert not any(".damaged-" in n for n in stray)


@pytest.mark.parametrize("folder", ["a#b", "My%20Cases", "q?x"])
def test_upgrade_in_an_odd_path_takes_its_backup(tmp_path: Path, folder: str):
    path = tmp_path / folder / "c.sqlite"
    path.parent.mkdir()
    upgrade(path, "0001")
    db = open_database(path)
    db.close()
    made = backup.list_backups(path)
    assert len(made) == 1 and "before-" in made[0].path.name
    assert backup.quick_check(made[0].path) is None


def test_a_locked_database_is_reported_busy_not_damaged(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    open_database(path).close()
    before = fingerprint(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseBusy, match="busy"):
            open_database(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert path.exists() and fingerprint(path) == before
    assert not list(tmp_path.glob("*.damaged-*"))


def test_missing_folder_that_cannot_be_made(tmp_path: Path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(DatabaseUnavailable, match="not a folder"):
        open_database(tmp_path / "file" / "c.sqlite")


@pytest.mark.parametrize("make", ["folder", "fifo", "devnull", "empty", "loop"])
def test_paths_that_cannot_be_a_database(tmp_path: Path, make: str):
    import os

    if make == "folder":
        path: Path | str = tmp_path
    elif make == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    elif make == "devnull":
        path = "/dev/null"
    elif make == "empty":
        path = ""
    else:
        path = tmp_path / "loop"
        os.symlink(path, path)
    with pytest.raises((DatabaseUnavailable, FileProblem)) as err:
        open_database(path)
    assert "\n" not in str(err.value)
    assert not list(tmp_path.glob("*.damaged-*"))


def test_damaged_database_is_still_set_aside(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt):
        open_database(path)
    assert list(tmp_path.glob("c.sqlite.damaged-*"))


def test_read_only_disk_is_named_not_set_aside(tmp_path: Path, cli_env):
    folder = tmp_path / "cases"
    folder.mkdir()
    path = folder / "c.sqlite"
    db = open_database(path)
    cases.create_case(db, title="Kept")
    db.close()
    before = fingerprint(path)
    proc = in_mount_namespace(
        f"mount --bind {folder} {folder}\nmount -o remount,bind,ro {folder}\n"
        + cli_command("--db", str(path), "case", "list"), env=cli_env)
    assert proc.returncode == 2, proc.stderr
    assert "read-only" in proc.stderr and "damaged" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert fingerprint(path) == before
    assert not list(folder.glob("*.damaged-*"))


def test_read_only_file_is_named(tmp_path: Path, monkeypatch):
    """A file the user may not write (root may write anything, so the permission is what
    ``os.access`` answers for an ordinary user)."""
    import os

    path = tmp_path / "c.sqlite"
    open_database(path).close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == path
                        and mode & os.W_OK else real(p, mode, **kw))
    with pytest.raises(DatabaseUnavailable, match="read-only"):
        open_database(path)
    assert path.exists()
