"""Re-OCR as… in the window: a Russian scan first read without the Russian model says which
package is missing (status line, Document details) and reads right once asked in Russian."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.importers import ocr_engine
from casefile.services import documents

SCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"
sys.path.insert(0, str(SCRIPTS))
from scanpage import SERIF, find_font, png, render  # noqa: E402

HAVE = ocr_engine.installed()


@pytest.mark.skipif("rus" not in HAVE, reason="no Russian OCR model: install "
                    "tesseract-ocr-rus")
@pytest.mark.skipif(find_font(SERIF) is None, reason="no DejaVu Serif: install "
                    "fonts-dejavu-core")
def test_reocr_as_russian(window, db, case_id, qtbot, tmp_path, monkeypatch):
    from ui.exchange.documents import ocr_choices, reocr_document
    from ui.workspace.details import DocumentDetails

    paras = [p.strip() for p in (SCRIPTS / "ru_khalimov.txt").read_text("utf-8")
             .split("\n\n") if p.strip()][2:4]
    img, _used = render(paras, find_font(SERIF))
    path = tmp_path / "scan.png"
    path.write_bytes(png(img))
    with monkeypatch.context() as m:  # as on a machine without tesseract-ocr-rus
        m.setattr(ocr_engine, "installed",
                  lambda: {k: v for k, v in HAVE.items() if k in ("eng", "osd")})
        res = importers.import_file(db, case_id=case_id, path=path)
    window.controller.set_case(case_id)
    window.open_document(res.id)
    assert window.actions_.reocr.isEnabled()
    dlg = DocumentDetails(window, documents.get_document(db, document_id=res.id))
    assert "install tesseract-ocr-rus" in dlg.ocr_note.text()
    dlg.close()
    assert ("Russian (rus+eng)", ["rus", "eng"]) in ocr_choices()

    task = reocr_document(window, ["rus", "eng"])
    assert task is not None
    qtbot.waitUntil(lambda: "Халимов" in window.reader.view.toPlainText(), timeout=60000)
    rec = documents.get_document(db, document_id=res.id)
    dlg = DocumentDetails(window, rec)
    assert dlg.ocr_note.text() == "Read by OCR in Russian and English (rus+eng)"
    dlg.close()


def test_reocr_is_off_for_a_document_with_text(window, db, case_id):
    from tests.ui.conftest import add_doc

    doc = add_doc(db, case_id, "Plain text report.")
    window.controller.set_case(case_id)
    window.open_document(doc)
    assert not window.actions_.reocr.isEnabled()
