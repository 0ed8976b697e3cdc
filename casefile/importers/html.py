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
from casefile.importers import candidates, headline, html_clean, page_dates, page_meta
from casefile.importers.titles import site_from_title, strip_site
from casefile.services.documents import NewDocument

EXTRACTOR = "trafilatura"
IN_PROCESS_MAX = 2 * 1024 * 1024
TIMEOUT = 120.0
MEMORY_LIMIT = 3 * 1024**3
SAME_READING = 0.9  # agreement of two extractions that read the same text
MAX_DEPTH_MESSAGE = ("the page is nested more than 255 elements deep, which no article is; "
                     "refused as malformed or hostile HTML")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Control characters XML forbids: lxml would read them as U+FFFD, and trafilatura then drops
# the paragraphs that hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# An XML declaration ends, as any processing instruction in HTML, at the first ">"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# A <title> never closed holds the whole page as its text (browsers show a blank page): it
# ends at the end of its line
_OPEN_TITLE = re.compile(r"(<title\b[^>]*>[^\n<]*)", re.I)
_SAVED_FROM = re.compile(r"<!--\s*(?:saved from url=\(\d+\)|Page saved with SingleFile\s*"
                         r"url:)\s*(https?://\S+?)\s*(?:-->|\s)", re.I)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def version() -> str:
    import trafilatura

    return getattr(trafilatura, "__version__", "")


def decode_html(data: bytes) -> str:
    """Bytes to text: a BOM, else UTF-8, else a ``<meta charset>``, else Windows-1252 (see
    ``text.decode``: a few bad bytes in a UTF-8 page are replaced, not re-read as mojibake)."""
    from casefile.importers.text import decode

    enc = None
    m = _META_CHARSET.search(data[:8192])
    if m:
        try:
            enc = codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            enc = None
        if enc in ("latin-1", "iso8859-1", "ascii"):
            enc = "cp1252"  # what browsers do, as the HTML standard says
        if enc in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            enc = None  # a page that declares UTF-16 in ASCII bytes is not UTF-16
    return decode(data, declared=enc)


_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31};)")
_RAW_TEXT = re.compile(r"(<(script|style)\b.*?</\2\s*>)", re.I | re.S)


def _html5_entities(markup: str) -> str:
    """HTML5's named character references that older libxml2 (before 2.14, as in lxml's
    Windows wheels) leaves as text ("&percnt;") as numeric ones; scripts and styles as they
    are."""
    from html.entities import entitydefs, html5

    def new(name: str) -> bool:
        return name[:-1] not in entitydefs and name in html5

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        return "".join(f"&#{ord(c)};" for c in html5[name]) if new(name) else m.group(0)

    if "&" not in markup or not any(new(n) for n in set(_ENTITY.findall(markup))):
        return markup
    parts = _RAW_TEXT.split(markup)
    # split() yields text, block, tag name, text, ...: only the text pieces are rewritten
    return "".join(_ENTITY.sub(one, p) if i % 3 == 0 else p for i, p in enumerate(parts)
                   if i % 3 != 2)


def parse(markup: str) -> Any:
    """An lxml tree of the page (no network, no huge-tree mode), or ``ImportFailed``."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  collect_ids=False, default_doctype=False, huge_tree=False)
    markup = _XML_DECL.sub("", markup, count=1)
    if _NOT_XML.search(markup):
        markup = _NOT_XML.sub("", markup)
    markup = _html5_entities(markup)
    if "</title" not in markup.lower():
        markup = _OPEN_TITLE.sub(r"\1</title>", markup, count=1)
    try:
        tree = lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ImportFailed(f"the page could not be parsed as HTML ({exc})") from None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in err.message:
            raise ImportFailed(MAX_DEPTH_MESSAGE)
    return tree


_BYLINE_ENDS = " \t·•|–—-,;:/"
_BY_IN_MARKUP = re.compile(r">(?:\s|&nbsp;|&#160;|&#xa0;)*by\b", re.I)
_BY = re.compile(r"^\s*by\s+(?P<who>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|al-\w+|de|van|von))"
                 r"{0,3})", re.I)


def _start(el: Any, size: int = 200) -> str:
    """The first ``size`` characters of an element's text, white space collapsed."""
    parts: list[str] = []
    for piece in el.itertext():
        parts.append(piece)
        size -= len(piece)
        if size <= 0:
            break
    return _WS.sub(" ", "".join(parts)).lstrip()


def _byline(tree: Any, markup: str) -> str:
    """A "By Name" line near the top of the page (trafilatura drops bylines from the text)."""
    if not _BY_IN_MARKUP.search(markup):
        return ""  # no element's text starts with "by" (most pages): nothing to look for
    path = ("(//*[contains(@class,'byline') or contains(@class,'author') or "
            "contains(@class,'meta')] | //p | //span | //div[not(*)])[position() <= 400]")
    for el in tree.xpath(path):
        m = _BY.match(_start(el)[:200])
        if m and m.group("who")[0].isupper():
            return m.group("who").strip()
    return ""


def extract_fields(data: bytes) -> dict[str, str]:
    """The page's article text and metadata as plain strings (runs in-process)."""
    from datetime import date

    import trafilatura
    from trafilatura.metadata import extract_metadata

    markup = decode_html(data)
    tree = parse(markup)
    meta = page_meta.read(tree)
    html_clean.prepare(tree)

    def bare(source: Any, **mode: bool) -> str:
        doc = trafilatura.bare_extraction(
            source, url=None, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, **mode)
        return candidates.body_text(doc.body) if doc is not None else ""

    page_dates.read_in_languages_of(tree)
    doc = extract_metadata(tree, None, {"original_date": True, "extensive_search": True,
                                        "max_date": date.today().isoformat()}, False)
    first = bare(tree, favor_precision=True, fast=True)
    second = "" if candidates.long_reading(first) else candidates.readability(tree)
    if candidates.doubtful(first) and candidates.agreement(first, second) < SAME_READING:
        # trafilatura's own fallbacks (readability on a pruned page, justext) where its
        # reading is short and readability's another
        first = bare(tree, favor_precision=True)
    sitename = _WS.sub(" ", doc.sitename or "").strip()
    title = page_meta.choose_title(meta, _WS.sub(" ", doc.title or "").strip(), sitename)
    text = candidates.choose(tree, title, first, second)
    if not text.strip():  # trafilatura reading the page itself sometimes finds what we missed
        text = bare(markup, favor_precision=True)
    if not text.strip():  # a page of a photo and its caption: what there is, not a refusal
        text = bare(tree, favor_recall=True)
    if not text.strip():
        raise ImportFailed("no article text was found in this page")
    url = (doc.url or "").strip()
    if not url:
        m = _SAVED_FROM.search(markup[:20000])
        url = m.group(1) if m else ""
    named = site_from_title(meta.page_title, title, url)
    if named and (not sitename or (" " not in sitename and "." in sitename)):
        sitename = named  # "Meridian Wire" rather than the bare domain trafilatura falls back to
    title = strip_site(title, sitename).rstrip(" ¶")  # a heading's permalink mark
    names = (sitename, meta.site, headline.host(url))
    if headline.off_topic(title, text, names):  # a site's or a section's name, or none
        title = headline.before(tree, text, sure=headline.names_site(title, names)) or title
    sitename = page_meta.outlet_without_headline(sitename, title)
    return {"text": text, "title": title,
            # a byline's separators left over ("Lena Marsh ·" from "By Lena Marsh · 3 March")
            "author": (_WS.sub(" ", doc.author or "").strip(_BYLINE_ENDS).replace("; ", ", ")
                       or _byline(tree, markup)),
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
