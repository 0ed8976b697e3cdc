"""Graph geometry in plain floats: a graph made ready to draw (off the GUI thread), the view's
mapping, rectangles taken on screen, the node or link near a point — no Qt objects, so loops
over thousands of nodes and links stay cheap."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from casefile.analysis.graph import Graph, GraphEdge, GraphNode

NODE_R = 8.0  # a node's radius on screen, in pixels, whatever the zoom
HEAD = 9.0  # an arrow head's length on screen, in pixels


class Link(NamedTuple):
    """An edge with its two nodes (both present in the graph)."""

    edge: GraphEdge
    a: GraphNode
    b: GraphNode


def qround(v: float) -> int:
    """Rounded as Qt rounds a point to pixels (half away from zero)."""
    return int(v + 0.5) if v >= 0 else int(v - 0.5)


@dataclass(frozen=True, slots=True)
class Screen:
    """Scene → viewport pixels as the view maps them (scale and offset, no rotation), and the
    viewport's size."""

    sx: float
    sy: float
    dx: float
    dy: float
    width: float
    height: float

    def px(self, x: float, y: float) -> tuple[int, int]:
        """The pixel a scene point falls on (as ``QGraphicsView.mapFromScene``)."""
        return qround(x * self.sx + self.dx), qround(y * self.sy + self.dy)

    def scene(self, cx: float, cy: float) -> tuple[float, float]:
        return (cx - self.dx) / self.sx, (cy - self.dy) / self.sy


def clip(ax: float, ay: float, bx: float, by: float, left: float, top: float, right: float,
         bottom: float) -> tuple[float, float] | None:
    """The part (t0, t1) of the segment a→b inside the rectangle (Liang–Barsky), or None."""
    t0, t1 = 0.0, 1.0
    dx, dy = bx - ax, by - ay
    for p, q in ((-dx, ax - left), (dx, right - ax), (-dy, ay - top), (dy, bottom - ay)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return t0, t1


class Taken:
    """Rectangles (left, top, right, bottom) already taken on screen, bucketed on a grid. Two
    rectangles that only touch do not overlap (as ``QRectF.intersects``)."""

    CELL = 48.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = \
            defaultdict(list)

    def free(self, left: float, top: float, right: float, bottom: float) -> bool:
        c, get = self.CELL, self.cells.get
        for gx in range(int(left // c), int(right // c) + 1):
            for gy in range(int(top // c), int(bottom // c) + 1):
                for ol, ot, o_r, ob in get((gx, gy), ()):
                    if ol < right and left < o_r and ot < bottom and top < ob:
                        return False
        return True

    def add(self, left: float, top: float, right: float, bottom: float) -> None:
        c, rect = self.CELL, (left, top, right, bottom)
        for gx in range(int(left // c), int(right // c) + 1):
            for gy in range(int(top // c), int(bottom // c) + 1):
                self.cells[(gx, gy)].append(rect)


class Nearby:
    """The node or link nearest a scene point, within a distance. Nodes are bucketed on a grid
    of scene units (asked on every mouse move); links are scanned through their bounding boxes
    (asked once per tooltip: a few milliseconds, where indexing long links would cost more)."""

    CELL = 64.0

    def __init__(self, nodes: Sequence[GraphNode], links: Sequence[Link]):
        self._nodes: dict[tuple[int, int], list[GraphNode]] = defaultdict(list)
        for n in nodes:
            self._nodes[(int(n.x // self.CELL), int(n.y // self.CELL))].append(n)
        self.links = links
        self._boxes: list[tuple[float, float, float, float, Link]] | None = None

    def node_at(self, x: float, y: float, within: float) -> GraphNode | None:
        best, best_d, c = None, within, self.CELL
        for gx in range(int((x - within) // c), int((x + within) // c) + 1):
            for gy in range(int((y - within) // c), int((y + within) // c) + 1):
                for n in self._nodes.get((gx, gy), ()):
                    d = math.hypot(n.x - x, n.y - y)
                    if d <= best_d:
                        best, best_d = n, d
        return best

    def link_at(self, x: float, y: float, within: float) -> Link | None:
        if self._boxes is None:  # made on the first question about links
            self._boxes = [(min(k.a.x, k.b.x), min(k.a.y, k.b.y), max(k.a.x, k.b.x),
                            max(k.a.y, k.b.y), k) for k in self.links]
        best, best_d = None, within
        for left, top, right, bottom, k in self._boxes:
            if left - within <= x <= right + within and top - within <= y <= bottom + within:
                d = _segment_distance(x, y, k.a.x, k.a.y, k.b.x, k.b.y)
                if d <= best_d:
                    best, best_d = k, d
        return best


def _segment_distance(x: float, y: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)


Head = tuple[float, float, float, float, float, float, float, float, float]


def arrow_heads(links: Sequence[Link]) -> list[Head]:
    """Each link's arrow head, longest link first: the link's length (scene units), its target
    (scene units) and the head's three corners relative to the target on screen (pixels: the
    same at every zoom, as the view scales x and y alike) — tip just off the target node."""
    back, h = NODE_R + 2, HEAD
    c, s = math.cos(0.45), math.sin(0.45)
    heads = []
    for link in links:
        dx, dy = link.b.x - link.a.x, link.b.y - link.a.y
        length = math.hypot(dx, dy)
        if length == 0:
            continue
        ux, uy = dx / length, dy / length
        tx, ty = -ux * back, -uy * back
        heads.append((length, link.b.x, link.b.y, tx, ty,
                      tx - h * (ux * c - uy * s), ty - h * (ux * s + uy * c),
                      tx - h * (ux * c + uy * s), ty - h * (-ux * s + uy * c)))
    heads.sort(key=lambda head: -head[0])
    return heads


@dataclass(frozen=True)
class Prepared:
    """A graph made ready to draw: its links (edges whose two nodes are present), its nodes
    busiest first (and whether busy enough for a bold name), what is near a point, and the
    arrow heads. Made off the GUI thread."""

    graph: Graph
    nodes: dict[str, GraphNode]
    links: list[Link]
    by_rank: list[tuple[GraphNode, bool]]
    near: Nearby
    heads: list[Head]


def prepare(graph: Graph) -> Prepared:
    nodes = {n.id: n for n in graph.nodes}
    links = [Link(e, nodes[e.source], nodes[e.target]) for e in graph.edges
             if e.source in nodes and e.target in nodes]
    degree: dict[str, int] = defaultdict(int)
    for link in links:
        degree[link.a.id] += 1
        degree[link.b.id] += 1
    by_rank = [(n, degree[n.id] > 2) for n in sorted(graph.nodes,
                                                     key=lambda n: (-degree[n.id], n.name))]
    return Prepared(graph, nodes, links, by_rank, Nearby(graph.nodes, links), arrow_heads(links))
