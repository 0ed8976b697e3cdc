"""Web pages: the article without the site's chrome, its metadata, nothing fetched or run."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from casefile import importers
from casefile.errors import ImportFailed
from casefile.importers import html as html_importer
from casefile.services import documents

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
MERIDIAN = ARTICLES / "meridian_wadi_sirr.html"
LANTERN = ARTICLES / "lantern_tal_hasan.htm"
CHROME = ["Skip to content", "cookie", "Subscribe today", "Search Meridian Wire", "Most read",
          "Celebrity chef", "Leave a comment", "Post comment", "how many times has this man died",
          "Related stories", "morning briefing", "All rights reserved", "Privacy policy",
          "dataLayer", "trackEverything", "Advertisement"]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_article_text_without_chrome(db, case_id, no_network):
    res = importers.import_file(db, case_id=case_id, path=MERIDIAN)
    assert res.ok, res.error
    text = documents.get_text(db, document_id=res.id)
    assert "Temur Vakhidov, the militant commander known\nas" not in text  # wrapped source lines
    assert ("Interior Minister Anvar Rasulzoda said on Monday that Temur Vakhidov, the militant "
            "commander known as Abu Hafs al-Qalami, was killed in an airstrike near Wadi Sirr "
            "on 3 August.") in text
    assert "Their father, Olim Vakhidov, a retired schoolteacher, declined to comment." in text
    for junk in CHROME:
        assert junk.lower() not in text.lower(), junk
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 6  # headline + five paragraphs, a blank line between each
    assert paragraphs[2].startswith("“Our information is")


def test_metadata_title_without_site_author_date_outlet_canonical_url(db, case_id):
    res = importers.import_file(db, case_id=case_id, path=MERIDIAN)
    doc = documents.get_document(db, document_id=res.id)
    assert doc.title == "Minister says militant Temur Vakhidov killed in strike near Wadi Sirr"
    assert doc.author == "Lena Okafor"
    assert doc.published == "2020-08-04"
    assert doc.outlet == "Meridian Wire"
    assert doc.url == "https://meridianwire.example/world/2020/08/04/vakhidov-wadi-sirr-strike"
    assert doc.content_type == "text/html"
    assert doc.extractor == "trafilatura"
    assert documents.get_original(db, document_id=res.id) == MERIDIAN.read_bytes()


def test_legacy_page_windows_1252_without_meta_tags(db, case_id, no_network):
    assert b"\x91killed" in LANTERN.read_bytes()  # the fixture really is cp1252
    res = importers.import_file(db, case_id=case_id, path=LANTERN)
    assert res.ok, res.error
    doc = documents.get_document(db, document_id=res.id)
    text = documents.get_text(db, document_id=res.id)
    assert doc.title == "Militant commander ‘killed in missile strike’ on Tal Hasan"
    assert doc.outlet == "The Daily Lantern"
    assert doc.author == "Samira Haddad"
    assert doc.published == "2017-03-14"
    assert "Vakhidov’s family could not be reached" in text
    assert "“Until there is a body, there is only a rumour,”" in text
    for junk in ("INJECTED BY SCRIPT", "cookies", "Skip to main content", "Lottery winner",
                 "Have your say", "Write your comment", "Copyright", "Share this article"):
        assert junk not in text, junk


def test_deeply_nested_page_is_refused_quickly(db, case_id, tmp_path):
    depth = 1_000_000
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * depth + "deep" + "</div>" * depth
                    + "</body></html>")
    assert path.stat().st_size > 10_000_000
    res = importers.import_file(db, case_id=case_id, path=path)
    assert not res.ok
    assert "nested" in res.error
    assert documents.list_documents(db, case_id=case_id) == []


def test_large_pages_run_in_a_limited_child_process(monkeypatch):
    monkeypatch.setattr(html_importer, "IN_PROCESS_MAX", 1000)
    doc = html_importer.extract(MERIDIAN.read_bytes(), MERIDIAN.name)
    assert "Abu Hafs al-Qalami" in doc.text and "Skip to content" not in doc.text
    assert doc.outlet == "Meridian Wire"
    with pytest.raises(ImportFailed, match="nested"):
        html_importer.extract(b"<html><body>" + b"<div>" * 5000 + b"</body></html>", "x.html")


def test_child_process_time_limit(monkeypatch):
    monkeypatch.setattr(html_importer, "IN_PROCESS_MAX", 1000)
    with pytest.raises(ImportFailed, match="took longer than"):
        html_importer.extract(MERIDIAN.read_bytes(), MERIDIAN.name, timeout=0.05)


def test_page_without_article_text_gets_a_message(db, case_id, tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a>"
                    "</nav><script>alert(1)</script></body></html>")
    res = importers.import_file(db, case_id=case_id, path=path)
    assert not res.ok and "no article text" in res.error
    assert documents.list_documents(db, case_id=case_id) == []


def test_an_author_keeps_no_separator_from_its_byline(db, case_id, tmp_path):
    """"By Lena Marsh · 3 March 2019": the author is Lena Marsh, not "Lena Marsh ·" (the
    reader's header read "by Lena Marsh · · Caspian Courier")."""
    page = tmp_path / "byline.html"
    page.write_text(
        "<html><head><title>Commander reported killed</title></head><body><article>"
        "<h1>Commander reported killed</h1><p class='byline'>By Lena Marsh · 3 March 2019</p>"
        "<p>Temur Vakhidov was killed in an airstrike near Qalat Nur, the interior ministry "
        "said on Sunday, citing military sources who spoke on condition of anonymity.</p>"
        "<p>His brother said the family had received no body and did not believe it.</p>"
        "</article></body></html>", encoding="utf-8")
    res = importers.import_file(db, case_id=case_id, path=page)
    assert res.ok, res.error
    assert documents.get_document(db, document_id=res.id).author == "Lena Marsh"


def test_a_byline_behind_a_non_breaking_space_is_the_author():
    """An old page's "&nbsp; By Mira Kestel" in a font tag: trafilatura finds no author, the
    page's own byline gives it."""
    from casefile.importers.html import extract_fields

    page = ("<html><head><title>The ferry to Kessel Island</title></head><body><table><tr><td>"
            "<p><big>The ferry to Kessel Island</big></p>"
            "<p align='left'><font face='Arial'>&nbsp; By <font color='#008000'>Mira Kestel"
            "</font></font></p>"
            "<p>The old ferry leaves the north quay of Harnby at seven each morning, and on a "
            "clear day the island shows itself within the first ten minutes.</p>"
            "<p>The crossing takes two hours and a half, and most passengers stand at the rail "
            "and watch the gulls follow the boat out past the breakwater.</p>"
            "</td></tr></table></body></html>")
    assert extract_fields(page.encode())["author"] == "Mira Kestel"
