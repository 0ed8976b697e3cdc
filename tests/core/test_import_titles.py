"""Web page titles: only a known site name is removed from a title, never its last words."""

from __future__ import annotations

from casefile.importers import html as html_importer

BODY = "".join(f"<p>Paragraph {i}: officials in Qalat Nur described the talks with the border "
               "commission in some detail to the reporters present.</p>" for i in range(5))


def _page(head: str, h1: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'>{head}</head><body><article><h1>{h1}</h1>{BODY}"
            "</article></body></html>").encode()


def test_a_title_ending_in_a_dash_and_words_keeps_them():
    title = "Border talks with the Tajik delegation stall – Until Now"
    doc = html_importer.extract(_page(f"<title>{title}</title>", title), "a.html")
    assert doc.title == title
    assert doc.outlet == ""


def test_a_title_with_several_bars_is_not_cut():
    title = "Letters: Border talks | Road works | Tax dollars | Recount cost"
    doc = html_importer.extract(_page(f"<title>{title}</title>", title), "a.html")
    assert doc.title == title


def test_the_declared_site_name_is_removed():
    head = ("<title>Border talks stall | Caspian Courier</title>"
            "<meta property='og:site_name' content='Caspian Courier'>")
    doc = html_importer.extract(_page(head, "Border talks stall"), "a.html")
    assert doc.title == "Border talks stall"
    assert doc.outlet == "Caspian Courier"


def test_a_site_named_by_the_page_address_is_removed():
    head = ("<title>Border talks stall - Meridian Wire</title>"
            "<link rel='canonical' href='https://www.meridianwire.example/2020/talks'>")
    doc = html_importer.extract(_page(head, "Border talks stall - Meridian Wire"), "a.html")
    assert doc.title == "Border talks stall"
    assert doc.outlet == "Meridian Wire"
