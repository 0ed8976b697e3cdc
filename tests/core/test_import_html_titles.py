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
