"""One way to run work off the GUI thread: a QRunnable whose outcome comes back as signals.

``work(progress)`` must not touch widgets; it gets a ``progress(done, total, what)`` callable
(and, for a cancellable task, a ``cancelled()`` to poll as well).
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
    """Runs ``work(progress)`` — ``work(progress, cancelled)`` when ``cancellable`` — on the
    thread pool and emits ``finished(result)`` or ``failed(message)``. Kept alive by its owner
    (``autoDelete`` off) until ``done`` is set, as ``run`` returns."""

    def __init__(self, work: Callable[..., Any], signals: TaskSignals | None = None, *,
                 cancellable: bool = False):
        super().__init__()
        self.work = work
        self.signals = signals or TaskSignals()
        self.cancellable = cancellable
        self._stop = threading.Event()
        self.done = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        """Ask the work to stop (a cancellable task's ``cancelled()`` turns true)."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        try:
            self._run()
        finally:
            self.done.set()

    def _run(self) -> None:
        # RuntimeError on emit: the receiver was closed while we worked; nobody to tell.
        try:
            if self.cancellable:
                result = self.work(self.signals.progress.emit, self._stop.is_set)
            else:
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
    task = Task(work, cancellable=cancellable)
    if cancellable:
        dialog.canceled.connect(task.cancel)
    _RUNNING.add(task)

    def progress(done: int, total: int, what: str) -> None:
        if task.cancelled:
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        if what:
            dialog.setLabelText(f"{title}\n{what}")

    def close() -> bool:
        """Close the dialog (closing it emits ``canceled``); whether the user had cancelled."""
        was = task.cancelled
        if cancellable:
            dialog.canceled.disconnect(task.cancel)
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
