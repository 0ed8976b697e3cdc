"""The relationship graph: nodes and labelled edges from claims, and a readable layout."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from casefile.analysis.facts import ClaimFact

GRAPH_KINDS = frozenset({"relationship", "membership", "role"})


@dataclass(frozen=True)
class GraphNode:
    id: str
    name: str
    kind: str
    claim_ids: tuple[str, ...]
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    label: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]


def build_graph(claims: Sequence[ClaimFact], *, kinds: dict[str, str] | None = None,
                graph_kinds: frozenset[str] = GRAPH_KINDS) -> tuple[list[GraphNode],
                                                                     list[GraphEdge]]:
    """Entities linked by relationship, membership and role claims with an object (or a place):
    one edge per (subject, object, label), labelled with the claim's value or kind."""
    kinds = kinds or {}
    node_claims: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    edges: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for c in claims:
        if c.kind not in graph_kinds:
            continue
        target, tname = (c.object_id, c.object) if c.object_id else (c.place_id, c.place)
        if not target or target == c.subject_id:
            continue
        label = c.value.strip() or c.kind
        if c.stance != "asserts":
            label += f" ({c.stance})"
        edges[(c.subject_id, target, label)].append(c.id)
        for nid, name in ((c.subject_id, c.subject), (target, tname)):
            names[nid] = name
            node_claims[nid].append(c.id)
    nodes = [GraphNode(n, names[n], kinds.get(n, "other"), tuple(node_claims[n]))
             for n in sorted(names, key=lambda i: names[i].casefold())]
    return nodes, [GraphEdge(s, t, lbl, tuple(ids)) for (s, t, lbl), ids in edges.items()]


def layout(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], *, iterations: int = 120,
           seed: int = 7, spacing: float = 90.0) -> Graph:
    """Force-directed placement (Fruchterman–Reingold) with grid-bucketed repulsion, so each
    step costs about O(nodes + edges): readable for a few hundred nodes in well under a second.
    Deterministic for a given seed. Coordinates are in scene units around (0, 0). Beyond 300
    nodes the step count shrinks in proportion, to bound the time."""
    n = len(nodes)
    if n > 300:
        iterations = max(20, iterations * 300 // n)
    if n == 0:
        return Graph((), tuple(edges))
    rng = random.Random(seed)
    index = {node.id: i for i, node in enumerate(nodes)}
    radius = spacing * math.sqrt(n)
    pos = [[radius * math.cos(2 * math.pi * i / n) + rng.uniform(-1, 1),
            radius * math.sin(2 * math.pi * i / n) + rng.uniform(-1, 1)] for i in range(n)]
    pairs = [(index[e.source], index[e.target]) for e in edges
             if e.source in index and e.target in index]
    k = spacing
    temp = radius / 2
    cell = 2 * k
    for _ in range(iterations):
        disp = [[0.0, 0.0] for _ in range(n)]
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (x, y) in enumerate(pos):
            grid[(int(x // cell), int(y // cell))].append(i)
        for (gx, gy), members in grid.items():
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for j in grid.get((gx + dx, gy + dy), ())]
            for i in members:
                xi, yi = pos[i]
                for j in near:
                    if j == i:
                        continue
                    dx, dy = xi - pos[j][0], yi - pos[j][1]
                    d2 = dx * dx + dy * dy or 0.01
                    f = k * k / d2
                    disp[i][0] += dx * f
                    disp[i][1] += dy * f
        for i, j in pairs:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            d = math.hypot(dx, dy) or 0.01
            f = d / k
            disp[i][0] -= dx * f
            disp[i][1] -= dy * f
            disp[j][0] += dx * f
            disp[j][1] += dy * f
        for i in range(n):  # gentle gravity keeps components together
            disp[i][0] -= pos[i][0] * 0.02
            disp[i][1] -= pos[i][1] * 0.02
            dx, dy = disp[i]
            d = math.hypot(dx, dy)
            if d > 0:
                step = min(d, temp)
                pos[i][0] += dx / d * step
                pos[i][1] += dy / d * step
        temp = max(temp * 0.95, 1.0)
    placed = tuple(GraphNode(node.id, node.name, node.kind, node.claim_ids, round(x, 1),
                             round(y, 1)) for node, (x, y) in zip(nodes, pos, strict=True))
    return Graph(placed, tuple(edges))
