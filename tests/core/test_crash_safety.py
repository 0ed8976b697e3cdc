"""A killed process loses at most the write in flight."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from tests.helpers import cli_json, run_cli


def test_kill_9_during_a_burst_of_writes_loses_only_the_write_in_flight(cli_env, tmp_path):
    rng = random.Random(7)
    acknowledged: list[str] = []
    killed = 0
    files = []
    for i in range(24):
        p = tmp_path / f"report-{i}.txt"
        p.write_text(f"Report {i}\n\nTemur Vakhidov was seen in place {i}. " * 40,
                     encoding="utf-8")
        files.append(p)
    cli_json("case", "new", "Crash test", env=cli_env)
    running: list[tuple[subprocess.Popen, bool]] = []
    for i, path in enumerate(files):
        proc = subprocess.Popen(
            [sys.executable, "-m", "casefile.cli", "import", str(path), "--json"],
            env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        victim = i % 3 == 1
        running.append((proc, victim))
        if victim:
            time.sleep(rng.uniform(0.2, 0.7))  # somewhere in start-up, import or commit
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        if len(running) >= 2 or i == len(files) - 1:
            for p, was_victim in running:
                out, _ = p.communicate(timeout=120)
                if not was_victim or p.returncode == 0:
                    assert p.returncode == 0, out
                    acknowledged.append(json.loads(out)[0]["id"])
            running = []
    assert killed == 8

    check = run_cli("check", "--json", env=cli_env, check=False)
    assert json.loads(check.stdout) == {"ok": True, "problems": []}, check.stdout
    ids = {d["id"] for d in cli_json("docs", env=cli_env)}
    assert set(acknowledged) <= ids
    # Every stored document is whole: it has its original bytes and its full text.
    conn = sqlite3.connect(cli_env["CASEFILE_DB"])
    rows = conn.execute("SELECT d.id, length(d.text), length(o.data) FROM document d "
                        "LEFT JOIN document_original o ON o.document_id = d.id").fetchall()
    conn.close()
    assert rows and all(r[2] is not None and r[1] > 1000 for r in rows)
