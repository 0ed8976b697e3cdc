"""A page whose date is only in its text gets it, read in the page's own language: dateparser
is never asked to try all of its two hundred languages (seconds in every new worker)."""

from __future__ import annotations

from pathlib import Path

import dateparser

from casefile.importers import page_dates
from casefile.importers.html import extract_fields

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_a_date_written_in_the_text_is_read_in_the_pages_language(monkeypatch):
    asked: list[object] = []

    class Recording(dateparser.DateDataParser):
        def __init__(self, *args, **kwargs):
            asked.append(kwargs.get("languages", args[0] if args else None))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(dateparser, "DateDataParser", Recording)
    page_dates._parser.cache_clear()
    fields = extract_fields((PAGES / "date_in_text_zh.html").read_bytes())
    assert fields["published"] == "2020-11-03"
    assert asked == [["zh", "en"]]
    page_dates._parser.cache_clear()


def test_undeclared_or_unknown_languages_fall_back_to_english():
    from casefile.importers.html import parse

    assert page_dates.page_languages(parse("<html><body><p>x</p></body></html>")) == ("en",)
    assert page_dates.page_languages(parse(
        '<html lang="xx-YY"><head><meta property="og:locale" content="ru_RU"></head>'
        "<body><p>x</p></body></html>")) == ("ru", "en")
