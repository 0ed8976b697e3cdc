"""The date a page's text gives when its markup gives none: htmldate's extensive search, with
dateparser reading the page's own languages only (trying all 200 of them costs seconds the
first time in every process, which is every import's worker)."""

from __future__ import annotations

import re
import threading
from copy import deepcopy
from datetime import date
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


def searched_date(tree: Any) -> str:
    """The page's date found in its text (htmldate's extensive search), or ""."""
    from htmldate import extractors, find_date

    extractors.get_external_parser = _page_parser  # htmldate's lazy factory of its parser
    _local.languages = page_languages(tree)
    found = find_date(deepcopy(tree), original_date=True, extensive_search=True,
                      max_date=date.today().isoformat())
    return found or ""
