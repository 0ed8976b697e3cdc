"""Untrusted text is never shown as Qt rich text (issue 10, item 5).

Generic on purpose: after filling a case with markup in every name, title, quote and note, it
walks every widget's tooltip, status tip and label text, every item view's tooltips, every
graphics scene's item tooltips, and every message box it can drive, and asserts the markup is
shown literally. New widgets are covered as soon as they exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsView,
    QLabel,
    QMessageBox,
    QWidget,
)

from casefile.errors import CasefileError
from casefile.services import cases, claims, documents, entities, highlights, tags
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument

MARK = '<img src="/nonexistent/x.png">'
HOSTILE = f"{MARK}<b>Vakhidov</b>"
TAG = '<img src="x.png">'  # tag names cannot hold "/"


def rich(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """Whether Qt would read ``text`` as markup that holds the hostile image tag."""
    if "<img" not in text:
        return False
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                             and QtGui_Qt.mightBeRichText(text))


@pytest.fixture
def hostile_case(db) -> str:
    case_id = cases.create_case(db, title=HOSTILE, summary=HOSTILE).id
    text = f"{HOSTILE} was reported killed. {HOSTILE} may be alive.\n"
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title=HOSTILE,
        author=HOSTILE, outlet=HOSTILE, published="2020-08-05", source_name=HOSTILE)).id
    tag = tags.create_tag(db, case_id=case_id, name=TAG, description=HOSTILE).id
    tags.create_tag(db, case_id=case_id, name=TAG + "child", parent_id=tag)
    h1 = highlights.create_highlight(db, document_id=doc, start=0, end=len(HOSTILE) + 20,
                                     note=HOSTILE, tag_ids=(tag,)).id
    start = text.index(HOSTILE, 5)
    h2 = highlights.create_highlight(db, document_id=doc, start=start,
                                     end=start + len(HOSTILE) + 13, note=HOSTILE).id
    ent = entities.create_entity(db, case_id=case_id, name=HOSTILE, description=HOSTILE,
                                 aliases=(HOSTILE + " alias",)).id
    for h, stance, date in ((h1, "asserts", "2020-08-03"), (h2, "denies", "2021")):
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject=HOSTILE, kind="death", statement=HOSTILE, value=HOSTILE, date=date,
            place=HOSTILE + " place", origin=HOSTILE + " origin", stance=stance,
            object="", note=HOSTILE, evidence=(h,)))
    other = entities.create_entity(db, case_id=case_id, name=HOSTILE + " brother").id
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject=HOSTILE, kind="relationship", object=HOSTILE + " brother", statement=HOSTILE,
        value="brother", evidence=(h1,)))
    assert ent and other
    return case_id


class Boxes:
    """Message boxes shown during the test: what they showed and in which format."""

    def __init__(self, monkeypatch):
        self.violations: list[str] = []
        self.shown: list[str] = []
        boxes = self

        def exec_(box: QMessageBox) -> int:
            for text in (box.text(), box.informativeText()):
                boxes.shown.append(text)
                if rich(text, box.textFormat()):
                    boxes.violations.append(f"message box “{box.windowTitle()}”: {text[:80]}")
            return int(QMessageBox.StandardButton.Cancel)

        def static(name):
            def show(parent, title, text, *a, **kw):
                boxes.shown.append(text)
                if rich(text):
                    boxes.violations.append(f"QMessageBox.{name} “{title}”: {text[:80]}")
                return QMessageBox.StandardButton.No
            return show

        monkeypatch.setattr(QMessageBox, "exec", exec_)
        monkeypatch.setattr(QMessageBox, "open", lambda box: exec_(box))
        for name in ("warning", "critical", "information", "question"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(static(name)))


def _rows(model, parent: QModelIndex) -> int:
    try:
        return model.rowCount(parent)
    except TypeError:  # flat models make the parent overloads private
        return 0 if parent.isValid() else model.rowCount()


def _indexes(model, parent: QModelIndex | None = None, limit: int = 400):
    parent = parent if parent is not None else QModelIndex()
    for r in range(min(_rows(model, parent), limit)):
        for c in range(40):
            idx = model.index(r, c, parent)
            if not idx.isValid():
                break
            yield idx
            if c == 0 and _rows(model, idx) > 0:
                yield from _indexes(model, idx, limit)


def walk() -> list[str]:
    """Every place a widget shows text that Qt would read as the hostile markup."""
    found: list[str] = []
    for w in QApplication.allWidgets():
        name = f"{type(w).__name__} {w.objectName()!r}"
        for what, text in (("tooltip", w.toolTip()), ("status tip", w.statusTip()),
                           ("what's this", w.whatsThis())):
            if rich(text):
                found.append(f"{name} {what}: {text[:80]}")
        if isinstance(w, QLabel) and rich(w.text(), w.textFormat()):
            found.append(f"{name} text: {w.text()[:80]}")
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            for idx in _indexes(w.model()):
                tip = idx.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and rich(tip):
                    found.append(f"{name} item tooltip: {tip[:80]}")
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                if rich(item.toolTip()):
                    found.append(f"{name} scene item tooltip: {item.toolTip()[:80]}")
    for a in (act for w in QApplication.allWidgets() for act in w.actions()):
        for text in (a.toolTip(), a.statusTip()):
            if rich(text):
                found.append(f"action {a.text()!r}: {text[:80]}")
    return sorted(set(found))


# The lead rewrites these views (issue 9) and makes them plain-text there.
LEAD_OWNED = ("TimelineView", "GraphView", "scene item tooltip")


def test_every_tooltip_label_and_view_shows_markup_literally(qtbot, window, db, hostile_case,
                                                             monkeypatch):
    boxes = Boxes(monkeypatch)
    w = window
    w.controller.set_case(hostile_case)
    w.open_document(w.documents_model.rows[0].id)
    w.show_entity_claims(w.entities_model.rows[0].id if hasattr(
        w.entities_model, "rows") else entities.list_entities(db, case_id=hostile_case)[0].id)
    for row in range(w.claims_model.rowCount()):
        w.case_panel.select_claims([w.claims_model.rows[row].id])
    w.reader.view.setToolTip(w.reader.view.describe(
        list(w.reader.view.records.values())) if w.reader.view.describe else "")
    for lazy in (w.analysis.conflicts, w.analysis.candidates):
        w.case_panel.setCurrentWidget(lazy)
        lazy.ensure()
    w.analysis.timeline_dock.show()
    w.analysis.graph_dock.show()
    qtbot.wait(300)
    found = [f for f in walk() if not any(k in f for k in LEAD_OWNED)]
    assert found == [], "\n".join(found)
    assert boxes.violations == [], boxes.violations


def test_lead_owned_views_show_markup_literally(qtbot, window, hostile_case):
    """Timeline and graph items (ui/analysis/timeline.py, graph.py: the lead's, issue 9)."""
    w = window
    w.controller.set_case(hostile_case)
    for lazy in (w.analysis.timeline, w.analysis.graph):
        lazy.ensure()
    w.analysis.timeline_dock.show()
    w.analysis.graph_dock.show()
    qtbot.wait(300)
    found = [f for f in walk() if any(k in f for k in LEAD_OWNED)]
    assert found == [], "\n".join(found)
    # the timeline paints its marks and shows their tooltips itself, escaped
    from ui.analysis.timeline_layout import describe
    from ui.base import plain

    panel = w.analysis.timeline.panel
    for entry in panel.entries:
        tip = plain.tooltip(describe(entry))
        assert "<img" not in tip and "&lt;img" in tip


def test_message_boxes_quote_untrusted_text_literally(qtbot, window, db, hostile_case,
                                                      monkeypatch, tmp_path: Path):
    boxes = Boxes(monkeypatch)
    w = window
    w.controller.set_case(hostile_case)
    # a refused bundle whose member name is markup
    import zipfile

    bad = tmp_path / "bad.casefile"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(HOSTILE.replace("/", "_"), b"x")
    task = w.exchange.import_bundle(bad)
    del task
    qtbot.waitUntil(lambda: any("bundle" in t for t in boxes.shown), timeout=10_000)
    # an import that fails, for a file whose name is markup
    odd = tmp_path / (TAG.replace("/", "_") + ".pdf")
    odd.write_bytes(b"not a pdf")
    worker = w.import_paths([str(odd)])
    assert worker is not None
    qtbot.waitUntil(lambda: w.import_worker is None, timeout=20_000)
    # a validation error that quotes the user's words (a tag that already exists)
    from ui.workspace import codebook

    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText",
                        lambda *a, **k: (TAG, True))
    if hasattr(codebook, "new_tag"):
        codebook.new_tag(w, None)
    # the window's error boundary, for an expected and an unexpected failure
    from ui.base.errors import ErrorBoundary

    boundary = ErrorBoundary(w)
    for exc in (CasefileError(HOSTILE), RuntimeError(HOSTILE)):
        boundary.handle(type(exc), exc, None)
    assert any(HOSTILE in t for t in boxes.shown)
    assert boxes.violations == [], boxes.violations
    found = [f for f in walk() if not any(k in f for k in LEAD_OWNED)]
    assert found == [], "\n".join(found)


def test_plain_message_box_keeps_markup_literal(qtbot):
    from ui.base import plain

    box = plain.message_box(None, QMessageBox.Icon.Warning, "t", HOSTILE)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert isinstance(box, QWidget)
