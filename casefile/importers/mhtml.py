"""A page saved as one file (MHTML: Chrome and Edge's "Save as single file"): its HTML part read
like any web page; the pictures, styles and scripts inside are never read, run or fetched."""

from __future__ import annotations

import re
from collections.abc import Callable

from casefile.errors import ImportFailed
from casefile.importers import mime
from casefile.services.documents import NewDocument

MAX_PART = 100 * 1024 * 1024
_HEAD = re.compile(rb"^content-type:\s*multipart/related", re.I | re.M)


def looks_mhtml(data: bytes) -> bool:
    """Whether the bytes start with MIME headers announcing multipart/related."""
    head = data[:8192].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    return bool(_HEAD.search(head)) and bool(
        re.search(rb"^(mime-version|from|snapshot-content-location|subject):", head,
                  re.I | re.M))


def html_part(data: bytes) -> tuple[bytes, str]:
    """The page's HTML (as bytes the HTML importer reads) and where it was saved from."""
    msg = mime.parse(data, "the saved page")
    if msg.get_content_type() != "multipart/related":
        raise ImportFailed("this MHTML file is not a saved page (not multipart/related)")
    location = str(msg.get("Snapshot-Content-Location") or "").strip()
    start = (msg.get_param("start") or "")
    start = start.strip("<>") if isinstance(start, str) else ""
    found = None
    for part, _depth in mime.walk(msg, "the saved page"):
        if part.get_content_type() not in ("text/html", "application/xhtml+xml"):
            continue
        cid = str(part.get("Content-ID") or "").strip("<> ")
        loc = str(part.get("Content-Location") or "").strip()
        if (start and cid == start) or (location and loc == location):
            found = part
            break
        if found is None:
            found = part
    if found is None:
        raise ImportFailed("this MHTML file holds no web page")
    body = mime.payload(found, MAX_PART, "the saved page")
    return mime.as_utf8_html(found, body), location or str(
        found.get("Content-Location") or "").strip()


def extract(data: bytes, name: str, *, cancelled: Callable[[], bool] | None = None
            ) -> NewDocument:
    from dataclasses import replace

    from casefile.importers import html

    page, location = html_part(data)
    doc = html.extract(page, name, cancelled=cancelled)
    url = doc.url or (location if location.startswith(("http://", "https://")) else "")
    return replace(doc, original=data, content_type="multipart/related", url=url)
