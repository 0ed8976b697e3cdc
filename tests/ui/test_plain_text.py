"""Words from articles are shown literally: never read as HTML in tooltips or labels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from casefile.services import claims
from casefile.services.claims import ClaimInput
from tests.ui.conftest import add_doc
from ui.base import plain

HOSTILE = "<img src='file:///etc/passwd'><b>killed</b> & buried"


def _rendered(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_tooltips_show_markup_literally(window, db, case_id):
    window.controller.set_case(case_id)
    doc = add_doc(db, case_id, f"The report said {HOSTILE}.")
    h = window.controller.create_highlight(doc, 4, 10)
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Temur Vakhidov", kind="death", statement=HOSTILE, evidence=(h.id,)))
    tip = window.claims_model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert HOSTILE in _rendered(tip)
    assert "<img" not in tip


def test_labels_are_plain_text(qapp):
    lbl = plain.label(HOSTILE)
    assert lbl.textFormat() == Qt.TextFormat.PlainText and lbl.text() == HOSTILE
    assert plain.tooltip(None) is None
