"""Titles never name page chrome or the outlet alone: a plain-text copy of a page is titled by its
first substantive line, and a web page's title loses a site suffix that repeats the outlet or a
date ("… | DW | 19.01.2020"), while the details still show what the page said."""

from __future__ import annotations

import pytest

from casefile import importers
from casefile.importers import html as html_importer
from casefile.importers import text as text_importer
from casefile.importers.titles import original_title, strip_site, text_title
from casefile.services import documents

HEADLINE = "Tajik border guards detain two men near Panj crossing"
BODY = ("Two men were detained on Tuesday near the Panj crossing, the border service said in a "
        "statement, adding that both had returned from abroad in the spring.\n")


@pytest.mark.parametrize("top", [
    "Skip to content\n",
    "Skip to main content\nMenu\n",
    "We use cookies to improve your experience. Accept all cookies\nCaravanserai\n",
    "Caravanserai\n",
    "Home | News | Central Asia | Opinion\nPamir Herald\n\n",
    "Jump to navigation\nSign in\nSubscribe\n\nPamir Herald\n",
])
def test_plain_text_title_is_the_first_substantive_line(top):
    doc = text_importer.extract((top + HEADLINE + "\nBy Karim Tursunov\n\n" + BODY).encode(),
                                "page.txt")
    assert doc.title == HEADLINE
    assert doc.author == "Karim Tursunov"  # the byline under the chosen title is still read


@pytest.mark.parametrize(("text", "title"), [
    ("Vakhidov alive?\nBy Arman Telib\n\n" + BODY, "Vakhidov alive?"),  # a short headline
    ("Caravanserai\n\n" + BODY, "Caravanserai"),  # nothing better above the body
    (BODY.strip() * 2, "page.txt"),  # a first line that is a long paragraph is no title
])
def test_a_short_headline_stays_when_no_better_line_follows(text, title):
    assert text_importer.extract(text.encode(), "page.txt").title == title


def test_text_title_skips_chrome_only_at_the_top():
    lines = ["Skip to content", "", "Cookie settings", HEADLINE, "By Karim Tursunov"]
    assert text_title(lines) == 3
    assert text_title(["", "  "]) is None


@pytest.mark.parametrize(("title", "site", "want"), [
    (f"{HEADLINE} | DW | 19.01.2020", "DW.COM", HEADLINE),
    (f"{HEADLINE} | DW | 19.01.2020", "", f"{HEADLINE} | DW"),  # a date, never a guess at a site
    (f"{HEADLINE} - Caspian Courier", "Caspian Courier", HEADLINE),
    (f"Caspian Courier | {HEADLINE}", "Caspian Courier", HEADLINE),
    (f"{HEADLINE} – 3 August 2020 – Meridian Wire", "Meridian Wire", HEADLINE),
    ("Election review – 2019", "", "Election review – 2019"),  # a year may be the headline's
    ("Border talks stall – Until Now", "", "Border talks stall – Until Now"),
    ("Letters: Border talks | Road works | Tax dollars", "", "Letters: Border talks | Road "
                                                            "works | Tax dollars"),
])
def test_site_suffixes_that_repeat_the_outlet_or_a_date_are_dropped(title, site, want):
    assert strip_site(title, site) == want


def test_web_page_title_drops_the_suffix_and_the_details_keep_the_page_title(db, case_id,
                                                                             tmp_path):
    page_title = f"{HEADLINE} | DW | 19.01.2020"
    path = tmp_path / "dw.html"
    path.write_text(
        f"<html><head><meta charset='utf-8'><title>{page_title}</title>"
        "<meta property='og:site_name' content='DW.COM'></head><body><article>"
        f"<h1>{HEADLINE}</h1>" + "".join(f"<p>{BODY} ({i})</p>" for i in range(4))
        + "</article></body></html>", encoding="utf-8")
    direct = html_importer.extract(path.read_bytes(), "dw.html")
    assert direct.title == HEADLINE
    [res] = importers.import_files(db, case_id=case_id, paths=[path])
    doc = documents.get_document(db, document_id=res.id)
    assert doc.title == HEADLINE
    assert original_title(db, document_id=doc.id) == page_title


def test_cli_doc_show_gives_the_pages_own_title(db, db_path, case_id, cli_env, tmp_path):
    from tests.helpers import cli_json, run_cli

    path = tmp_path / "a.html"
    path.write_text(f"<html><head><title>{HEADLINE} – 3 August 2020</title></head><body>"
                    f"<article><h1>{HEADLINE}</h1>" + f"<p>{BODY}</p>" * 4
                    + "</article></body></html>", encoding="utf-8")
    [res] = importers.import_files(db, case_id=case_id, paths=[path])
    db.close()
    shown = cli_json("--db", str(db_path), "doc", "show", res.id, env=cli_env)
    assert (shown["title"], shown["page_title"]) == (HEADLINE, f"{HEADLINE} – 3 August 2020")
    text = run_cli("--db", str(db_path), "doc", "show", res.id, env=cli_env).stdout
    assert f"page title: {HEADLINE} – 3 August 2020" in text
