"""Runs an analysis panel's data loading off the GUI thread and shows only the newest result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QThreadPool

from ui.base.tasks import Task, TaskSignals, start


class Refreshable(Protocol):
    """A panel split into a thread-safe ``fetcher()`` (a callable capturing the current case and
    options, calling services only) and ``show_data(data)`` on the GUI thread."""

    def fetcher(self) -> Callable[[], Any]: ...

    def show_data(self, data: Any) -> None: ...

    def show_error(self, message: str) -> None: ...


class Refresher(QObject):
    """Owned by a panel. ``request()`` loads in the pool; results of superseded requests (the
    case changed, the analyst edited again) are dropped. ``busy`` says a load is under way."""

    def __init__(self, panel: QObject, pool: QThreadPool | None = None):
        super().__init__(panel)
        self.panel = panel
        self.pool = pool or QThreadPool.globalInstance()
        self.generation = 0
        self._running: dict[int, Task] = {}

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def request(self) -> None:
        self.generation += 1
        generation = self.generation
        fetch = self.panel.fetcher()
        signals = TaskSignals(self)
        signals.finished.connect(lambda data: self._settle(generation, data, None))
        signals.failed.connect(lambda message: self._settle(generation, None, message))
        self._running[generation] = start(Task(lambda _progress: fetch(), signals), self.pool)

    def _settle(self, generation: int, data: Any, error: str | None) -> None:
        task = self._running.pop(generation, None)
        if task is not None:
            task.signals.deleteLater()
        if generation != self.generation or not shiboken6.isValid(self.panel):
            return  # superseded, or the panel is gone
        if error is None:
            self.panel.show_data(data)
        else:
            self.panel.show_error(error)
