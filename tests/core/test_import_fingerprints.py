"""The duplicate check looks documents up by stored fingerprint: it reads only the few texts
the lookup proposes, at any case size, and fingerprints documents that arrived without one."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select, update

from casefile import importers
from casefile.db.models import Document, DocumentFingerprint
from casefile.services import documents
from casefile.services.documents import NewDocument

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import filler_paragraphs

ARTICLE = "\n\n".join(filler_paragraphs(12))


def _other(i: int) -> str:
    return (f"Dispatch {i}. " + " ".join(f"word{i}x{j} and more text on topic {j}"
                                         for j in range(130)))


def _add(db, case_id, text: str, title: str) -> str:
    return documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title=title)).id


def _fingerprint_rows(db, doc_id: str) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(DocumentFingerprint)
                        .where(DocumentFingerprint.document_id == doc_id))


def test_each_document_keeps_a_fingerprint_that_goes_with_it(db, case_id):
    doc_id = _add(db, case_id, ARTICLE, "Report")
    assert _fingerprint_rows(db, doc_id) > 0
    documents.delete_document(db, document_id=doc_id)
    assert _fingerprint_rows(db, doc_id) == 0


def test_the_check_reads_only_the_proposed_texts(db, case_id, tmp_path, monkeypatch):
    for i in range(40):
        _add(db, case_id, _other(i), f"Dispatch {i}")
    original = _add(db, case_id, ARTICLE, "Vakhidov report")
    read: list[str] = []
    get_text = documents.get_text
    monkeypatch.setattr(documents, "get_text",
                        lambda db, *, document_id: read.append(document_id) or
                        get_text(db, document_id=document_id))
    path = tmp_path / "copy.md"
    path.write_text("Vakhidov report\n\n" + ARTICLE, encoding="utf-8")
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok and original in (res.warning or "")
    assert read == [original]


def test_documents_that_came_without_a_fingerprint_are_found(db, case_id, tmp_path):
    doc_id = _add(db, case_id, ARTICLE, "Vakhidov report")
    with db.write() as s:  # as a bundle merge writes rows: no fingerprint, another original
        s.execute(DocumentFingerprint.__table__.delete())
        s.execute(update(Document).where(Document.id == doc_id).values(sha256="0" * 64))
    path = tmp_path / "copy.md"
    path.write_text("Vakhidov report\n\n" + ARTICLE, encoding="utf-8")
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok and doc_id in (res.warning or "")
    assert _fingerprint_rows(db, doc_id) > 0
