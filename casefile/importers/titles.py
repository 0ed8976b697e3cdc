"""Titles and site names: "Headline | Site" split only where the site's name is known."""

from __future__ import annotations

import re

SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_WS = re.compile(r"\s+")


def fuzz_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a.casefold(), b.casefold())


def strip_site(title: str, sitename: str) -> str:
    """``title`` without a leading or trailing ``sitename`` (after a separator)."""
    title = _WS.sub(" ", title or "").strip()
    if sitename:
        for sep in SEPARATORS:
            if title.lower().endswith((sep + sitename).lower()):
                return title[: -len(sep + sitename)].strip()
            if title.lower().startswith((sitename + sep).lower()):
                return title[len(sitename + sep):].strip()
    return title


def clean_title(title: str, sitename: str) -> str:
    """``title`` without a leading or trailing site name, when ``sitename`` is that name."""
    stripped = strip_site(title, sitename)
    if stripped != _WS.sub(" ", title or "").strip():
        return stripped
    title = stripped
    parts = re.split(r"\s+[|–—·]\s+", title)
    if len(parts) > 1 and len(parts[-1]) < 40 and len(parts[0]) >= 20:
        return parts[0].strip()
    return title


def site_from_title(page_title: str, title: str) -> str:
    """The site's name from a title such as "Headline - Site" whose headline we know."""
    for sep in SEPARATORS:
        head, found, tail = page_title.rpartition(sep)
        if found and tail and len(tail) <= 60 and (
                not title or fuzz_ratio(head, title) >= 80):
            return tail.strip()
    return ""
