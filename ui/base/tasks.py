"""One way to run work off the GUI thread: a QRunnable whose outcome comes back as signals.

``work(progress)`` must not touch widgets; it gets a ``progress(done, total, what)`` callable.
Signals are emitted from the pool thread and delivered queued on the GUI thread. A
``CasefileError`` is reported with its message; anything else with its type, never silently.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from casefile.errors import CasefileError
from ui.base import plain

Progress = Callable[[int, int, str], None]


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    """Runs ``work(progress)`` on the thread pool and emits ``finished(result)`` or
    ``failed(message)``. Kept alive by its owner (``autoDelete`` off)."""

    def __init__(self, work: Callable[[Progress], Any], signals: TaskSignals | None = None):
        super().__init__()
        self.work = work
        self.signals = signals or TaskSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        # RuntimeError on emit: the receiver was closed while we worked; nobody to tell.
        try:
            result = self.work(self.signals.progress.emit)
        except CasefileError as exc:
            outcome: tuple[Any, Any] = (self.signals.failed, str(exc))
        except Exception as exc:  # a bug, not bad input: report it, never die silently
            outcome = (self.signals.failed, f"{type(exc).__name__}: {exc}")
        else:
            outcome = (self.signals.finished, result)
        with contextlib.suppress(RuntimeError):
            outcome[0].emit(outcome[1])


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    (pool or QThreadPool.globalInstance()).start(task)
    return task


_RUNNING: set[Task] = set()


def run_task(parent: QWidget | None, title: str, work, on_done: Callable[[Any], None], *,
             cancellable: bool = False) -> Task:
    """Start ``work`` in the background behind a progress dialog; ``on_done`` on success.

    ``cancellable``: the dialog has a Cancel button and ``work(progress, cancelled)`` gets a
    ``cancelled()`` to poll; a task that stops on it (``ImportCancelled``) ends quietly with a
    line in the status bar, having changed nothing."""
    dialog = QProgressDialog(title, "Cancel" if cancellable else None, 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    stop = threading.Event()
    if cancellable:
        dialog.canceled.connect(stop.set)
        task = Task(lambda progress: work(progress, stop.is_set))
    else:
        task = Task(work)
    task.cancel = stop.set  # type: ignore[attr-defined]
    _RUNNING.add(task)

    def progress(done: int, total: int, what: str) -> None:
        if stop.is_set():
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        if what:
            dialog.setLabelText(f"{title}\n{what}")

    def close() -> bool:
        """Close the dialog (closing it emits ``canceled``); whether the user had cancelled."""
        was = stop.is_set()
        if cancellable:
            dialog.canceled.disconnect(stop.set)
        dialog.close()
        return was

    def finish(result: Any) -> None:
        _RUNNING.discard(task)
        close()
        on_done(result)

    def fail(message: str) -> None:
        _RUNNING.discard(task)
        if close():
            status = getattr(parent, "statusBar", None)
            if callable(status):
                status().showMessage(f"{title.rstrip('…')} cancelled; nothing was changed", 6000)
            return
        plain.warning(parent, title, message)

    task.signals.progress.connect(progress)
    task.signals.finished.connect(finish)
    task.signals.failed.connect(fail)
    return start(task)
