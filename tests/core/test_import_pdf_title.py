"""PDF titles: a headline set over two lines is one paragraph and one title; the outlet comes
from the metadata ("Headline - Outlet" titles, Publisher/Company fields)."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile.importers import pdf as pdf_importer
from casefile.importers.reflow import Line, Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

HEADLINE = "Border Police Commander Trained Abroad Defects to the Militants of Wadi Sirr"


def test_headline_over_two_lines_is_one_paragraph_and_the_title():
    doc = pdf_importer.extract(article_pdf(filler_paragraphs(3), title=HEADLINE), "a.pdf")
    assert doc.text.split("\n\n")[0] == HEADLINE
    assert doc.title == HEADLINE


def test_outlet_and_title_from_a_headline_site_title():
    data = article_pdf(filler_paragraphs(3), title=HEADLINE,
                       info_title=f"{HEADLINE} - Caspian Courier")
    doc = pdf_importer.extract(data, "a.pdf")
    assert doc.outlet == "Caspian Courier"
    assert doc.title == HEADLINE


def test_a_title_with_a_dash_is_not_split_without_a_matching_headline():
    data = article_pdf(filler_paragraphs(3), title="Minutes",
                       info_title="Commission minutes - Session of 3 March")
    doc = pdf_importer.extract(data, "a.pdf")
    assert doc.outlet == ""
    assert doc.title == "Commission minutes - Session of 3 March"


def _page(size: float, *lines: tuple[str, float]) -> Page:
    return Page(600, 800, tuple(Line(t, 50, 50 + 6 * len(t), top, top + size, size)
                                for t, top in lines))


def test_publisher_then_company_fields_name_the_outlet():
    page = _page(11, ("Some text of the report.", 100))
    assert pdf_importer.metadata({"Publisher": "Meridian Wire", "Company": "Acme"},
                                 [page])["outlet"] == "Meridian Wire"
    assert pdf_importer.metadata({"Company": "Caspian Courier Ltd"}, [page])["outlet"] == \
        "Caspian Courier Ltd"
    assert pdf_importer.metadata({"Company": "Microsoft"}, [page])["outlet"] == ""
