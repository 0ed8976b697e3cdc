"""The window at 1024×700 and 1920×1080: whole titles, headers never clipped, a comfortable line,
a documents list that folds away, F6 through the areas, choices kept across a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from casefile.services import documents
from ui.base.tables import SubtitleRole


def test_documents_list_shows_titles_and_marks_guessed_dates(sample_window, db):
    w = sample_window
    w.resize(1024, 700)
    doc = w.documents_model.rows[0]
    with db.write() as s:
        from casefile.db.models import Document

        s.get(Document, doc.id).guessed = ["published"]
    row = w.documents_model.row_of(doc.id)
    sub = w.documents_model.index(row, 0).data(SubtitleRole)
    assert "(guess)" in sub and doc.outlet in sub
    documents.update_document(db, document_id=doc.id, confirm=("published",))
    assert "(guess)" not in w.documents_model.index(row, 0).data(SubtitleRole)
    view = w.documents_panel.view
    assert all(view.isColumnHidden(c) for c in (1, 2, 3))  # one readable column
    assert view.columnWidth(0) >= 150


def test_claims_headers_are_never_clipped(sample_window):
    w = sample_window
    w.resize(1024, 700)
    view = w.case_panel.claims_view
    fm = QFontMetrics(view.horizontalHeader().font())
    model = view.model()
    for c in range(model.columnCount()):
        if view.isColumnHidden(c):
            continue
        title = model.headerData(c, Qt.Orientation.Horizontal)
        assert view.columnWidth(c) >= fm.horizontalAdvance(title) + 12, title


def test_documents_list_folds_away_and_comes_back(sample_window):
    w = sample_window
    w.resize(1024, 700)
    QApplication.processEvents()
    action = w.view_actions["documents"]
    action.trigger()
    assert w.splitter.sizes()[0] == 0
    action.trigger()
    assert w.splitter.sizes()[0] > 100


def test_f6_moves_focus_documents_reader_case_file(qtbot, sample_window):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    w.documents_panel.view.setFocus()
    seen = []
    for _ in range(3):
        w.view_actions["next_area"].trigger()
        seen.append(QApplication.focusWidget())
    assert seen[0] is w.reader.view
    assert w.case_panel.isAncestorOf(seen[1])
    assert seen[2] is w.documents_panel.view


def test_reader_keeps_a_comfortable_line_on_a_wide_window(sample_window):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    w.resize(1920, 1080)
    w.splitter.setSizes([200, 1300, 420])
    QApplication.processEvents()
    view = w.reader.view
    chars = view.viewport().width() / view.fontMetrics().averageCharWidth()
    assert chars < 100
    assert view.horizontalScrollBar().maximum() == 0  # text wraps inside the column


def test_claims_columns_chosen_by_the_analyst_survive_a_restart(make_window, sample_window,
                                                                 settings):
    view = sample_window.case_panel.claims_view
    view.setColumnHidden(4, True)  # Place
    view.setColumnWidth(2, 333)
    sample_window.close()
    again = make_window()
    view2 = again.case_panel.claims_view
    assert view2.isColumnHidden(4)
    assert view2.columnWidth(2) == 333


def test_no_tab_or_dock_makes_the_window_wider_than_1024(qtbot, sample_window):
    from PySide6.QtWidgets import QDockWidget

    w = sample_window
    w.resize(1024, 700)
    w.open_document(w.documents_model.rows[0].id)
    seen = []
    for i in range(w.case_panel.count()):
        w.case_panel.setCurrentIndex(i)
        QApplication.processEvents()
        seen.append((w.case_panel.tabText(i), w.minimumSizeHint().width()))
    w.case_panel.setCurrentIndex(0)
    for dock in w.findChildren(QDockWidget):
        w.analysis.reveal(dock)
        qtbot.wait(50)
        seen.append((dock.objectName(), w.minimumSizeHint().width()))
        dock.hide()
    too_wide = [(name, px) for name, px in seen if px > 1024]
    assert too_wide == []
    assert w.width() == 1024


def test_window_size_docks_and_document_come_back_after_a_restart(qtbot, make_window,
                                                                   sample_window):
    w = sample_window
    w.resize(1100, 760)
    doc = w.documents_model.rows[1].id
    w.open_document(doc)
    w.analysis.timeline_action.trigger()
    qtbot.waitUntil(lambda: w.analysis.timeline.panel is not None)
    w.view_actions["documents"].trigger()  # fold the documents list away
    w.close()
    again = make_window()
    QApplication.processEvents()
    # the offscreen screen is 800 px wide: Qt keeps a restored window on its screen
    screen = QApplication.primaryScreen().availableGeometry()
    assert again.height() == 760
    assert again.frameGeometry().width() >= min(1100, screen.width())
    assert again.analysis.timeline_dock.isVisible()
    qtbot.waitUntil(lambda: again.analysis.timeline.panel is not None
                    and bool(again.analysis.timeline.panel.marks), timeout=10000)
    assert again.reader.document is not None and again.reader.document.id == doc
    assert again.splitter.sizes()[0] == 0
