"""Titles and site names: "Headline | Site" split only where the site's name is known (or the
part cut is a date), and the first substantive line of a plain-text copy of a page."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from casefile import dates
from casefile.errors import ValidationError

if TYPE_CHECKING:
    from casefile.db.database import Database

SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_WS = re.compile(r"\s+")


def fuzz_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a.casefold(), b.casefold())


def strip_site(title: str, sitename: str) -> str:
    """``title`` without the parts before or after a separator that name the site
    (``sitename``, or one word of it: "DW" for "DW.COM") or give a full date ("… | DW |
    19.01.2020" → "…"); nothing else is ever cut (a headline "… – Until Now" keeps its last
    words unless a site of that name is known; "Review – 2019" keeps its year)."""
    title = _WS.sub(" ", title or "").strip()
    while True:
        shorter = _strip_once(title, sitename)
        if shorter == title:
            return title
        title = shorter


def _strip_once(title: str, sitename: str) -> str:
    if sitename:
        for sep in SEPARATORS:  # the whole name, even when it holds a separator itself
            if title.lower().endswith((sep + sitename).lower()):
                return title[: -len(sep + sitename)].strip()
            if title.lower().startswith((sitename + sep).lower()):
                return title[len(sitename + sep):].strip()
    for sep in SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and head.strip() and _site_part(tail, sitename):
            return head.strip()
        lead, found, rest = title.partition(sep)
        if found and rest.strip() and _site_part(lead, sitename):
            return rest.strip()
    return title


_GENERIC_LABELS = frozenset(("www", "com", "org", "net", "news", "online", "the"))


def _site_part(part: str, sitename: str) -> bool:
    """Whether a title's part names the site or is a full date (day, month and year)."""
    part = part.strip()
    if not part or len(part) > 60:
        return False
    key = re.sub(r"\W", "", part.casefold())
    if sitename and len(key) >= 2:
        labels = set(re.split(r"\W+", sitename.casefold())) - _GENERIC_LABELS
        if key == re.sub(r"\W", "", sitename.casefold()) or key in labels:
            return True
    try:
        return len(dates.normalize(part)) == 10  # YYYY-MM-DD
    except ValidationError:
        return False


# Page chrome a plain-text copy of a web page starts with: skip links, menus, sign-in and
# subscribe prompts, cookie and consent notices.
_CHROME = re.compile(
    r"^(skip( to)?( main)? (content|navigation)|jump to (content|navigation)|(main )?menu|"
    r"toggle navigation|navigation|search|home|log ?in|sign (in|up)|subscribe.*|register|"
    r"advertisement|share( this( article)?)?|close|accept( all)?( cookies)?|"
    r".*\bcookies?\b.*\b(use|accept|consent|settings|policy|privacy)\b.*|"
    r".*\b(use|accept|consent|settings|policy|privacy)\b.*\bcookies?\b.*)$", re.I)
_NAV_SPLIT = re.compile(r"\s+[|·•/»›]\s+")
_BY = re.compile(r"^(by|von|par)\s", re.I)
LOOK_LINES = 12  # non-empty lines searched for a title


def _words(line: str) -> list[str]:
    return [w for w in line.split() if any(ch.isalnum() for ch in w)]


def _chrome_line(line: str) -> bool:
    parts = _NAV_SPLIT.split(line)
    menu = len(parts) >= 3 and all(
        1 <= len(_words(p)) <= 2 and all(w[:1].isupper() for w in _words(p)) for p in parts)
    return menu or bool(_CHROME.match(line.strip(" *_#>")))


def _headline(line: str) -> bool:
    """Four words or more, short, not a sentence of the body, byline or date."""
    return (len(_words(line)) >= 4 and len(line) <= 200 and not line.endswith(".")
            and not _BY.match(line))


def text_title(lines: Sequence[str]) -> int | None:
    """Index of the line that titles a plain-text document: the first line at the top that is
    not page chrome ("Skip to content", a cookie notice, a menu) — unless it is a bare name of
    one to three words (the outlet's: "Caravanserai") standing over a headline, which then wins.
    None when the first such line is a paragraph (over 200 characters)."""
    shown = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()][:LOOK_LINES]
    found = [(i, ln) for i, ln in shown if not _chrome_line(ln)]
    if not found:
        return None
    first, line = found[0]
    if len(line) > 200:
        return None
    if len(_words(line)) <= 3:
        for i, ln in found[1:4]:
            if _BY.match(ln) or len(ln) > 200:
                break
            if _headline(ln):
                return i
    return first


def html_title(data: bytes) -> str:
    """The ``<title>`` a saved web page declares, spacing folded ("" when it has none)."""
    head = data[:262144].decode("utf-8", errors="replace")
    m = re.search(r"<title[^>]*>(.*?)</title\s*>", head, re.I | re.S)
    return _WS.sub(" ", html.unescape(m.group(1))).strip() if m else ""


def site_from_title(page_title: str, title: str, url: str = "") -> str:
    """The site's name at the end of a page title "Headline - Site", when it is plainly a site:
    the headline proper (``title``) lacks it, or the page's address names it."""
    host = re.sub(r"\W", "", hostname(url))
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


def hostname(url: str) -> str:
    """The address's host, case-folded ("" for no address)."""
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", url.strip(), re.I)
    return m.group(1).casefold() if m else ""


def original_title(db: Database, *, document_id: str) -> str:
    """The title a web page's original file declares (its ``<title>``, site suffix and all),
    so the analyst can see what the page said; "" for other formats."""
    from sqlalchemy import func, select  # not loaded by the readers' child processes

    from casefile.db.models import Document, DocumentOriginal
    from casefile.services.common import get_or_raise

    with db.read() as s:
        doc = get_or_raise(s, Document, document_id, "document")
        if "html" not in doc.content_type:
            return ""
        head = s.scalar(select(func.substr(DocumentOriginal.data, 1, 262144))
                        .where(DocumentOriginal.document_id == document_id))
    return html_title(bytes(head or b""))
