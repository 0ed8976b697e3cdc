"""Import speed and memory: Casefile's importers beside bare trafilatura / pdfplumber, same run.

Prints HTML documents per second and PDF pages per second for both, the overhead ratio (target:
under 1.30), and the PDF child's peak RSS on a generated 300-page PDF. Numbers, not pass/fail.
Run: ``.venv/bin/python bench/bench_import.py [--quick]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))

from pdfgen import article_pdf, filler_paragraphs  # noqa: E402

from casefile.importers import html as html_importer  # noqa: E402
from casefile.importers import pdf as pdf_importer  # noqa: E402

PAGE = (ROOT / "tests" / "fixtures" / "articles" / "meridian_wadi_sirr.html").read_text("utf-8")


def html_pages(n: int) -> list[bytes]:
    """``n`` distinct article pages with site chrome, 10–30 paragraphs each."""
    out = []
    for i in range(n):
        extra = "".join(f"<p>{p}</p>\n" for p in filler_paragraphs(10 + i % 20))
        page = PAGE.replace("<p>Their father", f"{extra}<p>Page {i}. Their father")
        out.append(page.encode("utf-8"))
    return out


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def best_of_pair(repeats: int, bare, ours) -> tuple[float, float]:
    """Best times of two functions run alternately, so load from other processes hits both."""
    t_bare, t_ours = [], []
    for _ in range(repeats):
        t_bare.append(_timed(bare))
        t_ours.append(_timed(ours))
    return min(t_bare), min(t_ours)


def bench_html(n: int, repeats: int) -> None:
    import trafilatura

    docs = html_pages(n)

    def bare() -> None:
        for d in docs:
            trafilatura.bare_extraction(d, with_metadata=True, include_comments=False)

    def ours() -> None:
        for i, d in enumerate(docs):
            html_importer.extract(d, f"page{i}.html")

    bare(), ours()  # warm up imports and caches
    t_bare, t_ours = best_of_pair(repeats, bare, ours)
    print(f"HTML  {n} pages ({sum(map(len, docs)) / n / 1024:.0f} KiB each)")
    print(f"  bare trafilatura   {n / t_bare:8.1f} docs/s")
    print(f"  casefile importer  {n / t_ours:8.1f} docs/s")
    print(f"  overhead ratio     {t_ours / t_bare:8.2f}x  (target < 1.30)")


def bench_pdf(pages_wanted: int, repeats: int) -> None:
    import pdfplumber

    data = article_pdf(filler_paragraphs(int(pages_wanted * 8.3)),
                       title="Benchmark: Vakhidov file", header="MERIDIAN WIRE")

    def bare() -> int:
        n = 0
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                n += 1
        return n

    n = bare()
    t_bare, t_ours = best_of_pair(repeats, bare,
                                  lambda: pdf_importer.extract(data, "bench.pdf"))
    print(f"PDF   {n} pages, {len(data) / 1024:.0f} KiB")
    print(f"  bare pdfplumber    {n / t_bare:8.1f} pages/s  (in-process extract_text)")
    print(f"  casefile importer  {n / t_ours:8.1f} pages/s  (child process + lines + reflow)")
    print(f"  overhead ratio     {t_ours / t_bare:8.2f}x  (target < 1.30)")


def bench_pdf_memory(pages_wanted: int) -> None:
    import pdfplumber

    n = int(pages_wanted * 8.3)
    while True:  # grow the text until the PDF has at least the pages asked for
        data = article_pdf(filler_paragraphs(n), title="Long report", header="CASPIAN COURIER")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) >= pages_wanted:
                break
        n += 10
    t = time.perf_counter()
    raw = pdf_importer.extract_pages(data)
    elapsed = time.perf_counter() - t
    n = len(raw["pages"])
    print(f"PDF memory  {n} pages, {len(data) / 2**20:.1f} MiB file: child peak RSS "
          f"{raw['maxrss_kb'] / 1024:.0f} MiB (cap {pdf_importer.MEMORY_LIMIT / 2**30:.0f} GiB "
          f"address space), {elapsed:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller inputs, one repeat")
    args = ap.parse_args()
    repeats = 1 if args.quick else 5
    bench_html(20 if args.quick else 60, repeats)
    bench_pdf(20 if args.quick else 60, repeats)
    bench_pdf_memory(300)


if __name__ == "__main__":
    main()
