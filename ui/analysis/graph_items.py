"""Graph scene items: nodes shaped by kind, edges with arrow heads, labels kept apart.

Nodes and labels ignore the view's zoom (constant size on screen); their positions follow it.
``place_labels`` runs after every zoom or pan so that, at rest, no two labels overlap."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsView

from casefile.analysis.graph import GraphEdge, GraphNode
from ui import plain

NODE_R = 8.0
KIND_STYLE = {  # kind → (colour, shape, legend word)
    "person": ("#2f6db5", "circle", "person"),
    "organization": ("#8e44ad", "square", "organization"),
    "place": ("#27ae60", "triangle", "place"),
    "event": ("#d35400", "diamond", "event"),
}
OTHER_STYLE = ("#7f8c8d", "hexagon", "other")
EDGE_COLOR = QColor("#90a4ae")
GRID = 64.0
EDGE_OBSTACLES_UP_TO = 1500  # beyond this many links, names are placed without avoiding them
# where an edge's label may go: fraction along the edge, and side (in label heights) off it
EDGE_SPOTS = tuple((t, side) for t in (0.5, 0.4, 0.6, 0.3, 0.7) for side in (0, 1, -1, 2, -2))


def node_path(shape: str, r: float = NODE_R) -> QPainterPath:
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(QPointF(0, 0), r, r)
    elif shape == "square":
        path.addRect(QRectF(-r * 0.85, -r * 0.85, 1.7 * r, 1.7 * r))
    else:
        n, turn = {"triangle": (3, -90), "diamond": (4, 0), "hexagon": (6, 0)}[shape]
        pts = [QPointF(r * 1.1 * math.cos(math.radians(turn + 360 * k / n)),
                       r * 1.1 * math.sin(math.radians(turn + 360 * k / n))) for k in range(n)]
        path.addPolygon(QPolygonF(pts))
        path.closeSubpath()
    return path


class NodeItem(QGraphicsPathItem):
    """An entity: shape and colour by kind, a label placed by ``place_labels``."""

    def __init__(self, node: GraphNode, degree: int):
        color, shape, word = KIND_STYLE.get(node.kind, OTHER_STYLE)
        super().__init__(node_path(shape))
        self.node = node
        self.payload = node
        self.degree = degree
        self.setPos(node.x, node.y)
        self.setBrush(QBrush(QColor(color)))
        self.setPen(QPen(QColor("#ffffff"), 1.5))
        self.setZValue(3)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setToolTip(plain.tooltip(f"{node.name} ({word}) — {len(node.claim_ids)} "
                                      "claim(s); click to list them"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = LabelItem(node.name, bold=degree > 2)
        self.label.setZValue(4)
        self.selected_ring = False

    def set_selected_ring(self, on: bool) -> None:
        self.selected_ring = on
        self.setPen(QPen(QColor("#ff6f00" if on else "#ffffff"), 3 if on else 1.5))


_FONTS: dict[tuple[bool, bool], tuple[QFont, QFontMetricsF]] = {}


def _label_font(bold: bool, muted: bool) -> tuple[QFont, QFontMetricsF]:
    """The label font and its metrics, made once per style (thousands of labels share them)."""
    got = _FONTS.get((bold, muted))
    if got is None:
        f = QFont()
        f.setBold(bold)
        if muted:
            f.setPointSizeF(max(7.0, f.pointSizeF() - 1))
        got = _FONTS[(bold, muted)] = (f, QFontMetricsF(f))
    return got


class LabelItem(QGraphicsItem):
    """Text on a translucent plate, constant size on screen; never parsed as markup."""

    def __init__(self, text: str, *, bold: bool = False, muted: bool = False):
        super().__init__()
        self.text = text
        self.muted = muted
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.bold = bold
        fm = _label_font(bold, muted)[1]
        self.size = (fm.horizontalAdvance(text) + 6, fm.height() + 2)
        self.offset = QPointF(0, 0)  # top-left relative to the anchor, in pixels

    def _font(self) -> QFont:
        return _label_font(self.bold, self.muted)[0]

    def boundingRect(self) -> QRectF:
        return QRectF(self.offset.x(), self.offset.y(), *self.size)

    def paint(self, p: QPainter, _option, _widget=None) -> None:
        r = self.boundingRect()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 215))
        p.drawRoundedRect(r, 3, 3)
        p.setFont(self._font())
        p.setPen(QColor("#546e7a" if self.muted else "#1c2833"))
        p.drawText(r, int(Qt.AlignmentFlag.AlignCenter), self.text)

    def place(self, offset: QPointF) -> None:
        self.prepareGeometryChange()
        self.offset = offset


class EdgeItem(QGraphicsItem):
    """A link from subject to object: its tooltip and label. ``EdgeLayer`` draws the lines of
    all links at once (one item per link painting itself costs ~50 µs × thousands a frame)."""

    def __init__(self, edge: GraphEdge, a: NodeItem, b: NodeItem):
        super().__init__()
        self.edge = edge
        self.a, self.b = a, b
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setZValue(1)
        # nodes never move once placed: the bounds are fixed
        self._bounds = QRectF(a.pos(), b.pos()).normalized().adjusted(-2, -2, 2, 2)
        self.label = LabelItem(edge.label, muted=True)
        self.label.setZValue(2)
        self.label.setPos(QLineF(a.pos(), b.pos()).center())
        self.setToolTip(plain.tooltip(f"{a.node.name} — {edge.label} → {b.node.name} "
                                      f"({len(edge.claim_ids)} claim(s))"))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, _option, _widget=None) -> None:
        pass  # drawn by EdgeLayer


class EdgeLayer(QGraphicsItem):
    """Every link's line, with an arrow head of constant size at the target, drawn in one
    go. The lines are built in device pixels once per zoom level; panning only translates."""

    HEAD = 9.0

    def __init__(self, edges: list[EdgeItem]):
        super().__init__()
        self.setZValue(1)
        self.segments = [(e.a.pos().x(), e.a.pos().y(), e.b.pos().x(), e.b.pos().y())
                         for e in edges]
        bounds = QRectF()
        for e in edges:
            bounds = bounds.united(e.boundingRect())
        self._bounds = bounds
        self._scale: tuple[float, float] | None = None
        self._lines: list[QLineF] = []
        self._heads: list[QPolygonF] = []

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _build(self, sx: float, sy: float) -> None:
        """Lines and heads at scale (sx, sy), without the translation."""
        lines: list[QLineF] = []
        heads: list[QPolygonF] = []
        back = NODE_R + 2
        h = self.HEAD
        c, s = math.cos(0.45), math.sin(0.45)
        for ax, ay, bx, by in self.segments:
            ax, ay, bx, by = ax * sx, ay * sy, bx * sx, by * sy
            dx, dy = bx - ax, by - ay
            length = math.hypot(dx, dy)
            if length < 1:
                continue
            ux, uy = dx / length, dy / length
            tx, ty = bx - ux * back, by - uy * back
            lines.append(QLineF(ax, ay, tx, ty))
            heads.append(QPolygonF((QPointF(tx, ty),
                                    QPointF(tx - h * (ux * c - uy * s), ty - h * (ux * s + uy * c)),
                                    QPointF(tx - h * (ux * c + uy * s),
                                            ty - h * (-ux * s + uy * c)))))
        self._scale, self._lines, self._heads = (sx, sy), lines, heads

    def paint(self, p: QPainter, _option, _widget=None) -> None:
        t = p.worldTransform()
        if self._scale != (t.m11(), t.m22()):
            self._build(t.m11(), t.m22())
        p.save()
        p.resetTransform()
        p.translate(t.dx(), t.dy())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(EDGE_COLOR, 1.3))
        p.drawLines(self._lines)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(EDGE_COLOR)
        for head in self._heads:
            p.drawPolygon(head)
        p.restore()


class _Occupied:
    """Rectangles already taken on screen, bucketed on a grid for quick overlap tests."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[QRectF]] = defaultdict(list)

    def _keys(self, r: QRectF) -> Iterable[tuple[int, int]]:
        for gx in range(int(r.left() // GRID), int(r.right() // GRID) + 1):
            for gy in range(int(r.top() // GRID), int(r.bottom() // GRID) + 1):
                yield gx, gy

    def free(self, r: QRectF) -> bool:
        return not any(o.intersects(r) for k in self._keys(r) for o in self.cells.get(k, ()))

    def add(self, r: QRectF) -> None:
        for k in self._keys(r):
            self.cells[k].append(r)


def place_labels(view: QGraphicsView, nodes: list[NodeItem], edges: list[EdgeItem]) -> None:
    """Show as many labels as fit without overlapping each other or any node: busiest nodes
    first, each trying right, left, above and below; edge labels after, at their midpoint."""
    taken = _Occupied()
    vp = QRectF(view.viewport().rect()).adjusted(-40, -40, 40, 40)
    on_screen: list[tuple[NodeItem, QPointF]] = []
    for n in nodes:
        c = QPointF(view.mapFromScene(n.pos()))
        if vp.contains(c):
            on_screen.append((n, c))
            taken.add(QRectF(c.x() - NODE_R, c.y() - NODE_R, 2 * NODE_R, 2 * NODE_R))
        n.label.setVisible(False)
    lines = _Occupied()  # where links run: a name had better not cover its own links
    if len(edges) <= EDGE_OBSTACLES_UP_TO:
        for e in edges:
            a = QPointF(view.mapFromScene(e.a.pos()))
            b = QPointF(view.mapFromScene(e.b.pos()))
            steps = max(1, int(QLineF(a, b).length() // 6))
            for k in range(1, steps):
                p = QLineF(a, b).pointAt(k / steps)
                lines.add(QRectF(p.x() - 1, p.y() - 1, 2, 2))
    for n, c in sorted(on_screen, key=lambda t: (-t[0].degree, t[0].node.name)):
        w, h = n.label.size
        spots = [QRectF(c + off, QPointF(c.x() + off.x() + w, c.y() + off.y() + h))
                 for off in (QPointF(NODE_R + 3, -h / 2), QPointF(-NODE_R - 3 - w, -h / 2),
                             QPointF(-w / 2, -NODE_R - 2 - h), QPointF(-w / 2, NODE_R + 2),
                             QPointF(NODE_R, -NODE_R - h), QPointF(NODE_R, NODE_R),
                             QPointF(-NODE_R - w, -NODE_R - h), QPointF(-NODE_R - w, NODE_R))]
        # off the links if any spot allows, else anywhere free
        for r in [r for r in spots if lines.free(r)] + spots:
            off = r.topLeft() - c
            if taken.free(r):
                taken.add(r)
                n.label.setPos(n.pos())
                n.label.place(off)
                n.label.setVisible(True)
                break
    for e in edges:
        lab = e.label
        lab.setVisible(False)
        a = QPointF(view.mapFromScene(e.a.pos()))
        b = QPointF(view.mapFromScene(e.b.pos()))
        w, h = lab.size
        line = QLineF(a, b)
        if line.length() < 1:
            continue
        nx, ny = -line.dy() / line.length(), line.dx() / line.length()  # the edge's normal
        for t, side in EDGE_SPOTS:
            p = line.pointAt(t)
            c = QPointF(p.x() + side * nx * (h / 2 + 3), p.y() + side * ny * (h / 2 + 3))
            r = QRectF(c.x() - w / 2, c.y() - h / 2, w, h)
            if vp.contains(c) and taken.free(r):
                taken.add(r)
                lab.setPos(view.mapToScene(c.toPoint()))
                lab.place(QPointF(-w / 2, -h / 2))
                lab.setVisible(True)
                break


def visible_label_rects(view: QGraphicsView, labels: Iterable[LabelItem]) -> list[QRectF]:
    """Screen rectangles of the labels shown (for tests: none may overlap)."""
    out = []
    for lab in labels:
        if lab.isVisible():
            c = QPointF(view.mapFromScene(lab.pos()))
            out.append(QRectF(c + lab.offset, QPointF(c.x() + lab.offset.x() + lab.size[0],
                                                       c.y() + lab.offset.y() + lab.size[1])))
    return out
