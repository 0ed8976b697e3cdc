"""Plain text, Markdown and Word files: encodings, title, byline, date and outlet lines."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from casefile import importers
from casefile.services import documents

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
CP1252_ARTICLE = ("Vakhidov reported killed near Qalat Nur\n"
                  "By René Duchêne\n\n"
                  "Officials said the militant known as Abu Hafs al‑Qalami – “the pen” – died "
                  "in the café district of Qalat Nur; his brother Jamshed denied it. Cost: 5 €.\n")


def test_cp1252_text_never_becomes_mojibake(db, case_id, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(CP1252_ARTICLE.replace("‑", "-").encode("cp1252"))
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    text = documents.get_text(db, document_id=res.id)
    assert "“the pen”" in text and "café" in text and "5 €" in text and "Ã" not in text
    doc = documents.get_document(db, document_id=res.id)
    assert doc.title == "Vakhidov reported killed near Qalat Nur"
    assert doc.author == "René Duchêne"
    assert doc.content_type == "text/plain"


def test_utf8_bom_and_crlf(db, case_id, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Title line\r\n\r\nТемур Вахидов was named.\r\n".encode())
    res = importers.import_file(db, case_id=case_id, path=path)
    assert documents.get_text(db, document_id=res.id) == "Title line\n\nТемур Вахидов was named."


def test_markdown_file(db, case_id):
    res = importers.import_file(db, case_id=case_id, path=ARTICLES / "courier_alive.md")
    assert res.ok, res.error
    doc = documents.get_document(db, document_id=res.id)
    text = documents.get_text(db, document_id=res.id)
    assert doc.title == "Vakhidov may still be alive, says former associate"
    assert doc.author == "Dilnoza Karimova"
    assert doc.published == "2021-06-09"
    assert doc.outlet == "Caspian Courier"
    assert doc.content_type == "text/markdown"
    assert ("A former associate of Temur Vakhidov told the Caspian Courier that the militant, "
            "declared dead by Interior Minister Anvar Rasulzoda in August 2020, may still be "
            "alive") in text  # emphasis marks gone, wrapped lines joined
    assert "#" not in text and "**" not in text and "\n> " not in text


def test_docx_paragraphs_table_and_core_properties(db, case_id, tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "Vakhidov's brother speaks"
    d.core_properties.author = "Rivertown Gazette staff"
    d.core_properties.created = datetime(2017, 5, 2, 10, 0)
    d.add_heading("Vakhidov's brother speaks", level=1)
    d.add_paragraph("Jamshed Vakhidov said his brother Temur was alive in 2017.")
    d.add_paragraph("Their father Olim declined to comment.")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Reported death"
    table.rows[0].cells[1].text = "Tal Hasan, 2017"
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "brother.docx"
    path.write_bytes(buf.getvalue())
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    doc = documents.get_document(db, document_id=res.id)
    assert (doc.title, doc.author, doc.published) == (
        "Vakhidov's brother speaks", "Rivertown Gazette staff", "2017-05-02")
    assert documents.get_text(db, document_id=res.id) == (
        "Vakhidov's brother speaks\n\nJamshed Vakhidov said his brother Temur was alive in 2017."
        "\n\nTheir father Olim declined to comment.\n\nReported death | Tal Hasan, 2017")


def test_byline_and_dateline_give_author_outlet_and_date(db, case_id, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Vakhidov reported dead again\n\nBy Daniel Orme, Meridian Wire, 19 October 2017"
                 "\n\nTimur Vakhidov was killed in a missile strike on Tal Hasan.\n")
    b = tmp_path / "b.txt"
    b.write_text("Fighter reported killed\nBy Mira Ostrova\n\nNORTHERN LEDGER — 12 May 2015\n\n"
                 "Temur Vakhidov was killed near Qalat Nur, officials said.\n")
    ra, rb = importers.import_files(db, case_id=case_id, paths=[a, b])
    da = documents.get_document(db, document_id=ra.id)
    db_ = documents.get_document(db, document_id=rb.id)
    assert (da.author, da.outlet, da.published) == ("Daniel Orme", "Meridian Wire", "2017-10-19")
    assert (db_.author, db_.outlet, db_.published) == ("Mira Ostrova", "Northern Ledger",
                                                       "2015-05-12")
