"""What a file says of itself (DOCX core properties, a PDF's info dictionary) is a guess until
confirmed, and a generator's placeholder ("python-docx", "Administrator") is no value at all."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

import pytest

from casefile.exchange.caseview import load_view
from casefile.importers.fileprops import prop_date, prop_text
from casefile.services import highlights
from tests.core.test_guessed_metadata import _import

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

BODY = "Firuz Rahmonov, a former mayor of Kulob, was detained at the border in March 2018."


def _docx(tmp_path: Path, *, heading: str = "", **props) -> Path:
    import docx

    d = docx.Document()
    for key, value in props.items():
        setattr(d.core_properties, key, value)
    if heading:
        d.add_heading(heading, level=1)
    d.add_paragraph(BODY)
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "report.docx"
    path.write_bytes(buf.getvalue())
    return path


def test_a_python_docx_file_brings_no_author_and_no_template_date(db, case_id, tmp_path):
    doc = _import(db, case_id, _docx(tmp_path))  # author "python-docx", created 2013-12-23
    assert (doc.author, doc.published, doc.guessed) == ("", "", ())


@pytest.mark.parametrize("author", ["Microsoft Office User", "Administrator", "Unknown",
                                    "user", " python-docx "])
def test_generator_defaults_are_dropped(db, case_id, tmp_path, author):
    doc = _import(db, case_id, _docx(tmp_path, author=author))
    assert doc.author == "" and "author" not in doc.guessed


def test_every_core_property_taken_is_a_guess(db, case_id, tmp_path):
    doc = _import(db, case_id, _docx(tmp_path, heading="Former mayor detained",
                                     title="Weekly digest template", author="Nodira Saidova",
                                     created=datetime(2018, 3, 20, 9, 0)))
    assert (doc.title, doc.author, doc.published) == (
        "Weekly digest template", "Nodira Saidova", "2018-03-20")
    assert set(doc.guessed) == {"title", "author", "published"}


def test_a_title_the_document_prints_is_read_not_guessed(db, case_id, tmp_path):
    doc = _import(db, case_id, _docx(tmp_path, heading="Former mayor detained",
                                     title="Former mayor detained"))
    assert doc.title == "Former mayor detained" and not doc.is_guess("title")


def test_pdf_info_author_and_title_are_guesses_and_placeholders_dropped(db, case_id,
                                                                        tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(article_pdf(filler_paragraphs(2), title="Border arrests rise",
                                 info_title="Quarterly border bulletin",
                                 info_author="Nodira Saidova"))
    doc = _import(db, case_id, path)
    assert (doc.title, doc.author) == ("Quarterly border bulletin", "Nodira Saidova")
    assert {"title", "author"} <= set(doc.guessed)
    path = tmp_path / "b.pdf"
    path.write_bytes(article_pdf(filler_paragraphs(2), title="Border arrests rise",
                                 byline="By Karim Tursunov", info_title="Border arrests rise",
                                 info_author="Administrator"))
    doc = _import(db, case_id, path)
    assert (doc.title, doc.author) == ("Border arrests rise", "Karim Tursunov")
    assert not doc.is_guess("title") and not doc.is_guess("author")  # read from the page


def test_the_report_marks_a_guessed_date_in_citations(db, case_id, tmp_path):
    doc = _import(db, case_id, _docx(tmp_path, heading="Former mayor detained",
                                     created=datetime(2018, 3, 20, 9, 0)))
    start, end = highlights.locate_quote(db, document_id=doc.id, quote="was detained")
    hl = highlights.create_highlight(db, document_id=doc.id, start=start, end=end).id
    assert load_view(db, case_id=case_id).citation(hl).human() == (
        "unknown outlet, 20 March 2018 (guess), “Former mayor detained”")


def test_property_helpers():
    assert prop_text("  Microsoft   Office User ") == ""
    assert prop_text(" Nodira  Saidova ") == "Nodira Saidova"
    assert prop_date(2013, 12, 23) == ""  # python-docx's template
    assert prop_date("2019", "06", None) == "2019-06"
