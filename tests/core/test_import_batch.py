"""Several files stored in one transaction: each document whole or not at all, duplicates
within the batch caught as across batches, one bad document never costs the others."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

import pytest

from casefile.db.models import Document
from casefile.importers import storing
from casefile.services import documents, fingerprints
from casefile.services.documents import NewDocument
from casefile.shingles import shingle_hashes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import filler_paragraphs


def _item(name: str, text: str, *, title: str = "", ctype: str = "text/plain",
          original: bytes | None = None, **extra) -> tuple[Path, storing.Extracted]:
    data = original if original is not None else f"{ctype}\n{text}".encode()
    doc = NewDocument(text=text, original=data, content_type=ctype, title=title,
                      source_name=name, **extra)
    return Path(name), (hashlib.sha256(data).hexdigest(), doc, shingle_hashes(text))


def _report(i: int) -> str:
    return f"Report {i} on the Vakhidov file\n\n" + "\n\n".join(filler_paragraphs(3 + i)[i:])


def _rows(db_path: Path) -> list[tuple]:
    """Every stored document with its original's size and its fingerprint's size."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT d.id, length(o.data), (SELECT count(*) FROM document_fingerprint f "
            "WHERE f.document_id = d.id), (SELECT count(*) FROM document_fingerprint_source s "
            "WHERE s.document_id = d.id) FROM document d "
            "LEFT JOIN document_original o ON o.document_id = d.id").fetchall()
    finally:
        conn.close()


def test_a_batch_stores_every_document_whole_in_order(db, db_path, case_id):
    items = [_item(f"r{i}.txt", _report(i), title=f"Report {i}", outlet="Meridian Wire")
             for i in range(5)]
    results = storing.store_batch(db, case_id=case_id, items=items)
    assert [r.file for r in results] == [str(p) for p, _ in items]
    assert all(r.ok and r.warning is None for r in results)
    stored = {d.id: d for d in documents.list_documents(db, case_id=case_id)}
    assert set(stored) == {r.id for r in results}
    assert {d.outlet for d in stored.values()} == {"Meridian Wire"}
    for r, (_, (_, doc, _)) in zip(results, items, strict=True):
        assert documents.get_text(db, document_id=r.id) == doc.text
        assert documents.get_original(db, document_id=r.id) == doc.original
    assert all(size and fp and src == 1 for _, size, fp, src in _rows(db_path))


def test_duplicates_within_a_batch_are_caught(db, case_id):
    article = _report(6)
    items = [
        _item("a.html", article, title="Vakhidov seen in Raqqa", ctype="text/html"),
        _item("a-again.html", article, title="Vakhidov seen in Raqqa", ctype="text/html"),
        _item("other.txt", _report(2), title="Another report"),
        _item("a.md", article, title="Vakhidov seen in Raqqa", ctype="text/markdown"),
    ]
    items[1] = (items[1][0], items[0][1])  # the same bytes under another name
    first, again, other, markdown = storing.store_batch(db, case_id=case_id, items=items)
    assert again.duplicate_of == first.id == again.id and "already imported" in again.warning
    assert other.ok and other.warning is None
    assert markdown.id not in (first.id, other.id)
    assert first.id in markdown.warning and "text/html" in markdown.warning
    assert len(documents.list_documents(db, case_id=case_id)) == 3
    # and across batches as before
    (later,) = storing.store_batch(db, case_id=case_id, items=[items[1]])
    assert later.duplicate_of == first.id


def test_an_inconsistent_document_fails_alone(db, db_path, case_id):
    items = [_item(f"r{i}.txt", _report(i)) for i in range(4)]
    items[2] = _item("broken.pdf", _report(2), ctype="application/pdf", page_starts=(5, 1))
    results = storing.store_batch(db, case_id=case_id, items=items)
    assert [r.ok for r in results] == [True, True, False, True]
    assert "page offsets" in results[2].error
    assert len(_rows(db_path)) == 3
    assert all(size and fp and src == 1 for _, size, fp, src in _rows(db_path))


def test_a_write_failing_half_way_leaves_no_half_record(db, db_path, case_id, monkeypatch):
    """The fingerprints are written after the documents: failing there rolls the batch back,
    then every file is stored on its own and only the one that fails again fails."""
    from casefile.errors import ValidationError

    items = [_item(f"r{i}.txt", _report(i)) for i in range(4)]
    poisoned = items[1][1][1].text
    real = fingerprints.store_new_in_session

    def store(s, batch):
        real(s, batch)
        if any(s.get(Document, i).text == poisoned for i, _, _ in batch):
            raise ValidationError("the disk said no")

    monkeypatch.setattr(fingerprints, "store_new_in_session", store)
    results = storing.store_batch(db, case_id=case_id, items=items)
    assert [r.ok for r in results] == [True, False, True, True]
    assert results[1].error == "the disk said no"
    rows = _rows(db_path)
    assert {r[0] for r in rows} == {results[i].id for i in (0, 2, 3)}
    assert all(size and fp and src == 1 for _, size, fp, src in rows)


@pytest.mark.parametrize("workers", [1, 2])
def test_import_files_catches_the_same_article_in_one_batch(db, case_id, tmp_path, workers):
    article = _report(8)
    paths = []
    for i in range(9):
        p = tmp_path / f"r{i}.md"
        p.write_text(_report(10 + i) if i not in (2, 7) else f"# Copy {i}\n\n{article}",
                     encoding="utf-8")
        paths.append(p)
    from casefile import importers

    results = importers.import_files(db, case_id=case_id, paths=paths, workers=workers)
    assert all(r.ok for r in results)
    assert results[7].warning and results[2].id in results[7].warning
    assert [r.warning is None for r in results].count(True) == 8
