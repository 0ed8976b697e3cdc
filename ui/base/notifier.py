"""The one change path to the views: what an edit changed, published once, to the kinds' views."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from casefile.db.changes import Changes
from casefile.db.database import Database


class Notifier(QObject):
    """Publishes ``Changes`` to the views that subscribed to their kinds.

    Sources: undo commands (each step publishes what it changed), and every commit made through
    the database outside a command — a bundle merge, an import, a write on a worker thread, a
    sync pull — which the database reports by itself (``Database.changes``). A commit on another
    thread is handed to the GUI thread and merged with others that arrive before it runs, so a
    burst of background commits refreshes the views once. Another program's edits arrive as
    ``Changes.all()`` (see ``Controller.poll_elsewhere``).

    Threading: publish and subscribe on the GUI thread only.
    """

    changed = Signal(object)  # Changes
    _wake = Signal()

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self._pending = Changes()
        self._lock = threading.Lock()
        self._wake.connect(self._flush)  # queued when emitted from another thread
        me = weakref.ref(self)

        def committed(changes: Changes) -> None:
            notifier = me()
            if notifier is not None and shiboken6.isValid(notifier):
                notifier._committed(changes)

        self._listener = committed
        db.changes.listen(committed)
        self.destroyed.connect(lambda *_: db.changes.unlisten(committed))

    def stop(self) -> None:
        """Hear no more of the database (the window is closing)."""
        self.db.changes.unlisten(self._listener)

    def _committed(self, changes: Changes) -> None:
        if QThread.currentThread() is self.thread():
            self.publish(changes)
            return
        with self._lock:
            first = not self._pending
            self._pending = self._pending | changes
        if first:
            self._wake.emit()

    @Slot()
    def _flush(self) -> None:
        with self._lock:
            changes, self._pending = self._pending, Changes()
        self.publish(changes)

    def publish(self, changes: Changes) -> None:
        """Tell every subscriber (nothing happens for empty changes)."""
        if changes:
            self.changed.emit(changes)

    def subscribe(self, kinds: Iterable[str], fn: Callable[[Changes], None],
                  receiver: QObject | None = None) -> None:
        """Call ``fn(changes)`` whenever a change touches one of ``kinds``. With ``receiver``,
        the subscription ends when that object is destroyed."""
        wanted = frozenset(kinds)

        def deliver(changes: Changes) -> None:
            if changes.touches(wanted):
                fn(changes)

        if receiver is None:
            self.changed.connect(deliver)
        else:
            _Relay(self, receiver, deliver)


class _Relay(QObject):
    """A subscription owned by ``receiver`` (a child of it): gone when the receiver is."""

    def __init__(self, notifier: Notifier, receiver: QObject,
                 deliver: Callable[[Changes], None]):
        super().__init__(receiver)
        self._deliver = deliver
        notifier.changed.connect(self._on_changed)

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        self._deliver(changes)
