"""The window's one error boundary: expected failures become a plain message box, unexpected
ones are logged with their traceback to the log file the message names; and when another
program holds the case's write lock, the user is asked to retry instead of the window waiting.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from casefile import failures
from casefile.db.database import Database
from casefile.errors import DatabaseBusy
from ui.base import plain

# The window's own thread waits at most this long at a time for another program's write lock;
# between such waits the event loop runs. After QUIET_WAIT_MS of that, the user is asked.
GUI_BUSY_MS = 100
QUIET_WAIT_MS = 3000
_SLICE_MS = 100

log = logging.getLogger(__name__)


def ask_retry(parent: QWidget | None, message: str) -> bool:
    """Ask whether to try a change again that another program's write held up. The box runs its
    own event loop, so the window keeps painting and timers keep running while it is open."""
    answer = plain.question(
        parent, "Casefile: the case is busy",
        f"{message}\n\nRetry saves it as soon as the other program lets go (it usually takes a "
        "moment). Cancel drops this change; nothing else is lost.",
        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Retry)
    return answer == QMessageBox.StandardButton.Retry


def wait_without_blocking(ms: int) -> None:
    """Let ``ms`` pass with the event loop running (painting, timers, other signals) but no
    keys or clicks: the analyst's next action waits for this change to be saved, so it can
    never start inside it (a write started meanwhile by a timer is refused by the database)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def guard_database(db: Database, parent: QWidget | None) -> None:
    """How the window waits for another program's write: never more than ``GUI_BUSY_MS`` at a
    time on its own thread, with the event loop running in between; a hold longer than
    ``QUIET_WAIT_MS`` (another program's long import, say) asks the user to retry or drop the
    change. The change is not lost meanwhile: it is applied as soon as the lock is free."""
    quiet_attempts = max(1, QUIET_WAIT_MS // (GUI_BUSY_MS + _SLICE_MS))

    def on_busy(message: str, attempt: int) -> bool:
        if attempt % quiet_attempts:
            wait_without_blocking(_SLICE_MS)
            return True
        return ask_retry(parent, message)

    db.main_thread_busy_ms = GUI_BUSY_MS
    db.on_busy = on_busy


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class ErrorBoundary:
    """Installed as ``sys.excepthook``: every exception that escapes a slot or event handler
    ends here (PySide reports them through the hook), so the user never sees a traceback."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent
        self.showing = False
        self.previous = sys.excepthook

    def install(self) -> ErrorBoundary:
        sys.excepthook = self.handle
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self.previous

    def handle(self, kind: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if exc.__traceback__ is None:
            exc.__traceback__ = tb
        if isinstance(exc, DatabaseBusy) and exc.asked:
            return  # the user was just asked and chose not to wait
        message = failures.user_message(exc)
        if message is None:
            logged = failures.log_unexpected(exc, where="the window")
            self.show(QMessageBox.Icon.Critical, "Casefile: something went wrong",
                      _sentence(failures.unexpected_message(exc, logged)) + ". What you "
                      "saved before is safe.")
        else:
            self.show(QMessageBox.Icon.Warning, "Casefile", _sentence(message))

    def show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        if self.showing:  # one box at a time; a storm of errors must not stack up boxes
            log.warning("%s", text)
            return
        self.showing = True
        try:
            plain.message_box(self.parent, icon, title, text).exec()
        finally:
            self.showing = False
