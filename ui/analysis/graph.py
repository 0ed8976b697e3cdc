"""Relationship graph view: entities as shaped nodes, labelled links from claims, fitted on
every load, zoom (wheel, +/−, fit) and pan (drag), labels that never overlap at rest; click a
node to list its claims; PNG/SVG export. Layout comes from casefile.analysis.graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsScene,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.graph import Graph
from casefile.db.database import Database
from casefile.services import analysis, claims
from casefile.vocab import with_stance
from ui import plain
from ui.analysis.export import ClickView, ask_and_export, export_scene, view_bar
from ui.analysis.graph_items import (
    KIND_STYLE,
    OTHER_STYLE,
    EdgeItem,
    EdgeLayer,
    NodeItem,
    place_labels,
)

ZOOM_STEP = 1.25
SIDE_W = 240  # the clicked node's claims


MAX_STRETCH = 2.5  # how much wider than tall a fit may spread the layout


class GraphCanvas(ClickView):
    """The graphics view: wheel zooms around the cursor, drag pans, labels re-placed at rest."""

    def __init__(self, scene: QGraphicsScene, owner: GraphView):
        super().__init__(scene, owner)
        self.owner = owner
        self.following = True  # fit on resize until the analyst zooms or pans
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(ClickView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(ClickView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(ClickView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setBackgroundBrush(QColor("#fbfcfd"))
        self.setMinimumSize(200, 140)
        # No scroll bars (drag pans, Fit brings all back): bars that came and went as a fit
        # changed the scale would resize the viewport, which re-fits — an endless loop.
        for bar in (self.setHorizontalScrollBarPolicy, self.setVerticalScrollBarPolicy):
            bar(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._relabel = QTimer(self)
        self._relabel.setSingleShot(True)
        self._relabel.setInterval(60)
        self._relabel.timeout.connect(owner.place_labels)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self._relabel.start())
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._relabel.start())

    def wheelEvent(self, e: QWheelEvent) -> None:
        steps = e.angleDelta().y() / 120
        if steps:
            self.zoom(ZOOM_STEP ** steps)
        e.accept()

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11()
        factor = max(0.02 / scale, min(8.0 / scale, factor))
        self.scale(factor, factor)
        self.following = False
        self._relabel.start()

    def fit(self) -> None:
        rect = self.owner.content_rect()
        if rect.isNull():
            return
        self.resetTransform()
        vp = self.viewport().rect().adjusted(20, 20, -20, -20)
        if vp.width() <= 0 or vp.height() <= 0:
            return
        # nodes and labels keep their size on screen: leave room for the widest name
        pad = min(vp.width() / 3, 16.0 + max((n.label.size[0] for n in
                                              self.owner.node_items.values()), default=80.0))
        sx = max(1.0, vp.width() - 2 * pad) / max(rect.width(), 1.0)
        sy = max(1.0, vp.height() - 40) / max(rect.height(), 1.0)
        s = min(sx, sy, 2.0)
        # A wide, short dock (a small window keeps half its height for the reader): spread
        # the nodes sideways, up to a limit, rather than crowding their names. Nodes and labels
        # keep their shapes (they ignore the view's transformation); only distances stretch.
        self.scale(min(sx, 2.0, s * MAX_STRETCH) if sx > sy else s, s)
        self.centerOn(rect.center())
        self.following = True
        self._relabel.start()

    def mouseReleaseEvent(self, e) -> None:
        super().mouseReleaseEvent(e)
        self.following = False if self.transform().m11() != 0 else self.following
        self._relabel.start()

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        if self.following:
            self.fit()
        self._relabel.start()


class GraphView(QWidget):
    """The case's relationship graph with a side list of the clicked node's claims."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, case_id: str, parent: QWidget | None = None, *,
                 load: bool = True):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        self.scene = QGraphicsScene(self)
        self.view = GraphCanvas(self.scene, self)
        self.view.itemClicked.connect(self._clicked)
        self.claims = QListWidget(self)
        self.claims.itemActivated.connect(self._claim_activated)
        self.claims.itemDoubleClicked.connect(self._claim_activated)
        self.claims_title = plain.label("Click an entity to list its claims", self)
        self.claims_title.setWordWrap(True)
        self.info = plain.label("", self)
        legend = QLabel(" ".join(
            f"<span style='color:{c}'>{_glyph(shape)}</span> {word} &nbsp;"
            for c, shape, word in (*KIND_STYLE.values(), OTHER_STYLE)), self)
        legend.setTextFormat(Qt.TextFormat.RichText)  # our own fixed text, never data
        bar = view_bar(self, what="graph", zoom=self.view.zoom, fit=self.view.fit,
                       export=self._export, info=self.info)
        side = QWidget(self)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.addWidget(self.claims_title)
        side_lay.addWidget(self.claims, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.view)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        self.split.setCollapsible(0, False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar.insertWidget(bar.indexOf(self.info), legend)  # one row: room for the view
        lay.addLayout(bar)
        lay.addWidget(self.split, 1)
        self.graph: Graph | None = None
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self._sized = False
        if load:
            self.refresh()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if not self._sized:  # the canvas takes the room; the claims list a side column
            self._sized = True
            total = max(self.split.width(), 400)
            self.split.setSizes([total - min(SIDE_W, total // 3), min(SIDE_W, total // 3)])

    def refresh(self) -> None:
        """Load, lay out and draw now, on this thread (the window does it in the background)."""
        self.show_data(self.fetcher()())

    def fetcher(self) -> Callable[[], Graph]:
        return partial(analysis.relationship_graph, self.db, case_id=self.case_id)

    def show_error(self, message: str) -> None:
        self.info.setText(message)

    def content_rect(self) -> QRectF:
        if not self.node_items:
            return QRectF()
        xs = [n.pos().x() for n in self.node_items.values()]
        ys = [n.pos().y() for n in self.node_items.values()]
        return QRectF(min(xs), min(ys), max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0))

    def show_data(self, graph: Graph) -> None:
        self.graph = graph
        self.scene.clear()
        self.claims.clear()
        self.node_items = {}
        self.edge_items = []
        degree: Counter[str] = Counter()
        for e in graph.edges:
            degree[e.source] += 1
            degree[e.target] += 1
        for n in graph.nodes:
            item = NodeItem(n, degree[n.id])
            self.scene.addItem(item)
            self.scene.addItem(item.label)
            item.label.setPos(item.pos())
            self.node_items[n.id] = item
        for e in graph.edges:
            a, b = self.node_items.get(e.source), self.node_items.get(e.target)
            if a is None or b is None:
                continue
            edge = EdgeItem(e, a, b)
            self.scene.addItem(edge)
            self.scene.addItem(edge.label)
            self.edge_items.append(edge)
        if self.edge_items:
            self.scene.addItem(EdgeLayer(self.edge_items))
        rect = self.content_rect().adjusted(-400, -400, 400, 400)
        self.scene.setSceneRect(rect)
        if graph.nodes:
            self.info.setText(f"{len(graph.nodes)} entities, {len(graph.edges)} links from "
                              "relationship, membership and role claims")
        else:
            self.info.setText("No links yet: relationship, membership and role claims with an "
                              "object (a person, an organization or a place) appear here.")
        self.view.fit()
        self.place_labels()

    def place_labels(self) -> None:
        place_labels(self.view, list(self.node_items.values()), self.edge_items)

    def _clicked(self, item) -> None:
        node = getattr(item, "node", None)
        if node is not None:
            self.show_node(node.id)

    def show_node(self, node_id: str) -> None:
        """List the node's claims in the side panel and ring the node."""
        self.claims.clear()
        for n in self.node_items.values():
            if n.selected_ring:
                n.set_selected_ring(False)
        item = self.node_items.get(node_id)
        if item is None:
            return
        item.set_selected_ring(True)
        ids = set(item.node.claim_ids)
        self.claims_title.setText(f"{item.node.name}: {len(ids)} claim(s) — double-click one "
                                  "to open its passage")
        for c in claims.list_claims(self.db, case_id=self.case_id, entity_id=node_id):
            if c.id in ids:
                li = QListWidgetItem(f"{c.subject} — {with_stance(c.value or c.kind, c.stance)} — "
                                     f"{c.object or c.place}")
                li.setData(Qt.ItemDataRole.UserRole, c.id)
                li.setToolTip(plain.tooltip(c.statement))
                self.claims.addItem(li)

    def _claim_activated(self, li: QListWidgetItem) -> None:
        claim_id = li.data(Qt.ItemDataRole.UserRole)
        self.claimRequested.emit(claim_id)
        rec = claims.get_claim(self.db, claim_id=claim_id)
        if rec.evidence:
            from casefile.services import highlights

            h = highlights.get_highlight(self.db, highlight_id=rec.evidence[0])
            self.passageRequested.emit(h.document_id, h.start, h.end)

    def export(self, path: str) -> None:
        export_scene(self.scene, path)

    def _export(self, fmt: str) -> None:
        ask_and_export(self, self.scene, "graph", fmt)


def _glyph(shape: str) -> str:
    return {"circle": "●", "square": "■", "triangle": "▲", "diamond": "◆"}.get(shape, "⬢")
