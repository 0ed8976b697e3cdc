"""Puts the team case into the main window: File › Share case…, File › Join a shared case…,
Sync now, the sync indicator in the status bar, the Sync conflicts panel (View menu), and live
refresh: a teammate's change, written by the sync engine, reaches the views through the
notifier like any other write (labelled "sync", so it does not ask for a push in turn), without
moving the selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casefile.errors import CasefileError
from casefile.sync import engine
from ui.base import plain
from ui.base.tasks import Task, run_task
from ui.team.activity import ActivityModel
from ui.team.conflicts import ConflictsModel, ConflictsPanel
from ui.team.runner import SYNC, SyncRunner

# what the views show that a local edit changes (casefile.db.changes kinds)
KINDS = frozenset({"cases", "documents", "highlights", "tags", "entities", "claims",
                   "claim_links", "resolutions", "hypotheses", "ratings", "ach_passages"})

if TYPE_CHECKING:
    from ui.base.shell import Shell

class Team(QObject):
    """``window.team``: the actions, indicator, panel and background sync of the team case."""

    def __init__(self, w: Shell):
        super().__init__(w)
        self.w = w
        ctl = w.controller
        self._activity_task: Task | None = None
        self.runner = SyncRunner(w.db, w.pool, self)
        self.conflicts = ConflictsModel(lambda: engine.list_conflicts(w.db, case_id=ctl.case_id)
                                        if ctl.case_id else [], self)
        self.panel = ConflictsPanel(self.conflicts)
        self.activity = ActivityModel(parent=self)
        self.activity_view = QTableView()
        self.activity_view.setModel(self.activity)
        self.activity_view.setObjectName("teamActivity")
        self.activity_view.verticalHeader().hide()
        self.activity_view.horizontalHeader().setStretchLastSection(True)
        self.activity_note = plain.label("")
        self.activity_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.activity_note)
        layout.addWidget(self.activity_view, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.panel, "Sync conflicts")
        self.tabs.addTab(page, "Team activity")
        self.tabs.currentChanged.connect(lambda i: i == 1 and self.load_activity())
        self.dock = QDockWidget("Team", w)
        self.dock.setObjectName("syncConflictsDock")
        self.dock.setWidget(self.tabs)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        w.addDockWidget(bottom, self.dock)
        # a tab beside the views under the reader, not a column beside them: the timeline's
        # bar alone takes most of a 1024 px window
        views = [d for d in w.findChildren(QDockWidget)
                 if d is not self.dock and w.dockWidgetArea(d) == bottom]
        if views:
            w.tabifyDockWidget(views[0], self.dock)
        self.dock.hide()
        self.indicator = QToolButton()
        self.indicator.setAutoRaise(True)
        self.indicator.setObjectName("syncIndicator")
        self.indicator.clicked.connect(self.show_conflicts)
        self.indicator.hide()
        w.statusBar().addPermanentWidget(self.indicator)
        self._actions()
        self.runner.state.connect(self._state)
        self.runner.synced.connect(self._synced)
        self.runner.failed.connect(lambda msg: w.statusBar().showMessage(msg, 8000))
        self.panel.resolve.connect(self._resolve)
        ctl.notifier.subscribe(KINDS, self._changed, receiver=self)
        ctl.case_changed.connect(self._follow)
        self._follow(ctl.case_id)

    # -- wiring -----------------------------------------------------------------------------
    def _actions(self) -> None:
        w = self.w
        self.share_action = QAction("&Share case…", w)
        self.share_action.setStatusTip("Put this case on your team's server and sync it")
        self.share_action.triggered.connect(self.share)
        self.join_action = QAction("&Join a shared case…", w)
        self.join_action.setStatusTip("Bring a case a teammate shared into this database")
        self.join_action.triggered.connect(self.join)
        self.sync_action = QAction("S&ync now", w)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.sync_action.setStatusTip("Send this case's changes and bring in the team's")
        self.sync_action.triggered.connect(self.runner.request)
        menu = w.actions_.file_menu
        before = w.actions_.sample
        for act in (self.share_action, self.join_action, self.sync_action):
            menu.insertAction(before, act)
            w.addAction(act)
        menu.insertSeparator(before)
        self.conflicts_action = self.dock.toggleViewAction()
        self.conflicts_action.setText("S&ync conflicts and team activity")
        # in front of the views it shares the bottom with, not shown behind them
        self.conflicts_action.triggered.connect(lambda on: on and self.show_conflicts())
        view = next((a.menu() for a in w.menuBar().actions()
                     if a.text().replace("&", "") == "View" and isinstance(a.menu(), QMenu)),
                    None)
        (view or menu).addAction(self.conflicts_action)

    def _follow(self, case_id: str) -> None:
        self.runner.follow(case_id)
        shared = bool(self.runner.case_id)
        self.share_action.setEnabled(bool(case_id) and not shared)
        self.sync_action.setEnabled(shared)
        self.indicator.setVisible(shared)
        self.panel.set_shared(shared)
        self.conflicts.refresh()

    def _changed(self, ch) -> None:
        if ch.source != SYNC:  # a local edit: send it soon
            self.runner.edited()

    def _state(self, text: str, detail: str) -> None:
        self.indicator.setVisible(bool(text))
        self.indicator.setText(text)
        self.indicator.setToolTip(plain.tooltip(detail))

    def _synced(self, result: engine.SyncResult) -> None:
        if result.written.count():
            self.w.statusBar().showMessage(
                f"Received {result.written.count()} change(s) from the team", 4000)
        self.conflicts.refresh()
        if result.conflicts and not self.dock.isVisible():
            self.show_conflicts()
        if self.dock.isVisible() and self.tabs.currentIndex() == 1:
            self.load_activity()

    def load_activity(self) -> None:
        """Fetch the audit log in the background (owners may read it; others are told)."""
        case_id = self.runner.case_id
        if not case_id:
            self.activity_note.setText("This case is not shared.")
            self.activity.set_rows([])
            return
        db = self.w.db
        task = Task(lambda _p: engine.client_for(db).log(case_id)[:500])
        task.signals.finished.connect(self._activity)
        task.signals.failed.connect(self._activity_failed)
        self._activity_task = task
        self.w.pool.start(task)

    def _activity(self, rows: list) -> None:
        self.activity_note.setText("Who changed what in this case, newest first (times in "
                                   "UTC). Point at the fields to see old and new values.")
        self.activity.set_rows(rows)
        self.activity_view.resizeColumnsToContents()

    def _activity_failed(self, message: str) -> None:
        self.activity.set_rows([])
        self.activity_note.setText(
            "Only the case's owners can read its activity log." if "owner" in message
            else message)

    def show_conflicts(self) -> None:
        self.conflicts.refresh()
        self.tabs.setCurrentIndex(0)
        first = self.dock.isHidden()
        self.dock.show()
        self.dock.raise_()
        QTimer.singleShot(0, self.dock.raise_)  # a tab made by show() exists after the loop
        if first:  # a strip under the reader, not half the window
            self.w.resizeDocks([self.dock], [max(160, self.w.height() // 4)],
                               Qt.Orientation.Vertical)

    def _resolve(self, conflict_id: str, keep: str, value) -> None:
        try:
            with self.w.db.changes.labelled(SYNC):
                engine.resolve(self.w.db, conflict_id=conflict_id, keep=keep, value=value)
        except CasefileError as exc:
            plain.warning(self.w, "Sync conflict", str(exc))
            return
        self.conflicts.refresh()
        self._activity_task: Task | None = None
        self.runner.request()

    # -- share and join ---------------------------------------------------------------------
    def _with_remote(self, then) -> None:
        """Run ``then()`` once a server is set (asking for its address and token first)."""
        if engine.remote_url(self.w.db):
            then()
            return
        dialog = RemoteDialog(self.w)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        url, token = dialog.values()
        db = self.w.db
        run_task(self.w, "Checking the team server…",
                 lambda _p: engine.set_remote(db, url=url, token=token), lambda _user: then())

    def share(self) -> None:
        case_id = self.w.controller.case_id
        if not case_id:
            return
        db = self.w.db

        def go() -> None:
            run_task(self.w, "Sharing the case…",
                     lambda _p: engine.share(db, case_id=case_id), lambda _r: self._shared())

        self._with_remote(go)

    def _shared(self) -> None:
        self._follow(self.w.controller.case_id)
        self.w.statusBar().showMessage("The case is shared: teammates can join it with its id "
                                       f"{self.w.controller.case_id}", 10000)

    def join(self) -> None:
        def ask() -> None:
            case_id, ok = QInputDialog.getText(self.w, "Join a shared case",
                                               "The case id a teammate gave you:")
            case_id = case_id.strip()
            if not ok or not case_id:
                return
            db = self.w.db
            run_task(self.w, "Joining the case…", lambda _p: engine.join(db, case_id=case_id),
                     lambda _r: self._joined(case_id))

        self._with_remote(ask)

    def _joined(self, case_id: str) -> None:
        self.w.controller.set_case(case_id)
        self._follow(case_id)


class RemoteDialog(QDialog):
    """The team server's address and the analyst's token (typed once, kept in the database)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Team server")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://casefile.example.org")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("the token your admin gave you")
        form = QFormLayout(self)
        form.addRow(plain.label("Your team's Casefile server, and your token for it:"))
        form.addRow("Server", self.url)
        form.addRow("Token", self.token)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return self.url.text().strip(), self.token.text().strip()


def install(w: Shell) -> Team:
    return Team(w)
