"""Web pages: text outside trafilatura's paragraphs is read — a lead paragraph that follows a
heading with no element of its own, and the text of a quote holding a line break."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.importers import html as html_importer
from casefile.importers.paragraphs import body_paragraphs

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_lead_paragraph_after_a_heading_is_kept():
    doc = html_importer.extract((PAGES / "lead_as_tail.html").read_bytes(), "lead.html")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Qalat Nur, 4 August"
    assert paragraphs[1].startswith("Interior Minister Anvar Rasulzoda said on Monday")
    assert paragraphs[1].endswith("no independent source has confirmed so far.")
    assert len(paragraphs) == 4


def test_quote_with_a_line_break_keeps_all_its_text():
    doc = html_importer.extract((PAGES / "quote_with_break.html").read_bytes(), "quote.html")
    assert ("Our information is that he was killed in the strike,\ntogether with four of his "
            "guards.") in doc.text.split("\n\n")
    assert "We will not believe it until we see the body." in doc.text
    assert "The investigation continues." in doc.text.split("\n\n")


@pytest.mark.parametrize("xml, expected", [
    ("<body>Dateline.<p>One.</p>Between.<p>Two.</p>After.</body>",
     ["Dateline.", "One.", "Between.", "Two.", "After."]),
    ("<body><p>Say <hi>it</hi> <ref>loud</ref>,<lb/>twice.</p></body>", ["Say it loud,\ntwice."]),
    ("<body><list><item>First</item><item>Second<list><item>inner</item></list></item>"
     "</list>Tail.</body>", ["• First", "• Second", "• inner", "Tail."]),
    ("<body><table><row><cell>A</cell><cell>B<lb/>C</cell></row></table></body>",
     ["A | B C"]),
    # the page's own table markup, passed through inside a paragraph
    ("<body><p>Results<table><tr><td>1</td><td>Qalat Nur</td></tr><tr><th>2</th><td>Wadi "
     "Sirr</td></tr></table>as counted.</p></body>",
     ["Results", "1 | Qalat Nur", "2 | Wadi Sirr", "as counted."]),
    # an old page's layout table (as readability hands it back): its cells' paragraphs, not
    # the whole article as one row of cells
    ("<body><table><tr><td><table><tr><td>Home</td><td>Ferries</td></tr></table></td>"
     "<td><h2>The ferry</h2><p>It leaves at seven.<br/>It takes two hours.</p>"
     "<p>The captain sells tea.</p></td></tr></table></body>",
     ["Home | Ferries", "The ferry", "It leaves at seven.\nIt takes two hours.",
      "The captain sells tea."]),
    ("<body><p>get the modules <code>import</code>ing cleanly</p></body>",
     ["get the modules importing cleanly"]),
    ("<body><p><contrib>Longini IM Jr</contrib>and <contrib>Halloran ME</contrib>.</p></body>",
     ["Longini IM Jr and Halloran ME ."]),
])
def test_every_piece_of_text_in_the_tree_is_read(xml, expected):
    from lxml import etree

    assert body_paragraphs(etree.fromstring(xml)) == expected
