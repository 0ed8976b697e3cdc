"""Invisible format characters (soft hyphens, zero-width, bidi marks) never reach the canonical
text, so search and quotes find the words; joiners that shape Persian words stay."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.importers import text as text_importer
from casefile.services import documents, search

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import pages_pdf

DIRTY = ("Wäh\u00adrend der Kämpfe bei Wadi\u200b Sirr wurde \u200eTemur\u200f "
         "\u2066Vakhidov\u2069 get\u00f6\u00adtet, sagte der Minis\u2060ter.\ufeff")
CLEAN = "Während der Kämpfe bei Wadi Sirr wurde Temur Vakhidov getötet, sagte der Minister."


@pytest.mark.parametrize("name, data", [
    ("note.txt", ("Bericht\n\n" + DIRTY).encode("utf-8")),
    ("page.html", ("<html><head><meta charset='utf-8'><title>Bericht\u00ad aus Wadi Sirr</title>"
                   "</head><body><article><h1>Bericht</h1><p>" + DIRTY + "</p><p>Die Regierung "
                   "hat die Meldung bisher nicht bestätigt und verweist auf laufende "
                   "Ermittlungen.</p></article></body></html>").encode("utf-8")),
])
def test_invisible_characters_are_removed_and_the_words_found(db, case_id, tmp_path, name,
                                                               data):
    path = tmp_path / name
    path.write_bytes(data)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    text = documents.get_text(db, document_id=res.id)
    assert CLEAN in text
    assert "\u00ad" not in documents.get_document(db, document_id=res.id).title
    hits = search.search(db, case_id=case_id, query="Während getötet")
    assert [h.id for h in hits if h.type == "document"] == [res.id]


def test_pdf_soft_hyphens_join_words_and_leave_no_trace():
    data = pages_pdf([["Der Kommandeur wurde wäh\u00ad", "rend der Kämpfe bei Wadi Sirr",
                       "get\u00f6\u00adtet, sagte der Minister am Montag."]], embed_font=True)
    doc = importers.extract(data, "bericht.pdf")
    assert "wurde während der Kämpfe bei Wadi Sirr getötet" in doc.text
    assert "\u00ad" not in doc.text


def test_joiners_that_shape_persian_words_stay():
    persian = "می\u200cخواهم"  # "I want": the joiner keeps the prefix apart
    assert text_importer.strip_invisible(persian) == persian
    assert text_importer.strip_invisible("Te\u200dmur \u200cVakhidov") == "Temur Vakhidov"
