"""Background work: imports run in a QRunnable; results come back on the GUI thread by signal."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from casefile.db.database import Database


class ImportSignals(QObject):
    """Signals of an ``ImportWorker``; emitted from the worker thread, delivered queued."""

    progress = Signal(int, int, str)  # done, total, file name
    finished = Signal(list)  # list[ImportResult]
    failed = Signal(str)


class ImportWorker(QRunnable):
    """Imports files into a case off the GUI thread; ``cancel()`` stops between files."""

    def __init__(self, db: Database, case_id: str, paths: Sequence[str | Path],
                 options: object | None = None):
        super().__init__()
        self.db = db
        self.case_id = case_id
        self.paths = [str(p) for p in paths]
        self.options = options  # casefile.importers.items.Options, for containers
        self.signals = ImportSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()  # set as run() returns; the owner may drop it after
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        # The importers pull in heavy extraction libraries lazily; that happens here, off the
        # GUI thread, never before the window is shown.
        from casefile.importers import import_files

        try:
            results = import_files(self.db, case_id=self.case_id, paths=self.paths,
                                   progress=self.signals.progress.emit,
                                   cancelled=self._cancel.is_set, options=self.options)
        except Exception as exc:  # a bug, not a bad file: report it rather than die silently
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(results)
        finally:
            self.done.set()


def start(worker: QRunnable, pool: QThreadPool | None = None) -> None:
    (pool or QThreadPool.globalInstance()).start(worker)
