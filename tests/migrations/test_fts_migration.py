"""Migration 0002: the FTS5 index is filled from existing rows, kept in step, and removable."""

from __future__ import annotations

import sqlite3

from casefile.db import fts
from casefile.db.database import open_database
from casefile.db.schema import upgrade
from casefile.services import cases, documents, search
from casefile.services.documents import NewDocument


def _tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    finally:
        conn.close()


def test_upgrade_indexes_rows_written_before_it(tmp_path):
    path = tmp_path / "old.sqlite"
    upgrade(path, "0001")
    conn = sqlite3.connect(path)
    conn.executescript("""
        INSERT INTO "case" (id, title, summary, created_at, updated_at)
            VALUES ('c1', 'Old case', '', '2020-01-01', '2020-01-01');
        INSERT INTO entity (id, case_id, kind, name, description, reliability, created_at,
                            updated_at)
            VALUES ('e1', 'c1', 'person', 'Temur Vakhidov', '', '', '2020-01-01', '2020-01-01');
        INSERT INTO alias (id, entity_id, name, created_at)
            VALUES ('a1', 'e1', 'Abu Hafs al-Qalami', '2020-01-01');
        INSERT INTO document (id, case_id, title, author, url, published, imported_at,
            content_type, source_name, sha256, text, page_starts, extractor, extractor_version,
            created_at, updated_at)
            VALUES ('d1', 'c1', 'Old report', '', '', '2015', '2020-01-01', 'text/plain', '',
            '', 'Reported killed near Qalat Nur.', '[]', '', '', '2020-01-01', '2020-01-01');
    """)
    conn.commit()
    conn.close()
    assert "search_index" not in _tables(path)
    db = open_database(path)  # backs up and upgrades to head
    try:
        hits = search.search(db, case_id="c1", query="Qalat")
        assert [(h.type, h.id, h.start) for h in hits] == [("document", "d1", 21)]
        assert [h.entity_id for h in search.search(db, case_id="c1", query="Qalami")] == ["e1"]
        doc = documents.add_document(db, case_id="c1", doc=NewDocument(
            text="Seen alive in Qalat Nur.", original=b"n", content_type="text/plain"))
        assert {h.id for h in search.search(db, case_id="c1", query="Qalat")} == {"d1", doc.id}
        assert fts.index_is_current(db)
    finally:
        db.close()


def test_downgrade_drops_the_index(tmp_path):
    path = tmp_path / "case.sqlite"
    db = open_database(path)
    cases.create_case(db, title="x")
    db.close()
    names = _tables(path)
    assert {"search_index", "search_index_map", "search_index_document_ai"} <= names
    from alembic import command

    from casefile.db.engine import make_engine
    from casefile.db.revisions import alembic_config

    cfg = alembic_config()
    engine = make_engine(path, migrating=True)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    assert not {n for n in _tables(path) if n.startswith("search_index")}
    # and back up again, refilled
    upgrade(path)
    assert "search_index" in _tables(path)
