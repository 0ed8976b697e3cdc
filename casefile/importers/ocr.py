"""Scans and screenshots: OCR in a limited child process, words laid out as paragraphs with their
boxes and confidences kept, so the page view and highlights work on them as on any PDF."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from casefile import failures, limits
from casefile.db.database import Database
from casefile.errors import CasefileError, ImportFailed, ValidationError
from casefile.importers import ocr_engine, sandbox
from casefile.importers.hyphens import Vocabulary
from casefile.importers.reflow import join_lines
from casefile.layout import PageLayout, Word, align, text_key
from casefile.services import documents
from casefile.services.documents import NewDocument, ReplaceResult
from casefile.translit import is_rtl

EXTRACTOR = "tesseract"
DPI = 300  # PDF pages are rendered at this resolution for OCR
TIMEOUT_BASE = 60.0
TIMEOUT_PER_PAGE = 40.0
TIMEOUT_MAX = 3600.0
MEMORY_LIMIT = 3 * 1024**3
READABLE_CONF = 50  # a word this sure, with two letters or digits, counts as readable text
MIN_READABLE = 3
WORKER = Path(__file__).with_name("ocr_worker.py")
_WORDLIKE = re.compile(r"\w\w", re.UNICODE)
_TERMINAL = tuple(".!?:;\"”’»)]")


def version() -> str:
    try:
        import tesserocr

        return str(tesserocr.tesseract_version().split()[1])
    except Exception:  # pragma: no cover - version is informative only
        return ""


def _page_count(data: bytes, content_type: str) -> int:
    """How many pages the file has, counted before any is read; a plain refusal for a file
    the readers cannot open (the detail goes to the log)."""
    try:
        if content_type == "application/pdf":
            import pypdfium2 as pdfium

            from casefile.pages import _PDFIUM

            with _PDFIUM:
                doc = pdfium.PdfDocument(data)
                try:
                    return len(doc)
                finally:
                    doc.close()
        import io
        import warnings

        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                return int(getattr(Image.open(io.BytesIO(data)), "n_frames", 1))
            except Image.DecompressionBombError:
                return 1  # the reader measures it and says how large it is
    except Exception as exc:
        failures.log_detail("a scan could not be opened", f"{type(exc).__name__}: {exc}")
        what = ("this PDF is damaged and its pages cannot be read"
                if content_type == "application/pdf"
                else "this image is damaged or in a form Casefile cannot read")
        raise ImportFailed(f"{what}; nothing was imported") from None


def read(data: bytes, content_type: str, *, cancelled: Callable[[], bool] | None = None,
         progress: Callable[[int, int], None] | None = None,
         languages: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The worker's pages: size in points, the script detected and the languages read with,
    and words ``[text, x0, y0, x1, y1, conf, block, par, line]`` in reading order.
    ``languages`` (installed Tesseract codes) reads every page with those; by default each
    page's script chooses (``ocr_engine.plan``)."""
    have = ocr_engine.installed()
    tessdata = ocr_engine.tessdata_dir(have)
    if not tessdata:
        raise ImportFailed(ocr_engine.missing_model_message())
    if languages:
        try:
            ocr_engine.check_languages(list(languages))
        except CasefileError as exc:
            raise ImportFailed(str(exc)) from None
        spec: dict[str, Any] = {"langs": "+".join(languages),
                                "script": ocr_engine.script_of_languages(languages)}
    else:
        spec = {"plan": ocr_engine.plan(have)}
    pages = _page_count(data, content_type)
    if pages > (most := limits.max_pages()):
        what = "scan" if content_type == "application/pdf" else "image"
        raise ImportFailed(f"this {what} has {pages:,} pages; Casefile reads up to {most:,} "
                           "pages (raise the limit with --max-pages or CASEFILE_MAX_PAGES to "
                           "import it)")
    timeout = min(TIMEOUT_MAX, TIMEOUT_BASE + TIMEOUT_PER_PAGE * max(1, pages))
    raw = sandbox.run_worker(WORKER, data, what="scan", timeout=timeout,
                             memory_limit=MEMORY_LIMIT, cancelled=cancelled,
                             args=(content_type, tessdata, json.dumps(spec), str(DPI)),
                             progress=progress or (lambda _d, _t: None))
    return list(raw["pages"])


def languages_read(pages: Sequence[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The languages the pages were read with (most pages first), and those that would have
    read a script found on some page for which no language is installed."""
    used: Counter[str] = Counter()
    missing: list[str] = []
    for p in pages:
        langs = [x for x in str(p.get("langs", "")).split("+") if x]
        used.update(langs)
        script = str(p.get("script", ""))
        if script and not ocr_engine.for_script(script) and (
                need := ocr_engine.missing_for(script)) and need not in missing:
            missing.append(need)
    return [x for x, _n in used.most_common()], missing


def build(pages: Sequence[dict[str, Any]]) -> tuple[str, tuple[int, ...], PageLayout]:
    """Canonical text, page start offsets, and the words with their offsets.

    Tesseract's blocks (columns, boxes) come in its reading order; inside a block a line starts
    a paragraph after a wider gap than the block's usual line pitch, or after a short line
    ending a sentence; wrapped lines are joined as in PDFs (hyphens by the document's words)."""
    lines = list(_lines(pages))
    vocab = Vocabulary(" ".join(w[0] for w in ln) for _n, ln in lines)
    layout = PageLayout([(p["width"], p["height"]) for p in pages])
    parts: list[str] = []
    length = 0
    starts = [0] * len(pages)
    seen_page = -1
    prev: list | None = None
    prev_page = -1
    shape = _block_shapes(lines)
    for n, line in lines:
        while seen_page < n:
            seen_page += 1
            starts[seen_page] = length + (2 if length else 0)
        first = line[0]
        if prev is None or _new_paragraph(prev, line, shape[(n, first[6])]) or prev_page != n:
            if length:
                parts.append("\n\n")
                length += 2
        else:
            drop, sep = join_lines(prev[-1][0], first[0], vocab)
            if drop:
                parts[-1] = parts[-1][: -len(drop)]
                length -= len(drop)
                layout.end[len(layout) - 1] = min(layout.end[len(layout) - 1], length)
            parts.append(sep)
            length += len(sep)
        for k, w in enumerate(line):
            if k:
                parts.append(" ")
                length += 1
            text, x0, y0, x1, y1, conf = w[:6]
            layout.add(n, length, length + len(text), (x0, y0, x1, y1), conf)
            parts.append(text)
            length += len(text)
        prev, prev_page = line, n
    while seen_page < len(pages) - 1:
        seen_page += 1
        starts[seen_page] = length
    starts = [min(st, length) for st in starts]
    text = "".join(parts)
    layout.text = text_key(text)
    return text, tuple(starts), layout


def _lines(pages: Sequence[dict[str, Any]]):
    """(page, words of one line) in reading order."""
    for n, page in enumerate(pages):
        line: list = []
        key = None
        for w in page["words"]:
            k = (w[6], w[7], w[8])
            if k != key and line:
                yield n, line
                line = []
            key = k
            line.append(w)
        if line:
            yield n, line


def _edges(line: list) -> tuple[float, float]:
    """Where a line starts and ends in its reading direction: x from the left for a
    left-to-right line, negated x from the right for a right-to-left one (Arabic, Persian),
    so that one rule serves both."""
    x0, x1 = min(w[1] for w in line), max(w[3] for w in line)
    return (-x1, -x0) if is_rtl(" ".join(w[0] for w in line)) else (x0, x1)


def _block_shapes(lines) -> dict[tuple[int, int], tuple[float, float, float]]:
    """Per (page, block): median line pitch, median line height and far (ending) edge."""
    tops: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
    for n, line in lines:
        tops.setdefault((n, line[0][6]), []).append(
            (min(w[2] for w in line), max(w[4] for w in line), _edges(line)[1]))
    out = {}
    for key, rows in tops.items():
        pitches = sorted(b[0] - a[0] for a, b in itertools.pairwise(rows)
                         if b[0] > a[0])
        heights = sorted(r[1] - r[0] for r in rows)
        out[key] = (pitches[len(pitches) // 2] if pitches else 0.0,
                    heights[len(heights) // 2], max(r[2] for r in rows))
    return out


def _new_paragraph(prev: list, line: list, shape: tuple[float, float, float]) -> bool:
    """Whether ``line`` starts a paragraph after ``prev`` (``shape``: ``prev``'s block).

    A line continues the paragraph when it sits just below ``prev`` in the same column (also
    across a block boundary Tesseract drew inside a paragraph) and ``prev`` is not a short line
    ending a sentence. Edges are taken in the lines' reading direction."""
    pitch, height, right = shape
    step = min(w[2] for w in line) - min(w[2] for w in prev)
    limit = 1.4 * pitch if pitch else 1.8 * height
    (left_prev, prev_end), (left, _end) = _edges(prev), _edges(line)
    same_column = abs(left - left_prev) < max(3 * height, 0.2 * (right - left_prev))
    if not (0 < step <= limit and same_column):
        return True
    short = prev_end < right - max(4 * height, 0.1 * (right - left_prev))
    return short and prev[-1][0].endswith(_TERMINAL)


def layout_for(pages: Sequence[dict[str, Any]], text: str, starts: Sequence[int]) -> PageLayout:
    """OCR'd words found again in a document's current text (after a bundle brought it here
    without its boxes, or its text was replaced)."""
    words = (Word(w[0], n, w[1], w[2], w[3], w[4], int(w[5])) for n, p in enumerate(pages)
             for w in p["words"])
    return align(text, [(p["width"], p["height"]) for p in pages], words, starts)


def readable(layout: PageLayout, text: str) -> int:
    """How many words OCR is reasonably sure of."""
    return sum(1 for i in range(len(layout)) if layout.conf[i] >= READABLE_CONF
               and _WORDLIKE.search(text[layout.start[i]:layout.end[i]]))


def extract(data: bytes, name: str, content_type: str, *,
            cancelled: Callable[[], bool] | None = None,
            progress: Callable[[int, int], None] | None = None,
            languages: Sequence[str] = ()) -> NewDocument:
    """A scanned PDF or an image as a document read by OCR; refuses one with no readable text.
    ``languages``: read with these instead of each page's script's (see ``read``)."""
    pages = read(data, content_type, cancelled=cancelled, progress=progress,
                 languages=languages)
    if not pages:
        raise ImportFailed("this file has no pages")
    text, starts, layout = build(pages)
    langs, missing = languages_read(pages)
    if not languages:  # the analyst's languages (CASEFILE_OCR_LANGS) without their models
        have = ocr_engine.installed()
        missing += [x for x in ocr_engine.preferred() if x not in have and x not in missing]
    if readable(layout, text) < MIN_READABLE:
        what = "scan" if content_type == "application/pdf" else "image"
        hint = ("; it may be in a script no installed model reads: install "
                + " ".join(map(ocr_engine.package, missing)) if missing else "")
        raise ImportFailed(
            f"no readable text was found in this {what} ({len(pages)} page(s) read by OCR): "
            "it may be a photo, blank, or too blurred or small to read; nothing was imported"
            + hint)
    return NewDocument(
        text=text, original=data, content_type=content_type, title=_title(text, name),
        source_name=name, page_starts=starts, extractor=EXTRACTOR,
        extractor_version=ocr_engine.version_note(version(), langs, missing),
        layout=layout.encode(), ocr_confidence=layout.mean_confidence(),
        note=ocr_engine.describe(langs, missing))


def reread(db: Database, *, document_id: str, languages: Sequence[str] = (),
           cancelled: Callable[[], bool] | None = None,
           progress: Callable[[int, int], None] | None = None) -> ReplaceResult:
    """Read a scanned document's original again by OCR — with ``languages`` (installed
    Tesseract codes, e.g. ``["rus"]``), or each page's script's when empty — and re-anchor
    its highlights on the new text (``documents.replace_text``). Title and other metadata the
    analyst has are kept. Raises ``ValidationError`` for a document not read by OCR and
    ``ImportFailed`` when the scan cannot be read (nothing changed)."""
    rec = documents.get_document(db, document_id=document_id)
    if rec.extractor != EXTRACTOR:
        raise ValidationError("this document was not read by OCR (it has a text layer), so "
                              "there is nothing to read again")
    data = documents.get_original(db, document_id=document_id)
    doc = extract(data, rec.source_name or "scan", rec.content_type, cancelled=cancelled,
                  progress=progress, languages=languages)
    return documents.replace_text(db, document_id=document_id, doc=replace(doc, title=""))


def _title(text: str, name: str) -> str:
    """The first line when it reads like a heading, else the file name."""
    first = text.split("\n\n", 1)[0].strip()
    if 3 <= len(first) <= 120 and not first.endswith((".", ",", ";")):
        return first
    return name
