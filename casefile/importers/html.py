"""Web pages: the article's main text in paragraphs and its metadata, via trafilatura.

Nothing is fetched and nothing runs: the page is parsed by lxml with network access off and
without libxml2's "huge tree" mode (so absurd nesting stops the parser instead of eating memory),
and trafilatura only reads the parsed tree. Pages over ``IN_PROCESS_MAX`` bytes are extracted in
a child process with a time limit and a memory cap (see ``sandbox``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casefile.errors import ImportFailed
from casefile.importers.text import normalize_text
from casefile.importers.titles import clean_title, site_from_title
from casefile.services.documents import NewDocument

EXTRACTOR = "trafilatura"
IN_PROCESS_MAX = 2 * 1024 * 1024
TIMEOUT = 120.0
MEMORY_LIMIT = 3 * 1024**3
MAX_DEPTH_MESSAGE = ("the page is nested more than 255 elements deep, which no article is; "
                     "refused as malformed or hostile HTML")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SAVED_FROM = re.compile(r"<!--\s*(?:saved from url=\(\d+\)|Page saved with SingleFile\s*"
                         r"url:)\s*(https?://\S+?)\s*(?:-->|\s)", re.I)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BLOCKS = {"p", "head", "quote", "code", "item", "row", "lb", "list", "table", "cell"}


def version() -> str:
    import trafilatura

    return getattr(trafilatura, "__version__", "")


def decode_html(data: bytes) -> str:
    """Bytes to text: a BOM, else a ``<meta charset>``, else UTF-8, else Windows-1252."""
    from casefile.importers.text import decode

    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    m = _META_CHARSET.search(data[:8192])
    if m:
        try:
            enc = codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            enc = ""
        if enc in ("latin-1", "iso8859-1", "ascii"):
            enc = "cp1252"  # what browsers do, as the HTML standard says
        if enc and enc not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                pass
    return decode(data)


def parse(markup: str) -> Any:
    """An lxml tree of the page (no network, no huge-tree mode), or ``ImportFailed``."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  collect_ids=False, default_doctype=False, huge_tree=False)
    try:
        tree = lxml_html.document_fromstring(_XML_DECL.sub("", markup, count=1), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ImportFailed(f"the page could not be parsed as HTML ({exc})") from None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in err.message:
            raise ImportFailed(MAX_DEPTH_MESSAGE)
    return tree


def _inline_text(el: Any) -> str:
    """An element's text with ``<lb/>`` as a line break and white space runs collapsed."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = (_WS.sub(" ", ln).strip() for ln in "".join(parts).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def body_paragraphs(body: Any) -> list[str]:
    """trafilatura's output tree as paragraphs: headings, paragraphs, quotes, list items, rows."""
    out: list[str] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            for item in el.iter("item"):
                txt = _inline_text(item)
                if txt:
                    out.append("• " + txt)
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_inline_text(c) for c in row.iter("cell")]
                line = " | ".join(c for c in cells if c)
                if line:
                    out.append(line)
        elif tag in ("quote", "div", "section") and any(c.tag in _BLOCKS for c in el):
            out.extend(body_paragraphs(el))
        else:
            txt = _inline_text(el)
            if txt:
                out.append(txt)
    return out


_BY = re.compile(r"^\s*by\s+(?P<who>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|al-\w+|de|van|von))"
                 r"{0,3})", re.I)


def _byline(tree: Any) -> str:
    """A "By Name" line near the top of the page (trafilatura drops bylines from the text)."""
    path = ("//*[contains(@class,'byline') or contains(@class,'author') or "
            "contains(@class,'meta')] | //p | //span | //div[not(*)]")
    for n, el in enumerate(tree.xpath(path)):
        if n > 400:
            break
        txt = _WS.sub(" ", el.text_content() if hasattr(el, "text_content") else "")[:200]
        m = _BY.match(txt)
        if m and m.group("who")[0].isupper():
            return m.group("who").strip()
    return ""


def extract_fields(data: bytes) -> dict[str, str]:
    """The page's article text and metadata as plain strings (runs in-process)."""
    import trafilatura

    markup = decode_html(data)
    tree = parse(markup)
    page_title = _WS.sub(" ", tree.findtext(".//title") or "").strip()
    doc = trafilatura.bare_extraction(
        tree, url=None, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, deduplicate=False,
        date_extraction_params={"original_date": True, "extensive_search": True})
    if doc is None or doc.body is None:
        raise ImportFailed("no article text was found in this page")
    text = normalize_text("\n\n".join(body_paragraphs(doc.body)))
    if not text.strip():
        raise ImportFailed("no article text was found in this page")
    title = _WS.sub(" ", doc.title or "").strip()
    sitename = _WS.sub(" ", doc.sitename or "").strip() or site_from_title(page_title, title)
    url = (doc.url or "").strip()
    if not url:
        m = _SAVED_FROM.search(markup[:20000])
        url = m.group(1) if m else ""
    return {"text": text, "title": clean_title(title, sitename),
            "author": (_WS.sub(" ", doc.author or "").strip().replace("; ", ", ")
                       or _byline(parse(markup))),
            "published": doc.date or "", "outlet": sitename, "url": url}


def extract(data: bytes, name: str, *, timeout: float | None = None,
            memory_limit: int | None = None, cancelled: Callable[[], bool] | None = None
            ) -> NewDocument:
    """A web page as a document; large pages are extracted in a limited child process."""
    if len(data) > IN_PROCESS_MAX:
        from casefile.importers import sandbox

        fields = sandbox.run_worker(
            Path(__file__).with_name("html_worker.py"), data, what="web page",
            timeout=timeout or TIMEOUT, memory_limit=memory_limit or MEMORY_LIMIT,
            cancelled=cancelled)
    else:
        fields = extract_fields(data)
    ct = "application/xhtml+xml" if name.lower().endswith((".xhtml", ".xht")) else "text/html"
    return NewDocument(
        text=fields["text"], original=data, content_type=ct, title=fields["title"] or name,
        author=fields["author"], outlet=fields["outlet"], url=fields["url"],
        published=fields["published"], source_name=name, extractor=EXTRACTOR,
        extractor_version=version())
