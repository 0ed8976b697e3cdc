"""Benchmark: the team case through a real casefile-server on a private PostgreSQL (localhost).

Prints numbers; not a pass/fail test. Targets (issue 20): share a 1,000-document /
20,000-highlight case (files included) < 60 s, join it < 60 s; an edit on A visible to B
(through the live channel and a pull) < 2 s; ``casefile sync`` with nothing to do < 200 ms;
10 clients syncing continuously: no errors, p95 push latency.
Run: ``nice .venv/bin/python bench/bench_team.py [--docs N] [--highlights N] [--seconds S]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_exchange import build  # noqa: E402

from casefile.db.database import open_database  # noqa: E402
from casefile.services import claims  # noqa: E402
from casefile.sync import engine  # noqa: E402
from casefile.sync.client import Client  # noqa: E402
from tests.server.cluster import Service, missing_reason, run_server_cli, start_cluster  # noqa: E402
from tests.server.team_world import make_case  # noqa: E402


def _edit(db, claim_id: str, note: str) -> None:
    rec = claims.get_claim(db, claim_id=claim_id)
    claims.update_claim(db, claim_id=claim_id, data=claims.ClaimInput(
        **{**claims.as_input(rec).__dict__, "note": note}))


def live_latency(a, b, case_id: str, claim_id: str, rounds: int = 8) -> list[float]:
    """Seconds from A's edit to B holding it, B reacting to the live channel with a pull."""
    client = engine.client_for(b)
    seen: list[tuple[float, str]] = []
    got = threading.Event()
    stop = threading.Event()

    def listen() -> None:
        for _version in client.events(case_id):
            if stop.is_set():
                return
            engine.sync(b, case_id=case_id, client=client)
            seen.append((time.perf_counter(), claims.get_claim(b, claim_id=claim_id).note))
            got.set()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    got.wait(10)
    out = []
    for n in range(rounds):
        note = f"live edit {n}"
        got.clear()
        t = time.perf_counter()
        _edit(a, claim_id, note)
        engine.sync(a, case_id=case_id)
        deadline = time.time() + 20
        while time.time() < deadline:
            got.wait(1)
            got.clear()
            hits = [at for at, value in seen if value == note]
            if hits:
                out.append(hits[0] - t)
                break
        else:
            out.append(float("inf"))
    stop.set()
    return out


def _worker(url: str, token: str, case_id: str, folder: str, seconds: float, seed: int,
            queue) -> None:
    import random

    rnd = random.Random(seed)
    db = open_database(Path(folder) / f"w{seed}.sqlite")
    timings: list[float] = []

    class Timed(Client):
        def push(self, *args, **kwargs):
            t = time.perf_counter()
            try:
                return super().push(*args, **kwargs)
            finally:
                timings.append(time.perf_counter() - t)

    errors = 0
    syncs = 0
    try:
        client = Timed(url, token)
        engine.set_remote(db, url=url, token=token)
        engine.join(db, case_id=case_id, client=client)
        ids = [c.id for c in claims.list_claims(db, case_id=case_id)]
        end = time.time() + seconds
        while time.time() < end:
            _edit(db, rnd.choice(ids), f"worker {seed} at {time.time():.3f}")
            try:
                engine.sync(db, case_id=case_id, client=client)
                syncs += 1
            except Exception as exc:  # counted and reported
                errors += 1
                print(f"worker {seed}: {exc}", file=sys.stderr)
            time.sleep(rnd.uniform(0.0, 0.3))
    finally:
        db.close()
    queue.put((timings, errors, syncs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--highlights", type=int, default=20000)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    cluster = start_cluster()
    svc = None
    tmp = tempfile.TemporaryDirectory(prefix="bench-team-")
    folder = Path(tmp.name)
    try:
        url = cluster.new_database("bench")
        assert run_server_cli("migrate", "--db", url, db=url).returncode == 0
        svc = Service(url).start()
        token_a, token_b = svc.add_user("ayla"), svc.add_user("bek")
        a = open_database(folder / "a.sqlite")
        b = open_database(folder / "b.sqlite")
        engine.set_remote(a, url=svc.url, token=token_a)
        engine.set_remote(b, url=svc.url, token=token_b)
        t = time.perf_counter()
        case_id = build(a, n_docs=args.docs, n_claims=args.highlights)
        print(f"case: {args.docs} documents, {args.highlights} highlights, {args.highlights} "
              f"claims (built in {time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        shared = engine.share(a, case_id=case_id)
        share_s = time.perf_counter() - t
        print(f"share (first push, files included): {share_s:6.1f} s  (target < 60 s; "
              f"{shared.pushed} records)")
        engine.client_for(a).set_member(case_id, "bek", "editor")
        t = time.perf_counter()
        joined = engine.join(b, case_id=case_id)
        join_s = time.perf_counter() - t
        print(f"join:                               {join_s:6.1f} s  (target < 60 s; "
              f"{joined.pulled} records)")

        noop = []
        for _ in range(20):
            t = time.perf_counter()
            engine.sync(b, case_id=case_id)
            noop.append(time.perf_counter() - t)
        env = dict(os.environ, PYTHONPATH=str(ROOT), CASEFILE_DB=str(folder / "b.sqlite"))
        cli = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "casefile.cli", "sync", "--json"], env=env,
                           check=True, capture_output=True)
            cli.append(time.perf_counter() - t)
        print(f"sync with nothing to do:            {statistics.median(noop) * 1000:6.0f} ms "
              f"median in-process, {max(noop) * 1000:.0f} ms max (target < 200 ms); "
              f"`casefile sync` command {statistics.median(cli) * 1000:.0f} ms median "
              "(process start included)")

        claim_id = claims.list_claims(a, case_id=case_id)[0].id
        lat = live_latency(a, b, case_id, claim_id)
        print(f"edit on A visible in B (live channel + pull): median "
              f"{statistics.median(lat):.2f} s, max {max(lat):.2f} s  (target < 2 s)")
        a.close()
        b.close()

        small = open_database(folder / "small.sqlite")
        engine.set_remote(small, url=svc.url, token=token_a)
        ids = make_case(small, title="Ten analysts")
        for _ in range(30):
            claims.create_claim(small, case_id=ids["case"], data=claims.ClaimInput(
                subject="Temur Vakhidov", kind="location", evidence=(ids["highlight"],)))
        engine.share(small, case_id=ids["case"])
        client = engine.client_for(small)
        tokens = []
        for n in range(args.clients):
            tokens.append(svc.add_user(f"desk{n}"))
            client.set_member(ids["case"], f"desk{n}", "editor")
        small.close()
        queue: mp.Queue = mp.get_context("spawn").Queue()
        ctx = mp.get_context("spawn")
        procs = [ctx.Process(target=_worker, args=(svc.url, tok, ids["case"], str(folder),
                                                   args.seconds, n, queue))
                 for n, tok in enumerate(tokens)]
        for p in procs:
            p.start()
        results = [queue.get(timeout=args.seconds + 300) for _ in procs]
        for p in procs:
            p.join()
        pushes = sorted(t for r in results for t in r[0])
        errors = sum(r[1] for r in results)
        syncs = sum(r[2] for r in results)
        p95 = pushes[int(0.95 * (len(pushes) - 1))] if pushes else float("nan")
        print(f"{args.clients} clients syncing for {args.seconds:.0f} s: {syncs} syncs, "
              f"{len(pushes)} pushes (412 retries included), errors {errors}; push latency "
              f"median {statistics.median(pushes) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    finally:
        if svc is not None:
            svc.stop()
        cluster.stop()
        tmp.cleanup()


if __name__ == "__main__":
    main()
