"""Window-level behaviour: first run, cases, settings across restarts, drop, the rendered PNG."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage

from casefile.services import cases
from tests.ui.conftest import add_doc


def test_first_run_offers_the_sample_case(qtbot, window, db):
    assert window.centre.currentWidget() is window.welcome
    assert window.welcome.sample.isVisible()
    qtbot.mouseClick(window.welcome.sample, Qt.MouseButton.LeftButton)
    assert [c.title for c in cases.list_cases(db)] == ["Temur Vakhidov (sample)"]
    assert len(window.documents_model.rows) == 4
    assert window.reader.document is not None
    assert window.centre.currentWidget() is window.reader
    assert len(window.claims_model.rows) >= 5


def test_case_switcher_new_rename_delete(window, db):
    window.new_case("First")
    window.new_case("Second")
    assert window.case_switcher.currentText() == "Second"
    first = next(c.id for c in cases.list_cases(db) if c.title == "First")
    window.case_switcher.activated.emit(window.cases_model.row_of(first))
    assert window.controller.case_id == first
    window.controller.rename_case(first, "First, renamed")
    assert window.case_switcher.currentText() == "First, renamed"
    window.delete_case(confirm=False)
    assert [c.title for c in cases.list_cases(db)] == ["Second"]
    assert window.case_switcher.currentText() == "Second"


def test_settings_remember_case_document_and_splitter(make_window, db, case_id):
    doc = add_doc(db, case_id, "Temur Vakhidov was reported killed near Qalat Nur.")
    other = cases.create_case(db, title="Other").id
    w = make_window()
    w.controller.set_case(case_id)
    w.open_document(doc)
    w.resize(780, 560)  # the offscreen screen is 800×600; restoreGeometry keeps windows on it
    w.splitter.setSizes([180, 390, 200])
    sizes = w.splitter.sizes()
    size = w.size()
    w.close()
    w2 = make_window()
    assert w2.controller.case_id == case_id != other
    assert w2.reader.document is not None and w2.reader.document.id == doc
    assert w2.size() == size
    assert w2.splitter.sizes() == sizes


def test_drop_files_imports_them(qtbot, window, tmp_path):
    window.new_case("Dropped")
    src = Path(__file__).resolve().parents[2] / "resources" / "sample"
    f = tmp_path / "ledger.txt"
    shutil.copy(src / "01-northern-ledger-2015.txt", f)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    ev = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(ev)
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=20000)
    assert [r.ok for r in window.last_import] == [True]
    assert window.reader.document.title.startswith("Tajik fighter")


def _busy(img: QImage, x0: int, y0: int, x1: int, y1: int) -> int:
    """How many distinct colours a region has (an empty panel has one or two)."""
    seen = set()
    for y in range(y0, y1, 4):
        for x in range(x0, x1, 4):
            seen.add(img.pixel(x, y))
    return len(seen)


def test_render_sample_case_to_png(qtbot, window, tmp_path):
    from ui.app import apply_style

    apply_style(qtbot_app := __import__("PySide6.QtWidgets").QtWidgets.QApplication.instance())
    window.open_sample_case()
    doc = next(d for d in window.documents_model.rows if d.outlet == "Caspian Courier")
    window.open_document(doc.id)
    window.resize(1360, 820)
    qtbot.wait(50)
    img = window.grab().toImage()
    out = tmp_path / "casefile-window.png"
    assert img.save(str(out))
    img.save("/tmp/casefile-window.png")
    assert out.stat().st_size > 20_000
    # The reader, the documents list and the claims table all have content.
    for wdg in (window.reader.view.viewport(), window.documents_panel.view.viewport(),
                window.case_panel.claims_view.viewport()):
        top_left = wdg.mapTo(window, QPoint(0, 0))
        r = wdg.rect().translated(top_left)
        assert _busy(img, r.left(), r.top(), r.right(), min(r.bottom(), r.top() + 200)) > 8
    qtbot_app.setStyleSheet("")


def test_actions_that_need_a_document_or_case_are_disabled_without_one(window, db):
    acts = window.actions_
    assert not window.controller.case_id
    assert not acts.find.isEnabled() and not acts.claim.isEnabled()
    assert not window.exchange.export_action.isEnabled()
    window.new_case("Fresh")
    assert window.exchange.export_action.isEnabled()
    assert not acts.find.isEnabled()  # still no document open
