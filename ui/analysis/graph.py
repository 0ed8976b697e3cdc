"""Relationship graph view: entities as nodes, labelled edges from claims; click a node to
list its claims; PNG/SVG export. Layout comes from casefile.analysis.graph (pure Python)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QLineF, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.graph import Graph, GraphNode
from casefile.db.database import Database
from casefile.services import analysis, claims
from ui.analysis.export import ClickView, ask_and_export, export_scene

NODE_R = 9.0
KIND_COLORS = {"person": "#2f6db5", "organization": "#8e44ad", "place": "#27ae60",
               "event": "#d35400"}


class _NodeItem(QGraphicsEllipseItem):
    def __init__(self, node: GraphNode):
        super().__init__(-NODE_R, -NODE_R, 2 * NODE_R, 2 * NODE_R)
        self.node = node
        self.payload = node
        self.setPos(node.x, node.y)
        self.setBrush(QBrush(QColor(KIND_COLORS.get(node.kind, "#7f8c8d"))))
        self.setPen(QPen(QColor("#ffffff"), 1.5))
        self.setZValue(2)
        self.setToolTip(f"{node.name} ({node.kind}) — {len(node.claim_ids)} claims")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        label = QGraphicsSimpleTextItem(node.name, self)
        label.setPos(NODE_R + 2, -NODE_R)


class GraphView(QWidget):
    """The case's relationship graph with a side list of the clicked node's claims."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, case_id: str, parent: QWidget | None = None, *,
                 load: bool = True):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        self.scene = QGraphicsScene(self)
        self.view = ClickView(self.scene, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setDragMode(ClickView.DragMode.ScrollHandDrag)
        self.view.itemClicked.connect(self._clicked)
        self.claims = QListWidget(self)
        self.claims.itemActivated.connect(self._claim_activated)
        self.claims.itemDoubleClicked.connect(self._claim_activated)
        self.info = QLabel("", self)
        png = QPushButton("Export PNG…", self)
        png.clicked.connect(lambda: self._export("png"))
        svg = QPushButton("Export SVG…", self)
        svg.clicked.connect(lambda: self._export("svg"))
        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        bar.addWidget(png)
        bar.addWidget(svg)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.view)
        split.addWidget(self.claims)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split)
        self.graph: Graph | None = None
        self.node_items: dict[str, _NodeItem] = {}
        if load:
            self.refresh()

    def refresh(self) -> None:
        """Load, lay out and draw now, on this thread (the window does it in the background)."""
        self.show_data(self.fetcher()())

    def fetcher(self) -> Callable[[], Graph]:
        return partial(analysis.relationship_graph, self.db, case_id=self.case_id)

    def show_error(self, message: str) -> None:
        self.info.setText(message)

    def show_data(self, graph: Graph) -> None:
        self.graph = graph
        self.scene.clear()
        self.claims.clear()
        self.node_items = {}
        for n in self.graph.nodes:
            item = _NodeItem(n)
            self.scene.addItem(item)
            self.node_items[n.id] = item
        pen = QPen(QColor("#95a5a6"), 1.2)
        for e in self.graph.edges:
            a, b = self.node_items.get(e.source), self.node_items.get(e.target)
            if a is None or b is None:
                continue
            line = QLineF(a.pos(), b.pos())
            self.scene.addLine(line, pen).setZValue(0)
            if line.length() > 0:  # arrow head at the target's rim
                ux, uy = line.dx() / line.length(), line.dy() / line.length()
                tip = QPointF(b.pos().x() - ux * NODE_R, b.pos().y() - uy * NODE_R)
                for ang in (0.4, -0.4):
                    c, s = math.cos(ang), math.sin(ang)
                    back = QPointF(tip.x() - 8 * (ux * c - uy * s),
                                   tip.y() - 8 * (ux * s + uy * c))
                    self.scene.addLine(QLineF(tip, back), pen)
            label = self.scene.addSimpleText(e.label)
            mid = line.center()
            label.setPos(mid.x() - label.boundingRect().width() / 2, mid.y() - 14)
            label.setBrush(QBrush(QColor("#555555")))
            label.setZValue(1)
        self.info.setText(f"{len(self.graph.nodes)} entities, {len(self.graph.edges)} links "
                          "(relationship, membership and role claims)")

    def _clicked(self, item) -> None:
        node = getattr(item, "node", None)
        if node is not None:
            self.show_node(node.id)

    def show_node(self, node_id: str) -> None:
        """List the node's claims in the side panel."""
        self.claims.clear()
        item = self.node_items.get(node_id)
        if item is None:
            return
        ids = set(item.node.claim_ids)
        for c in claims.list_claims(self.db, case_id=self.case_id, entity_id=node_id):
            if c.id in ids:
                li = QListWidgetItem(f"{c.subject} — {c.value or c.kind} — {c.object or c.place}")
                li.setData(Qt.ItemDataRole.UserRole, c.id)
                li.setToolTip(c.statement)
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
