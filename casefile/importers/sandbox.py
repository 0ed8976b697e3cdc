"""Run an extractor in a child process with a time limit, a memory cap, and cancel polling.

The child is ``python -I WORKER MEMORY_LIMIT``: it reads the file's bytes on stdin, caps its own
address space (``RLIMIT_AS``) before importing any parser, and writes one JSON object on stdout,
``{"ok": ...}`` or ``{"error": "reason for the analyst"}``. A child that overruns its time is
killed; one that runs out of memory or crashes is reported, never waited on forever.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from casefile import failures
from casefile.errors import ImportCancelled, ImportFailed

__all__ = ["ImportCancelled", "run_worker"]
log = logging.getLogger(__name__)
POLL = 0.1


def run_worker(script: Path, data: bytes, *, what: str, timeout: float, memory_limit: int,
               cancelled: Callable[[], bool] | None = None, args: Sequence[str] = (),
               progress: Callable[[int, int], None] | None = None,
               stall: float | None = None) -> Any:
    """Feed ``data`` to the worker script and return its ``ok`` value, else ``ImportFailed``.

    ``args`` follow the memory limit on the child's command line. A child may report progress
    with lines ``progress DONE TOTAL`` on stderr; ``progress(done, total)`` gets them (called on
    a reader thread). With ``stall``, ``timeout`` is the most the whole run may take and the
    child is stopped when ``stall`` seconds pass without a progress line (a 300-page report
    keeps going; a parser stuck on one page does not)."""
    if stall is not None and progress is None:
        progress = _ignore
    cmd = [sys.executable, "-I", str(script), str(int(memory_limit)), *args]
    with tempfile.TemporaryFile() as src:  # a file, so the child reads at its own pace
        src.write(data)
        src.seek(0)
        proc = subprocess.Popen(cmd, stdin=src, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if progress is not None:
        return _run_with_progress(proc, what, timeout, memory_limit, cancelled, progress,
                                  stall)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                out, err = proc.communicate(timeout=POLL)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    raise ImportCancelled("cancelled") from None
                if time.monotonic() > deadline:
                    raise ImportFailed(
                        f"reading this {what} took longer than {timeout:.0f} seconds and was "
                        "stopped; the file may be malformed") from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return _result(proc.returncode, out, err, what=what, memory_limit=memory_limit)


def _ignore(_done: int, _total: int) -> None:
    pass


def _run_with_progress(proc: subprocess.Popen, what: str, timeout: float, memory_limit: int,
                       cancelled: Callable[[], bool] | None,
                       progress: Callable[[int, int], None], stall: float | None = None
                       ) -> Any:
    """``run_worker``'s loop, reading the child's stderr as it comes for progress lines."""
    chunks: list[bytes] = []
    errs: list[bytes] = []
    last = [time.monotonic()]  # when the child last reported progress

    def read_out() -> None:
        chunks.append(proc.stdout.read())  # type: ignore[union-attr]

    def read_err() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            parts = line.split()
            if len(parts) == 3 and parts[0] == b"progress":
                last[0] = time.monotonic()
                with contextlib.suppress(ValueError):
                    progress(int(parts[1]), int(parts[2]))
                continue
            errs.append(line)

    readers = [threading.Thread(target=f, daemon=True) for f in (read_out, read_err)]
    for t in readers:
        t.start()
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            time.sleep(POLL)
            if cancelled is not None and cancelled():
                raise ImportCancelled("cancelled")
            now = time.monotonic()
            if now > deadline:
                raise ImportFailed(f"reading this {what} took longer than {timeout:.0f} seconds "
                                   "and was stopped; the file may be malformed")
            if stall is not None and now - last[0] > stall:
                raise ImportFailed(f"reading this {what} made no progress for {stall:.0f} "
                                   "seconds and was stopped; the file may be malformed")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for t in readers:
            t.join(5)
    return _result(proc.returncode, b"".join(chunks), b"".join(errs), what=what,
                   memory_limit=memory_limit)


def _result(code: int, out: bytes, err: bytes, *, what: str, memory_limit: int) -> Any:
    try:
        msg = json.loads(out.decode("utf-8")) if out.strip() else None
    except (UnicodeDecodeError, ValueError):
        msg = None
    if isinstance(msg, dict) and "error" in msg:
        if msg.get("detail"):
            failures.log_detail(f"the {what} reader refused a file ({msg['error']})",
                                str(msg["detail"]))
        raise ImportFailed(str(msg["error"]))
    if code == 0 and isinstance(msg, dict) and "ok" in msg:
        if isinstance(msg["ok"], dict) and msg["ok"].get("fallback"):
            log.info("%s read by its second reader: %s", what, msg["ok"]["fallback"])
        return msg["ok"]
    tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
    log.warning("%s worker exited %s: %s", what, code, " / ".join(tail))
    out_of_memory = (b"MemoryError", b"failed to map segment", b"Cannot allocate memory",
                     b"std::bad_alloc")
    if any(m in err for m in out_of_memory) or code == -getattr(signal, "SIGKILL", 9):
        raise ImportFailed(f"reading this {what} needed more than {memory_limit // 2**20} MB "
                           "of memory and was stopped; the file may be malformed")
    failures.log_detail(f"the {what} reader stopped (exit {code})", " / ".join(tail))
    if code < 0:
        raise ImportFailed(f"the {what} reader crashed on this file (signal {-code}); refused")
    raise ImportFailed(f"the {what} reader failed on this file; refused (the details are in "
                       f"{failures.log_file()})")
