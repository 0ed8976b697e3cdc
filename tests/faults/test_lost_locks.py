"""If the locks SQLite holds on the database are lost (see tests/ui/test_file_dialogs.py for
what dropped them), no saved edit may vanish; short sessions are backed up too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.db import backup
from casefile.db.database import open_database
from casefile.services import cases

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="Linux /proc/locks")


def _my_locks() -> list[str]:
    pid = str(os.getpid())
    return [ln for ln in Path("/proc/locks").read_text().splitlines() if ln.split()[4] == pid]


def _drop_locks_like_a_file_reader(path: Path) -> None:
    """What a library that sniffs a file's type does: open it, read, close — which ends every
    POSIX lock this process holds on that file."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            fd = os.open(p, os.O_RDONLY)
            os.read(fd, 16)
            os.close(fd)


def test_a_journal_removed_behind_our_back_loses_no_edit(tmp_path: Path, cli_env):
    path = tmp_path / "case.sqlite"
    db = open_database(path)
    try:
        first = cases.create_case(db, title="before").id
        _drop_locks_like_a_file_reader(path)
        env = {**cli_env, "CASEFILE_DB": str(path)}

        def cli(*args: str) -> str:
            return subprocess.run([sys.executable, "-m", "casefile.cli", *args], env=env,
                                  check=True, capture_output=True, text=True,
                                  timeout=120).stdout

        cli("claims", "--json")
        assert not Path(f"{path}-wal").exists()  # the other program checkpointed and removed it
        mine = cases.create_case(db, title="mine").id
        assert "mine" in cli("case", "list")  # an edit others cannot see is as good as lost
        theirs = cli("case", "new", "from the command line", "--json")
        second = cases.create_case(db, title="after").id
    finally:
        db.close()
    import json

    again = open_database(path)
    try:
        kept = {c.id for c in cases.list_cases(again)}
        assert {first, mine, second, json.loads(theirs)["id"]} <= kept
    finally:
        again.close()


def test_an_existing_case_is_backed_up_at_the_first_edit_of_a_short_session(tmp_path: Path):
    path = tmp_path / "case.sqlite"
    db = open_database(path)
    cases.create_case(db, title="x")
    db.close()
    assert backup.list_backups(path) == []  # a new file is not backed up
    db = open_database(path)
    try:
        cases.create_case(db, title="y")
        db.wait_for_backup(30)
    finally:
        db.close()
    assert len(backup.list_backups(path)) == 1
    db = open_database(path)  # right after: the newest backup is recent, none is taken
    try:
        cases.create_case(db, title="z")
        db.wait_for_backup(30)
    finally:
        db.close()
    assert len(backup.list_backups(path)) == 1


def test_the_open_database_is_never_read_as_an_article_bundle_or_project(tmp_path: Path):
    from casefile import importers
    from casefile.errors import CasefileError
    from casefile.exchange.merge import import_bundle
    from casefile.exchange.qdpx_import import import_qdpx

    path = tmp_path / "case.sqlite"
    db = open_database(path)
    try:
        case = cases.create_case(db, title="x").id
        link = tmp_path / "notes.txt"
        link.symlink_to(path)
        held = len(_my_locks())
        for target in (path, Path(f"{path}-wal"), link):
            [res] = importers.import_files(db, case_id=case, paths=[target])
            assert res.error and "open case database" in res.error
        for fn in (lambda: import_bundle(db, path=path), lambda: import_qdpx(db, path=path)):
            with pytest.raises(CasefileError, match="open case database"):
                fn()
        assert len(_my_locks()) == held  # nothing opened, nothing closed
    finally:
        db.close()
    # another program's SQLite file is refused as an article too (it is not one)
    other = tmp_path / "other.sqlite"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    db = open_database(tmp_path / "second.sqlite")
    try:
        case = cases.create_case(db, title="y").id
        [res] = importers.import_files(db, case_id=case, paths=[other])
        assert res.error and "database file, not an article" in res.error
    finally:
        db.close()
