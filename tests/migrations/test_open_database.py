"""Opening a database: refusals leave the file untouched; damage is set aside, backups offered."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from casefile.db import backup
from casefile.db.database import open_database
from casefile.errors import DatabaseCorrupt, DatabaseTooNew, NotACasefileDatabase
from casefile.services import cases


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_database_is_refused_byte_for_byte_unchanged(db_path):
    db = open_database(db_path)
    cases.create_case(db, title="From the future")
    db.close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_a_newer_casefile'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(db_path)
    backups = backup.list_backups(db_path)
    with pytest.raises(DatabaseTooNew, match="newer version of Casefile"):
        open_database(db_path)
    assert _digest(db_path) == before
    assert backup.list_backups(db_path) == backups  # refused: no backup taken either


def test_a_text_file_is_not_overwritten(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("my precious notes\n", encoding="utf-8")
    with pytest.raises(NotACasefileDatabase, match="not a Casefile database"):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "my precious notes\n"


def test_someone_elses_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('plov')")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotACasefileDatabase):
        open_database(path)
    assert _digest(path) == before


def test_damaged_database_is_set_aside_and_newest_backup_offered(db_path):
    db = open_database(db_path)
    cases.create_case(db, title="Before the damage")
    db.close()
    older = backup.make_backup(db_path, reason="test")
    newer = backup.make_backup(db_path, reason="test")
    # Scribble over the middle of the file (past the header) to damage b-tree pages.
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    for i in range(page, len(data), page):
        data[i:i + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt) as info:
        open_database(db_path)
    err = info.value
    assert not db_path.exists()
    assert err.set_aside is not None and err.set_aside.exists()
    assert [b[0] for b in err.backups][:2] == [newer.path, older.path]
    assert str(newer.path) in str(err)
    # The offered backup is a working database.
    restored = open_database(err.backups[0][0])
    assert [c.title for c in cases.list_cases(restored)] == ["Before the damage"]
    restored.close()


def test_backups_rotate_and_are_verified(db_path):
    open_database(db_path).close()
    for _ in range(backup.KEEP + 3):
        made = backup.make_backup(db_path, reason="test")
        assert backup.quick_check(made.path) is None
    kept = backup.list_backups(db_path)
    assert len(kept) == backup.KEEP
    assert kept == sorted(kept, key=lambda b: b.taken_at, reverse=True)


def test_periodic_backup_while_data_changes(db_path):
    db = open_database(db_path)
    db.backup_interval_s = 0
    cases.create_case(db, title="One")
    assert db._backup_thread is not None and db._backup_thread.name == "casefile-backup"
    db.wait_for_backup()
    assert len(backup.list_backups(db_path)) == 1
    db.backup_interval_s = 3600
    cases.create_case(db, title="Two")
    assert len(backup.list_backups(db_path)) == 1
    db.close()


def test_default_location_is_overridable(monkeypatch, tmp_path):
    from casefile import paths

    monkeypatch.setenv("CASEFILE_DB", str(tmp_path / "env.sqlite"))
    assert paths.default_db_path() == tmp_path / "env.sqlite"
    monkeypatch.delenv("CASEFILE_DB")
    default = paths.default_db_path()
    assert default.name == "casefile.sqlite" and "Casefile" in str(default)


def test_damage_found_while_in_use_is_reported_not_a_crash(db_path):
    db = open_database(db_path)
    case = cases.create_case(db, title="In use")
    backup.make_backup(db_path, reason="test")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.rollback()
    db.engine.dispose()  # drop cached pages, as after the disk went bad
    data = bytearray(db_path.read_bytes())
    for i in range(4096, len(data), 4096):
        data[i:i + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt, match="Restart Casefile") as info:
        cases.list_cases(db)
        cases.update_case(db, case_id=case.id, title="x")
    assert info.value.backups, "the newest good backup is named"
    db.close()
