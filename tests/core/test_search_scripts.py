"""Search across scripts: a name typed in Latin finds it in Cyrillic (inflected too) and back,
with hits at the right offsets and hits as typed ranked first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from casefile import importers
from casefile.db import fts
from casefile.db.database import open_database
from casefile.db.schema import upgrade
from casefile.services import documents, entities, search

SCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"


@pytest.fixture
def docs(db, case_id):
    out = {}
    for name in ("ru_khalimov.txt", "en_khalimov.txt", "ar_khalimov.txt"):
        res = importers.import_file(db, case_id=case_id, path=SCRIPTS / name)
        assert res.ok, res.error
        out[name[:2]] = res.id
    return out


def _words(db, hit):
    text = documents.get_text(db, document_id=hit.id)
    return [text[a:b] for a, b in hit.offsets]


def test_latin_query_finds_cyrillic_and_its_inflections(db, case_id, docs):
    hits = [h for h in search.search(db, case_id=case_id, query="Khalimov")
            if h.type == "document"]
    assert [h.id for h in hits][:2] == [docs["en"], docs["ar"]]  # as typed first
    ru = next(h for h in hits if h.id == docs["ru"])
    assert set(_words(db, ru)) == {"Халимов", "Халимова", "Халимову", "Халимовых"}
    text = documents.get_text(db, document_id=docs["ru"])
    assert text[ru.start:ru.end] == "Халимов" and ru.start == text.index("Халимов")
    assert "[Халимов]" in ru.snippet


def test_cyrillic_query_finds_latin_and_other_spellings(db, case_id, docs):
    hits = [h for h in search.search(db, case_id=case_id, query="Халимов")
            if h.type == "document"]
    assert hits[0].id == docs["ru"]
    en = next(h for h in hits if h.id == docs["en"])
    # Khalimov, and the Tajik outlet's Halimov (one sound, two spellings); not "Chalimow"
    assert _words(db, en) == ["Khalimov", "Halimov"]
    ar = next(h for h in hits if h.id == docs["ar"])
    text = documents.get_text(db, document_id=docs["ar"])
    assert [text[a:b] for a, b in ar.offsets] == ["Khalimov"]


def test_two_words_in_two_scripts_and_entities(db, case_id, docs):
    hits = search.search(db, case_id=case_id, query="Gulmurod Халимов")
    assert {h.id for h in hits if h.type == "document"} == {docs["ru"], docs["en"], docs["ar"]}
    ent = entities.create_entity(db, case_id=case_id, kind="person", name="Гулмурод Халимов")
    found = search.search(db, case_id=case_id, query="Khalimov", types=("entity",))
    assert [h.entity_id for h in found] == [ent.id]


def test_upgrade_folds_documents_already_there(tmp_path):
    path = tmp_path / "old.sqlite"
    upgrade(path, "0006")
    conn = sqlite3.connect(path)
    conn.executescript("""
        INSERT INTO "case" (id, title, summary, created_at, updated_at)
            VALUES ('c1', 'Old case', '', '2020-01-01', '2020-01-01');
        INSERT INTO document (id, case_id, title, author, url, published, imported_at,
            content_type, source_name, sha256, text, page_starts, extractor, extractor_version,
            guessed, created_at, updated_at)
            VALUES ('d1', 'c1', 'Старый отчёт', '', '', '2015', '2020-01-01', 'text/plain', '',
            '', 'Тело Халимова не найдено.', '[]', '', '', '[]', '2020-01-01', '2020-01-01');
    """)
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        hits = search.search(db, case_id="c1", query="Khalimov")
        assert [(h.id, h.start, h.end) for h in hits] == [("d1", 5, 13)]
        assert fts.index_is_current(db)
        fts.rebuild_index(db)
        assert [h.id for h in search.search(db, case_id="c1", query="Khalimov")] == ["d1"]
    finally:
        db.close()
