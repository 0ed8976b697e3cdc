"""Telegram export import time against its size: 1,000, 10,000 and 50,000 messages, JSON form
into an empty case and again (a newer export: only new messages stored), whole import path
(read, check, store, fingerprints, search index), run on a thread as the window runs it while
this thread measures how long it is kept waiting (the window would freeze that long). Numbers,
not pass/fail.

Run: ``nice .venv/bin/python bench/bench_telegram.py [--sizes 1000 10000 50000]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))

import telegram_export as te  # noqa: E402

from casefile import importers  # noqa: E402
from casefile.db.database import open_database  # noqa: E402
from casefile.importers import telegram  # noqa: E402
from casefile.services import cases  # noqa: E402


def _stall(going) -> float:
    """The longest this thread (the window's, in the app) waited past a 5 ms sleep while
    ``going()``: the GIL held by the import, or the machine's load (see the idle figure)."""
    worst = 0.0
    while going():
        t = time.perf_counter()
        time.sleep(0.005)
        worst = max(worst, time.perf_counter() - t - 0.005)
    return worst


def run(n: int, tmp: Path) -> dict[str, float]:
    folder = tmp / f"export{n}"
    te.write_json(folder, te.messages(n=n))
    size = (folder / "result.json").stat().st_size
    db = open_database(tmp / f"bench{n}.sqlite")
    case_id = cases.create_case(db, title="bench").id
    t0 = time.perf_counter()
    container = telegram.read(folder)
    t_read = time.perf_counter() - t0
    tracemalloc.start()
    telegram.read(folder)
    read_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    gaps: list[float] = []
    marks: list[tuple[int, float]] = []
    last = [time.perf_counter()]

    def progress(done: int, _t: int, _n: str) -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        marks.append((done, now))
        last[0] = now

    t_idle = time.perf_counter()
    idle = _stall(lambda: time.perf_counter() - t_idle < 3.0)
    t0 = time.perf_counter()
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(importers.import_files(
        db, case_id=case_id, paths=[folder], progress=progress)))
    worker.start()
    stall = _stall(worker.is_alive)
    (res,) = out
    t_first = time.perf_counter() - t0
    assert res.ok and len(res.added) == n, res
    t0 = time.perf_counter()
    (again,) = importers.import_files(db, case_id=case_id, paths=[folder])
    t_again = time.perf_counter() - t0
    assert again.already == n
    db.close()
    tenth = max(1, len(marks) // 10)
    (d0, t0_), (d1, t1_) = marks[1], marks[1 + tenth]
    (d2, t2_), (d3, t3_) = marks[-2 - tenth], marks[-2]
    first_rate = (t1_ - t0_) / max(d1 - d0, 1) * 1000
    last_rate = (t3_ - t2_) / max(d3 - d2, 1) * 1000
    return {"first_tenth_per_1k_s": first_rate, "last_tenth_per_1k_s": last_rate,
            "messages": n, "MB": size / 2**20, "parse_s": t_read, "parse_peak_MB":
            read_peak / 2**20, "import_s": t_first, "per_1k_s": t_first / n * 1000,
            "longest_progress_gap_s": max(gaps), "reimport_s": t_again,
            "items": len(container.items), "stall_ms": stall * 1000,
            "idle_stall_ms": idle * 1000}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="casefile-bench-tg-") as tmp:
        print(f"{'messages':>9} {'MB':>6} {'parse s':>8} {'parse peak MB':>14} "
              f"{'import s':>9} {'s per 1k':>9} {'first/last 10% s per 1k':>24} {'max gap s':>10} "
              f"{'re-import s':>12} {'GUI stall ms (idle)':>20}")
        for n in args.sizes:
            r = run(n, Path(tmp))
            print(f"{r['messages']:>9,} {r['MB']:>6.1f} {r['parse_s']:>8.2f} "
                  f"{r['parse_peak_MB']:>14.0f} {r['import_s']:>9.2f} {r['per_1k_s']:>9.2f} "
                  f"{r['first_tenth_per_1k_s']:>11.2f} /{r['last_tenth_per_1k_s']:>11.2f} "
                  f"{r['longest_progress_gap_s']:>10.2f} {r['reimport_s']:>12.2f} "
                  f"{r['stall_ms']:>13.0f} ({r['idle_stall_ms']:>3.0f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
