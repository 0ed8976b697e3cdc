"""Word boxes: found in the canonical text, stored compactly, turned into highlight rectangles."""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import delete

from casefile import importers
from casefile.db.models import DocumentLayout
from casefile.importers import layouts as rebuild
from casefile.layout import PageLayout, Word, align
from casefile.services import documents, layouts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

BROKEN = ["The strike destroyed a house used by the com-", "mander and his well-",
          "known guards near Wadi Sirr, officials said."]


def test_align_finds_words_in_order_skips_dropped_ones_and_joins_broken_words():
    text = "The strike destroyed a house used by the commander and his well-known guards."
    words = [Word(t, 0, i * 10.0, 0, i * 10.0 + 8, 10) for i, t in enumerate(
        ["Page", "7", "The", "strike", "destroyed", "a", "house", "used", "by", "the", "com-",
         "mander", "and", "his", "well-", "known", "guards."])]
    lay = align(text, [(600, 800)], words)
    got = [text[lay.start[i]:lay.end[i]] for i in range(len(lay))]
    assert got[:2] == ["The", "strike"]  # the running "Page 7" is not in the text
    assert "com" in got and "mander" in got and "well-" in got and "known" in got
    assert lay.start[got.index("mander")] == lay.end[got.index("com")]


def test_rects_cover_whole_lines_and_cut_partial_words():
    lay = PageLayout([(600, 800)])
    for i, (a, b) in enumerate([(0, 5), (6, 11), (12, 17)]):
        lay.add(0, a, b, (10 + 60 * i, 100, 60 + 60 * i, 112))
    lay.add(0, 18, 23, (10, 120, 60, 132))  # next line
    [(p, line1), (_p, line2)] = lay.rects(2, 20)
    assert p == 0 and line1[0] == pytest.approx(30) and line1[2] == pytest.approx(180)
    assert line2 == pytest.approx((10, 120, 30, 132))
    back = PageLayout.decode(lay.encode())
    assert list(back.start) == list(lay.start) and back.box(3) == lay.box(3)
    assert back.sizes == [(600.0, 800.0)]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return article_pdf([BROKEN, *filler_paragraphs(12)], title="Strike near Wadi Sirr",
                       header="MERIDIAN WIRE")


def _imported(db, case_id, tmp_path, data):
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    return res.id


def test_pdf_import_stores_word_boxes_matching_pdfplumber(db, case_id, tmp_path, pdf_bytes):
    doc = _imported(db, case_id, tmp_path, pdf_bytes)
    text = documents.get_text(db, document_id=doc)
    info = layouts.get_layout(db, document_id=doc)
    assert info is not None and info.ocr_confidence is None
    lay = info.layout
    assert lay.pages == documents.get_document(db, document_id=doc).pages
    with pdfplumber.open(Path(tmp_path / "a.pdf")) as pdf:
        # the footer ("Page 1 of 2") is no part of the text, the running header is there once
        page_words = [[w for w in p.extract_words() if w["top"] < p.height - 60
                       and (n == 0 or w["top"] > 60)] for n, p in enumerate(pdf.pages)]
    # every word the text holds is located, each on the box pdfplumber gives it
    found = {(lay.page[i], round(lay.x0[i]), round(lay.y0[i])): text[lay.start[i]:lay.end[i]]
             for i in range(len(lay))}
    for n, words in enumerate(page_words):
        for w in words:
            key = (n, round(w["x0"]), round(w["top"]))
            assert key in found, w
            assert found[key] in (w["text"], w["text"].rstrip("-"))
    assert len(lay) >= 0.95 * len(text.split())


def test_documents_without_boxes_get_them_from_their_original(db, case_id, tmp_path,
                                                              pdf_bytes):
    doc = _imported(db, case_id, tmp_path, pdf_bytes)
    before = layouts.get_layout(db, document_id=doc).layout
    with db.write() as s:
        s.execute(delete(DocumentLayout))
    assert layouts.get_layout(db, document_id=doc) is None
    rebuilt = rebuild.build_layout(db, document_id=doc).layout
    assert list(rebuilt.start) == list(before.start)
    assert layouts.get_layout(db, document_id=doc) is not None
    documents.delete_document(db, document_id=doc)
    with db.read() as s:
        assert s.get(DocumentLayout, doc) is None


def test_boxes_of_an_older_text_are_not_used(db, case_id, tmp_path, pdf_bytes):
    from casefile.db.models import Document

    doc = _imported(db, case_id, tmp_path, pdf_bytes)
    with db.write() as s:  # as a bundle merge may change a document's text
        row = s.get(Document, doc)
        row.text = "An earlier version. " + row.text
    assert layouts.get_layout(db, document_id=doc) is None
    info = rebuild.build_layout(db, document_id=doc)
    text = documents.get_text(db, document_id=doc)
    assert layouts.get_layout(db, document_id=doc) is not None
    first = info.layout.start[0]
    assert first == len("An earlier version. ")  # the words moved with the text
    assert text[first:info.layout.end[0]] == "MERIDIAN"
