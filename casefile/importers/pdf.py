"""PDFs: pdfplumber (else PDFium's text layer) in a limited child process, text reflowed into
paragraphs, page offsets kept."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from casefile import dates, limits
from casefile.errors import ImportFailed, ValidationError
from casefile.importers import sandbox
from casefile.importers.fileprops import prop_date, prop_text, prop_title
from casefile.importers.reflow import Page, pages_from_json, reflow
from casefile.importers.titles import site_from_title, strip_site
from casefile.layout import PageLayout, Word, align
from casefile.services.documents import NewDocument

EXTRACTOR = "pdfplumber"
FALLBACK = "pypdfium2"  # its text layer, when pdfplumber cannot read the file
TIMEOUT_BASE = 60.0  # seconds, plus TIMEOUT_PER_MB for each megabyte of PDF
TIMEOUT_PER_MB = 3.0
TIMEOUT_MAX = 900.0
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for the child
WORKER = Path(__file__).with_name("pdf_worker.py")

# Company fields that name the software's licensee, not a publisher.
_JUNK_COMPANY = re.compile(r"^(|microsoft.*|home|hp|hewlett-packard.*|dell.*|lenovo|acer|"
                           r"personal|private|none|unknown|company|organi[sz]ation|.*\.com)$",
                           re.I)
_BYLINE = re.compile(r"^\s*by\s+(?P<who>[^|·•,\d]{2,80}?)\s*(?:$|[|·•,]|\s[-–—]\s|\d)", re.I)
_DATE_IN_LINE = re.compile(
    r"(?<!\w)(\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}\s+(?:янв|фев|мар|апр|ма[йяе]|июн|июл|авг|сен|окт|ноя|дек)[а-я]*\.?\s+\d{4})"
    r"(?!\w)", re.I)
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def version() -> str:
    try:
        import pdfplumber

        return str(pdfplumber.__version__)
    except Exception:  # pragma: no cover - version is informative only
        return ""


def _pdfium_version() -> str:
    try:
        import pypdfium2

        return str(pypdfium2.version.PYPDFIUM_INFO)
    except Exception:  # pragma: no cover - version is informative only
        return ""


def timeout_for(size: int) -> float:
    return min(TIMEOUT_MAX, TIMEOUT_BASE + TIMEOUT_PER_MB * size / 2**20)


def check_complete(data: bytes) -> None:
    """Refuse a PDF whose end-of-file marker is missing (a cut-off download). Padding after
    the marker (zero bytes, white space, as some scanners and mail gateways add) is no loss."""
    if b"%%EOF" not in data.rstrip(b"\x00\t\n\x0c\r ")[-4096:]:
        raise ImportFailed("this PDF is truncated (its end is missing, perhaps an interrupted "
                           "download); nothing was imported")


def _title_from_page(page: Page) -> str:
    lines = [ln for ln in page.lines if ln.top < page.height * 0.5]
    if not lines:
        return ""
    body = statistics.median(ln.size for ln in page.lines)
    big = max(ln.size for ln in lines)
    if big < body * 1.15:
        return ""
    out: list[str] = []
    for ln in lines:
        if abs(ln.size - big) <= 0.5:
            out.append(ln.text)
        elif out:
            break
    return " ".join(out)[:300]


def _outlet(info: dict[str, str], title: str, page_title: str) -> str:
    """The publisher named in the metadata: Publisher (or XMP dc:publisher), the site in a
    "Headline - Site" title whose headline the first page prints, else the Company field."""
    if prop_text(info.get("Publisher")):
        return prop_text(info.get("Publisher"))
    if title and page_title:
        site = site_from_title(title, page_title)
        if site:
            return site
    company = prop_text(info.get("Company"))
    return "" if _JUNK_COMPANY.match(company) else company


def metadata(info: dict[str, str], pages: list[Page]) -> dict[str, Any]:
    """Title, author, date and outlet from the info dictionary (guesses: what the file says of
    itself), else from the first page (read, not guessed)."""
    first = next((p for p in pages if p.lines), None)
    head = [ln.text for ln in first.lines[:15]] if first else []
    page_title = _title_from_page(first) if first else ""
    guessed: list[str] = []
    title = prop_title(info.get("Title"))
    if title and " ".join(page_title.split()).casefold() != title.casefold():
        guessed.append("title")
    title = title or page_title
    outlet = _outlet(info, title, page_title)
    if outlet:  # the info dictionary's publisher, company, or a site in its title
        guessed.append("outlet")
    title = strip_site(title, outlet)
    if "title" in guessed and title.casefold() == " ".join(page_title.split()).casefold():
        guessed.remove("title")  # "Headline - Site" whose headline the page prints
    author = prop_text(info.get("Author"))
    if author:
        guessed.append("author")
    else:
        author = next((m.group("who").strip() for t in head if (m := _BYLINE.match(t))), "")
    published = ""
    for t in head:
        m = _DATE_IN_LINE.search(t)
        if m:
            try:
                published = dates.normalize(m.group(1))
                break
            except ValidationError:
                continue
    if not published:
        # The file's creation date is when the PDF was made (often the day it was saved from a
        # browser), not when the report was published: offered only as a guess, and never when
        # it is a few days old at most, which says nothing about the report.
        m = _PDF_DATE.match(info.get("CreationDate", ""))
        published = prop_date(*m.groups()) if m else ""
        if published:
            guessed.append("published")
    return {"title": title, "author": author, "published": published, "outlet": outlet,
            "guessed": guessed}


def extract_pages(data: bytes, *, timeout: float | None = None, memory_limit: int | None = None,
                  cancelled: Callable[[], bool] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """The worker's raw report (info, pages of lines, the child's peak RSS in KiB);
    ``progress(done, total)`` follows the pages read."""
    check_complete(data)
    # Without progress for the size-based time, the parser is stuck; while pages keep coming,
    # a long report may take up to TIMEOUT_MAX.
    stall = timeout or timeout_for(len(data))
    return sandbox.run_worker(WORKER, data, what="PDF", timeout=max(stall, TIMEOUT_MAX),
                              stall=stall, memory_limit=memory_limit or MEMORY_LIMIT,
                              cancelled=cancelled, args=(str(limits.max_pages()),),
                              progress=progress)


def extract(data: bytes, name: str, *, timeout: float | None = None,
            memory_limit: int | None = None, cancelled: Callable[[], bool] | None = None,
            page_progress: Callable[[int, int], None] | None = None) -> NewDocument:
    """A PDF as a document with page start offsets and word boxes; one without a text layer
    (a scan) is read by OCR."""
    raw = extract_pages(data, timeout=timeout, memory_limit=memory_limit, cancelled=cancelled,
                        progress=page_progress)
    pages = pages_from_json(raw["pages"])
    if not pages:
        raise ImportFailed("this PDF has no pages")
    text, starts = reflow(pages)
    if not text.strip():
        from casefile.importers import ocr

        return ocr.extract(data, name, "application/pdf", cancelled=cancelled,
                           progress=page_progress)
    meta = metadata(raw.get("info") or {}, pages)
    return NewDocument(
        text=text, original=data, content_type="application/pdf", title=meta["title"] or name,
        author=meta["author"], published=meta["published"], outlet=meta["outlet"],
        guessed=tuple(meta["guessed"]),
        source_name=name,
        page_starts=starts, extractor=FALLBACK if raw.get("fallback") else EXTRACTOR,
        extractor_version=_pdfium_version() if raw.get("fallback") else version(),
        layout=word_layout(raw["pages"], text, starts).encode())


def word_layout(raw_pages: list[dict], text: str, starts: Sequence[int]) -> PageLayout:
    """The worker's words of every page found in the canonical text (see ``layout.align``)."""
    words = (Word(w[0], n, *w[1:5]) for n, p in enumerate(raw_pages)
             for w in p.get("words", ()))
    return align(text, [(p["width"], p["height"]) for p in raw_pages], words, starts)
