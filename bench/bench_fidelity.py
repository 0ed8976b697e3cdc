"""Fidelity against the bare libraries on a folder of real-world files (web pages and PDFs).

For every file: words the bare library keeps that Casefile's canonical text loses, refusals of
files the bare library reads, mojibake and invisible characters left in the text, and titles cut
short. Web pages are compared with ``trafilatura.bare_extraction`` on the same bytes, PDFs with
pdfplumber's ``extract_text`` of every page. The corpus stays outside the repository; point the
script at it: ``.venv/bin/python bench/bench_fidelity.py /work/corpora/trafilatura/tests/cache``.
``--src DIR`` measures another checkout's casefile (say, the code before a change).
Numbers, not pass/fail; ``--out FILE`` writes one JSON line per file.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]")
# UTF-8 read as Windows-1252/Latin-1: "Ã³", "â€™", "Ð°" and the like.
MOJIBAKE = re.compile("[ÃÂÅÄÐÑ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                      "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                      "\u203a\u20ac\u2122]|â€")
WORD = re.compile(r"\w+")
PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text or ""))
    return WORD.findall(text.casefold())


def bare_html(data: bytes) -> tuple[str, str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=True, include_images=False,
                                      include_links=False, deduplicate=False)
    if doc is None:
        return "", "", ""
    return doc.text or "", doc.title or "", doc.sitename or ""


def bare_pdf(data: bytes) -> tuple[str, str, str]:
    import pdfplumber

    out = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                out.append(page.extract_text() or "")
                page.close()
    except Exception:  # the bare library cannot read it either
        return "", "", ""
    return "\n".join(out), "", ""


def pdf_words(bare: str, ours_words: set[str]) -> list[str]:
    """The bare text's words, a word broken by a hyphen at a line end counted whole when
    Casefile joined it (either form keeps the words), page-number lines left out."""
    lines = [ln for ln in bare.split("\n") if not PAGE_NO.match(ln)]
    text = "\n".join(lines)

    def join(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        return a + b if (a + b).casefold() in ours_words else f"{a}-{b}"

    text = re.sub(r"(\w+)[-\u00ad\u2010]\n(\w+)", join, text)
    return words(text)


def ours(data: bytes, name: str, src: Path) -> tuple[str, str, str, str]:
    """(text, title, outlet, error) from Casefile's importer."""
    from casefile import importers
    from casefile.errors import CasefileError

    try:
        doc = importers.extract(data, name)
    except CasefileError as exc:
        return "", "", "", str(exc)
    except Exception as exc:  # a crash is a refusal too, with its reason
        return "", "", "", f"crash: {type(exc).__name__}: {exc}"
    return doc.text, doc.title, doc.outlet, ""


def measure(path: Path, src: Path) -> dict:
    data = path.read_bytes()
    is_pdf = path.suffix.lower() == ".pdf"
    t0 = time.perf_counter()
    bare_text, bare_title, site = (bare_pdf if is_pdf else bare_html)(data)
    t1 = time.perf_counter()
    text, title, outlet, error = ours(data, path.name, src)
    t2 = time.perf_counter()
    our_words = words(text)
    bare_words = pdf_words(bare_text, set(our_words)) if is_pdf else words(bare_text)
    lost = Counter(bare_words) - Counter(our_words)
    rec = {"file": path.name, "kind": "pdf" if is_pdf else "html",
           "bare_words": len(bare_words), "our_words": len(our_words),
           "lost": sum(lost.values()), "lost_sample": [w for w, _ in lost.most_common(8)],
           "refused": bool(error) and bool(bare_words), "error": error,
           "mojibake": max(0, len(MOJIBAKE.findall(text)) - len(MOJIBAKE.findall(bare_text))),
           "invisible": len(INVISIBLE.findall(text)),
           "bare_s": round(t1 - t0, 3), "ours_s": round(t2 - t1, 3)}
    if bare_title and title and title != bare_title and bare_title.startswith(title):
        cut = bare_title[len(title):].strip(" |-–—·:").casefold()
        if cut not in (site.casefold().strip(), outlet.casefold()):  # more than a site's name
            rec["title_cut"] = [bare_title, title]
    return rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", nargs="+", type=Path, help="folders (or files) to measure")
    ap.add_argument("--src", type=Path, default=ROOT, help="checkout whose casefile to measure")
    ap.add_argument("--out", type=Path, help="write one JSON line per file here")
    ap.add_argument("--limit", type=int, default=0, help="measure at most this many files")
    args = ap.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    files: list[Path] = []
    for c in args.corpus:
        files.extend(sorted(p for p in c.rglob("*") if p.suffix.lower() in
                            (".html", ".htm", ".pdf")) if c.is_dir() else [c])
    if args.limit:
        files = files[:args.limit]
    out = args.out.open("w", encoding="utf-8") if args.out else None
    totals: Counter[str] = Counter()
    for n, path in enumerate(files, 1):
        rec = measure(path, args.src)
        if out:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()
        totals["files"] += 1
        totals["bare_words"] += rec["bare_words"]
        totals["lost_words"] += rec["lost"]
        totals["files_losing"] += rec["lost"] > 0
        totals["refused"] += rec["refused"]
        totals["mojibake"] += rec["mojibake"]
        totals["files_mojibake"] += rec["mojibake"] > 0
        totals["invisible"] += rec["invisible"]
        totals["files_invisible"] += rec["invisible"] > 0
        totals["titles_cut"] += "title_cut" in rec
        if rec["lost"] or rec["refused"] or rec["mojibake"] or "title_cut" in rec:
            notes = [f"REFUSED {rec['error'][:60]}"] if rec["refused"] else []
            notes += [f"mojibake {rec['mojibake']}"] if rec["mojibake"] else []
            notes += [f"title {rec['title_cut']!r}"] if "title_cut" in rec else []
            print(f"{n:5d} {path.name[:50]:<50} lost {rec['lost']:5d}/{rec['bare_words']:<6d}",
                  *notes, flush=True)
    print(json.dumps(dict(totals)))


if __name__ == "__main__":
    main()
