"""The child-process watchdog: a long job that keeps reporting progress runs on (a 300-page
report on a slow laptop), a child that stops reporting is stopped, and a hard cap holds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from casefile.errors import ImportFailed
from casefile.importers import sandbox

WORKER = """
import json, sys, time
steps, pause = int(sys.argv[2]), float(sys.argv[3])
sys.stdin.buffer.read()
for i in range(steps):
    time.sleep(pause)
    sys.stderr.write(f"progress {i + 1} {steps}\\n")
    sys.stderr.flush()
time.sleep(float(sys.argv[4]))
print(json.dumps({"ok": steps}))
"""


@pytest.fixture
def worker(tmp_path: Path) -> Path:
    p = tmp_path / "worker.py"
    p.write_text(WORKER, encoding="utf-8")
    return p


def test_progress_keeps_a_long_job_alive(worker):
    t = time.monotonic()
    got = sandbox.run_worker(worker, b"x", what="test", timeout=30, stall=0.6,
                             memory_limit=0, args=("8", "0.2", "0"))
    assert got == 8 and time.monotonic() - t > 1.2  # longer than the stall limit, by far


def test_a_child_that_stops_reporting_is_stopped(worker):
    with pytest.raises(ImportFailed, match="made no progress"):
        sandbox.run_worker(worker, b"x", what="test", timeout=30, stall=0.6, memory_limit=0,
                           args=("2", "0.1", "20"))


def test_the_whole_run_has_a_cap(worker):
    with pytest.raises(ImportFailed, match="took longer than"):
        sandbox.run_worker(worker, b"x", what="test", timeout=1.0, stall=0.6, memory_limit=0,
                           args=("100", "0.2", "0"))
