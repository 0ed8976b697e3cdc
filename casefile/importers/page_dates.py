"""Dates in a page's text, read by htmldate with dateparser held to the page's languages."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_local = threading.local()
_LANG = re.compile(r"[a-z]{2,3}")
# as htmldate configures its own parser (htmldate.extractors.get_external_parser)
_SETTINGS = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
             "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
             "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}


def page_languages(tree: Any) -> tuple[str, ...]:
    """The languages the page declares (``<html lang>``, Content-Language, ``og:locale``)
    that dateparser knows, then English."""
    from dateparser.data import language_order

    found = tree.xpath("/html/@lang | //meta[@http-equiv='content-language' or "
                       "@http-equiv='Content-Language']/@content | "
                       "//meta[@property='og:locale']/@content")
    langs = []
    for value in found[:4]:
        m = _LANG.match(str(value).strip().lower())
        if m and m.group(0) in language_order and m.group(0) not in langs:
            langs.append(m.group(0))
    return (*[x for x in langs if x != "en"], "en")


@lru_cache(maxsize=8)
def _parser(languages: tuple[str, ...]) -> Any:
    from dateparser import DateDataParser

    return DateDataParser(languages=list(languages), settings=_SETTINGS)


def _page_parser() -> Any:
    return _parser(getattr(_local, "languages", ("en",)))


def read_in_languages_of(tree: Any) -> None:
    """Let htmldate's dateparser, on this thread, read the languages ``tree`` declares (and
    English) until the next call: trying all 200 of them costs seconds the first time in every
    process, and every import's worker is a new process."""
    from htmldate import extractors

    extractors.get_external_parser = _page_parser  # htmldate's lazy factory of its parser
    _local.languages = page_languages(tree)
