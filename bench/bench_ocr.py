"""OCR speed and accuracy on clean renders of our own English news text (A4, 300 dpi).

Renders bench/data/news_en.txt with reportlab (one column Times 11, one column Helvetica 10,
two columns Times 10), rasterises each page with pypdfium2 at 300 dpi, reads it back and prints
wall and CPU seconds per page and the character error rate (Levenshtein distance / length of
the reference, whitespace collapsed). Engines: bare tesserocr with the packaged fast English
model; rapidocr-onnxruntime when it is installed (it is not a dependency); and Casefile's own
import of the same page as a scanned PDF (child process, word boxes, reading order).
Run: ``.venv/bin/python bench/bench_ocr.py``. Numbers, not pass/fail.
"""

from __future__ import annotations

import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))

from rapidfuzz.distance import Levenshtein  # noqa: E402
from scangen import image_pdf, rasterise, text_pdf  # noqa: E402

PARAS = (ROOT / "bench" / "data" / "news_en.txt").read_text("utf-8").split("\n") * 2
LAYOUTS = {"1 col Times 11": {}, "1 col Helvetica 10": {"font": "Helvetica", "size": 10},
           "2 col Times 10": {"columns": 2, "size": 10}}


def cer(ref: str, hyp: str) -> float:
    ref, hyp = (re.sub(r"\s+", " ", s).strip() for s in (ref, hyp))
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def bare_tesserocr(img) -> str:
    import tesserocr

    from casefile.importers.ocr_engine import tessdata_dir

    with tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="eng") as api:
        api.SetImage(img)
        return api.GetUTF8Text()


def rapidocr(img) -> str:
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR

    engine = getattr(rapidocr, "engine", None) or RapidOCR()
    rapidocr.engine = engine  # type: ignore[attr-defined]
    result, _ = engine(np.array(img.convert("RGB")))
    return "\n".join(r[1] for r in result or [])


def casefile_import(img) -> str:
    """The whole import path: a scanned PDF of the page, read in the limited child process."""
    from casefile.importers import extract

    return extract(image_pdf([img]), "scan.pdf").text


def children_cpu() -> float:
    """CPU seconds of finished child processes (the import's OCR worker)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    engines = {"tesserocr (bare)": bare_tesserocr, "casefile import": casefile_import}
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        print("rapidocr-onnxruntime not installed: skipped")
    else:
        engines["rapidocr-onnxruntime"] = rapidocr
    print(f"{'engine':22} {'layout':20} {'wall s':>7} {'cpu s':>6} {'CER %':>6}")
    for label, kw in LAYOUTS.items():
        pdf_bytes, used = text_pdf(PARAS, **kw)
        img = rasterise(pdf_bytes, dpi=300)
        ref = " ".join(used)
        for name, fn in engines.items():
            t, c, cc = time.perf_counter(), time.process_time(), children_cpu()
            hyp = fn(img)
            wall = time.perf_counter() - t
            cpu = time.process_time() - c + children_cpu() - cc
            print(f"{name:22} {label:20} {wall:7.2f} {cpu:6.2f} {100 * cer(ref, hyp):6.2f}"
                  f"   ({img.size[0]}x{img.size[1]} px, {len(ref)} chars)")


if __name__ == "__main__":
    main()
