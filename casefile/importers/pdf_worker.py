"""Child process that reads a PDF with pdfplumber (PDFium's text layer when pdfplumber cannot):
caps its memory, prints lines per page as JSON.

Run as ``python -I pdf_worker.py MEMORY_LIMIT [MAX_PAGES]`` with the PDF on stdin (see
``sandbox``). It imports nothing from casefile, so it starts fast and a crafted PDF meets only
the parsers here.
Output: ``{"ok": {"info": {...}, "pages": [{"width", "height", "lines": [[text, x0, x1, top,
bottom, size], ...], "words": [[text, x0, top, x1, bottom], ...]}], "maxrss_kb": N}}`` (with
``"fallback": why`` when the text came from PDFium because pdfplumber failed) or
``{"error": "one sentence for the analyst", "detail": "for the log"}``.
"""

from __future__ import annotations

import html
import io
import json
import re
import statistics
import sys


def cap_memory(limit: int) -> None:
    """Limit this process's address space to ``limit`` bytes (where the OS allows it)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no RLIMIT_AS
        return
    if limit > 0:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _maxrss_kb() -> int:
    try:
        import resource
    except ImportError:  # pragma: no cover
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


# A gap wider than this share of the font size separates words. pdfplumber's default, a fixed
# 3 points, glued the words of tightly set text ("AndreasGal,BrendanEich"): 42 % of PDFium's
# words were missing from the text of pdf.js's test files, 3 % with this.
WORD_GAP = 0.15


class Refused(Exception):
    """The PDF is refused with a reason for the analyst (not a parser failure)."""


def _chain(exc: BaseException) -> str:
    chain = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 5:
        chain.append(f"{type(e).__name__}: {e}")
        e = e.__cause__ or e.__context__
    return " / ".join(chain)[:1000]


def _reason(exc: BaseException) -> str:
    """One plain sentence for a PDF no reader could open (the detail goes to the log)."""
    text = _chain(exc).lower()
    if "password" in text or "encrypt" in text:
        return "this PDF is encrypted (password-protected); remove the protection and try again"
    if "eof" in text or "xref" in text or "trailer" in text:
        return "this PDF is damaged or truncated and cannot be read"
    return "this PDF is damaged and cannot be read"


_XMP_PUBLISHER = re.compile(
    rb"<dc:publisher>.{0,200}?<rdf:li[^>]{0,200}>([^<]{1,300})</rdf:li>", re.S)


def _xmp_publisher(pdf) -> str:
    """dc:publisher from the XMP packet, if any (read with a bounded pattern, no XML parser)."""
    try:
        from pdfminer.pdftypes import resolve1

        data = resolve1(pdf.doc.catalog.get("Metadata")).get_data()
    except Exception:  # no packet, or a damaged one: metadata is optional
        return ""
    m = _XMP_PUBLISHER.search(data[:1_000_000])
    return html.unescape(m.group(1).decode("utf-8", "replace")).strip() if m else ""


def _info(metadata: dict) -> dict:
    out = {}
    for key in ("Title", "Author", "Subject", "CreationDate", "ModDate", "Creator", "Producer",
                "Publisher", "Company"):
        val = metadata.get(key)
        if isinstance(val, bytes):
            val = val.decode("latin-1", "replace")
        if isinstance(val, str) and val.strip():
            out[key] = val.strip()[:1000]
    return out


def line_words(text: str, chars) -> list[list]:
    """The words of a line with their boxes: ``[text, x0, top, x1, bottom]``, each made of the
    line's next non-blank characters (a ligature glyph counts for the letters it stands for)."""
    out = []
    glyphs = [c for c in chars if str(c.get("text", "")).strip()]
    k = 0
    for word in text.split():
        got, box = 0, None
        while got < len(word) and k < len(glyphs):
            c = glyphs[k]
            k += 1
            got += len(str(c["text"]))
            b = (c["x0"], c["top"], c["x1"], c["bottom"])
            box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]),
                                         max(box[2], b[2]), max(box[3], b[3]))
        if box is None:
            break
        out.append([word, *(round(float(v), 2) for v in box)])
    return out


def read_pages(data: bytes, max_pages: int = 0) -> dict:
    """Lines of every page with their position and font size (closing each page after use),
    read by pdfplumber; by PDFium's text layer when pdfplumber fails or finds no pages but
    PDFium reads words. ``max_pages``: refuse a longer PDF before reading any page."""
    plumbed = None
    try:
        _too_many(_pdfium_count(data), max_pages)  # at once: pdfplumber builds every page first
        got = plumbed = _plumber(data, max_pages)
    except MemoryError:
        raise
    except Refused as exc:
        return {"error": str(exc)}
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        if _out_of_memory(exc):
            raise MemoryError from exc
        first: Exception = exc
    else:
        if any(p["lines"] for p in got["pages"]):
            return {"ok": got}
        first = _NoText("pdfplumber found no text")  # a scan, or text PDFium alone reads
    try:
        got = _pdfium(data, max_pages)
    except MemoryError:
        raise
    except Refused as exc:
        return {"error": str(exc)}
    except Exception as exc:
        if _out_of_memory(exc):
            raise MemoryError from exc
        if plumbed is not None:
            return {"ok": plumbed}  # a scan, for OCR
        if isinstance(first, _NoPages):
            return {"error": first.reason}
        return {"error": _reason(first), "detail": f"{_chain(first)}; pypdfium2: {_chain(exc)}"}
    if not any(p["lines"] for p in got["pages"]):
        if plumbed is not None:
            return {"ok": plumbed}  # a scan: the pages, for OCR
        if isinstance(first, _NoPages):
            return {"error": first.reason}
        return {"error": _reason(first), "detail": _chain(first) + "; pypdfium2: no text"}
    got["fallback"] = _chain(first)
    return {"ok": got}


class _NoText(Exception):
    """pdfplumber read the pages and found no text on any."""


def _out_of_memory(exc: BaseException) -> bool:
    """Whether a failure was the memory cap (a library failing to load under it, too)."""
    text = _chain(exc)
    return any(m in text for m in ("MemoryError", "failed to map segment",
                                   "Cannot allocate memory", "bad_alloc"))


class _NoPages(Exception):
    """pdfplumber found no page: ``reason`` says why, for when PDFium finds none either."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _pdfium_count(data: bytes) -> int:
    """The page count as PDFium reads it from the page tree (0 when it cannot)."""
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
    except Exception:  # pdfplumber may still read it
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def _too_many(total: int, max_pages: int) -> None:
    if max_pages and total > max_pages:
        raise Refused(f"this PDF has {total:,} pages; Casefile reads PDFs of up to "
                      f"{max_pages:,} pages (raise the limit with --max-pages or "
                      "CASEFILE_MAX_PAGES to import it)")


def _progress(number: int, total: int) -> None:
    # a page done: the parent's watchdog counts time without progress, so a long report is
    # not stopped while a stuck parser still is
    sys.stderr.write(f"progress {number} {total}\n")
    sys.stderr.flush()


def _plumber(data: bytes, max_pages: int) -> dict:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        info = _info(pdf.metadata or {})
        if "Publisher" not in info and (publisher := _xmp_publisher(pdf)):
            info["Publisher"] = publisher[:1000]
        total = len(pdf.pages)
        if total == 0:
            raise _NoPages(_no_pages_reason(pdf.doc))
        _too_many(total, max_pages)
        _progress(0, total)
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            lines, words = [], []
            for ln in page.extract_text_lines(return_chars=True, strip=True,
                                              x_tolerance_ratio=WORD_GAP):
                sizes = [c.get("size", 0.0) for c in ln.get("chars", ())]
                size = statistics.median(sizes) if sizes else 0.0
                lines.append([ln["text"], round(ln["x0"], 1), round(ln["x1"], 1),
                              round(ln["top"], 1), round(ln["bottom"], 1), round(size, 1)])
                words.extend(line_words(ln["text"], ln.get("chars", ())))
            pages.append({"width": round(float(page.width), 1),
                          "height": round(float(page.height), 1), "lines": lines,
                          "words": words})
            page.close()
            _progress(number, total)
    return {"info": info, "pages": pages, "maxrss_kb": _maxrss_kb()}


def _no_pages_reason(doc) -> str:
    """Why pdfminer found no page: a page tree that loops back on itself, or none at all."""
    try:
        from pdfminer.pdftypes import resolve1

        root = doc.catalog.get("Pages")
        todo, seen = [(root, frozenset())], set()
        while todo and len(seen) < 100_000:
            ref, path = todo.pop()
            objid = getattr(ref, "objid", None)
            if objid is not None and objid in path:
                return ("this PDF's page tree loops back on itself (a damaged or crafted "
                        "file), so it has no pages to read")
            if objid is not None:
                if objid in seen:
                    continue
                seen.add(objid)
            node = resolve1(ref)
            if isinstance(node, dict):
                kids = resolve1(node.get("Kids"))
                if isinstance(kids, list):
                    here = path | {objid} if objid is not None else path
                    todo.extend((k, here) for k in kids)
    except Exception:  # the reason is informative only
        pass
    return "this PDF has no pages"


def _pdfium(data: bytes, max_pages: int) -> dict:
    """Lines and words of every page from PDFium's text layer (its reading order)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        meta = doc.get_metadata_dict()
        info = _info({k: v for k, v in meta.items() if isinstance(v, str)})
        total = len(doc)
        _too_many(total, max_pages)
        pages = []
        for number in range(total):
            try:
                page = doc[number]
            except Exception:  # a page PDFium cannot load: kept, empty
                pages.append({"width": 612.0, "height": 792.0, "lines": [], "words": []})
                continue
            pages.append(_pdfium_page(page))
            page.close()
            _progress(number + 1, total)
    finally:
        doc.close()
    return {"info": info, "pages": pages, "maxrss_kb": _maxrss_kb()}


def _pdfium_page(page) -> dict:
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    tp = page.get_textpage()
    lines, words = [], []
    chars: list[dict] = []

    def end_line() -> None:
        text = "".join(c["text"] for c in chars).strip()
        boxes = [c for c in chars if c["text"].strip()]
        if text and boxes:
            sizes = [c["bottom"] - c["top"] for c in boxes]
            lines.append([text, round(min(c["x0"] for c in boxes), 1),
                          round(max(c["x1"] for c in boxes), 1),
                          round(min(c["top"] for c in boxes), 1),
                          round(max(c["bottom"] for c in boxes), 1),
                          round(statistics.median(sizes), 1)])
            words.extend(line_words(text, boxes))
        chars.clear()

    try:
        for i in range(tp.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(tp.raw, i)
            ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
            if ch in ("\n", "\r"):
                end_line()
                continue
            if not ch:
                continue
            left, bottom, right, top = tp.get_charbox(i, loose=True)
            chars.append({"text": ch, "x0": left, "x1": right, "top": height - top,
                          "bottom": height - bottom})
        end_line()
    finally:
        tp.close()
    return {"width": round(float(width), 1), "height": round(float(height), 1),
            "lines": lines, "words": words}


def main() -> int:
    cap_memory(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    max_pages = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    data = sys.stdin.buffer.read()
    try:
        result = read_pages(data, max_pages)
    except MemoryError:
        result = {"error": "reading this PDF needed more memory than allowed and was stopped; "
                           "the file may be malformed"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
