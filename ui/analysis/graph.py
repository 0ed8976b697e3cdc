"""Relationship graph view: entities as shaped nodes, labelled links from claims, fitted on
every load, zoom (wheel, +/−, fit) and pan (drag), labels that never overlap at rest; click a
node to list its claims; PNG/SVG export. Layout comes from casefile.analysis.graph."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.graph import Graph, GraphNode
from casefile.db.database import Database
from casefile.services import analysis, claims
from casefile.vocab import with_stance
from ui.analysis.export import ask_and_export, export_scene, view_bar
from ui.analysis.graph_items import (
    KIND_STYLE,
    OTHER_STYLE,
    EdgeLayer,
    LabelPool,
    NodeLayer,
    label_size,
    node_tip,
    screen_of,
)
from ui.analysis.graph_labels import LabelPlan
from ui.analysis.graph_space import NODE_R, Link, Nearby, Prepared, prepare
from ui.base import plain

ZOOM_STEP = 1.25
SIDE_W = 240  # the clicked node's claims
SLICE_S = 0.025  # label placement works this long, then lets the window breathe
LINK_REACH = 4.0  # pixels from a link that still point at it


MAX_STRETCH = 2.5  # how much wider than tall a fit may spread the layout


class GraphCanvas(QGraphicsView):
    """The graphics view: wheel zooms around the cursor, drag pans, labels re-placed at rest;
    a click on a node lists its claims, hovering a node or a link tells what it is."""

    def __init__(self, scene: QGraphicsScene, owner: GraphView):
        super().__init__(scene, owner)
        self.owner = owner
        self.following = True  # fit on resize until the analyst zooms or pans
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        # a few layers drawn at once: repaint it all rather than work out what changed
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setBackgroundBrush(QColor("#fbfcfd"))
        self.setMinimumSize(200, 140)
        # No scroll bars (drag pans, Fit brings all back): bars that came and went as a fit
        # changed the scale would resize the viewport, which re-fits — an endless loop.
        for bar in (self.setHorizontalScrollBarPolicy, self.setVerticalScrollBarPolicy):
            bar(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pointing = False
        self._relabel = QTimer(self)
        self._relabel.setSingleShot(True)
        self._relabel.setInterval(60)
        self._relabel.timeout.connect(owner.place_labels)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.moved())
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.moved())

    def moved(self) -> None:
        """The view changed: a placement under way is stale; place anew once at rest."""
        self.owner.drop_labels_plan()
        self._relabel.start()

    def at_rest(self) -> bool:
        return not self._relabel.isActive()

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
        self.moved()

    def fit(self) -> None:
        rect = self.owner.content_rect()
        if rect.isNull():
            return
        self.resetTransform()
        vp = self.viewport().rect().adjusted(20, 20, -20, -20)
        if vp.width() <= 0 or vp.height() <= 0:
            return
        # nodes and labels keep their size on screen: leave room for the widest name
        pad = min(vp.width() / 3, 16.0 + self.owner.widest_name)
        sx = max(1.0, vp.width() - 2 * pad) / max(rect.width(), 1.0)
        sy = max(1.0, vp.height() - 40) / max(rect.height(), 1.0)
        s = min(sx, sy, 2.0)
        # A wide, short dock (a small window keeps half its height for the reader): spread
        # the nodes sideways, up to a limit, rather than crowding their names. Nodes and labels
        # keep their shapes (they ignore the view's transformation); only distances stretch.
        self.scale(min(sx, 2.0, s * MAX_STRETCH) if sx > sy else s, s)
        self.centerOn(rect.center())
        self.following = True
        self.moved()

    def scene_at(self, pos: QPointF) -> tuple[float, float, float]:
        """The scene point under a viewport position, and scene units per pixel there."""
        p = self.mapToScene(pos.toPoint())
        return p.x(), p.y(), 1.0 / max(self.transform().m11(), 1e-9)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            node = self.owner.node_at(e.position())
            if node is not None:
                self.owner.show_node(node.id)
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        super().mouseMoveEvent(e)
        if e.buttons() == Qt.MouseButton.NoButton:  # a pointing hand over a node
            pointing = self.owner.node_at(e.position()) is not None
            if pointing != self._pointing:
                self._pointing = pointing
                self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if pointing
                                          else Qt.CursorShape.OpenHandCursor)

    def mouseReleaseEvent(self, e) -> None:
        super().mouseReleaseEvent(e)
        self.following = False if self.transform().m11() != 0 else self.following
        self._pointing = False
        self.moved()

    def viewportEvent(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            tip = self.owner.tip_at(QPointF(e.pos()))
            if tip:
                QToolTip.showText(e.globalPos(), plain.tooltip(tip), self.viewport())
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().viewportEvent(e)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        if self.following:
            self.fit()
        self.moved()


class GraphView(QWidget):
    """The case's relationship graph with a side list of the clicked node's claims."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, case_id: str, parent: QWidget | None = None, *,
                 load: bool = True):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        self.scene = QGraphicsScene(self)
        # a handful of items, moved together: a spatial index would only cost upkeep
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._plan: LabelPlan | None = None
        self._placing = QTimer(self)
        self._placing.setInterval(0)
        self._placing.timeout.connect(self._place_some)
        self.view = GraphCanvas(self.scene, self)
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
        self.nodes: dict[str, GraphNode] = {}
        self.links: list[Link] = []
        self.widest_name = 80.0
        self._by_rank: list[tuple[GraphNode, bool]] = []  # busiest first, bold if busy
        self._near = Nearby((), ())
        self._node_layer: NodeLayer | None = None
        self._layers: list[QGraphicsItem] = []
        self.labels = LabelPool(self.scene)
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

    def fetcher(self) -> Callable[[], Prepared]:
        """What loads the graph, lays it out and makes it ready to draw (off the GUI thread)."""
        return partial(_load, self.db, self.case_id)

    def show_error(self, message: str) -> None:
        self.info.setText(message)

    def content_rect(self) -> QRectF:
        if not self.nodes:
            return QRectF()
        xs = [n.x for n in self.nodes.values()]
        ys = [n.y for n in self.nodes.values()]
        return QRectF(min(xs), min(ys), max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0))

    def show_graph(self, graph: Graph) -> None:
        self.show_data(prepare(graph))

    def show_data(self, data: Prepared) -> None:
        """Draw a prepared graph: nodes and links in two layers; labels placed once the view
        is at rest, a slice at a time (a large graph never holds up the window)."""
        # the same places (an edit elsewhere): the labels stay until placed anew, no blink
        if self.graph is None or self.graph.nodes != data.graph.nodes:
            self.labels.show(())
        graph = self.graph = data.graph
        self.drop_labels_plan()
        for layer in self._layers:
            self.scene.removeItem(layer)
        self.claims.clear()
        self.nodes, self.links, self._by_rank = data.nodes, data.links, data.by_rank
        self._near = data.near
        # the widest name is among the longest ones: measure only those
        longest = heapq.nlargest(20, self._by_rank, key=lambda nb: len(nb[0].name))
        self.widest_name = max((label_size(n.name, bold, False)[0] for n, bold in longest),
                               default=80.0)
        self._node_layer = NodeLayer(graph.nodes) if graph.nodes else None
        self._layers = [layer for layer in (EdgeLayer(self.links, data.heads) if self.links
                                            else None, self._node_layer) if layer is not None]
        for layer in self._layers:
            self.scene.addItem(layer)
        rect = self.content_rect().adjusted(-400, -400, 400, 400)
        self.scene.setSceneRect(rect)
        if graph.nodes:
            self.info.setText(f"{len(graph.nodes)} entities, {len(graph.edges)} links from "
                              "relationship, membership and role claims")
        else:
            self.info.setText("No links yet: relationship, membership and role claims with an "
                              "object (a person, an organization or a place) appear here.")
        self.view.fit()  # labels follow once the view has been at rest a moment

    def place_labels(self, *, now: bool = False) -> None:
        """Place the labels anew for the view as it is: in slices between events, or ``now``
        to the end; the labels shown change once the placement is complete."""
        self._plan = LabelPlan(screen_of(self.view), self._by_rank, self.links, label_size)
        if now:
            self._plan.advance()
            self._show_plan()
        else:
            self._placing.start()

    def drop_labels_plan(self) -> None:
        self._plan = None
        self._placing.stop()

    def _place_some(self) -> None:
        if self._plan is None:
            self._placing.stop()
        elif self._plan.advance(SLICE_S):
            self._show_plan()

    def _show_plan(self) -> None:
        self._placing.stop()
        if self._plan is not None:
            self.labels.show(self._plan.placed)
            self._plan = None

    def labels_at_rest(self) -> bool:
        """True once the labels shown are those placed for the view as it is now."""
        return self._plan is None and self.view.at_rest()

    def node_at(self, pos: QPointF) -> GraphNode | None:
        x, y, unit = self.view.scene_at(pos)
        return self._near.node_at(x, y, (NODE_R + 1) * unit)

    def tip_at(self, pos: QPointF) -> str | None:
        """What a tooltip at this viewport position tells (plain text), if anything is there."""
        node = self.node_at(pos)
        if node is not None:
            return node_tip(node)
        x, y, unit = self.view.scene_at(pos)
        link = self._near.link_at(x, y, LINK_REACH * unit)
        if link is None:
            return None
        return (f"{link.a.name} — {link.edge.label} → {link.b.name} "
                f"({len(link.edge.claim_ids)} claim(s))")

    def show_node(self, node_id: str) -> None:
        """List the node's claims in the side panel and ring the node."""
        self.claims.clear()
        node = self.nodes.get(node_id)
        if self._node_layer is not None:
            self._node_layer.set_ring(node)
        if node is None:
            return
        ids = set(node.claim_ids)
        self.claims_title.setText(f"{node.name}: {len(ids)} claim(s) — double-click one "
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


def _load(db: Database, case_id: str) -> Prepared:
    return prepare(analysis.relationship_graph(db, case_id=case_id))


def _glyph(shape: str) -> str:
    return {"circle": "●", "square": "■", "triangle": "▲", "diamond": "◆"}.get(shape, "⬢")
