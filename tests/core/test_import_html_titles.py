"""A web page's title is the headline its own statements agree on, not a section name or the
site's logo set as an ``<h1>``."""

from __future__ import annotations

from pathlib import Path

from casefile.importers.html import extract_fields

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def title(name: str) -> str:
    return extract_fields((PAGES / name).read_bytes())["title"]


def test_a_section_name_in_the_only_h1_is_not_the_title():
    assert title("title_section_h1.html") == "Flood inquiry opens after the Velna dam breach"


def test_the_sites_logo_in_an_h1_is_not_the_title():
    got = title("title_logo_h1.html")
    assert got.startswith("Chapter 3 - The Ferryman's Daughter - Ilse Varga")
    assert "beta" not in got


def _title_of(markup: str) -> str:
    from casefile.importers.html import extract_fields

    return extract_fields(markup.encode())["title"]


def test_a_title_naming_only_the_site_gives_way_to_the_headline_above_the_article():
    """An old page's <title> is the newspaper's name; its headline is a styled span above the
    article: the headline is the document's title (the list read "The Harnby Courier" for
    every story of that site)."""
    got = extract_fields((PAGES / "title_site_name.html").read_bytes())
    assert got["title"] == "Ferry crew strike halts Kessel crossings"
    assert "The crew of the Kessel Island ferry walked off" in got["text"]


_ARTICLE = ("<p>The crew of the Kessel Island ferry walked off the boat at the north quay on "
            "Wednesday morning, halting all crossings until the harbour authority meets their "
            "union next week.</p><p>Passengers who had bought tickets were offered refunds at "
            "the quay office, and the island's inn said two parties had cancelled.</p>"
            "<p>The union said the crew had worked without a new contract for two years and "
            "that the strike would go on until the authority made an offer in writing.</p>")


def test_a_page_without_a_title_takes_the_headline_cell_above_its_article():
    page = ("<html><body><table><tr><td class='contentheading'>Ferry crew strike halts Kessel "
            f"crossings</td></tr><tr><td>{_ARTICLE}</td></tr></table></body></html>")
    assert _title_of(page) == "Ferry crew strike halts Kessel crossings"


def test_a_title_about_the_article_is_kept_beside_another_heading():
    """The <title> speaks of the article (a word of its opening) or is a "Headline | Site":
    a heading above the article (a section's, a kicker) does not replace it."""
    page = ("<html><head><title>{}</title></head><body><h2>Strike at the quay: crew and "
            f"union</h2>{_ARTICLE}</body></html>")
    assert _title_of(page.format("Kessel ferry halted")) == "Kessel ferry halted"
    assert _title_of(page.format("Islanders stranded | Harnby Courier")).startswith(
        "Islanders stranded")


def test_a_title_that_is_the_sites_address_gives_way_to_a_short_headline_just_above():
    """"The Harnby Courier" on harnbycourier.example is the site's name for certain: a
    two-word headline just above the article is the title, though it shares no word with
    the opening."""
    page = ("<html><head><title>The Harnby Courier</title>"
            "<link rel='canonical' href='https://www.harnbycourier.example/2008/01/ferry'>"
            f"</head><body><h1>Quay deadlock</h1>{_ARTICLE}</body></html>")
    assert _title_of(page) == "Quay deadlock"


def test_a_headings_permalink_mark_is_not_in_the_title():
    page = ("<html><head><title>Quay deadlock</title></head><body><h1>Quay deadlock ¶</h1>"
            f"{_ARTICLE}</body></html>")
    assert _title_of(page) == "Quay deadlock"


def test_the_outlet_does_not_repeat_the_headline():
    """A page's site name that trafilatura reads as "Site - Headline - Section" is the site."""
    page = ("<html><head><title>Harnby Courier - Quay deadlock - All the news</title>"
            "<meta property='og:site_name' content='Harnby Courier - Quay deadlock - All the "
            f"news'></head><body><h1>Quay deadlock</h1>{_ARTICLE}</body></html>")
    from casefile.importers.html import extract_fields

    got = extract_fields(page.encode())
    assert got["title"] == "Quay deadlock"
    assert got["outlet"] == "Harnby Courier"
