"""Scans and screenshots are read by OCR: text, word boxes and confidence stored; a scan with
nothing readable is refused with a clear message; the CLI says which documents were OCR'd."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein

from casefile import importers
from casefile.errors import ImportFailed
from casefile.importers import ocr, sniff
from casefile.services import documents, layouts
from tests.helpers import cli_json

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))
from scangen import (  # noqa: E402
    image_bytes,
    image_pdf,
    rasterise,
    scanned_pdf,
    screenshot_png,
    text_pdf,
)

NEWS = (ROOT / "bench" / "data" / "news_en.txt").read_text("utf-8").split("\n")


def _cer(ref: str, hyp: str) -> float:
    ref, hyp = (re.sub(r"\s+", " ", s).strip() for s in (ref, hyp))
    return Levenshtein.distance(ref, hyp) / len(ref)


def _import(db, case_id, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return importers.import_file(db, case_id=case_id, path=path)


def _check_boxes(db, doc_id: str, text: str) -> None:
    info = layouts.get_layout(db, document_id=doc_id)
    assert info is not None and info.ocr_confidence is not None and info.ocr_confidence > 80
    lay = info.layout
    assert len(lay) >= 0.95 * len(text.split())
    width, height = lay.sizes[0]
    for i in range(len(lay)):
        word = text[lay.start[i]:lay.end[i]]
        assert word.strip() == word and word
        x0, y0, x1, y1 = lay.box(i)
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


def test_a_scanned_pdf_is_read_with_word_boxes(db, case_id, tmp_path):
    data, used = scanned_pdf(NEWS[:3])
    res = _import(db, case_id, tmp_path, "letter.pdf", data)
    assert res.ok, res.error
    rec = documents.get_document(db, document_id=res.id)
    text = documents.get_text(db, document_id=res.id)
    assert rec.ocr and rec.extractor == "tesseract" and rec.content_type == "application/pdf"
    assert _cer(" ".join(used), text) < 0.02
    assert text.count("\n\n") == 2  # three paragraphs
    _check_boxes(db, res.id, text)


def test_two_columns_are_read_column_by_column(tmp_path):
    pdf, used = text_pdf(NEWS, columns=2, size=10)
    doc = ocr.extract(image_pdf([rasterise(pdf)]), "two.pdf", "application/pdf")
    assert _cer(" ".join(used), doc.text) < 0.02


def test_a_png_screenshot_is_read(db, case_id, tmp_path):
    data, used = screenshot_png(NEWS[5:6])
    assert sniff.sniff(data, "post.png") == sniff.PNG
    res = _import(db, case_id, tmp_path, "post.png", data)
    assert res.ok, res.error
    rec = documents.get_document(db, document_id=res.id)
    text = documents.get_text(db, document_id=res.id)
    assert rec.content_type == "image/png" and rec.ocr
    assert _cer(" ".join(used), text) < 0.03
    _check_boxes(db, res.id, text)


@pytest.mark.parametrize("make", [
    lambda: image_bytes(Image.new("L", (1200, 1600), 255)),  # a blank page
    lambda: image_bytes(Image.effect_noise((900, 900), 90)),  # a photo of nothing legible
    lambda: image_bytes(_boxes_only()),
])
def test_an_image_with_no_readable_text_gets_a_clear_message(db, case_id, tmp_path, make):
    res = _import(db, case_id, tmp_path, "scan.png", make())
    assert not res.ok
    assert "no readable text was found in this image" in res.error
    assert documents.list_documents(db, case_id=case_id) == []


def _boxes_only() -> Image.Image:
    img = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(img)
    for i in range(6):
        draw.rectangle((80 + 170 * i, 100, 200 + 170 * i, 700), outline=0, width=5)
    return img


def test_a_corrupt_image_is_refused_and_cancel_stops_the_reader(tmp_path):
    with pytest.raises(ImportFailed, match="image is damaged or in a form Casefile cannot read"):
        importers.extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "bad.png")
    data, _used = scanned_pdf(NEWS[:2])
    with pytest.raises(ImportFailed, match="cancelled"):
        importers.extract(data, "scan.pdf", cancelled=lambda: True)


def test_docs_json_marks_ocr_documents(cli_env, tmp_path):
    data, _used = screenshot_png(NEWS[5:6])
    (tmp_path / "post.png").write_bytes(data)
    cli_json("import", str(tmp_path / "post.png"), env=cli_env)
    [doc] = cli_json("docs", env=cli_env)
    assert doc["ocr"] is True and 80 < doc["ocr_confidence"] <= 100


def test_a_language_without_its_model_is_named_in_the_message(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEFILE_OCR_LANGS", "eng+tgk_test")
    monkeypatch.setenv("CASEFILE_TESSDATA", str(tmp_path))
    data, _used = screenshot_png(NEWS[5:6])
    doc = importers.extract(data, "post.png")  # the English is read all the same
    assert "install tesseract-ocr-tgk-test" in doc.note


def test_import_progress_follows_the_pages_read_by_ocr(db, case_id, tmp_path):
    a, _ = scanned_pdf(NEWS[:1])
    (tmp_path / "one.pdf").write_bytes(a)
    seen = []
    [res] = importers.import_files(db, case_id=case_id, paths=[tmp_path / "one.pdf"],
                                   progress=lambda d, t, name: seen.append(name))
    assert res.ok, res.error
    assert "one.pdf: page 1 of 1" in seen
