"""Titles and site names: "Headline | Site" split only where the site's name is known."""

from __future__ import annotations

import re

SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_WS = re.compile(r"\s+")


def fuzz_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a.casefold(), b.casefold())


def strip_site(title: str, sitename: str) -> str:
    """``title`` without a leading or trailing ``sitename`` (after a separator); nothing else
    is ever cut (a headline "… – Until Now" keeps its last words unless a site of that name
    is known)."""
    title = _WS.sub(" ", title or "").strip()
    if sitename:
        for sep in SEPARATORS:
            if title.lower().endswith((sep + sitename).lower()):
                return title[: -len(sep + sitename)].strip()
            if title.lower().startswith((sitename + sep).lower()):
                return title[len(sitename + sep):].strip()
    return title


def site_from_title(page_title: str, title: str, url: str = "") -> str:
    """The site's name at the end of a page title "Headline - Site", when it is plainly a site:
    the headline proper (``title``) lacks it, or the page's address names it."""
    host = _host(url)
    for sep in SEPARATORS:
        head, found, tail = page_title.rpartition(sep)
        tail = tail.strip()
        if not found or not tail or len(tail) > 60:
            continue
        if host and re.sub(r"\W", "", tail.casefold()) in host:
            return tail
        if (title and fuzz_ratio(head, title) >= 80
                and not _WS.sub(" ", title).casefold().endswith(tail.casefold())):
            return tail
    return ""


def _host(url: str) -> str:
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", url.strip(), re.I)
    return re.sub(r"\W", "", m.group(1).casefold()) if m else ""
