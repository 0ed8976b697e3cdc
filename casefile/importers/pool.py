"""Extraction on every core: files are read and extracted in worker processes while the caller
stores them in the order given.

Workers start from a fork server that has the extractors loaded (spawned where fork servers do
not exist), never from a fork of the caller, which may be a window with threads. A shared event
tells workers to stop reading (a PDF or large page's own child process is then ended too).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from casefile.errors import CasefileError
from casefile.importers.storing import Extracted

PRELOAD = ["casefile.importers", "casefile.importers.html", "casefile.importers.pdf",
           "casefile.importers.text", "trafilatura"]
MIN_FILES = 8  # fewer files than this are quicker read here than in started workers
AHEAD_BYTES = 64 * 2**20  # files read ahead of the caller beyond two per worker: their size
POLL = 0.1
_cancel: Any = None  # the worker's copy of the shared stop event



def workers_for(paths: list[Path]) -> int:
    """How many worker processes a batch deserves: one per core for a larger batch or one
    holding PDFs (each read in a child process anyway), else none (read here)."""
    cores = os.cpu_count() or 1
    pdfs = sum(p.suffix.lower() == ".pdf" for p in paths)
    if cores < 2 or len(paths) < 2 or (len(paths) < MIN_FILES and pdfs < 2):
        return 1
    return min(cores, len(paths))


def _context() -> Any:
    try:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    except ValueError:  # no fork server on this platform
        return multiprocessing.get_context("spawn")


def warm_up() -> None:
    """Start the fork server (it loads the extractors) now, so that it gets ready while the
    caller does other work such as opening the database."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _init(event: Any) -> None:
    global _cancel
    _cancel = event


def _job(path: str) -> Extracted:
    from casefile.importers.reading import read_file, safe_extract
    from casefile.shingles import shingle_hashes

    try:
        data = read_file(Path(path))
        doc = safe_extract(data, Path(path).name, _cancel.is_set if _cancel else None)
        return hashlib.sha256(data).hexdigest(), doc, shingle_hashes(doc.text)
    except CasefileError as exc:
        return str(exc)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the worker reports why it cannot be read


def extract_all(paths: list[Path], *, workers: int, cancelled: Callable[[], bool] | None = None,
                batch: int = 1) -> Iterator[list[Extracted]]:
    """Each file's extraction, in order, computed ``workers`` at a time, in lists of
    consecutive files: the next file's, once done, with those after it already done (at most
    ``batch``), so that a caller slower than the workers stores several at once. At most two
    files per worker are read ahead of the caller, or up to ``batch`` more while they are
    small (``AHEAD_BYTES`` in all). Once ``cancelled()``, nothing more is yielded and work
    under way is ended (as between files in the calling process: no result for the rest)."""
    ctx = _context()
    stop = ctx.Event()
    ahead: deque[tuple[Future, int]] = deque()
    todo = iter(paths)

    def room() -> bool:
        n = len(ahead)
        return n < 2 * workers or (n < 2 * workers + batch
                                   and sum(size for _, size in ahead) < AHEAD_BYTES)

    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                             initargs=(stop,)) as ex:

        def submit() -> bool:
            path = next(todo, None)
            if path is not None:
                ahead.append((ex.submit(_job, str(path)), _size(path)))
            return path is not None

        try:
            while room() and submit():
                pass
            while ahead:
                while True:
                    if cancelled is not None and cancelled():
                        return  # between files: nothing more is stored, work under way ends
                    try:
                        ahead[0][0].result(timeout=POLL)
                        break
                    except FutureTimeout:
                        continue
                group = []
                while not group or (ahead and ahead[0][0].done() and len(group) < batch):
                    group.append(ahead.popleft()[0].result())
                while room() and submit():
                    pass
                yield group
        finally:
            stop.set()
            for fut, _ in ahead:
                fut.cancel()
