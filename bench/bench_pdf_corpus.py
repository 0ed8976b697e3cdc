"""PDFs nobody here wrote: import each through Casefile's PDF path and compare with pypdfium2.

For every ``*.pdf`` under the folders given (public test suites, e.g. pdf.js's ``test/pdfs``
and pdfplumber's ``tests/pdfs`` fetched into ``/work/corpora/``; never into the repository),
prints counts of: imported, refused (by message class), hangs (no answer within ``--limit``
seconds), tracebacks (an exception escaping as anything but Casefile's own error), refusals
where pypdfium2 reads at least 50 words, messages that leak internals, and the words lost
against pypdfium2's text layer (its words missing from ours, as a share of its words).
Scans are not read by OCR here (``--ocr`` to do it): those files count as "to OCR".
Run: ``nice .venv/bin/python bench/bench_pdf_corpus.py /work/corpora/pdfjs [--json out]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_LEAK = re.compile(r"Error\b|Exception\b|'NoneType'|Traceback|\bline \d+|cannot be read \(|"
                   r"object is not|this image")
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter:
    return Counter(w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text)))


def pdfium_words(data: bytes) -> Counter | None:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception:
        return None
    out: Counter = Counter()
    try:
        for i in range(min(len(doc), 2000)):
            try:
                page = doc[i]
                tp = page.get_textpage()
                out.update(words(tp.get_text_range()))
                tp.close()
                page.close()
            except Exception:
                continue
    finally:
        doc.close()
    return out


def _one(path: str, ocr: bool, queue) -> None:
    from casefile.errors import CasefileError
    from casefile.importers import extract
    from casefile.importers import ocr as ocr_mod

    if not ocr:
        def no_ocr(*_a, **_k):
            raise CasefileError("@@to-ocr@@")

        ocr_mod.extract = no_ocr
    data = Path(path).read_bytes()
    try:
        doc = extract(data, Path(path).name)
        queue.put(("ok", doc.text))
    except CasefileError as exc:
        queue.put(("refused", str(exc)))
    except BaseException as exc:
        queue.put(("traceback", f"{type(exc).__name__}: {exc}"))


def run_one(path: Path, limit: float, ocr: bool) -> tuple[str, str, float]:
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_one, args=(str(path), ocr, q))
    t = time.perf_counter()
    p.start()
    try:
        kind, value = q.get(timeout=limit)
    except Exception:
        kind, value = "hang", ""
    p.join(5)
    if p.is_alive():
        p.kill()
        p.join()
    return kind, value, time.perf_counter() - t


def classify(message: str) -> str:
    m = re.sub(r"\d+", "N", message)
    m = re.sub(r"\(.*", "(…", m)
    return m[:90]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--limit", type=float, default=180.0, help="seconds before a hang")
    ap.add_argument("--ocr", action="store_true", help="read scans by OCR too")
    ap.add_argument("--json", type=Path, help="write per-file results here")
    args = ap.parse_args()
    import casefile.importers.pdf  # noqa: F401 - loaded once, before the forks

    files = sorted(p for f in args.folders for p in f.rglob("*") if p.suffix.lower() == ".pdf")
    counts: Counter = Counter()
    classes: Counter = Counter()
    leaks: list[tuple[str, str]] = []
    refused_readable: list[tuple[str, int, str]] = []
    lost = total = 0
    worst: list[tuple[float, str, int]] = []
    rows = []
    for n, path in enumerate(files, 1):
        kind, value, secs = run_one(path, args.limit, args.ocr)
        ref = pdfium_words(path.read_bytes()) or Counter()
        ref_n = sum(ref.values())
        row = {"file": path.name, "kind": kind, "seconds": round(secs, 2), "pdfium_words": ref_n}
        if kind == "refused" and value == "@@to-ocr@@":
            kind = row["kind"] = "to OCR"
        counts[kind] += 1
        if kind == "refused":
            classes[classify(value)] += 1
            row["message"] = value
            if _LEAK.search(value):
                leaks.append((path.name, value))
            if ref_n >= 50:
                refused_readable.append((path.name, ref_n, value))
        elif kind == "traceback":
            row["message"] = value
        elif kind == "ok" and ref_n:
            ours = words(value)
            miss = sum((ref - ours).values())
            lost += miss
            total += ref_n
            row["lost"] = miss
            worst.append((miss / ref_n, path.name, ref_n))
        rows.append(row)
        if n % 50 == 0:
            print(f"... {n}/{len(files)}", file=sys.stderr, flush=True)
    print(f"{len(files)} PDFs: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    print(f"refused although pypdfium2 reads >= 50 words: {len(refused_readable)}")
    for name, ref_n, msg in refused_readable:
        print(f"    {name} ({ref_n} words): {msg[:120]}")
    print(f"messages leaking internals: {len(leaks)}")
    for name, msg in leaks[:20]:
        print(f"    {name}: {msg[:140]}")
    print("refusals by message:")
    for msg, k in classes.most_common():
        print(f"  {k:4}  {msg}")
    print(f"words lost vs pypdfium2 on imported files: {lost} of {total} "
          f"({100 * lost / max(1, total):.2f} %)")
    for share, name, ref_n in sorted(worst, reverse=True)[:12]:
        print(f"    {100 * share:5.1f} % of {ref_n:6} words  {name}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
