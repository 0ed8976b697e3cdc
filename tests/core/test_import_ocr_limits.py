"""OCR within bounds: the absurd refused before it starts (pages over the limit, images too large
to decode, as their headers declare them), blank pages skipped without rendering or reading,
large pages read at 300 dpi within a pixel budget, a worker under ~500 MB."""

from __future__ import annotations

import json
import struct
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from casefile.errors import ImportFailed
from casefile.importers import ocr, ocr_engine, ocr_worker, sandbox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from rawpdf import blank_pdf, image_pdf, text_ops, text_pdf
from scangen import image_pdf as scan_pdf
from scangen import rasterise


def _png_header_only(width: int, height: int, mode: int = 2) -> bytes:
    """A PNG that declares ``width`` x ``height`` (colour type ``mode``: 2 RGB, 0 grey) and
    holds one row: whoever decodes it before judging its size pays for all of it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + b"\xff" * width * (3 if mode == 2 else 1)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                                               mode, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row)) + chunk(b"IEND", b""))


def test_a_scan_over_the_page_limit_is_refused_before_the_reader_starts(monkeypatch):
    """A 10,000-page scan was still being read after 20 minutes; 10,000 blank pages were
    refused after 19 minutes of CPU."""
    def never(*_a, **_k):
        raise AssertionError("the reader was started")

    monkeypatch.setattr(sandbox, "run_worker", never)
    with pytest.raises(ImportFailed) as err:
        ocr.extract(blank_pdf(1500), "scan.pdf", "application/pdf")
    assert str(err.value) == ("this scan has 1,500 pages; Casefile reads up to 1,000 pages "
                              "(raise the limit with --max-pages or CASEFILE_MAX_PAGES to "
                              "import it)")


def test_blank_pages_are_skipped_without_reading_them(monkeypatch):
    """Pages with nothing on them are neither rendered nor given to Tesseract."""
    recognised = []
    import tesserocr

    real = tesserocr.PyTessBaseAPI

    class Counting(real):
        def Recognize(self, *a):
            recognised.append(1)
            return super().Recognize(*a)

    monkeypatch.setattr(tesserocr, "PyTessBaseAPI", Counting)
    rendered = []
    real_render = __import__("pypdfium2").PdfPage.render

    def render(self, *a, **k):
        rendered.append(1)
        return real_render(self, *a, **k)

    monkeypatch.setattr(__import__("pypdfium2").PdfPage, "render", render)
    out = ocr_worker.read_all(blank_pdf(200), "application/pdf", ocr_engine.tessdata_dir(),
                              {"langs": "eng"}, 300)
    assert len(out["pages"]) == 200 and not any(p["words"] for p in out["pages"])
    assert not recognised and not rendered
    white = scan_pdf([Image.new("L", (2480, 3508), 255)] * 3)  # scanned white paper
    out = ocr_worker.read_all(white, "application/pdf", ocr_engine.tessdata_dir(),
                              {"langs": "eng"}, 300)
    assert len(out["pages"]) == 3 and not recognised  # rendered, seen blank, not read


def test_an_image_too_large_to_decode_is_refused_by_its_declared_size():
    with pytest.raises(ImportFailed) as err:
        ocr.extract(_png_header_only(12_000, 12_000), "huge.png", "image/png")
    assert str(err.value) == (
        "this file is too large to read: it is 12,000 × 12,000 pixels (576 MB to decode); "
        "Casefile reads images up to 400 MB (e.g. 10,000 × 10,000 in colour): scale it down "
        "and import it again; nothing was imported")


def test_a_pdf_page_with_an_image_too_large_to_decode_is_refused_before_rendering():
    """PDFium decodes an image whole whatever the scale: a page with a 40,000² image took
    1.9 GB."""
    with pytest.raises(ImportFailed) as err:
        ocr.extract(image_pdf(40_000, 40_000), "poster.pdf", "application/pdf")
    assert str(err.value) == (
        "this file is too large to read: page 1 holds an image of 40,000 × 40,000 pixels "
        "(1,600 MB to decode); Casefile reads images up to 400 MB; nothing was imported")


def test_a_large_page_is_read_within_the_pixel_budget():
    """A page larger than A3 is rendered at fewer than 300 dpi so Tesseract never gets more
    than its pixel budget; text on it is still read."""
    pdf = text_pdf([text_ops(["Daler Nazarov crossed at Qalat Nur on the third day."],
                             size=60, top=700)])
    pdf = pdf.replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 2400 2400]")
    pages = ocr_worker._pages(pdf, "application/pdf", 300)
    next(pages)
    img, w, h, _size = next(pages)
    assert (w, h) == (2400, 2400)
    assert img.width * img.height <= ocr_worker.OCR_PIXELS  # 10,000² at 300 dpi otherwise
    doc = ocr.extract(pdf, "poster.pdf", "application/pdf")
    assert "Qalat Nur" in doc.text


def test_a_ten_thousand_pixel_text_png_is_read_by_a_worker_under_500_mb(tmp_path):
    """A 10,000 x 10,000 text PNG peaked at 1.1 GB."""
    img = Image.new("L", (10_000, 10_000), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=120)
    for n, line in enumerate(["The courier Daler Nazarov crossed at Qalat Nur,",
                              "a border guard told the Northern Ledger."]):
        draw.text((400, 400 + 200 * n), line, fill=0, font=font)
    path = tmp_path / "poster.png"
    img.save(path)
    del img, draw
    raw = sandbox.run_worker(ocr.WORKER, path.read_bytes(), what="image", timeout=600,
                             memory_limit=ocr.MEMORY_LIMIT,
                             args=("image/png", ocr_engine.tessdata_dir(),
                                   json.dumps({"langs": "eng"}), "300"),
                             progress=lambda _d, _t: None)
    words = " ".join(w[0] for p in raw["pages"] for w in p["words"])
    assert "Nazarov" in words and "Ledger" in words
    assert raw["maxrss_kb"] < 500 * 1024, raw["maxrss_kb"] // 1024


def test_a_rendered_scan_keeps_its_words(tmp_path):
    """The budget leaves ordinary A4 scans at 300 dpi."""
    pdf = text_pdf([text_ops(["Report from the Qalat Nur crossing, 3 August 2020."])])
    pages = ocr_worker._pages(scan_pdf([rasterise(pdf)]), "application/pdf", 300)
    next(pages)
    img, *_ = next(pages)
    assert img.width == 2550 and abs(img.height - 3300) <= 1  # letter at 300 dpi
