"""What a page says of itself: JSON-LD headline and articleBody, and the headline chosen by
agreement between og:title, JSON-LD, ``<h1>`` and ``<title>``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from casefile.importers.titles import SEPARATORS, fuzz_ratio

_WS = re.compile(r"\s+")
_MAX_SCRIPT = 2_000_000  # a JSON-LD block larger than this is not read
_SHORT = 15  # a <title> shorter than this gives way to a lone, longer <h1> (as readability's)


@dataclass(frozen=True)
class PageMeta:
    headlines: tuple[str, ...]  # JSON-LD headline/name of an article, og:title, twitter:title
    h1s: tuple[str, ...]
    page_title: str
    article_body: str           # the longest JSON-LD articleBody, "" if none
    site: str                   # og:site_name


def _clean(s: Any) -> str:
    return _WS.sub(" ", s).strip() if isinstance(s, str) else ""


def _jsonld(tree: Any) -> tuple[list[str], str]:
    heads: list[str] = []
    bodies: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = script.text or ""
        if len(raw) > _MAX_SCRIPT:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str):
                    bodies.append(body)
                    heads.append(_clean(item.get("headline")))
                elif "Article" in str(item.get("@type", "")):
                    heads.append(_clean(item.get("headline")))
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return [h for h in heads if h], max(bodies, key=len, default="")


def read(tree: Any) -> PageMeta:
    """The page's own statements about its headline and body (nothing is fetched)."""
    heads, body = _jsonld(tree)

    def meta(xpath: str) -> str:
        found = tree.xpath(xpath)
        return _clean(found[0]) if found else ""

    for xp in ("//meta[@property='og:title']/@content", "//meta[@name='twitter:title']/@content"):
        if meta(xp):
            heads.append(meta(xp))
    h1s = [_clean(h.text_content()) for h in tree.xpath("//h1")[:8]]
    return PageMeta(headlines=tuple(heads), h1s=tuple(h for h in h1s if h),
                    page_title=_clean(tree.findtext(".//title") or ""),
                    article_body=body, site=meta("//meta[@property='og:site_name']/@content"))


def _parts(title: str) -> list[str]:
    """``title`` cut at every separator ("Headline | Section | Site")."""
    parts = [title]
    for sep in SEPARATORS:
        parts = [p for part in parts for p in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _same(a: str, b: str) -> bool:
    return bool(a and b) and (a.casefold() == b.casefold() or fuzz_ratio(a, b) >= 90)


def agrees(head: str, other: str) -> bool:
    """``head`` is ``other``, or the headline part of it (its first or longest part, not a
    site name at the end)."""
    if _same(head, other):
        return True
    parts = _parts(other)
    return len(parts) > 1 and any(_same(head, p) for p in (parts[0], max(parts, key=len)))


def outlet_without_headline(outlet: str, title: str) -> str:
    """The outlet's name when it was read as a whole page title holding the headline: the
    last part after a leading headline ("Headline | Section | Site"), else the first part
    ("Football365.com - SPECIAL CITY KIT FOR DERBY GAME - All The News")."""
    parts = _parts(outlet)
    heads = [i for i, p in enumerate(parts) if _same(p, title)]
    if len(parts) < 2 or not heads or len(heads) == len(parts):
        return outlet
    return parts[-1] if heads[0] == 0 else parts[0]


def choose_title(meta: PageMeta, extracted: str, site: str) -> str:
    """The headline the page's own statements agree on: an ``<h1>`` that the metadata or the
    ``<title>`` repeats, else metadata the ``<title>`` repeats, else the ``<title>`` (unless
    it is only the site's name, or a short label above a lone ``<h1>``), else the metadata, a
    lone ``<h1>``, or ``extracted``."""
    for h1 in meta.h1s:
        if any(agrees(h1, other) for other in (*meta.headlines, meta.page_title)):
            return h1
    for head in meta.headlines:
        if agrees(head, meta.page_title):
            return head
    if len(meta.h1s) == 1 and len(meta.page_title) < _SHORT < len(meta.h1s[0]):
        return meta.h1s[0]  # "Budget vote" above the headline: a label, not the title
    names = [n for n in (site, meta.site) if n]
    if meta.page_title and not any(_same(meta.page_title, n) for n in names):
        return meta.page_title
    if meta.headlines:
        return meta.headlines[0]
    if len(meta.h1s) == 1:
        return meta.h1s[0]
    return extracted or meta.page_title
