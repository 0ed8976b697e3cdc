"""The schema: migrations run to a revision, and a database's tables, indexes and triggers
compared with what its migrations define."""

from __future__ import annotations

import sqlite3
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import text

from casefile.db.engine import make_engine
from casefile.db.revisions import alembic_config
from casefile.db.session import Database


def upgrade(path: Path, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in a single transaction, foreign keys off."""
    from alembic import command

    cfg = alembic_config()
    engine = make_engine(path, migrating=True)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise RuntimeError(f"migration left dangling references: {bad[:5]}")
    finally:
        engine.dispose()


def current_revision(path: Path) -> str | None:
    """The alembic revision stamped in the database at ``path``."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def integrity_check(db: Database) -> list[str]:
    """Problems found by ``PRAGMA integrity_check``, ``foreign_key_check`` and a comparison of
    the schema (tables, indexes, triggers) with what the migrations define; empty when sound."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
        if rows != [("ok",)]:
            problems += [f"integrity: {r[0]}" for r in rows]
        for row in conn.execute(text("PRAGMA foreign_key_check")).fetchall():
            problems.append(f"dangling reference in {row[0]} (rowid {row[1]}) to {row[2]}")
        conn.rollback()
    return problems + [f"schema: {p}" for p in schema_differences(db)]


_SCHEMA_SQL = ("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
               "AND name NOT LIKE 'sqlite_%'")


def _schema_of(execute: Any) -> dict[tuple[str, str], str]:
    return {(t, n): str(sql) for t, n, sql in execute(_SCHEMA_SQL).fetchall()}


def _current_schema(db: Database) -> tuple[str, dict[tuple[str, str], str]]:
    with db.engine.connect() as conn:
        rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        have = _schema_of(conn.exec_driver_sql)
        conn.rollback()
    return rev, have


@cache
def expected_schema(revision: str) -> dict[tuple[str, str], str]:
    """Every table, index and trigger as the migrations up to ``revision`` create them (built
    once per process in a throw-away database)."""
    with tempfile.TemporaryDirectory(prefix="casefile-schema-") as tmp:
        path = Path(tmp) / "expected.sqlite"
        upgrade(path, revision)
        conn = sqlite3.connect(path)
        try:
            return _schema_of(conn.execute)
        finally:
            conn.close()


def schema_differences(db: Database) -> list[str]:
    """What differs between this database's schema and the one its migrations define: a
    trigger or index altered (a flipped byte in its stored SQL), missing or unknown. These
    escape ``integrity_check`` and would leave, say, the search index silently wrong."""
    rev, have = _current_schema(db)
    want = expected_schema(rev)
    out = []
    for key in sorted(want.keys() | have.keys()):
        kind, name = key
        if key not in have:
            out.append(f"{kind} {name} is missing")
        elif key not in want:
            out.append(f"{kind} {name} is not one the migrations define")
        elif have[key] != want[key]:
            out.append(f"{kind} {name} differs from what the migrations define")
    return out


def repair_schema(db: Database) -> list[str]:
    """Re-create every index and trigger that is missing or differs from the migrations'
    definition; returns their names (tables are never rebuilt here)."""
    rev, have = _current_schema(db)
    want = expected_schema(rev)
    fixed = [key for key in want if key[0] in ("index", "trigger") and have.get(key) != want[key]]
    if fixed:
        with db.write() as s:
            for kind, name in fixed:
                s.execute(text(f'DROP {kind.upper()} IF EXISTS "{name}"'))
                s.execute(text(want[(kind, name)]))
    return [name for _kind, name in fixed]
