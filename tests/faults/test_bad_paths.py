"""Paths that are not ordinary files, full disks and files that are not what they claim: each
gets a one-line reason and changes nothing; nothing hangs (issue 10, item 10)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.db import backup
from casefile.db.database import open_database
from casefile.services import cases
from tests.faults.helpers import cli_command, fingerprint, in_mount_namespace


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The CLI with a time limit: a pipe or /dev/zero used to hang an import for ever."""
    return subprocess.run([sys.executable, "-m", "casefile.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def one_line(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def weird(tmp_path: Path) -> dict[str, str]:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    return {"fifo": str(fifo), "zero": "/dev/zero", "loop": str(loop), "folder": str(tmp_path),
            "devnull": "/dev/null", "missing": str(tmp_path / "gone.txt")}


@pytest.mark.parametrize("kind", ["fifo", "zero", "loop", "folder", "devnull", "missing"])
def test_import_of_what_is_not_a_file(cli_env, weird, kind: str):
    proc = cli("import", weird[kind], env=cli_env)
    assert proc.returncode == 1
    assert one_line(proc).startswith("failed ")


@pytest.mark.parametrize("kind", ["fifo", "zero", "loop", "folder", "devnull", "missing"])
def test_import_bundle_of_what_is_not_a_file(cli_env, weird, kind: str):
    proc = cli("import-bundle", weird[kind], env=cli_env)
    assert proc.returncode == 2
    one_line(proc)


@pytest.mark.parametrize("kind", ["empty", "text", "other sqlite", "folder", "fifo"])
def test_restore_of_what_is_not_a_casefile_backup(tmp_path: Path, cli_env, kind: str):
    path = Path(cli_env["CASEFILE_DB"])
    db = open_database(path)
    cases.create_case(db, title="Kept")
    db.close()
    before = fingerprint(path)
    src = tmp_path / "backup.sqlite"
    if kind == "empty":
        src.write_bytes(b"")
    elif kind == "text":
        src.write_text("hello")
    elif kind == "other sqlite":
        conn = sqlite3.connect(src)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
    elif kind == "folder":
        src.mkdir()
    else:
        os.mkfifo(src)
    proc = cli("restore", str(src), env=cli_env)
    assert proc.returncode == 2, proc.stderr
    one_line(proc)
    assert fingerprint(path) == before
    assert not backup.list_backups(path)


def test_import_and_bundle_import_onto_a_full_disk(tmp_path: Path, cli_env):
    """The database on a tiny file system that fills up: a one-line reason, and the database
    still passes ``check`` with what was saved before. (The file system holds a new database
    and its journal while it is created; the filler then leaves 60 kB.)"""
    disk = tmp_path / "disk"
    disk.mkdir()
    article = tmp_path / "big.txt"
    article.write_text("The convoy left Qalat Nur at dawn. " * 20_000)
    bundle = tmp_path / "in.casefile"
    other = open_database(tmp_path / "other.sqlite")
    from casefile.exchange.bundle import export_bundle
    from tests.core.exchange_world import build_world

    world = build_world(other)
    export_bundle(other, case_id=world.case_id, out=bundle)
    other.close()
    db = disk / "c.sqlite"
    c = lambda *a: cli_command("--db", str(db), *a)  # noqa: E731
    proc = in_mount_namespace(
        f"mount -t tmpfs -o size=1400k tmpfs {disk}\n"
        f"{c('case', 'new', 'Kept')} > /dev/null\n"
        f"head -c $(( $(stat -f -c '%a*%S' {disk}) - 60000 )) /dev/zero > {disk}/filler\n"
        f"{c('import', str(article))} 2> {tmp_path}/import.err || echo \"import exit $?\"\n"
        f"{c('import-bundle', str(bundle))} 2> {tmp_path}/bundle.err || echo \"bundle exit $?\"\n"
        f"rm {disk}/filler\n"
        f"{c('check')}\n{c('case', 'list', '--json')}", env=cli_env)
    assert "import exit 1" in proc.stdout and "bundle exit 2" in proc.stdout, (
        proc.stdout + proc.stderr)
    for name in ("import.err", "bundle.err"):
        err = (tmp_path / name).read_text().strip()
        assert "full" in err and "Traceback" not in err and len(err.splitlines()) == 1, err
    assert "ok" in proc.stdout and '"Kept"' in proc.stdout, proc.stdout + proc.stderr
