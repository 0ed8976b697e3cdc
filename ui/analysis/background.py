"""Runs an analysis panel's data loading off the GUI thread and shows only the newest result."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Refreshable(Protocol):
    """A panel split into a thread-safe ``fetcher()`` (a callable capturing the current case and
    options, calling services only) and ``show_data(data)`` on the GUI thread."""

    def fetcher(self) -> Callable[[], Any]: ...

    def show_data(self, data: Any) -> None: ...

    def show_error(self, message: str) -> None: ...


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Fetch(QRunnable):
    def __init__(self, fetch: Callable[[], Any], generation: int, signals: _Signals):
        super().__init__()
        self.fetch, self.generation, self.signals = fetch, generation, signals

    def run(self) -> None:
        try:
            data = self.fetch()
        except Exception as exc:  # a worker reports; it never dies silently
            outcome = (self.signals.failed, f"{type(exc).__name__}: {exc}")
        else:
            outcome = (self.signals.done, data)
        # RuntimeError: the panel was closed while we worked, so nobody is left to tell
        with contextlib.suppress(RuntimeError):
            outcome[0].emit(self.generation, outcome[1])


class Refresher(QObject):
    """Owned by a panel. ``request()`` loads in the pool; results of superseded requests (the
    case changed, the analyst edited again) are dropped. ``busy`` says a load is under way."""

    def __init__(self, panel: QObject, pool: QThreadPool | None = None):
        super().__init__(panel)
        self.panel = panel
        self.pool = pool or QThreadPool.globalInstance()
        self.generation = 0
        self.pending = 0
        self.signals = _Signals(self)
        self.signals.done.connect(self._done)
        self.signals.failed.connect(self._failed)

    @property
    def busy(self) -> bool:
        return self.pending > 0

    def request(self) -> None:
        self.generation += 1
        self.pending += 1
        self.pool.start(_Fetch(self.panel.fetcher(), self.generation, self.signals))

    def _done(self, generation: int, data: Any) -> None:
        self.pending -= 1
        if generation == self.generation and shiboken6.isValid(self.panel):
            self.panel.show_data(data)

    def _failed(self, generation: int, message: str) -> None:
        self.pending -= 1
        if generation == self.generation and shiboken6.isValid(self.panel):
            self.panel.show_error(message)
