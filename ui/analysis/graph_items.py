"""Graph scene items: every node in one layer (shaped by kind), every link in one layer (arrow
heads at the target), and a small pool of labels for what is on screen — a few items whatever
the size of the graph. Nodes and labels keep their size on screen; their positions follow the
zoom."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView

from casefile.analysis.graph import GraphNode
from ui.analysis.graph_labels import Placed
from ui.analysis.graph_space import HEAD, NODE_R, Head, Link, Screen

KIND_STYLE = {  # kind → (colour, shape, legend word)
    "person": ("#2f6db5", "circle", "person"),
    "organization": ("#8e44ad", "square", "organization"),
    "place": ("#27ae60", "triangle", "place"),
    "event": ("#d35400", "diamond", "event"),
}
OTHER_STYLE = ("#7f8c8d", "hexagon", "other")
EDGE_COLOR = QColor("#90a4ae")
NODE_PEN = QPen(QColor("#ffffff"), 1.5)
RING_PEN = QPen(QColor("#ff6f00"), 3)


def node_path(shape: str, r: float = NODE_R) -> QPainterPath:
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(QPointF(0, 0), r, r)
    elif shape == "square":
        path.addRect(QRectF(-r * 0.85, -r * 0.85, 1.7 * r, 1.7 * r))
    else:
        n, turn = {"triangle": (3, -90), "diamond": (4, 0), "hexagon": (6, 0)}[shape]
        path.moveTo(r * 1.1 * math.cos(math.radians(turn)), r * 1.1 * math.sin(math.radians(turn)))
        for k in range(1, n):
            a = math.radians(turn + 360 * k / n)
            path.lineTo(r * 1.1 * math.cos(a), r * 1.1 * math.sin(a))
        path.closeSubpath()
    return path


def screen_of(view: QGraphicsView) -> Screen:
    """The view's scene → viewport mapping, as plain floats."""
    t = view.viewportTransform()
    vp = view.viewport().rect()
    return Screen(t.m11(), t.m22(), t.dx(), t.dy(), vp.width(), vp.height())


def node_tip(node: GraphNode) -> str:
    word = KIND_STYLE.get(node.kind, OTHER_STYLE)[2]
    return f"{node.name} ({word}) — {len(node.claim_ids)} claim(s); click to list them"


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


@lru_cache(maxsize=50_000)
def label_size(text: str, bold: bool, muted: bool) -> tuple[float, float]:
    """A label's plate on screen, in pixels (measured once per text and style)."""
    fm = _label_font(bold, muted)[1]
    return fm.horizontalAdvance(text) + 6, fm.height() + 2


class LabelItem(QGraphicsItem):
    """Text on a translucent plate, constant size on screen; never parsed as markup. Reused
    for whichever label the latest placement shows."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.text, self.bold, self.muted = "", False, False
        self.size = (0.0, 0.0)
        self.offset = QPointF(0, 0)  # top-left relative to the anchor, in pixels

    def show_label(self, p: Placed) -> None:
        self.prepareGeometryChange()
        self.text, self.bold, self.muted = p.text, p.bold, p.muted
        self.size = (p.w, p.h)
        self.offset = QPointF(p.left, p.top)
        self.setZValue(2 if p.muted else 4)  # link labels under the nodes, names over them
        self.setPos(p.x, p.y)
        self.setVisible(True)
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self.offset.x(), self.offset.y(), *self.size)

    def paint(self, p: QPainter, _option, _widget=None) -> None:
        r = self.boundingRect()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 215))
        p.drawRoundedRect(r, 3, 3)
        p.setFont(_label_font(self.bold, self.muted)[0])
        p.setPen(QColor("#546e7a" if self.muted else "#1c2833"))
        p.drawText(r, int(Qt.AlignmentFlag.AlignCenter), self.text)


class LabelPool:
    """The label items of the labels shown: made as needed, reused by later placements."""

    def __init__(self, scene: QGraphicsScene):
        self.scene = scene
        self.items: list[LabelItem] = []

    def show(self, placed: Sequence[Placed]) -> None:
        for i, p in enumerate(placed):
            if i == len(self.items):
                item = LabelItem()
                self.scene.addItem(item)
                self.items.append(item)
            self.items[i].show_label(p)
        for item in self.items[len(placed):]:
            item.setVisible(False)

    def shown(self) -> list[LabelItem]:
        return [item for item in self.items if item.isVisible()]


SPRITE_HALF = 11  # a node's sprite is 22 × 22 pixels, its centre at (11, 11)
_SPRITES: dict[tuple[str, float], QPixmap] = {}


def _sprite(color: str, shape: str, dpr: float) -> QPixmap:
    """A node drawn once into a small pixmap (made once per style and pixel ratio)."""
    got = _SPRITES.get((color, dpr))
    if got is None:
        side = 2 * SPRITE_HALF
        got = QPixmap(math.ceil(side * dpr), math.ceil(side * dpr))
        got.setDevicePixelRatio(dpr)
        got.fill(Qt.GlobalColor.transparent)
        p = QPainter(got)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.translate(SPRITE_HALF, SPRITE_HALF)
        p.setPen(NODE_PEN)
        p.setBrush(QColor(color))
        p.drawPath(node_path(shape))
        p.end()
        _SPRITES[(color, dpr)] = got
    return got


class NodeLayer(QGraphicsItem):
    """Every node, shaped and coloured by kind, of constant size on screen; the clicked one
    ringed. On screen each node is a small pixmap stamped in place (thousands of shapes filled
    one by one cost tens of milliseconds a frame); exported drawings get true shapes."""

    def __init__(self, nodes: Sequence[GraphNode]):
        super().__init__()
        self.setZValue(3)
        xs, ys, m = [n.x for n in nodes], [n.y for n in nodes], NODE_R + 2
        self._bounds = QRectF(min(xs) - m, min(ys) - m, max(xs) - min(xs) + 2 * m,
                              max(ys) - min(ys) + 2 * m)
        self.nodes = [(n.x, n.y, *KIND_STYLE.get(n.kind, OTHER_STYLE)[:2]) for n in nodes]
        self.styles = {(color, shape) for _x, _y, color, shape in self.nodes}
        self.ring: GraphNode | None = None

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_ring(self, node: GraphNode | None) -> None:
        self.ring = node
        self.update()

    def paint(self, p: QPainter, _option, _widget=None) -> None:
        t = p.worldTransform()
        sx, sy, dx, dy = t.m11(), t.m22(), t.dx(), t.dy()
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if p.paintEngine().type() == QPaintEngine.Type.Raster:
            dpr, half, stamp = p.device().devicePixelRatioF(), SPRITE_HALF, p.drawPixmap
            sprites = {color: _sprite(color, shape, dpr) for color, shape in self.styles}
            for x, y, color, _shape in self.nodes:
                stamp(round(x * sx + dx) - half, round(y * sy + dy) - half, sprites[color])
        else:
            p.setPen(NODE_PEN)
            shapes = {shape: node_path(shape) for _color, shape in self.styles}
            for x, y, color, shape in self.nodes:
                p.setBrush(QColor(color))
                p.drawPath(shapes[shape].translated(x * sx + dx, y * sy + dy))
        if self.ring is not None:
            color, shape, _w = KIND_STYLE.get(self.ring.kind, OTHER_STYLE)
            p.setPen(RING_PEN)
            p.setBrush(QColor(color))
            p.drawPath(node_path(shape).translated(self.ring.x * sx + dx,
                                                   self.ring.y * sy + dy))
        p.restore()


class EdgeLayer(QGraphicsItem):
    """Every link's line, centre to centre under the nodes, in one path of scene units drawn
    with a hairline; and an arrow head of constant size at the target of each link long enough
    on screen to carry one, rebuilt for each zoom level (panning only translates them)."""

    HEAD_FROM = 2.5 * HEAD  # a shorter link on screen gets no head (it would hide the link)
    FILLED_UP_TO = 1000  # more heads are outlined: one fill of thousands costs ~100 ms

    def __init__(self, links: Sequence[Link], heads: Sequence[Head]):
        super().__init__()
        self.setZValue(1)
        self.heads = heads
        self._lines = QPainterPath()
        for link in links:
            self._lines.moveTo(link.a.x, link.a.y)
            self._lines.lineTo(link.b.x, link.b.y)
        self._bounds = self._lines.boundingRect().adjusted(-2, -2, 2, 2)
        self._pen = QPen(EDGE_COLOR, 1.0)
        self._pen.setCosmetic(True)  # a thin line stays on the fast path of the raster engine
        self._scale: tuple[float, float] | None = None
        self._heads = QPainterPath()
        self._filled = True

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _build_heads(self, sx: float, sy: float) -> None:
        """Heads in device pixels at scale (sx, sy), without the translation."""
        heads, count, least = QPainterPath(), 0, self.HEAD_FROM / max(sx, 1e-9)
        for length, bx, by, tx, ty, x1, y1, x2, y2 in self.heads:
            if length < least:
                break  # longest first: the rest are shorter still
            bx, by = bx * sx, by * sy
            heads.moveTo(bx + x1, by + y1)
            heads.lineTo(bx + tx, by + ty)
            heads.lineTo(bx + x2, by + y2)
            heads.closeSubpath()
            count += 1
        self._scale, self._heads, self._filled = (sx, sy), heads, count <= self.FILLED_UP_TO

    def paint(self, p: QPainter, _option, _widget=None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(self._pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(self._lines)
        t = p.worldTransform()
        if self._scale != (t.m11(), t.m22()):
            self._build_heads(t.m11(), t.m22())
        p.save()
        p.resetTransform()
        p.translate(t.dx(), t.dy())
        if self._filled:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(EDGE_COLOR)
        p.drawPath(self._heads)
        p.restore()


def visible_label_rects(view: QGraphicsView, labels: Iterable[LabelItem]) -> list[QRectF]:
    """Screen rectangles of the labels shown (for tests: none may overlap)."""
    out = []
    for lab in labels:
        if lab.isVisible():
            c = QPointF(view.mapFromScene(lab.pos()))
            out.append(QRectF(c + lab.offset, QPointF(c.x() + lab.offset.x() + lab.size[0],
                                                       c.y() + lab.offset.y() + lab.size[1])))
    return out
