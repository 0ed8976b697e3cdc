"""UI benchmark: opening the timeline and the relationship graph in the real window on 20,000
claims / 2,000 entities, the way an analyst does (action → background load → first paint), with
the longest GUI-thread stall meanwhile, one frame's paint, a zoom step and a pan; and the graph
layout alone (time and whether it settles). Prints medians; not a pass/fail test."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HOT_CLAIMS = 400  # claims about one subject: a lane that packs into many rows
GRAPH_KINDS = ("relationship", "membership", "role")


def make_case(path: Path, *, entities: int, claims: int, documents: int) -> str:
    """The bench_analysis case, reshaped: one subject with HOT_CLAIMS claims, and a third of the
    claims relationship/membership/role claims with an object (so the graph spans the case)."""
    from bench_analysis import build
    from sqlalchemy import select, update

    from casefile.db.database import open_database
    from casefile.db.models import Claim, Entity
    from casefile.services import cases

    db = open_database(path)
    case_id = cases.create_case(db, title="bench views").id
    build(db, case_id, n_entities=entities, n_claims=claims, n_docs=documents)
    rng = random.Random(3)
    with db.write() as s:
        ids = list(s.scalars(select(Claim.id).where(Claim.case_id == case_id).order_by(Claim.id)))
        ents = list(s.scalars(select(Entity.id).where(Entity.case_id == case_id)
                              .order_by(Entity.id)))
        hot = ents[0]
        for cid in ids[:HOT_CLAIMS]:
            s.execute(update(Claim).where(Claim.id == cid).values(subject_id=hot))
        for cid in ids[HOT_CLAIMS::3]:
            s.execute(update(Claim).where(Claim.id == cid).values(
                kind=rng.choice(GRAPH_KINDS), object_id=rng.choice(ents)))
    db.close()
    return case_id


def spread(values: list[float]) -> str:
    return (f"median {statistics.median(values):8.1f}  min {min(values):8.1f}  "
            f"max {max(values):8.1f}")


# -- the graph layout alone --------------------------------------------------------------------
def layout_quality(graph, spacing: float = 90.0) -> dict[str, float]:
    """Measures of a finished layout that do not depend on how it was computed: edge length
    relative to the ideal (spacing) and the share of nodes closer than 20 units to another
    (drawn on top of each other)."""
    pos = {n.id: (n.x, n.y) for n in graph.nodes}
    lengths = sorted(math.dist(pos[e.source], pos[e.target]) for e in graph.edges
                     if e.source in pos and e.target in pos)
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for x, y in pos.values():
        grid.setdefault((int(x // 20), int(y // 20)), []).append((x, y))
    crowded = sum(1 for x, y in pos.values() if any(
        q != (x, y) and math.dist((x, y), q) < 20 for dx in (-1, 0, 1) for dy in (-1, 0, 1)
        for q in grid.get((int(x // 20) + dx, int(y // 20) + dy), ())))
    return {"edge_median": statistics.median(lengths) / spacing if lengths else 0.0,
            "edge_p90": lengths[int(0.9 * len(lengths))] / spacing if lengths else 0.0,
            "crowded": crowded / max(1, len(pos))}


def bench_layout(db_path: Path, case_id: str, runs: int) -> None:
    from casefile.analysis import graph as g
    from casefile.analysis.facts import load_facts
    from casefile.db.database import open_database

    db = open_database(db_path)
    facts = load_facts(db, case_id=case_id)
    nodes, edges = g.build_graph(facts.claims, kinds=facts.kinds)
    db.close()
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = g.layout(nodes, edges)
        times.append((time.perf_counter() - t) * 1000)
    q = layout_quality(out)
    print(f"graph layout alone ({len(nodes)} nodes, {len(edges)} edges; ms over {runs} runs): "
          f"{spread(times)}")
    print(f"  settled? the move one more step would make, mean {g.unrest(out):.2f} × spacing "
          f"(0 = at rest); edge length median {q['edge_median']:.2f}, p90 "
          f"{q['edge_p90']:.2f} × spacing; nodes within 20 units of another: {q['crowded']:.1%}")


# -- the window (one child process per opening: a first open after a restart) -----------------
CHILD_TIMEOUT_S = int(os.environ.get("BENCH_CHILD_TIMEOUT_S", "120"))  # more on a busy machine


def child(db_path: str, case_id: str, which: str) -> None:
    """Open the window on the case, then the dock ``which`` (timeline|graph); print JSON."""
    from PySide6.QtCore import (
        QEvent,
        QEventLoop,
        QObject,
        QPoint,
        QPointF,
        QSettings,
        Qt,
        QThreadPool,
        QTimer,
    )
    from PySide6.QtGui import QMouseEvent, QWheelEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from casefile.db.database import open_database
    from ui.app import apply_style
    from ui.shell.window import MainWindow

    apply_style(app)
    db = open_database(Path(db_path))
    tmp = tempfile.mkdtemp()
    w = MainWindow(db, settings=QSettings(str(Path(tmp) / "b.ini"), QSettings.Format.IniFormat))
    t = time.perf_counter()
    w.controller.set_case(case_id)
    w.resize(1360, 820)
    w.show()
    app.processEvents()
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()
    res: dict[str, float | list[float]] = {"window_ms": (time.perf_counter() - t) * 1000}

    class Ticker(QObject):
        """A 10 ms timer on the GUI thread: the largest gap between ticks is the longest time
        the window could not react."""

        def __init__(self):
            super().__init__()
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(10)
            self.timer.timeout.connect(self.tick)
            self.reset()
            self.timer.start()

        def reset(self):
            self.start = self.last = time.perf_counter()
            self.last_cpu = time.thread_time()
            self.gap = self.cpu_gap = 0.0
            self.stretches: list[tuple[float, float]] = []  # (CPU ms, ms after the reset)

        def tick(self):
            now, cpu = time.perf_counter(), time.thread_time()
            self.gap = max(self.gap, now - self.last)
            # the GUI thread's own CPU time between ticks: the stall on an idle machine
            self.cpu_gap = max(self.cpu_gap, cpu - self.last_cpu)
            if cpu - self.last_cpu > 0.02:
                self.stretches.append((round((cpu - self.last_cpu) * 1000, 1),
                                       round((self.last - self.start) * 1000)))
            self.last, self.last_cpu = now, cpu

    class PaintProbe(QObject):
        """Times every paint of the target (calls the paint through, then swallows the event)."""

        def __init__(self, target, paint, has_data):
            super().__init__()
            self.paint, self.has_data = paint, has_data
            self.first_data: float | None = None
            self.durations: list[float] = []
            self.cpu: list[float] = []  # the same paints in GUI-thread CPU time
            self.loop: QEventLoop | None = None
            target.installEventFilter(self)

        def eventFilter(self, obj, e):
            if e.type() != QEvent.Type.Paint:
                return False
            t0, c0 = time.perf_counter(), time.thread_time()
            self.paint(e)
            t1 = time.perf_counter()
            self.durations.append((t1 - t0) * 1000)
            self.cpu.append((time.thread_time() - c0) * 1000)
            if self.first_data is None and self.has_data():
                self.first_data = t1
                if self.loop is not None:
                    self.loop.quit()
            return True

    lazy = w.analysis.timeline if which == "timeline" else w.analysis.graph
    action = w.analysis.timeline_action if which == "timeline" else w.analysis.graph_action
    probe_box: list[PaintProbe] = []
    build = lazy._build

    def instrumented(cid: str):
        panel = build(cid)
        fetcher = panel.fetcher

        def timed_fetcher():
            fetch = fetcher()

            def run():
                t0 = time.perf_counter()
                out = fetch()
                res["fetch_ms"] = (time.perf_counter() - t0) * 1000
                return out
            return run
        panel.fetcher = timed_fetcher
        show = panel.show_data

        def timed_show(data):
            res["show_data_at_ms"] = round((time.perf_counter() - ticker.start) * 1000)
            t0, c0 = time.perf_counter(), time.thread_time()
            show(data)
            res["show_data_ms"] = (time.perf_counter() - t0) * 1000
            res["show_data_cpu_ms"] = (time.thread_time() - c0) * 1000
        panel.show_data = timed_show
        if which == "timeline":
            target = panel.canvas
            probe_box.append(PaintProbe(target, target.paintEvent, lambda: bool(target.marks)))
        else:
            view = panel.view
            probe_box.append(PaintProbe(view.viewport(), view.viewportEvent,
                                        lambda: bool(panel.nodes)))
        return panel
    lazy._build = instrumented

    ticker = Ticker()
    app.processEvents()
    loop = QEventLoop()
    ticker.reset()
    t0 = time.perf_counter()
    action.trigger()
    probe = probe_box[0]
    probe.loop = loop
    QTimer.singleShot(CHILD_TIMEOUT_S * 1000, loop.quit)
    if probe.first_data is None:
        loop.exec()
    assert probe.first_data is not None, "no paint with data"
    res["first_paint_ms"] = (probe.first_data - t0) * 1000
    res["first_paint_paint_ms"] = probe.durations[-1]
    if which == "graph":  # labels follow the first paint, placed a slice at a time
        poll = QTimer()
        poll.setInterval(5)
        poll.timeout.connect(lambda: lazy.panel.labels_at_rest() and loop.quit())
        poll.start()
        loop.exec()
        poll.stop()
        res["labels_ms"] = (time.perf_counter() - t0) * 1000
    # what follows the first paint counts too
    QTimer.singleShot(400, loop.quit)
    loop.exec()
    res["stall_ms"] = ticker.gap * 1000
    res["stall_cpu_ms"] = ticker.cpu_gap * 1000
    res["stretches"] = sorted(ticker.stretches, reverse=True)[:4]
    panel = lazy.panel
    if which == "timeline":
        target = canvas = panel.canvas
        size = (canvas.width(), canvas.height())
        res["marks"] = len(canvas.marks)
    else:
        canvas = panel.view
        target = canvas.viewport()
        size = (target.width(), target.height())
        res["nodes"] = len(panel.nodes)
        res["labels"] = len(panel.labels.shown())
    res["size"] = list(size)

    def frame() -> float:
        n = len(probe.durations)
        target.repaint()
        return probe.durations[n] if len(probe.durations) > n else float("nan")

    res["paint_ms"] = [frame() for _ in range(7)]
    res["paint_cpu_ms"] = probe.cpu[-7:]
    centre = QPointF(size[0] * 0.6, size[1] * 0.4)

    def wheel(dy: int) -> float:
        ev = QWheelEvent(centre, QPointF(target.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                         QPoint(0, dy), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                         Qt.ScrollPhase.NoScrollPhase, False)
        t0 = time.perf_counter()
        QApplication.sendEvent(target, ev)
        target.repaint()
        return (time.perf_counter() - t0) * 1000

    res["zoom_ms"] = [wheel(120) for _ in range(4)] + [wheel(-120) for _ in range(8)]

    def mouse(kind, pos, buttons):
        ev = QMouseEvent(kind, pos, QPointF(target.mapToGlobal(pos.toPoint())),
                         Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, ev)

    left = Qt.MouseButton.LeftButton
    mouse(QEvent.Type.MouseButtonPress, centre, left)
    pans = []
    for k in range(1, 9):
        t0 = time.perf_counter()
        mouse(QEvent.Type.MouseMove, centre + QPointF(-25 * k, 6 * k), left)
        target.repaint()
        pans.append((time.perf_counter() - t0) * 1000)
    mouse(QEvent.Type.MouseButtonRelease, centre + QPointF(-200, 48), Qt.MouseButton.NoButton)
    res["pan_ms"] = pans
    if which == "graph":  # labels are re-placed once the view is at rest
        times, cpu = [], []
        for _ in range(5):
            t0, c0 = time.perf_counter(), time.thread_time()
            panel.place_labels(now=True)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        res["relabel_ms"], res["relabel_cpu_ms"] = times, cpu
        res["scene_items"] = len(panel.scene.items())
    print("RESULT " + json.dumps(res))
    w.close()
    db.close()


def run_children(db_path: Path, case_id: str, which: str, runs: int) -> list[dict]:
    out = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, __file__, "--child", str(db_path), case_id, which],
                           capture_output=True, text=True, timeout=CHILD_TIMEOUT_S * 2,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                "BENCH_CHILD_TIMEOUT_S": str(CHILD_TIMEOUT_S)})
        line = next((ln for ln in p.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            sys.exit(f"{which} child failed:\n{p.stdout}\n{p.stderr}")
        out.append(json.loads(line[7:]))
    return out


def report(which: str, rows: list[dict]) -> None:
    def col(key: str) -> list[float]:
        vals: list[float] = []
        for r in rows:
            v = r.get(key)
            vals.extend(v if isinstance(v, list) else [] if v is None else [v])
        return vals

    what = (f"{rows[0]['marks']} marks" if which == "timeline"
            else f"{rows[0]['nodes']} nodes, {rows[0]['labels']} labels shown")
    print(f"{which} dock, first open in a fresh window ({what}, canvas "
          f"{rows[0]['size'][0]}×{rows[0]['size'][1]}; ms over {len(rows)} openings):")
    for key, label in (("first_paint_ms", "action → first paint with data"),
                       ("stall_ms", "longest gap between 10 ms GUI ticks"),
                       ("stall_cpu_ms", "  the same in GUI-thread CPU time"),
                       ("fetch_ms", "background fetch (worker thread)"),
                       ("show_data_ms", "show_data on the GUI thread"),
                       ("show_data_cpu_ms", "  the same in GUI-thread CPU time"),
                       ("first_paint_paint_ms", "the first paint itself"),
                       ("labels_ms", "action → labels placed (in slices)"),
                       ("paint_ms", "one frame's paint (repaint)"),
                       ("paint_cpu_ms", "  the same in GUI-thread CPU time"),
                       ("zoom_ms", "zoom step: wheel + repaint"),
                       ("pan_ms", "pan: drag move + repaint"),
                       ("relabel_ms", "labels re-placed at rest (all slices)"),
                       ("relabel_cpu_ms", "  the same in GUI-thread CPU time")):
        vals = col(key)
        if vals:
            print(f"  {label:<38} {spread(vals)}  (n={len(vals)})")
    print("  GUI-thread stretches over 20 ms of CPU, each opening (CPU ms @ ms after the "
          "action; show_data began @):")
    for r in rows:
        print(f"    {r.get('stretches')} show_data @{r.get('show_data_at_ms')}")
    if rows[0].get("scene_items") is not None:
        print(f"  scene items: {rows[0]['scene_items']}")
    print(f"  (window with the case shown before: median "
          f"{statistics.median(col('window_ms')):.0f} ms)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entities", type=int, default=2000)
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--documents", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3, help="window openings per view")
    ap.add_argument("--layout-runs", type=int, default=3)
    ap.add_argument("--only", choices=("layout", "timeline", "graph"))
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="build the case in DIR once and reuse it on later runs")
    args = ap.parse_args()
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    with tempfile.TemporaryDirectory() as d:
        where = args.keep or Path(d)
        where.mkdir(parents=True, exist_ok=True)
        db_path = where / f"views-{args.entities}-{args.claims}-{args.documents}.sqlite"
        if db_path.exists():
            case_id = (db_path.with_suffix(".case")).read_text()
            print(f"reusing the case in {db_path}")
        else:
            t = time.perf_counter()
            case_id = make_case(db_path, entities=args.entities, claims=args.claims,
                                documents=args.documents)
            db_path.with_suffix(".case").write_text(case_id)
            print(f"built {args.entities} entities, {args.claims} claims ({HOT_CLAIMS} about "
                  f"one subject), {args.documents} documents in {time.perf_counter() - t:.1f} s")
        if args.only in (None, "layout"):
            bench_layout(db_path, case_id, args.layout_runs)
        for which in ("timeline", "graph"):
            if args.only in (None, which):
                report(which, run_children(db_path, case_id, which, args.runs))
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
