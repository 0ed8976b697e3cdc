"""PDF running lines: a letterhead repeated on every page is kept once, page numbers go, and a
number that only happens to open a page stays."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile.importers import pdf as pdf_importer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import pages_pdf

LETTERHEAD = "CASPIAN FREIGHT LLC · Invoice 2020-117"
FLOWING = ("Minutes of the border commission meeting held at Qalat Nur in March 2020, as "
           "recorded by the secretariat and circulated to all members of the commission for "
           "their comments before the next session in April 2020, when the commissioners "
           "agreed that the crossing would stay open to freight.")
PAGES = [
    ["Minutes of the border commission meeting held at Qalat Nur in March 2020, as",
     "recorded by the secretariat and circulated to all members of the commission for",
     "their comments before the next session in April 2020, when the commissioners"],
    ["agreed that the crossing would stay open to freight.",
     "Containers inspected in the first week of the month at each of the crossings named",
     "in the annex, as counted by the customs service and reported to the commission:"],
    ["17",
     "of them at Qalat Nur, where the scanner had been repaired."],
]


def test_letterhead_kept_once_and_page_numbers_dropped():
    doc = pdf_importer.extract(pages_pdf(PAGES, header=LETTERHEAD, top=50), "invoice.pdf")
    assert doc.text.count(LETTERHEAD) == 1
    assert doc.text.startswith(LETTERHEAD)
    assert FLOWING in doc.text  # the paragraph runs on across the letterhead of page 2
    words = doc.text.split()
    assert "17" in words  # a number at the top of page 3 is content, not a page number
    assert words.count("1") == words.count("2") == words.count("3") == 0  # page numbers


def test_running_footer_inside_a_flowing_paragraph_is_kept_after_it():
    footer = "Confidential: commission members only · page {n}"
    doc = pdf_importer.extract(pages_pdf(PAGES, footer=footer), "minutes.pdf")
    assert FLOWING in doc.text
    assert doc.text.count("Confidential: commission members only") == 1
    paragraphs = doc.text.split("\n\n")
    assert paragraphs.index("Confidential: commission members only · page 1") == \
        paragraphs.index(FLOWING) + 1
    assert len(doc.page_starts) == 3


def test_every_line_of_a_one_page_letter_is_kept():
    lines = ["Dear Mr Vakhidov,", "Your shipment 17 arrived on 3 August 2020.", "Regards,"]
    doc = pdf_importer.extract(pages_pdf([lines], header=LETTERHEAD, footer="1", top=50),
                               "letter.pdf")
    for line in (LETTERHEAD, *lines):
        assert line in doc.text


def test_two_pages_keep_every_line_twice_printed():
    heading = "Principal and interest rates by loan type"
    pages = [[heading, "Standard variable rate 6.1 per cent, fixed for one year 5.9."],
             [heading, "Investment variable rate 6.6 per cent, fixed for one year 6.3."]]
    doc = pdf_importer.extract(pages_pdf(pages, header=LETTERHEAD, top=50), "rates.pdf")
    assert doc.text.count(heading) == 2  # two tables' headings: content
    assert doc.text.count(LETTERHEAD) == 2  # too few pages to tell a letterhead apart
    assert "1" not in doc.text.split() and "2" not in doc.text.split()  # page numbers
