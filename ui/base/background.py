"""Runs an analysis panel's data loading off the GUI thread and shows only the newest result."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, QTimer

from ui.base.tasks import Task, TaskSignals, start

# a load starts once requests have been quiet this long (the edit's own repaint first, a burst
# of edits one load), or at the latest this long after the first of a steady stream
QUIET_MS, MAX_WAIT_S = 250, 1.0


class Refreshable(Protocol):
    """A panel split into a thread-safe ``fetcher()`` (a callable capturing the current case and
    options, calling services only) and ``show_data(data)`` on the GUI thread."""

    def fetcher(self) -> Callable[[], Any]: ...

    def show_data(self, data: Any) -> None: ...

    def show_error(self, message: str) -> None: ...


class Refresher(QObject):
    """Owned by a panel. ``request()`` loads in the pool; results of superseded requests (the
    case changed, the analyst edited again) are dropped. A burst of requests is one load: it
    starts when the requests have been quiet for ``QUIET_MS`` (never competing with the edits'
    own repaints; a steady stream still gets one every ``MAX_WAIT_S``) and, while one runs,
    later requests wait for it and are then served by one more. ``busy`` says a load is under
    way or due."""

    def __init__(self, panel: QObject, pool: QThreadPool | None = None):
        super().__init__(panel)
        self.panel = panel
        self.pool = pool or QThreadPool.globalInstance()
        self.generation = 0
        self._running: dict[int, Task] = {}
        self._due = QTimer(self)
        self._due.setSingleShot(True)
        self._due.setInterval(QUIET_MS)
        self._due.timeout.connect(self._start)
        self._again = False  # requested while a load ran
        self._first = 0.0  # when the first request of the pending burst came

    @property
    def busy(self) -> bool:
        return bool(self._running) or self._due.isActive() or self._again

    def request(self) -> None:
        self.generation += 1
        if self._running:
            self._again = True
        elif not self._due.isActive():
            self._first = time.monotonic()
            self._due.start()
        elif time.monotonic() - self._first < MAX_WAIT_S:
            self._due.start()  # not quiet yet: wait on

    def _start(self) -> None:
        generation = self.generation
        fetch = self.panel.fetcher()  # the panel's case and options as they are now
        signals = TaskSignals(self)
        signals.finished.connect(lambda data: self._settle(generation, data, None))
        signals.failed.connect(lambda message: self._settle(generation, None, message))
        self._running[generation] = start(Task(lambda _progress: fetch(), signals), self.pool)

    def _settle(self, generation: int, data: Any, error: str | None) -> None:
        task = self._running.pop(generation, None)
        if task is not None:
            task.signals.deleteLater()
        if not shiboken6.isValid(self.panel):
            return  # the panel is gone
        if self._again:  # asked again while this one ran: once quiet (or a second on)
            self._again = False
            self._first = time.monotonic()
            self._due.start()
        if generation != self.generation:
            return  # superseded
        if error is None:
            self.panel.show_data(data)
        else:
            self.panel.show_error(error)
