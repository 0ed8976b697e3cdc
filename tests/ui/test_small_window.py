"""A 1024×700 window (a laptop at 125%): the reader keeps half the window in each direction
whatever view is open, every case-file tab is one click away, the ACH matrix shows every
hypothesis, the claims say what they are, and one key gives a view the whole window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QTabBar

from casefile.services import hypotheses
from casefile.services.hypotheses import HypothesisInput


def _settle(qtbot, ms: int = 60) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def _sized(qtbot, w, size: tuple[int, int]):
    w.resize(*size)
    w.open_document(next(d.id for d in w.documents_model.rows if d.outlet == "Northern Ledger"))
    _settle(qtbot)
    return w


def _reader_keeps_half(w) -> None:
    r = w.reader
    assert r.isVisible()
    assert r.width() * 2 >= w.width(), (r.width(), w.width())
    assert r.height() * 2 >= w.height(), (r.height(), w.height())


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_the_reader_keeps_half_the_window_whatever_view_is_open(qtbot, sample_window, size):
    w = _sized(qtbot, sample_window, size)
    _reader_keeps_half(w)
    area = w.analysis
    for action, dock in ((area.timeline_action, area.timeline_dock),
                         (area.graph_action, area.graph_dock),
                         (area.ach.action, area.ach.dock)):
        action.trigger()
        _settle(qtbot)
        assert dock.isVisible() and not dock.visibleRegion().isEmpty()
        assert dock.height() >= 150  # room to read it, not a sliver
        _reader_keeps_half(w)
    # The window shrinks with the views open: panels and views give way, not the reader.
    w.resize(1024, 700)
    _settle(qtbot)
    _reader_keeps_half(w)


def test_a_view_fills_the_window_and_the_reader_comes_back_with_one_key(qtbot, sample_window):
    w = _sized(qtbot, sample_window, (1024, 700))
    w.analysis.ach.action.trigger()
    _settle(qtbot)
    dock = w.analysis.ach.dock
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(w, Qt.Key.Key_M, keys)
    _settle(qtbot)
    assert not w.reader.isVisible()
    assert dock.height() >= 0.8 * w.centralWidget().parentWidget().height() - 120
    assert dock.width() == w.width()
    qtbot.keyClick(w, Qt.Key.Key_M, keys)
    _settle(qtbot)
    assert dock.isVisible() and not dock.visibleRegion().isEmpty()
    _reader_keeps_half(w)


def test_every_case_file_tab_is_one_click_away_at_1024(qtbot, sample_window):
    w = _sized(qtbot, sample_window, (1024, 700))
    panel = w.case_panel
    bar: QTabBar = panel.tabBar()
    assert not bar.isVisible()  # no tab bar with scroll arrows
    strip = panel.strip
    buttons = strip.buttons()
    assert [b.text() for b in buttons] == [panel.tabText(i) for i in range(panel.count())]
    inside = strip.rect()
    for i, b in enumerate(buttons):
        assert b.isVisible()
        top_left = b.mapTo(strip, QPoint(0, 0))
        assert inside.contains(b.rect().translated(top_left)), b.text()  # never cut off
        assert b.width() >= b.sizeHint().width()  # the whole name
        qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
        assert panel.currentIndex() == i
    panel.setCurrentIndex(0)
    assert buttons[0].isChecked()
    assert panel.box.width() + w.reader.width() <= w.width()


def test_the_ach_matrix_shows_every_hypothesis_at_1024(qtbot, sample_window, db):
    w = sample_window
    for statement, date in (("Killed near Qalat Nur", "2015"), ("Killed by a missile", "2017"),
                            ("Killed near Wadi Sirr", "2020")):
        hypotheses.add_hypothesis(db, case_id=w.controller.case_id, data=HypothesisInput(
            statement, subject="Temur Vakhidov", kind="death", date=date))
    _sized(qtbot, w, (1024, 700))
    w.analysis.ach.action.trigger()
    lazy = w.analysis.ach
    qtbot.waitUntil(lambda: lazy.panel is not None and lazy.panel.matrix is not None
                    and len(lazy.panel.matrix.hypotheses) == 3, timeout=20000)
    _settle(qtbot)
    view = lazy.panel.view
    head = view.horizontalHeader()
    width = view.viewport().width()
    for col in range(3, 6):
        x = head.sectionViewportPosition(col)
        assert x >= 0 and x + head.sectionSize(col) <= width, col


def test_narrow_claims_say_subject_kind_date_stance_and_statement(qtbot, sample_window):
    from ui.base.tables import RecordRole

    w = _sized(qtbot, sample_window, (1024, 700))
    stack = w.case_panel.claims_stack
    assert stack.view() is w.case_panel.claims_list  # not a table of three clipped columns
    view = stack.view()
    model = view.model()
    delegate = view.itemDelegate()
    seen = {}
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        rec = index.data(RecordRole)
        opt = QStyleOptionViewItem()
        delegate.initStyleOption(opt, index)
        title, sub, _color = delegate.lines(opt, index)
        seen[rec.stance] = (rec, title, sub)
    rec, title, sub = seen["denies"]
    # the stance in the words the reports use, on the line that names the event
    assert rec.subject in title and f"{rec.kind} (denied)" in title and "no date" not in title
    assert sub == rec.statement
    # one shared selection: selecting in the case file's API shows in the list
    w.case_panel.select_claims([rec.id])
    assert view.currentIndex().data(RecordRole).id == rec.id
    # wider, the table comes back with its columns
    w.resize(1900, 900)
    w.splitter.setSizes([250, 950, 700])
    _settle(qtbot)
    assert stack.view() is w.case_panel.claims_view
    assert w.case_panel.current_claim_id() == rec.id
    assert QModelIndex() != w.case_panel.claims_view.currentIndex()
