"""Corruption that ``PRAGMA integrity_check`` cannot see — a flipped byte in a trigger's stored
SQL — is found by ``check`` and mended by ``check --repair`` (issue 10, item 4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from casefile.cli import main as cli_main
from casefile.db.database import open_database
from casefile.db.schema import integrity_check, upgrade
from casefile.services import search
from tests.core.exchange_world import build_world


def _flip(path: Path, name: str, old: str, new: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    n = conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?",
                     (old, new, name)).rowcount
    conn.execute("PRAGMA writable_schema = OFF")
    conn.close()
    assert n == 1


def test_a_flipped_byte_in_a_trigger_is_found_and_repaired(tmp_path: Path, capsys):
    path = tmp_path / "c.sqlite"
    db = open_database(path)
    world = build_world(db)
    db.close()
    _flip(path, "search_index_document_ai", "'document'", "'documenT'")
    db = open_database(path)
    try:
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        problems = integrity_check(db)
        assert any("search_index_document_ai differs" in p for p in problems), problems
    finally:
        db.close()
    assert cli_main(["--db", str(path), "check"]) == 1
    assert "search_index_document_ai" in capsys.readouterr().err
    assert cli_main(["--db", str(path), "check", "--repair"]) == 0
    db = open_database(path)
    try:
        assert integrity_check(db) == []
        hits = search.search(db, case_id=world.case_id, query="Tal Hasan")
        assert hits
    finally:
        db.close()


def test_a_missing_index_is_found(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    open_database(path).close()
    conn = sqlite3.connect(path)
    name = conn.execute("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                        "LIMIT 1").fetchone()[0]
    conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        assert f"schema: index {name} is missing" in integrity_check(db)
    finally:
        db.close()


def test_an_upgraded_database_matches_a_new_one(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    upgrade(path, "0001")
    db = open_database(path)
    try:
        assert integrity_check(db) == []
    finally:
        db.close()
