"""The relationship graph on a large case (2,000 entities, 9,500 links): a handful of scene items
whatever the size of the graph, labels apart, and nodes and links that still answer a hover and
a click where they are drawn — with names shown literally."""

from __future__ import annotations

import math
import random
from itertools import combinations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from casefile.analysis.graph import Graph, GraphEdge, GraphNode
from ui.analysis.graph import GraphView
from ui.analysis.graph_items import visible_label_rects
from ui.analysis.graph_labels import LABELS_MAX

HOSTILE = "<img src='x.png'><b>Tal</b> Hasan"
VALUES = ("brother of", "member of", "commander of", "deputy of", "met", "doubts: met")


def big_graph(n_nodes: int = 2000, n_links: int = 9500, seed: int = 5) -> Graph:
    """A laid-out-looking graph: nodes on a jittered grid 90 units apart, most links between
    neighbours, some across; node 0 has a name written as markup."""
    rng = random.Random(seed)
    side = 50
    kinds = ("person", "organization", "place", "event", "other")
    nodes = [GraphNode(f"n{i}", HOSTILE if i == 0 else f"Nurlan Qodirov {i}", kinds[i % 5],
                       (f"c{i}",), (i % side) * 90.0 + rng.uniform(-20, 20),
                       (i // side) * 90.0 + rng.uniform(-20, 20)) for i in range(n_nodes)]
    edges, seen = [], set()
    while len(edges) < n_links:
        a = rng.randrange(n_nodes)
        b = (a + rng.choice((1, side, side + 1, side - 1))) % n_nodes if rng.random() < 0.9 \
            else rng.randrange(n_nodes)
        label = rng.choice(VALUES)
        if a != b and (a, b, label) not in seen:
            seen.add((a, b, label))
            edges.append(GraphEdge(f"n{a}", f"n{b}", label, (f"e{len(edges)}",)))
    return Graph(tuple(nodes), tuple(edges))


@pytest.fixture
def big_view(qtbot):
    view = GraphView(None, "case", load=False)  # no database: the data is handed over
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    qtbot.waitExposed(view)
    view.show_graph(big_graph())
    qtbot.waitUntil(view.labels_at_rest, timeout=60_000)
    return view


def _middle(k) -> QPointF:
    return QPointF((k.a.x + k.b.x) / 2, (k.a.y + k.b.y) / 2)


def _alone(view: GraphView, link, p: QPointF) -> bool:
    """No other link passes within 12 units of ``p``, no node within 30."""
    def dist(k) -> float:
        ax, ay, bx, by = k.a.x, k.a.y, k.b.x, k.b.y
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((p.x() - ax) * dx + (p.y() - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(p.x() - ax - t * dx, p.y() - ay - t * dy)
    return (all(dist(k) > 12 for k in view.links if k is not link)
            and all(math.hypot(n.x - p.x(), n.y - p.y()) > 30 for n in view.nodes.values()))


def _tooltip_at(view: GraphView, pos: QPoint) -> str:
    QToolTip.hideText()
    vp = view.view.viewport()
    QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_a_large_graph_makes_a_bounded_number_of_scene_items(big_view):
    view = big_view
    assert len(view.nodes) == 2000 and len(view.links) == 9500
    items = view.scene.items()
    assert len(items) <= LABELS_MAX + 2  # two layers and the labels on screen, at most
    shown = view.labels.shown()
    assert shown, "names are shown where there is room"
    rects = visible_label_rects(view.view, shown)
    for a, b in combinations(rects, 2):
        assert not a.intersects(b)
    # zooming in re-uses the label items: still bounded, still apart
    for _ in range(3):
        view.view.zoom(1.25)
    view.view.centerOn(QPointF(45 * 90.0, 20 * 90.0))
    QApplication.processEvents()
    view.place_labels(now=True)
    assert len(view.scene.items()) <= LABELS_MAX + 2
    assert any(lab.muted for lab in view.labels.shown()), "link labels once there is room"
    rects = visible_label_rects(view.view, view.labels.shown())
    for a, b in combinations(rects, 2):
        assert not a.intersects(b)


def test_nodes_and_links_of_a_large_graph_answer_hover_and_click(big_view, qtbot,
                                                                 monkeypatch):
    view, canvas = big_view, big_view.view
    node = view.nodes["n0"]
    at = canvas.mapFromScene(QPointF(node.x, node.y))
    tip = _tooltip_at(view, at)
    assert "&lt;img src=&#x27;x.png&#x27;&gt;&lt;b&gt;Tal&lt;/b&gt; Hasan" in tip
    assert "<img" not in tip and "claim(s)" in tip
    assert view.tip_at(QPointF(2, 2)) is None  # a corner of the fitted view: nothing there
    # at 1:1, the middle of a link far from any other: its tooltip names its ends and label
    canvas.zoom(1.0 / canvas.transform().m11())
    link, mid = next((k, m) for k in view.links if _alone(view, k, m := _middle(k)))
    canvas.centerOn(mid)
    QApplication.processEvents()
    tip = _tooltip_at(view, canvas.mapFromScene(mid))
    assert f"{link.a.name} — {link.edge.label} → {link.b.name} (1 claim(s))" in tip
    clicked = []
    monkeypatch.setattr(view, "show_node", clicked.append)
    end = canvas.mapFromScene(QPointF(link.b.x, link.b.y))
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=end + QPoint(3, -2))
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.mapFromScene(mid))
    assert clicked == [link.b.id]  # on a node (within its shape) lists it; on a link, nothing


def test_the_same_graph_shown_again_keeps_its_labels(big_view, qtbot):
    view = big_view
    before = sorted(lab.text for lab in view.labels.shown())
    view.show_graph(view.graph)  # the same data again, as after an edit elsewhere
    assert sorted(lab.text for lab in view.labels.shown()) == before  # no blink meanwhile
    qtbot.waitUntil(view.labels_at_rest, timeout=60_000)
    assert sorted(lab.text for lab in view.labels.shown()) == before
    assert len(view.scene.items()) <= LABELS_MAX + 2
