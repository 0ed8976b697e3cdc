"""Timeline and graph opened cold in the real window (after a restart, at 1024×700): everything in
view, room to read it, labels apart, zoom/pan/fit that work."""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from ui.analysis.graph_items import visible_label_rects


def _restart_small(make_window, sample_window):
    sample_window.close()
    w = make_window()
    w.resize(1024, 700)
    QApplication.processEvents()
    return w


def _loaded(qtbot, lazy):
    qtbot.waitUntil(lambda: lazy.refresher is not None and not lazy.refresher.busy,
                    timeout=20000)
    QApplication.processEvents()
    return lazy.panel


def test_timeline_first_open_after_restart_shows_every_claim(qtbot, make_window,
                                                              sample_window):
    w = _restart_small(make_window, sample_window)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert w.analysis.timeline_dock.isVisible()
    view = _loaded(qtbot, w.analysis.timeline)
    canvas = view.canvas
    qtbot.waitUntil(lambda: canvas.width() > 600)
    plot = canvas.plot_rect()
    assert view.marks, "the sample case has dated claims"
    years = {m.entry.start.year for m in view.marks}
    assert {2015, 2017, 2020, 2021} <= years
    for m in view.marks:
        assert plot.contains(canvas.mark_rect(m)), m.entry.statement
        label = canvas.label_rect(m)
        if label is not None:
            assert label.right() <= plot.right() + 1, m.text
    labels = [r for m in view.marks if (r := canvas.label_rect(m)) is not None]
    assert labels, "labels are shown when there is room"
    for a, b in combinations(labels, 2):
        assert not a.intersects(b)
    assert canvas.height() >= 150  # the dock got room for lanes and the axis, not a sliver


def test_timeline_zoom_pan_and_fit(qtbot, make_window, sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.timeline_action.trigger()
    view = _loaded(qtbot, w.analysis.timeline)
    canvas = view.canvas
    ppd, day0 = canvas.ppd, canvas.day0
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.ppd > ppd
    centre = canvas.plot_rect().center().toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(canvas, centre + QPoint(60, 0))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=centre + QPoint(60, 0))
    assert canvas.day0 < day0 + (centre.x() - canvas.plot_rect().left()) / ppd
    assert not canvas.following
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.following and abs(canvas.ppd - ppd) < 1e-9


def test_clicking_a_timeline_mark_opens_its_passage(qtbot, make_window, sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.timeline_action.trigger()
    view = _loaded(qtbot, w.analysis.timeline)
    m = next(m for m in view.marks if m.entry.passage is not None)
    pos = view.canvas.mark_rect(m).center().toPoint()
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert w.reader.document is not None
    assert w.reader.document.id == m.entry.passage.document_id


def test_timeline_draws_denials_and_doubts_apart_from_assertions(qtbot, make_window,
                                                                sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.timeline_action.trigger()
    view = _loaded(qtbot, w.analysis.timeline)
    stances = {m.entry.stance: m for m in view.marks}
    assert {"asserts", "denies", "doubts"} <= set(stances)
    assert stances["denies"].text.startswith("✕")
    assert stances["doubts"].text.startswith("?")


def test_graph_opens_in_front_with_room_and_fitted(qtbot, make_window, sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.timeline_action.trigger()
    _loaded(qtbot, w.analysis.timeline)
    qtbot.keyClick(w, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dock = w.analysis.graph_dock
    assert dock.isVisible()
    view = _loaded(qtbot, w.analysis.graph)
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert w.analysis.timeline_dock.visibleRegion().isEmpty()  # tabbed behind the graph now
    canvas = view.view
    qtbot.waitUntil(lambda: canvas.viewport().width() > 500)
    assert view.nodes, "the sample case has relationship and role claims"
    vp = canvas.viewport().rect()
    for node in view.nodes.values():
        assert vp.contains(canvas.mapFromScene(QPointF(node.x, node.y))), node.name
    qtbot.waitUntil(view.labels_at_rest)  # labels are placed when the view is at rest
    names = sorted(n.name for n in view.nodes.values())
    assert sorted(lab.text for lab in view.labels.shown() if lab.text in names) == names
    # The reader keeps half of a 1024×700 window, so a long link label may give way in the
    # dock; the view filling the window (Ctrl+Shift+M) shows every name and link.
    for maximized in (False, True):
        if maximized:
            w.room.maximize(dock)
            qtbot.waitUntil(lambda: canvas.viewport().height() > 400)
            qtbot.waitUntil(view.labels_at_rest)
            vp = canvas.viewport().rect()
        shown = view.labels.shown()
        rects = visible_label_rects(canvas, shown)
        if maximized:  # every name and every link's label
            assert sorted(lab.text for lab in shown) == sorted(
                [n.name for n in view.nodes.values()] + [k.edge.label for k in view.links])
        assert all(vp.contains(r.toRect()) for r in rects)  # none cut at the canvas's edge
        for a, b in combinations(rects, 2):
            assert not a.intersects(b)
    w.room.restore()
    # Ctrl+Shift+G again hides it; once more brings it back.
    w.analysis.graph_action.trigger()
    assert not dock.isVisible()
    w.analysis.graph_action.trigger()
    assert dock.isVisible()


def test_graph_zoom_keeps_labels_apart(qtbot, make_window, sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.graph_action.trigger()
    view = _loaded(qtbot, w.analysis.graph)
    canvas = view.view
    for _ in range(4):
        canvas.zoom(0.6)
    qtbot.waitUntil(view.labels_at_rest)
    rects = visible_label_rects(canvas, view.labels.shown())
    assert rects
    for a, b in combinations(rects, 2):
        assert not a.intersects(b)
    view.view.fit()
    qtbot.waitUntil(view.labels_at_rest)
    node = next(iter(view.nodes.values()))
    centre = canvas.mapFromScene(QPointF(node.x, node.y))
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.claims.count() >= 1


def test_timeline_labels_stay_apart_after_the_data_changes(qtbot, make_window, sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.timeline_action.trigger()
    view = _loaded(qtbot, w.analysis.timeline)
    view.show_data(view.fetcher()())  # the same data again, as after any edit elsewhere
    canvas = view.canvas
    labels = [r for m in view.marks if (r := canvas.label_rect(m)) is not None]
    for a, b in combinations(labels, 2):
        assert not a.intersects(b)
    bars = [canvas.mark_rect(m) for m in view.marks]
    for a, b in combinations(bars, 2):
        assert not a.intersects(b)


def test_hypotheses_dock_comes_to_the_front(qtbot, make_window, sample_window):
    w = _restart_small(make_window, sample_window)
    w.analysis.graph_action.trigger()
    _loaded(qtbot, w.analysis.graph)
    qtbot.keyClick(w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dock = w.findChild(type(w.analysis.graph_dock), "achDock")
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty())
    assert w.analysis.graph_dock.visibleRegion().isEmpty()
