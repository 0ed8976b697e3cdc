"""Where the graph's labels go: names of the busiest nodes first, each trying right, left, above
and below (off the links if it can); link labels after, along and beside their link; none over
another or over a node. Plain floats in screen pixels, worked through in short slices."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import floor

from casefile.analysis.graph import GraphNode
from ui.analysis.graph_space import NODE_R, Link, Screen, Taken, clip

LABELS_MAX = 600  # labels shown at once, at most (more would not be readable anyway)
MARGIN = 40.0  # pixels around the viewport where a label may still be anchored
EDGE_OBSTACLES_UP_TO = 1500  # beyond this many links, names are placed without avoiding them
# where an edge's label may go: fraction along the edge, and side (in label heights) off it
EDGE_SPOTS = tuple((t, side) for t in (0.5, 0.4, 0.6, 0.3, 0.7) for side in (0, 1, -1, 2, -2))

SizeOf = Callable[[str, bool, bool], tuple[float, float]]  # (text, bold, muted) → (w, h)


@dataclass(frozen=True, slots=True)
class Placed:
    """A label to show: its text and style, its anchor (scene units) and its rectangle relative
    to the anchor (pixels)."""

    text: str
    bold: bool
    muted: bool
    x: float
    y: float
    left: float
    top: float
    w: float
    h: float


class LabelPlan:
    """One placement for one view of the graph; ``advance`` works on it for a while."""

    def __init__(self, screen: Screen, nodes: Sequence[tuple[GraphNode, bool]],
                 links: Sequence[Link], size_of: SizeOf, *, limit: int = LABELS_MAX):
        self.placed: list[Placed] = []
        self._steps = self._run(screen, nodes, links, size_of, limit)
        self.done = False

    def advance(self, seconds: float | None = None) -> bool:
        """Work for about ``seconds`` (to the end if None); True once the plan is complete."""
        deadline = None if seconds is None else time.perf_counter() + seconds
        for _ in self._steps:
            if deadline is not None and time.perf_counter() >= deadline:
                return False
        self.done = True
        return True

    def _run(self, s: Screen, nodes: Sequence[tuple[GraphNode, bool]], links: Sequence[Link],
             size_of: SizeOf, limit: int) -> Iterator[None]:
        vl, vt, vr, vb = -MARGIN, -MARGIN, s.width + MARGIN, s.height + MARGIN
        taken, r = Taken(), NODE_R
        shown: list[tuple[GraphNode, bool, int, int]] = []
        for node, bold in nodes:
            cx, cy = s.px(node.x, node.y)
            if vl <= cx <= vr and vt <= cy <= vb:
                shown.append((node, bold, cx, cy))
                taken.add(cx - r, cy - r, cx + r, cy + r)
        yield
        lines = None  # where links run: a name had better not cover its own links
        if len(links) <= EDGE_OBSTACLES_UP_TO:
            lines = Taken()
            reach = 400.0  # no name reaches further from its node than this
            for link in links:
                ax, ay = s.px(link.a.x, link.a.y)
                bx, by = s.px(link.b.x, link.b.y)
                steps = max(1, int(math.hypot(bx - ax, by - ay) // 6))
                part = clip(ax, ay, bx, by, vl - reach, vt - reach, vr + reach, vb + reach)
                if part is None:
                    continue
                for k in range(max(1, math.ceil(part[0] * steps)),
                               min(steps - 1, math.floor(part[1] * steps)) + 1):
                    px, py = ax + (bx - ax) * k / steps, ay + (by - ay) * k / steps
                    lines.add(px - 1, py - 1, px + 1, py + 1)
                yield
        placed = self.placed
        for node, bold, cx, cy in shown:
            if len(placed) >= limit:
                return
            w, h = size_of(node.name, bold, False)
            spots = [(cx + ox, cy + oy) for ox, oy in (
                (r + 3, -h / 2), (-r - 3 - w, -h / 2), (-w / 2, -r - 2 - h), (-w / 2, r + 2),
                (r, -r - h), (r, r), (-r - w, -r - h), (-r - w, r))]
            if lines is not None:  # off the links if any spot allows, else anywhere free
                clear = [p for p in spots if lines.free(p[0], p[1], p[0] + w, p[1] + h)]
                spots = clear + [p for p in spots if p not in clear]
            for left, top in spots:
                if taken.free(left, top, left + w, top + h):
                    taken.add(left, top, left + w, top + h)
                    placed.append(Placed(node.name, bold, False, node.x, node.y, left - cx,
                                         top - cy, w, h))
                    break
            yield
        for link in links:
            if len(placed) >= limit:
                return
            ax, ay = s.px(link.a.x, link.a.y)
            bx, by = s.px(link.b.x, link.b.y)
            length = math.hypot(bx - ax, by - ay)
            if length < 1:
                continue
            w, h = size_of(link.edge.label, False, True)
            off = h / 2 + 3
            part = clip(ax, ay, bx, by, vl - 2 * off, vt - 2 * off, vr + 2 * off, vb + 2 * off)
            if part is None or part[1] < 0.3 or part[0] > 0.7:
                continue  # no spot of this link can be on screen
            nx, ny = -(by - ay) / length, (bx - ax) / length  # the link's normal
            for t, side in EDGE_SPOTS:
                qx = ax + (bx - ax) * t + side * nx * off
                qy = ay + (by - ay) * t + side * ny * off
                if not (vl <= qx <= vr and vt <= qy <= vb):
                    continue
                cx, cy = floor(qx + 0.5), floor(qy + 0.5)  # the anchor sits on a pixel
                left, top = cx - w / 2, cy - h / 2
                if taken.free(left, top, left + w, top + h):
                    taken.add(left, top, left + w, top + h)
                    x, y = s.scene(cx, cy)
                    placed.append(Placed(link.edge.label, False, True, x, y, -w / 2, -h / 2,
                                         w, h))
                    break
            yield
