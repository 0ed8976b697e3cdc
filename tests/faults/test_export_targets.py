"""No export, report or image ever writes onto the open database, its journals, lock or backups;
every export replaces its target atomically and leaves no half file (issue 10, item 2)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from casefile.cli import main as cli_main
from casefile.db import backup
from casefile.db.database import open_database
from casefile.db.schema import integrity_check
from casefile.exchange import export as export_mod
from tests.core.exchange_world import build_world
from tests.faults.helpers import cli_command, fingerprint, in_mount_namespace

FORMATS = ("bundle", "jsonld", "csv", "qdc", "html", "pdf")


@pytest.fixture
def world_db(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite"
    db = open_database(path)
    build_world(db, title="The Vakhidov file")
    backup.make_backup(path)
    db.close()
    return path


def _targets(path: Path) -> dict[str, Path]:
    backups = backup.backup_dir(path)
    link = path.parent / "link.casefile"
    link.symlink_to(path)
    hard = path.parent / "hard.casefile"
    os.link(path, hard)
    return {"database": path, "wal": Path(f"{path}-wal"), "shm": Path(f"{path}-shm"),
            "backups folder": backups, "inside backups": backups / "new.casefile",
            "existing backup": next(backups.iterdir()), "symlink": link, "hard link": hard,
            "lock": Path(f"{path}.lock")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_never_writes_onto_the_database(world_db: Path, fmt: str, capsys):
    before = fingerprint(world_db)
    backups_before = {p.name: fingerprint(p) for p in backup.backup_dir(world_db).iterdir()}
    for name, target in _targets(world_db).items():
        code = cli_main(["--db", str(world_db), "export", "--format", fmt, "-o", str(target)])
        err = capsys.readouterr().err
        assert code == 2, f"{fmt} onto the {name} was not refused"
        assert "one of its own files" in err and len(err.strip().splitlines()) == 1, err
        assert fingerprint(world_db) == before, f"{fmt} onto the {name} changed the database"
    assert {p.name: fingerprint(p) for p in backup.backup_dir(world_db).iterdir()} \
        == backups_before
    db = open_database(world_db)
    try:
        assert integrity_check(db) == []
    finally:
        db.close()


@pytest.mark.parametrize("fmt", FORMATS[:-1])
def test_a_failed_export_leaves_the_old_file_and_no_half_file(world_db: Path, tmp_path: Path,
                                                              fmt: str, monkeypatch, capsys):
    target = tmp_path / "out" / f"case.{fmt}"
    target.parent.mkdir()
    target.write_bytes(b"the previous export")
    real = export_mod.atomic_write

    def failing(tgt, write, **kw):
        def half(p: Path) -> None:
            write(p)
            with p.open("ab") as fh:
                fh.write(b"half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(p))
        return real(tgt, half, **kw)

    monkeypatch.setattr(export_mod, "atomic_write", failing)
    code = cli_main(["--db", str(world_db), "export", "--format", fmt, "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "disk is full" in err and len(err.strip().splitlines()) == 1, err
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_export_onto_a_full_disk(world_db: Path, tmp_path: Path, cli_env):
    full = tmp_path / "full"
    full.mkdir()
    proc = in_mount_namespace(
        f"mount -t tmpfs -o size=16k tmpfs {full}\n"
        f"head -c 12000 /dev/zero > {full}/filler || true\n"
        + cli_command("--db", str(world_db), "export", "--format", "bundle", "-o",
                      str(full / "case.casefile"))
        + f" || echo \"exit $?\"; ls -A {full}", env=cli_env)
    assert "exit 2" in proc.stdout, proc.stdout + proc.stderr
    assert "disk is full" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.split("exit 2")[1].split() == ["filler"], proc.stdout


@pytest.mark.parametrize("make", ["folder", "missing folder", "empty", "fifo"])
def test_export_to_an_unusable_target(world_db: Path, tmp_path: Path, make: str, capsys):
    if make == "folder":
        target = str(tmp_path)
    elif make == "missing folder":
        target = str(tmp_path / "nowhere" / "case.csv")
    elif make == "empty":
        target = ""
    else:
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    code = cli_main(["--db", str(world_db), "export", "--format", "csv", "-o", target])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
