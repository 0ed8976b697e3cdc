"""Migrations: empty to head, models agree, transactional upgrades, backups before upgrading."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from casefile import paths
from casefile.db import (
    backup,
    fts,
    team,  # noqa: F401 (the team case's tables share the metadata)
)
from casefile.db.database import open_database
from casefile.db.engine import make_engine
from casefile.db.models import Base, include_object
from casefile.db.revisions import head_revision
from casefile.db.schema import upgrade


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def _revision(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_empty_database_reaches_head_in_wal_mode(db_path):
    db = open_database(db_path)
    db.close()
    assert _revision(db_path) == head_revision()
    assert {"case", "document", "document_original", "highlight", "tag", "entity", "alias",
            "claim", "claim_evidence", "claim_link"} <= _tables(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_models_and_migrations_agree(db_path):
    open_database(db_path).close()
    engine = make_engine(db_path)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "include_object": include_object, "compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_pragmas_on_every_connection(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        conn.rollback()


def _all_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from casefile.db.revisions import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_older_database_is_backed_up_then_upgraded(db_path):
    revs = _all_revisions()
    if len(revs) < 2:
        pytest.skip("only one revision exists yet")
    upgrade(db_path, revs[0])
    before = db_path.read_bytes()
    db = open_database(db_path)
    db.close()
    assert _revision(db_path) == head_revision()
    made = backup.list_backups(db_path)
    assert len(made) == 1
    assert _revision(made[0].path) == revs[0]
    # the backup is the old database, readable and sound
    assert backup.quick_check(made[0].path) is None
    assert len(before) > 0


def _add_revision(tmp_path: Path, monkeypatch, upgrade_body: str) -> str:
    """Point Casefile at a copy of its migrations plus one throw-away revision on top of head
    whose ``upgrade()`` runs ``upgrade_body``; returns the old head."""
    scripts = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    body = "".join(f"    {line}\n" for line in upgrade_body.strip().splitlines())
    (scripts / "versions" / "9999_test.py").write_text(
        '"""A throw-away revision for a test."""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '9999'\ndown_revision = {head!r}\nbranch_labels = None\n"
        "depends_on = None\n\n"
        f"def upgrade():\n{body}\n"
        "def downgrade():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(paths, "migrations_dir", lambda: scripts)
    return head


def test_failed_migration_leaves_the_old_schema(db_path, tmp_path, monkeypatch):
    """A revision that fails half-way must roll back its DDL: SQLite DDL is transactional
    when BEGIN is ours."""
    open_database(db_path).close()
    rows_before = _case_rows(db_path)
    head = _add_revision(tmp_path, monkeypatch, """
op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))
with op.batch_alter_table('case') as b:
    b.add_column(sa.Column('extra', sa.Text, nullable=True))
raise RuntimeError('boom')
""")
    with pytest.raises(RuntimeError, match="boom"):
        open_database(db_path)
    assert "half_done" not in _tables(db_path)
    assert _revision(db_path) == head
    conn = sqlite3.connect(db_path)
    cols = [r[1] for r in conn.execute("PRAGMA table_info('case')")]
    conn.close()
    assert "extra" not in cols
    assert _case_rows(db_path) == rows_before


def _case_rows(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM \"case\"").fetchall()
    finally:
        conn.close()


def test_batch_migration_does_not_cascade_deletes(db_path, tmp_path, monkeypatch):
    """Batch mode recreates a parent table; with foreign keys on, that would delete children."""
    from casefile.services import cases, documents
    from casefile.services.documents import NewDocument

    db = open_database(db_path)
    case = cases.create_case(db, title="Keep me")
    documents.add_document(db, case_id=case.id, doc=NewDocument(
        text="Some text", original=b"Some text", content_type="text/plain"))
    db.close()
    _add_revision(tmp_path, monkeypatch, """
with op.batch_alter_table('case', recreate='always') as b:
    b.add_column(sa.Column('extra', sa.Text, nullable=True))
""")
    db = open_database(db_path)
    assert len(documents.list_documents(db, case_id=case.id)) == 1
    db.close()


def test_search_index_survives_a_later_batch_migration(db_path, tmp_path, monkeypatch):
    """Recreating an indexed table in batch mode drops its triggers; opening repairs them."""
    from casefile.services import cases, documents, search
    from casefile.services.documents import NewDocument

    db = open_database(db_path)
    case = cases.create_case(db, title="Search me")
    documents.add_document(db, case_id=case.id, doc=NewDocument(
        text="Temur Vakhidov near Qalat Nur", original=b"x", content_type="text/plain"))
    db.close()
    _add_revision(tmp_path, monkeypatch, """
with op.batch_alter_table('document', recreate='always') as b:
    b.add_column(sa.Column('extra', sa.Text, nullable=True))
""")
    db = open_database(db_path)
    assert fts.index_is_current(db)
    documents.add_document(db, case_id=case.id, doc=NewDocument(
        text="A later report from Wadi Sirr", original=b"y", content_type="text/plain"))
    assert search.search(db, case_id=case.id, query="Sirr"), "new text is indexed"
    db.close()
