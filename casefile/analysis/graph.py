"""The relationship graph: nodes and labelled edges from claims, and a readable layout."""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from casefile.analysis.facts import ClaimFact
from casefile.vocab import with_stance

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
        label = with_stance(c.value.strip() or c.kind, c.stance)
        edges[(c.subject_id, target, label)].append(c.id)
        for nid, name in ((c.subject_id, c.subject), (target, tname)):
            names[nid] = name
            node_claims[nid].append(c.id)
    nodes = [GraphNode(n, names[n], kinds.get(n, "other"), tuple(node_claims[n]))
             for n in sorted(names, key=lambda i: names[i].casefold())]
    return nodes, [GraphEdge(s, t, lbl, tuple(ids)) for (s, t, lbl), ids in edges.items()]


COARSEST = 50  # nodes at which coarsening stops
REFINE_STEPS = 30  # force steps per finer level (the coarsest gets ``iterations``)
GRAVITY = 0.02  # pull towards the centre that keeps components together
_HALF = ((1, 0), (1, 1), (0, 1), (-1, 1))  # neighbour cells visited once per pair of cells


def layout(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], *, iterations: int = 120,
           seed: int = 7, spacing: float = 90.0) -> Graph:
    """Multilevel force-directed placement (Walshaw's scheme): the graph is coarsened by
    merging matched neighbours down to ~50 nodes, laid out there in ``iterations`` steps, then
    refined level by level (each node starting at its group's place) with ``REFINE_STEPS``
    cooling steps each (forces in ``_forces``). A step costs about O(nodes + edges), so 2,000
    nodes settle in about a second and a half of pure Python. Deterministic for a given seed;
    coordinates are in scene units around (0, 0); nodes keep about ``spacing`` apart."""
    n = len(nodes)
    if n == 0:
        return Graph((), tuple(edges))
    rng = random.Random(seed)
    index = {node.id: i for i, node in enumerate(nodes)}
    pairs = [(index[e.source], index[e.target]) for e in edges
             if e.source in index and e.target in index and e.source != e.target]
    levels = [(n, pairs, None)]  # (size, links, parent of each node at the next level)
    while levels[-1][0] > COARSEST:
        size, links, _ = levels[-1]
        coarse, coarse_links, parent = _coarsen(size, links, rng)
        if coarse > 0.85 * size:  # stars and loose nodes barely merge: stop here
            break
        levels[-1] = (size, links, parent)
        levels.append((coarse, coarse_links, None))
    size, links, _ = levels[-1]
    k = spacing * math.sqrt(n / size)  # coarse nodes stand for groups: space them wider
    radius = k * math.sqrt(size) / 2
    xs, ys = [], []
    for _ in range(size):
        r, a = radius * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        xs.append(r * math.cos(a))
        ys.append(r * math.sin(a))
    _relax(xs, ys, links, k=k, temp=radius / 2, steps=iterations)
    for size, links, parent in reversed(levels[:-1]):
        fine_k = spacing * math.sqrt(n / size)
        jitter = fine_k / 4
        xs = [xs[parent[i]] + rng.uniform(-jitter, jitter) for i in range(size)]
        ys = [ys[parent[i]] + rng.uniform(-jitter, jitter) for i in range(size)]
        _relax(xs, ys, links, k=fine_k, temp=k, steps=REFINE_STEPS)
        k = fine_k
    placed = tuple(GraphNode(node.id, node.name, node.kind, node.claim_ids, round(x, 1),
                             round(y, 1)) for node, x, y in zip(nodes, xs, ys, strict=True))
    return Graph(placed, tuple(edges))


def _coarsen(n: int, links: list[tuple[int, int]], rng: random.Random
             ) -> tuple[int, list[tuple[int, int]], list[int]]:
    """Merge each node with an unmatched neighbour (the lightest group first, so groups stay
    even); returns the coarse size, the coarse links and each node's coarse node."""
    adj: list[list[int]] = [[] for _ in range(n)]
    for i, j in links:
        adj[i].append(j)
        adj[j].append(i)
    order = list(range(n))
    rng.shuffle(order)
    parent = [-1] * n
    m = 0
    for i in order:
        if parent[i] >= 0:
            continue
        parent[i] = m
        free = [j for j in adj[i] if parent[j] < 0]
        if free:
            parent[min(free, key=lambda j: len(adj[j]))] = m
        m += 1
    coarse = {(min(a, b), max(a, b)) for i, j in links if (a := parent[i]) != (b := parent[j])}
    return m, sorted(coarse), parent


def _forces(xs: list[float], ys: list[float], links: list[tuple[int, int]], k: float
            ) -> tuple[list[float], list[float]]:
    """Net force on each node: repulsion k²/d from nodes closer than 2k (found through a grid
    of 2k cells, each pair once), the repulsion of the farther nodes as a field (each node is
    pushed out by those nearer the centre, k²·count/r, as for a round cloud), attraction d
    along links (linear, as ForceAtlas2: dense graphs spread out instead of collapsing), and a
    gentle pull to the centre that keeps components together."""
    n = len(xs)
    kk = k * k
    cell = 2 * k
    cut2 = cell * cell
    fx = [0.0] * n
    fy = [0.0] * n
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(n):
        grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
    for (gx, gy), members in grid.items():
        others = [members]
        for ox, oy in _HALF:
            more = grid.get((gx + ox, gy + oy))
            if more:
                others.append(more)
        for a, i in enumerate(members):
            xi, yi = xs[i], ys[i]
            sx = sy = 0.0
            for b, group in enumerate(others):
                for j in (group[a + 1:] if b == 0 else group):
                    dx, dy = xi - xs[j], yi - ys[j]
                    d2 = dx * dx + dy * dy
                    if d2 < cut2:
                        f = kk / (d2 or 0.01)
                        dx *= f
                        dy *= f
                        sx += dx
                        sy += dy
                        fx[j] -= dx
                        fy[j] -= dy
            fx[i] += sx
            fy[i] += sy
    cx, cy = sum(xs) / n, sum(ys) / n
    radii = [math.hypot(xs[i] - cx, ys[i] - cy) for i in range(n)]
    ordered = sorted(radii)
    for i in range(n):
        r = radii[i]
        inside = bisect_left(ordered, r - cell)  # the nearer ones were counted pair by pair
        if inside:
            f = kk * inside / (r * r)
            fx[i] += (xs[i] - cx) * f
            fy[i] += (ys[i] - cy) * f
        fx[i] -= xs[i] * GRAVITY
        fy[i] -= ys[i] * GRAVITY
    for i, j in links:
        dx, dy = xs[i] - xs[j], ys[i] - ys[j]
        fx[i] -= dx
        fy[i] -= dy
        fx[j] += dx
        fy[j] += dy
    return fx, fy


def _mass(n: int, links: list[tuple[int, int]]) -> list[float]:
    """1 + degree: a node's force is divided by it (ForceAtlas2's mass), so a hub pulled by
    many links moves to their balance point instead of overshooting it."""
    mass = [1.0] * n
    for i, j in links:
        mass[i] += 1
        mass[j] += 1
    return mass


def _relax(xs: list[float], ys: list[float], links: list[tuple[int, int]], *, k: float,
           temp: float, steps: int) -> None:
    """Move the nodes along force / mass for ``steps`` steps, each move capped by a
    temperature cooling geometrically from ``temp`` to k/50."""
    cool = (min(1.0, k / 50 / max(temp, 1e-9))) ** (1 / max(1, steps - 1))
    mass = _mass(len(xs), links)
    for _ in range(steps):
        fx, fy = _forces(xs, ys, links, k)
        for i in range(len(xs)):
            dx, dy = fx[i] / mass[i], fy[i] / mass[i]
            d = math.hypot(dx, dy)
            if d > temp:
                dx, dy = dx / d * temp, dy / d * temp
            xs[i] += dx
            ys[i] += dy
        temp *= cool


def unrest(graph: Graph, *, spacing: float = 90.0) -> float:
    """How far a finished layout is from rest: the mean length of the move one more step would
    make (force / mass, uncapped), in units of ``spacing``. Near 0 once settled; a layout
    frozen while still tangled scores high."""
    if not graph.nodes:
        return 0.0
    index = {node.id: i for i, node in enumerate(graph.nodes)}
    links = [(index[e.source], index[e.target]) for e in graph.edges
             if e.source in index and e.target in index and e.source != e.target]
    fx, fy = _forces([n.x for n in graph.nodes], [n.y for n in graph.nodes], links, spacing)
    mass = _mass(len(fx), links)
    return sum(math.hypot(x, y) / m for x, y, m in zip(fx, fy, mass, strict=True)
               ) / len(fx) / spacing
