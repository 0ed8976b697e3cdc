"""Metadata an importer only guessed (a PDF's file date) is marked as a guess, never invented,
and stops being one when the analyst confirms or corrects it."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from casefile import dates, importers
from casefile.services import documents

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

STAMP = b"D:20000101000000"


def _pdf(tmp_path: Path, made: date | None, name: str = "report.pdf") -> Path:
    data = article_pdf(filler_paragraphs(2), title="A report without a dateline")
    if made is not None:
        data = data.replace(STAMP, made.strftime("D:%Y%m%d000000").encode())
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _import(db, case_id, path: Path):
    [res] = importers.import_files(db, case_id=case_id, paths=[path])
    assert res.ok, res.error
    return documents.get_document(db, document_id=res.id)


def test_pdf_made_today_gets_no_publication_date(db, case_id, tmp_path):
    doc = _import(db, case_id, _pdf(tmp_path, date.today()))
    assert doc.published == ""
    assert doc.guessed == ()


def test_old_file_date_is_offered_only_as_a_guess(db, case_id, tmp_path):
    doc = _import(db, case_id, _pdf(tmp_path, date(2019, 6, 2)))
    assert doc.published == "2019-06-02"
    assert doc.is_guess("published")


def test_confirming_or_correcting_ends_the_guess(db, case_id, tmp_path):
    doc = _import(db, case_id, _pdf(tmp_path, date(2019, 6, 2)))
    same = documents.update_document(db, document_id=doc.id, confirm=("published",))
    assert same.published == "2019-06-02" and not same.is_guess("published")
    doc2 = _import(db, case_id, _pdf(tmp_path, date(2018, 1, 9), "other.pdf"))
    fixed = documents.update_document(db, document_id=doc2.id, published="March 2018")
    assert fixed.published == "2018-03" and fixed.guessed == ()


def test_a_newer_file_never_replaces_a_real_date_with_a_guess(db, case_id, tmp_path):
    doc = _import(db, case_id, _pdf(tmp_path, None))
    documents.update_document(db, document_id=doc.id, published="2016-05-01")
    importers.reimport_file(db, document_id=doc.id, path=_pdf(tmp_path, date(2019, 6, 2),
                                                              "newer.pdf"))
    after = documents.get_document(db, document_id=doc.id)
    assert after.published == "2016-05-01" and after.guessed == ()


def test_file_dates_that_say_nothing():
    today = date.today()
    assert dates.file_date_says_little(today.year, today.month, today.day)
    future = today + timedelta(days=40)
    assert dates.file_date_says_little(future.year, future.month, future.day)
    assert dates.file_date_says_little("2019", "13", "40")
    assert not dates.file_date_says_little("2019", "06", "02")


def test_a_guess_travels_in_the_bundle_and_old_records_hash_as_before(db, case_id, tmp_path):
    import io

    from casefile.exchange.bundle import export_bundle
    from casefile.exchange.casedata import TYPE_BY_KEY, _row_dict
    from casefile.exchange.merge import import_bundle

    guessed = _import(db, case_id, _pdf(tmp_path, date(2019, 6, 2)))
    plain_doc = _import(db, case_id, _pdf(tmp_path, date.today(), "plain.pdf"))
    buf = io.BytesIO()
    export_bundle(db, case_id=case_id, out=buf)
    from casefile.db.database import open_database

    other = open_database(tmp_path / "other.sqlite")
    try:
        bundle = tmp_path / "c.casefile"
        bundle.write_bytes(buf.getvalue())
        report = import_bundle(other, path=bundle)
        docs = {d.id: d for d in documents.list_documents(other, case_id=report.case_id)}
        assert docs[guessed.id].is_guess("published")
        assert docs[plain_doc.id].guessed == ()
    finally:
        other.close()
    rt = TYPE_BY_KEY["documents"]
    with db.read() as s:
        from casefile.db.models import Document

        assert "guessed" not in _row_dict(rt, s.get(Document, plain_doc.id))
        assert _row_dict(rt, s.get(Document, guessed.id))["guessed"] == ["published"]
