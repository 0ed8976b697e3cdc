"""Imports at 1k / 10k / 50k items: every one should grow linearly with its input.

Prints seconds (not a pass/fail test) for generated, fictional inputs:
- JSON-LD: N annotations each with a tag of its own (N distinct tags), on a 2,000-sentence
  article; and N annotations on N different sentences (N highlights);
- .qdpx: N coded selections over sources of 2,000 sentences; N selections whose quote is
  nowhere (one source); a project whose N/50 members differ in letter case from the XML;
- OCR pages: a scanned PDF of N blank pages refused at the page limit (before reading) and,
  with the limit raised, read to the end (blank pages skipped); and a few pages of text to
  show the time a page of real OCR takes.
Run: ``nice .venv/bin/python bench/bench_scale.py [--sizes 1000,10000,50000] [--skip-ocr]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))

from casefile.db.database import open_database  # noqa: E402
from casefile.errors import ImportFailed  # noqa: E402
from casefile.exchange.qdpx_import import import_qdpx  # noqa: E402
from casefile.exchange.w3c_import import import_annotations  # noqa: E402
from tests.core.scale_inputs import annotations, case_with_article, qdpx  # noqa: E402


def timed(fn) -> tuple[object, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def jsonld(folder: Path, n: int) -> None:
    db = open_database(folder / f"tags-{n}.sqlite")
    case_id, doc_id, text = case_with_article(db, 2000)
    data = annotations(doc_id, text, n, tag=lambda i: f"Sightings/Day {i}")
    res, s = timed(lambda: import_annotations(db, case_id=case_id, data=data))
    print(f"  JSON-LD, {n:>6,} annotations with {n:,} distinct tags:   {s:7.2f} s "
          f"({len(res.placed):,} placed, {len(res.merged):,} merged)", flush=True)
    db.close()
    db = open_database(folder / f"hl-{n}.sqlite")
    case_id, doc_id, text = case_with_article(db, n)
    data = annotations(doc_id, text, n, tag=lambda i: f"Code {i % 20}")
    res, s = timed(lambda: import_annotations(db, case_id=case_id, data=data))
    print(f"  JSON-LD, {n:>6,} annotations on {n:,} sentences:            {s:7.2f} s "
          f"({len(res.placed):,} highlights)", flush=True)
    db.close()


def project(folder: Path, n: int) -> None:
    db = open_database(folder / f"q-{n}.sqlite")
    path = qdpx(folder / f"coded-{n}.qdpx", sentences=2000, selections=n,
                sources=max(1, n // 2000))
    res, s = timed(lambda: import_qdpx(db, path=path))
    print(f"  .qdpx,   {n:>6,} coded selections ({res.documents} sources):       {s:7.2f} s "
          f"({res.highlights:,} highlights)", flush=True)
    path = qdpx(folder / f"missing-{n}.qdpx", sentences=2000, selections=n, missing=True)
    res, s = timed(lambda: import_qdpx(db, path=path))
    print(f"  .qdpx,   {n:>6,} selections whose quote is nowhere:       {s:7.2f} s "
          f"({len(res.not_imported):,} listed as not imported)", flush=True)
    path = qdpx(folder / f"case-{n}.qdpx", sentences=20, selections=max(1, n // 50),
                sources=max(1, n // 50), member_case="upper")
    res, s = timed(lambda: import_qdpx(db, path=path))
    print(f"  .qdpx,   {max(1, n // 50):>6,} members differing in letter case:      "
          f"{s:7.2f} s ({res.documents:,} sources)", flush=True)
    db.close()


def ocr_pages(n: int) -> None:
    from rawpdf import blank_pdf

    from casefile.importers import extract

    data = blank_pdf(n)
    for label, limit in (("at the default page limit", ""),
                         ("with the limit raised", str(n))):
        os.environ["CASEFILE_MAX_PAGES"] = limit
        t = time.perf_counter()
        try:
            extract(data, "blank.pdf")
            what = "imported"
        except ImportFailed as exc:
            what = str(exc)[:58] + "…"
        print(f"  OCR,     {n:>6,} blank pages, {label}: {time.perf_counter() - t:7.2f} s "
              f"({what})", flush=True)
    os.environ.pop("CASEFILE_MAX_PAGES", None)


def ocr_text(pages: int) -> None:
    from scangen import image_pdf, rasterise, text_pdf

    from casefile.importers import ocr

    paras = (ROOT / "bench" / "data" / "news_en.txt").read_text("utf-8").split("\n")
    pdf, _ = text_pdf(paras)
    scan = image_pdf([rasterise(pdf)] * pages)
    _, s = timed(lambda: ocr.extract(scan, "scan.pdf", "application/pdf"))
    print(f"  OCR,     {pages:>6,} pages of text (A4, 300 dpi):           {s:7.2f} s "
          f"({s / pages:.2f} s a page)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--skip-ocr", action="store_true")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            print(f"{n:,} items:", flush=True)
            jsonld(Path(tmp), n)
            project(Path(tmp), n)
            if not args.skip_ocr:
                ocr_pages(n)
        if not args.skip_ocr:
            ocr_text(4)


if __name__ == "__main__":
    main()
