"""Graph geometry in plain floats: the view's mapping, rectangles taken on screen, and the node
or link near a point — no Qt objects, so loops over thousands of nodes and links stay cheap."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from casefile.analysis.graph import GraphEdge, GraphNode

NODE_R = 8.0  # a node's radius on screen, in pixels, whatever the zoom


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
    """The node or link nearest a scene point, within a distance: nodes and links bucketed on a
    grid of scene units (links by points along them, built on the first question about links)."""

    CELL = 64.0

    def __init__(self, nodes: Sequence[GraphNode], links: Sequence[Link]):
        self.links = links
        self._nodes: dict[tuple[int, int], list[GraphNode]] = defaultdict(list)
        for n in nodes:
            self._nodes[(int(n.x // self.CELL), int(n.y // self.CELL))].append(n)
        self._links: dict[tuple[int, int], list[Link]] | None = None

    def _cells(self, x: float, y: float, reach: float):
        c = self.CELL
        for gx in range(int((x - reach) // c), int((x + reach) // c) + 1):
            for gy in range(int((y - reach) // c), int((y + reach) // c) + 1):
                yield gx, gy

    def node_at(self, x: float, y: float, within: float) -> GraphNode | None:
        best, best_d = None, within
        for key in self._cells(x, y, within):
            for n in self._nodes.get(key, ()):
                d = math.hypot(n.x - x, n.y - y)
                if d <= best_d:
                    best, best_d = n, d
        return best

    def link_at(self, x: float, y: float, within: float) -> Link | None:
        if self._links is None:
            self._links = self._index_links()
        best, best_d, seen = None, within, set()
        for key in self._cells(x, y, within + self.CELL / 2):
            for link in self._links.get(key, ()):
                if id(link) in seen:
                    continue
                seen.add(id(link))
                d = _segment_distance(x, y, link.a.x, link.a.y, link.b.x, link.b.y)
                if d <= best_d:
                    best, best_d = link, d
        return best

    def _index_links(self) -> dict[tuple[int, int], list[Link]]:
        """Each link under the cells of points at most half a cell apart along it."""
        cells: dict[tuple[int, int], list[Link]] = defaultdict(list)
        c = self.CELL
        for link in self.links:
            ax, ay, bx, by = link.a.x, link.a.y, link.b.x, link.b.y
            steps = max(1, math.ceil(math.hypot(bx - ax, by - ay) / (c / 2)))
            keys = {(int((ax + (bx - ax) * k / steps) // c), int((ay + (by - ay) * k / steps) // c))
                    for k in range(steps + 1)}
            for key in keys:
                cells[key].append(link)
        return cells


def _segment_distance(x: float, y: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)
