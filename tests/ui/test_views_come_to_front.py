"""Every action that opens a view brings it to the front: a dock tabbed behind another, a
case-file tab behind another, and the reader or case file while a view fills the window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from casefile.services import entities


def _settle(qtbot) -> None:
    qtbot.wait(40)
    QApplication.processEvents()


def _in_front(dock) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


@pytest.fixture
def w(qtbot, sample_window):
    sample_window.resize(1024, 700)
    sample_window.open_document(sample_window.documents_model.rows[0].id)
    _settle(qtbot)
    return sample_window


DOCKS = ("timeline", "graph", "ach")


def _dock(w, name):
    a = w.analysis
    return {"timeline": (a.timeline_action, a.timeline_dock),
            "graph": (a.graph_action, a.graph_dock),
            "ach": (a.ach.action, a.ach.dock)}[name]


@pytest.mark.parametrize("front", DOCKS)
@pytest.mark.parametrize("wanted", DOCKS)
def test_a_docked_view_comes_to_the_front_of_its_tabs(qtbot, w, front, wanted):
    if front == wanted:
        pytest.skip("the same view")
    for name in DOCKS:  # all three open, tabbed together
        _dock(w, name)[0].trigger()
        _settle(qtbot)
    _action, front_dock = _dock(w, front)
    w.analysis.reveal(front_dock)
    _settle(qtbot)
    assert _in_front(front_dock)
    action, dock = _dock(w, wanted)
    action.trigger()  # Analysis › … (the View menu holds the same actions)
    _settle(qtbot)
    assert _in_front(dock), f"{wanted} stayed behind {front}"
    assert not _in_front(front_dock)


def test_a_docked_view_comes_back_over_a_view_that_fills_the_window(qtbot, w):
    w.analysis.timeline_action.trigger()
    _settle(qtbot)
    w.room.maximize(w.analysis.timeline_dock)
    _settle(qtbot)
    w.analysis.graph_action.trigger()
    _settle(qtbot)
    assert _in_front(w.analysis.graph_dock)
    assert w.reader.isVisible()  # the graph did not open hidden under a full-window timeline


def _case_file_views(w):
    area, ws = w.analysis, w.workspace
    return {
        "search": (area.search_action.trigger, lambda: w.case_panel.currentWidget()
                   is area.search),
        "conflicts": (area.conflicts_action.trigger, lambda: w.case_panel.currentWidget()
                      is area.conflicts),
        "duplicates": (area.candidates_action.trigger, lambda: w.case_panel.currentWidget()
                       is area.candidates),
        "annotations": (ws.annotations_action.trigger, lambda: w.case_panel.currentWidget()
                        is ws.annotations),
        "entity claims": (lambda: w.show_entity_claims(entities.find_entity(
            w.db, case_id=w.controller.case_id, name="Temur Vakhidov").id),
            lambda: w.case_panel.currentIndex() == 0),
        "find": (w.actions_.find.trigger, lambda: w.reader.find_bar.isVisible()),
        "page or text view": (next(a for a in w.actions() if a.shortcut().toString()
                                   == "Ctrl+Shift+P").trigger, lambda: w.reader.isVisible()),
        "documents list": (lambda: (w.view_actions["documents"].trigger(),
                                    w.view_actions["documents"].trigger()),
                           lambda: w.documents_panel.isVisible()),
        "a passage": (lambda: w.open_passage(w.documents_model.rows[-1].id, 0, 5),
                      lambda: w.reader.isVisible()),
    }


@pytest.mark.parametrize("name", ["search", "conflicts", "duplicates", "annotations",
                                  "entity claims", "find", "page or text view",
                                  "documents list", "a passage"])
@pytest.mark.parametrize("maximized", [False, True])
def test_views_of_the_reader_and_case_file_come_to_the_front(qtbot, w, name, maximized):
    w.case_panel.setCurrentWidget(w.workspace.tags_split)  # another tab in front
    if maximized:
        w.analysis.ach.action.trigger()
        _settle(qtbot)
        assert w.room.maximize(w.analysis.ach.dock) is not None
        _settle(qtbot)
        assert not w.case_panel.isVisible()
    show, shown = _case_file_views(w)[name]
    show()
    _settle(qtbot)
    assert shown(), name
    assert w.case_panel.isVisible() and w.reader.isVisible()
