"""Replacing the database file (restore, setting a damaged file aside) is refused while another
window or command has it open, so no acknowledged edit can go to a file nobody reads
(issue 10, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.db import backup
from casefile.db.database import open_database
from casefile.errors import DatabaseInUse
from casefile.services import cases
from tests.faults.helpers import fingerprint
from tests.helpers import run_cli


def _titles(path: Path) -> list[str]:
    db = open_database(path)
    try:
        return sorted(c.title for c in cases.list_cases(db))
    finally:
        db.close()


def test_cli_restore_is_refused_while_the_database_is_open(tmp_path: Path, cli_env):
    path = tmp_path / "c.sqlite"
    db = open_database(path)  # the window, holding the database
    try:
        cases.create_case(db, title="A")
        saved = backup.make_backup(path, reason="manual")
        cases.create_case(db, title="B")
        before = fingerprint(path)
        proc = run_cli("--db", str(path), "restore", str(saved.path), env=cli_env, check=False)
        assert proc.returncode == 2
        assert "open in another Casefile window or command" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
        assert fingerprint(path) == before
        cases.create_case(db, title="C")  # the window goes on saving
    finally:
        db.close()
    assert _titles(path) == ["A", "B", "C"]
    # Once nothing has it open, the restore goes through.
    run_cli("--db", str(path), "restore", str(saved.path), env=cli_env)
    assert _titles(path) == ["A"]


def test_two_windows_then_restore(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    first, second = open_database(path), open_database(path)
    try:
        cases.create_case(first, title="from the first")
        saved = backup.make_backup(path)
        cases.create_case(second, title="from the second")
        with pytest.raises(DatabaseInUse):
            backup.restore(saved.path, path)
        first.close()
        with pytest.raises(DatabaseInUse):  # the second still has it
            backup.restore(saved.path, path)
        cases.create_case(second, title="later")
    finally:
        first.close()
        second.close()
    assert _titles(path) == ["from the first", "from the second", "later"]


def test_damaged_file_is_not_set_aside_under_another_program(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    holder = open_database(path)
    try:
        cases.create_case(holder, title="A")
        holder.engine.dispose()  # checkpoint: everything in the main file
        data = bytearray(path.read_bytes())
        data[100:4096] = b"\xff" * (4096 - 100)
        path.write_bytes(bytes(data))
        with pytest.raises(DatabaseInUse, match="set the damaged database aside"):
            open_database(path)
        assert path.exists()
        assert not list(tmp_path.glob("*.damaged-*"))
    finally:
        holder.close()
