"""OCR accuracy beyond English: clean 300-dpi pages of our own Russian and Arabic news text.

Same method as ``bench_ocr.py``: bench/data/news_ru.txt and news_ar.txt are typeset on an A4
page (Russian in DejaVu Serif 11, Arabic in Noto Naskh Arabic 11 — fonts Debian ships — by
Pillow, whose Raqm engine shapes Arabic and lays it out right to left), each page is read back
and the character error rate printed (Levenshtein distance / reference length, white space
collapsed). Engines: bare tesserocr with the named models, and Casefile's own import of the
page as a scanned PDF, which detects the script and picks the languages by itself.
Needs ``tesseract-ocr-rus`` and ``tesseract-ocr-ara``. Run:
``.venv/bin/python bench/bench_ocr_languages.py``. Numbers, not pass/fail.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "scripts"))

from bench_ocr import cer  # noqa: E402
from scangen import image_pdf  # noqa: E402
from scanpage import ARABIC, SERIF, find_font, render  # noqa: E402

from casefile.importers import ocr_engine  # noqa: E402

PAGES = {"Russian": ("news_ru.txt", SERIF, False, ("rus", "rus+eng")),
         "Arabic": ("news_ar.txt", ARABIC, True, ("ara", "ara+eng"))}


def bare(img, langs: str) -> str:
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=ocr_engine.tessdata_dir(), lang=langs) as api:
        api.SetImage(img)
        return api.GetUTF8Text()


def casefile_import(img) -> tuple[str, str]:
    from casefile.importers import extract

    doc = extract(image_pdf([img]), "scan.pdf")
    return doc.text, doc.note


def main() -> None:
    have = ocr_engine.installed()
    print(f"{'page':9} {'engine':26} {'wall s':>7} {'CER %':>6}")
    for label, (name, fonts, rtl, langsets) in PAGES.items():
        font = find_font(fonts)
        paras = [p for p in (ROOT / "bench" / "data" / name).read_text("utf-8").split("\n") if p]
        img, used = render(paras, font, rtl=rtl)
        ref = " ".join(used)
        for langs in langsets:
            if not all(x in have for x in langs.split("+")):
                print(f"{label:9} tesserocr {langs:16} skipped: install "
                      + " ".join(ocr_engine.package(x) for x in langs.split("+") if x not in have))
                continue
            t = time.perf_counter()
            hyp = bare(img, langs)
            print(f"{label:9} {'tesserocr ' + langs:26} {time.perf_counter() - t:7.2f} "
                  f"{100 * cer(ref, hyp):6.2f}")
        t = time.perf_counter()
        hyp, note = casefile_import(img)
        print(f"{label:9} {'casefile import (auto)':26} {time.perf_counter() - t:7.2f} "
              f"{100 * cer(ref, hyp):6.2f}   {note}; {font.name}, {len(ref)} chars")


if __name__ == "__main__":
    main()
