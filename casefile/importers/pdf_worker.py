"""Child process that reads a PDF with pdfplumber: caps its memory, prints lines per page as JSON.

Run as ``python -I pdf_worker.py MEMORY_LIMIT`` with the PDF on stdin (see ``sandbox``). It
imports nothing from casefile, so it starts fast and a crafted PDF meets only pdfminer here.
Output: ``{"ok": {"info": {...}, "pages": [{"width", "height", "lines": [[text, x0, x1, top,
bottom, size], ...], "words": [[text, x0, top, x1, bottom], ...]}], "maxrss_kb": N}}`` or
``{"error": "..."}``.
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


def _reason(exc: BaseException) -> str:
    """A readable reason for a PDF pdfminer could not open."""
    chain = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 5:
        chain.append(f"{type(e).__name__}: {e}")
        e = e.__cause__ or e.__context__
    text = " ".join(chain).lower()
    if "password" in text or "encrypt" in text:
        return "this PDF is encrypted (password-protected); remove the protection and try again"
    if "eof" in text or "syntax" in text or "xref" in text or "trailer" in text:
        return "this PDF is damaged or truncated and cannot be read"
    return f"this PDF cannot be read ({chain[0][:200]})"


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


def read_pages(data: bytes) -> dict:
    """Lines of every page with their position and font size (closing each page after use)."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types on bad files
        return {"error": _reason(exc)}
    with pdf:
        try:
            info = _info(pdf.metadata or {})
            if "Publisher" not in info and (publisher := _xmp_publisher(pdf)):
                info["Publisher"] = publisher[:1000]
            pages = []
            total = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                lines, words = [], []
                for ln in page.extract_text_lines(return_chars=True, strip=True):
                    sizes = [c.get("size", 0.0) for c in ln.get("chars", ())]
                    size = statistics.median(sizes) if sizes else 0.0
                    lines.append([ln["text"], round(ln["x0"], 1), round(ln["x1"], 1),
                                  round(ln["top"], 1), round(ln["bottom"], 1), round(size, 1)])
                    words.extend(line_words(ln["text"], ln.get("chars", ())))
                pages.append({"width": round(float(page.width), 1),
                              "height": round(float(page.height), 1), "lines": lines,
                              "words": words})
                page.close()
                # a page done: the parent's watchdog counts time without progress, so a long
                # report is not stopped while a stuck parser still is
                sys.stderr.write(f"progress {number} {total}\n")
                sys.stderr.flush()
        except MemoryError:
            raise
        except Exception as exc:
            return {"error": _reason(exc)}
    return {"ok": {"info": info, "pages": pages, "maxrss_kb": _maxrss_kb()}}


def main() -> int:
    cap_memory(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    data = sys.stdin.buffer.read()
    try:
        result = read_pages(data)
    except MemoryError:
        result = {"error": "reading this PDF needed more memory than allowed and was stopped; "
                           "the file may be malformed"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
