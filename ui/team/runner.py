"""Syncing in the background: one sync at a time on the thread pool, a live-channel thread that
asks for a sync when the server announces a new version, and a slow timer as a safety net.
The GUI thread only receives signals; it never waits on the network."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.sync import engine
from casefile.sync.client import ServerUnreachable
from ui.base.tasks import Task

SYNC = "sync"  # the label of what the sync engine writes (casefile.db.changes)

PERIOD_MS = 60_000  # a sync at least this often, live channel or not
SOON_MS = 1_500  # after a local edit, wait this long for more before sending


class SyncRunner(QObject):
    """Keeps the open case (when shared) in step with the server.

    Signals (GUI thread): ``state(text, detail)`` for the status bar, ``synced(result)`` after
    each sync, ``failed(message)`` when one failed for a reason other than the network.
    """

    state = Signal(str, str)
    synced = Signal(object)
    failed = Signal(str)
    announced = Signal(int)  # emitted from the live thread, delivered queued

    def __init__(self, db: Database, pool: QThreadPool, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.pool = pool
        self.case_id = ""
        self._task: Task | None = None
        self._again = False
        self._live: threading.Thread | None = None
        self._stop = threading.Event()
        self.timer = QTimer(self)
        self.timer.setInterval(PERIOD_MS)
        self.timer.timeout.connect(self.request)
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.setInterval(SOON_MS)
        self.soon.timeout.connect(self.request)
        self.announced.connect(self._announced)

    def _announced(self, _version: int) -> None:
        self.request()

    def follow(self, case_id: str) -> None:
        """Sync ``case_id`` from now on if it is shared (else go quiet)."""
        self.stop()
        self.case_id = case_id if case_id and engine.is_shared(self.db, case_id) else ""
        if not self.case_id:
            self.state.emit("", "")
            return
        self._stop = threading.Event()
        self._live = threading.Thread(target=self._listen, args=(self.case_id, self._stop),
                                      name="casefile-live", daemon=True)
        self._live.start()
        self.timer.start()
        self.request()

    def stop(self) -> None:
        self._stop.set()
        self.timer.stop()
        self.soon.stop()
        self.case_id = ""

    def edited(self) -> None:
        """A local edit: send it shortly (several quick edits go together)."""
        if self.case_id:
            self.soon.start()

    @property
    def busy(self) -> bool:
        return self._task is not None

    def request(self) -> None:
        """Sync now, or right after the sync under way."""
        if not self.case_id:
            return
        if self._task is not None:
            self._again = True
            return
        case_id, db = self.case_id, self.db
        self.state.emit("Syncing…", "Sending and receiving the team's changes")
        def run(_progress):
            with db.changes.labelled(SYNC):  # teammates' changes, not edits to send back
                return engine.sync(db, case_id=case_id)

        self._task = Task(run)
        self._task.signals.finished.connect(self._finished)
        self._task.signals.failed.connect(self._failed)
        self.pool.start(self._task)

    def _finished(self, result: engine.SyncResult) -> None:
        self._task = None
        if result.case_id == self.case_id:
            self._show(result)
            self.synced.emit(result)
        self._next()

    def _failed(self, message: str) -> None:
        self._task = None
        pending = engine.pending_changes(self.db, case_id=self.case_id) if self.case_id else 0
        if "cannot reach" in message:
            self.state.emit(f"Offline — {pending} change(s) to send" if pending else "Offline",
                            message)
        else:
            self.state.emit("Sync failed", message)
            self.failed.emit(message)
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.request()

    def _show(self, result: engine.SyncResult) -> None:
        if result.conflicts:
            self.state.emit(f"{result.conflicts} sync conflict(s)",
                            "Fields changed here and by a teammate: click to settle them")
        elif result.held:
            self.state.emit(f"{result.held} change(s) wait", "They wait for a conflict")
        else:
            self.state.emit("Synced", f"Version {result.version}, {time.strftime('%H:%M')}")

    def _listen(self, case_id: str, stop: threading.Event) -> None:
        """The live channel (a thread of its own): every announced version asks for a sync;
        a lost connection is retried with growing pauses."""
        pause = 2.0
        while not stop.is_set():
            try:
                client = engine.client_for(self.db)
                for version in client.events(case_id):
                    if stop.is_set():
                        return
                    pause = 2.0
                    self.announced.emit(version)
            except (ServerUnreachable, CasefileError, OSError):
                pass
            if stop.wait(pause):
                return
            pause = min(pause * 2, 60.0)
