"""A web page's text is what its reader sees: hidden nodes out, formulas and drawn text in,
HTML5 entities as their characters; a broken XML declaration does not hide the page."""

from __future__ import annotations

from pathlib import Path

from casefile.importers.html import extract_fields

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def text(name: str) -> str:
    return extract_fields((PAGES / name).read_bytes())["text"]


def test_hidden_nodes_are_not_the_article():
    got = text("hidden_nodes.html")
    assert "Editor's note" not in got
    assert "draft paragraph" not in got
    assert "carousel" not in got
    assert "vote will be held again next month" in got
    # decoration inside a line stays (a reader sees it); "until-found" text is findable
    assert "said the town could wait until the spring before it spent its reserve" in got


def test_formulas_and_drawn_text_keep_their_words():
    got = text("math_svg.html")
    assert "follows the formula d=c−r, where the costs" in got
    assert "Receipts fell by a fifth" in got
    assert "Costs rose every year" in got


def test_html5_entities_are_characters():
    fields = extract_fields((PAGES / "html5_entities.html").read_bytes())
    assert fields["title"] == "Parking fee up 12% in Harnby"
    assert ("raised the parking fee by 12% on Tuesday (the first rise in six years) and cut "
            "the library grant by a third, the treasurer said.") in fields["text"]
    assert "&" not in fields["text"]


def test_a_page_behind_a_broken_xml_declaration_is_read():
    page = ('<?xml version="1.0" encoding="velna, harnby, ferry, flood">\n'
            '<html><head><title>Ferry closed</title></head><body><article><h1>Ferry closed</h1>'
            '<p>The ferry crossing at Ostrava Minor closed on Thursday after ice formed along '
            'the northern bank of the Velna overnight, three weeks earlier than last year.</p>'
            '<p>Villagers must now drive forty kilometres to the bridge at Harnby to reach the '
            'market and the clinic on the southern side of the river.</p></article></body></html>')
    assert "drive forty kilometres to the bridge" in extract_fields(page.encode())["text"]


def test_foreign_prefixed_tags_do_not_stop_the_reading():
    page = ('<html><head><title>Ferry closed</title></head><body><rdf:RDF><dc:title>x'
            '</dc:title></rdf:RDF><article><h1>Ferry closed</h1><p>The ferry crossing at '
            'Ostrava Minor closed on Thursday after ice formed along the northern bank of the '
            'Velna overnight, three weeks earlier than last year.</p><m:math><m:mi>x</m:mi>'
            '</m:math><p>Villagers must now drive forty kilometres to the bridge at Harnby.</p>'
            '</article></body></html>')
    assert "drive forty kilometres to the bridge" in extract_fields(page.encode())["text"]


def test_the_hidden_whole_of_a_teaser_cut_short_is_the_article():
    """A page shows an article's first lines cut with "…" and a "more" link, the whole of it
    hidden until the click: the whole is read, the cut copy not twice."""
    got = text("collapsed_more.html")
    assert "not to eat at the inn by the chapel, which opens at noon" in got
    assert "the island shows itself within the first ten minutes" in got
    assert got.count("The old ferry leaves the north quay") == 1
    assert "Copyright" not in got
