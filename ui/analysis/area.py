"""Wires the analysis panels into the main window, built when first shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QStyle, QWidget

from casefile.errors import CasefileError
from ui.analysis.graph import GraphView
from ui.analysis.lazy import LazyPanel
from ui.analysis.panels import CandidatesPanel, ConflictsPanel, MentionsDialog, SearchPanel
from ui.analysis.timeline import TimelineView
from ui.base import plain

if TYPE_CHECKING:
    from ui.base.shell import Shell

# what the timeline and the graph draw (record kinds of casefile.db.changes)
DRAWN = frozenset({"claims", "entities", "highlights", "documents", "resolutions",
                   "claim_links"})
DOCK_MIN_HEIGHT = 150  # room for a few lanes and the year axis; the reader keeps half


class AnalysisArea(QObject):
    """Conflicts, duplicate candidates and search as case-file tabs; the timeline and the
    relationship graph as docks. Every panel jumps to passages
    through the window's public API, and merges/resolutions share the window's undo stack."""

    def __init__(self, w: Shell):
        super().__init__(w)
        self.w = w
        ctl = w.controller
        self.stack = ctl.undo_stack
        case = lambda: ctl.case_id  # noqa: E731

        def panel(cls) -> Callable[[str], QWidget]:
            def build(case_id: str) -> QWidget:
                p = cls(w.db, case_id, ctl, follow=False, load=False)
                self._connect(p)
                return p
            return build

        def view(cls) -> Callable[[str], QWidget]:
            def build(case_id: str) -> QWidget:
                p = cls(w.db, case_id, load=False)
                self._connect(p)
                return p
            return build

        self.conflicts = LazyPanel(panel(ConflictsPanel), case, ConflictsPanel.shows)
        self.candidates = LazyPanel(panel(CandidatesPanel), case, CandidatesPanel.shows)
        self.search = LazyPanel(panel(SearchPanel), case, SearchPanel.shows)
        w.case_panel.addTab(self.conflicts, "Conflicts")
        w.case_panel.addTab(self.candidates, "Duplicates")
        w.case_panel.addTab(self.search, "Search")
        self.timeline = LazyPanel(view(TimelineView), case, DRAWN)
        self.graph = LazyPanel(view(GraphView), case, DRAWN)
        self.timeline_dock = self._dock("Timeline", "timelineDock", self.timeline)
        self.graph_dock = self._dock("Relationship graph", "graphDock", self.graph)
        w.tabifyDockWidget(self.timeline_dock, self.graph_dock)
        self.lazy = (self.conflicts, self.candidates, self.search, self.timeline, self.graph)

        ctl.notifier.changed.connect(self._data_changed)
        ctl.case_changed.connect(self._case_changed)
        self._actions()
        from ui.analysis import ach  # the competing hypotheses dock

        self.ach = ach.install(self)

    def _connect(self, p: QWidget) -> None:
        p.passageRequested.connect(self.w.open_passage)
        p.claimRequested.connect(self.w.select_claim)
        if hasattr(p, "weighRequested"):  # conflicts → "weigh as hypotheses"
            p.weighRequested.connect(lambda ids: self.ach.weigh(ids))

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.w)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        widget.setMinimumHeight(DOCK_MIN_HEIGHT)
        self.w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        return dock

    def _dock_action(self, dock: QDockWidget, text: str, shortcut: str) -> QAction:
        """Show/raise the dock, or hide it when it is already in front (a tabbed dock behind
        another is brought forward, never hidden)."""
        a = QAction(text, self.w, checkable=True)
        a.setShortcut(QKeySequence(shortcut))
        a.setStatusTip(f"Show or hide the {text.replace('&', '').lower()}")

        def toggle(_checked: bool) -> None:
            if dock.isVisible() and not dock.visibleRegion().isEmpty():
                dock.hide()
            else:
                self.reveal(dock)
            a.setChecked(dock.isVisible())
        a.triggered.connect(toggle)
        dock.visibilityChanged.connect(lambda _v: a.setChecked(dock.isVisible()))
        self.w.addAction(a)
        return a

    def reveal(self, dock: QDockWidget) -> None:
        """Bring a dock to the front of its tab group and give it room to be read (the
        window's room decides how much: the reader keeps half the window)."""
        self.w.reveal_dock(dock)

    def _case_changed(self, _case_id: str) -> None:
        if self.search.panel is not None:  # the lazy panels reload: set_case says all changed
            self.search.panel.reset()

    def _data_changed(self, changes) -> None:
        for lazy in self.lazy:
            if changes.touches(lazy.shows):
                lazy.invalidate()

    # -- menus ----------------------------------------------------------------------------
    def _actions(self) -> None:
        w = self.w
        style = w.style()
        sp = QStyle.StandardPixmap

        def act(text: str, slot, shortcut: str | None = None, icon=None) -> QAction:
            a = QAction(text, w)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                a.setIcon(style.standardIcon(icon))
            a.setStatusTip(text.replace("&", "").rstrip("…"))
            a.triggered.connect(lambda _c=False: slot())
            w.addAction(a)
            return a

        self.timeline_action = self._dock_action(self.timeline_dock, "&Timeline", "Ctrl+Shift+L")
        self.graph_action = self._dock_action(self.graph_dock, "Relationship &graph",
                                              "Ctrl+Shift+G")
        self.search_action = act("&Search the case…", self.show_search, "Ctrl+Shift+F",
                                 sp.SP_FileDialogContentsView)
        self.conflicts_action = act("&Conflicts", lambda: self._show_tab(self.conflicts),
                                    "Ctrl+Shift+K")
        self.candidates_action = act("Likely &duplicates",
                                     lambda: self._show_tab(self.candidates))
        self.mentions_action = act("Find &mentions of entity…", self.find_mentions, "Ctrl+M")

        menu = self.analysis_menu = w.actions_.analysis_menu
        for a in (self.search_action, self.conflicts_action, self.candidates_action,
                  self.mentions_action, None, self.timeline_action, self.graph_action):
            menu.addSeparator() if a is None else menu.addAction(a)

    def _show_tab(self, lazy: LazyPanel) -> QWidget | None:
        self.w.case_panel.setCurrentWidget(lazy)
        return lazy.ensure()

    def show_search(self) -> None:
        panel = self._show_tab(self.search)
        if panel is not None:
            panel.box.setFocus() if hasattr(panel, "box") else panel.setFocus()

    def find_mentions(self, entity_id: str | None = None) -> None:
        """Every occurrence of an entity's names (the one selected in Entities by default),
        to accept as highlights."""
        w = self.w
        entity_id = entity_id or w.selected_entity()
        if not entity_id:
            return
        try:
            dialog = MentionsDialog(w.db, entity_id, w)
        except CasefileError as exc:
            plain.warning(w, "Find mentions", str(exc))
            return
        dialog.passageRequested.connect(w.open_passage)
        if dialog.exec():
            n = len(dialog.created)
            w.statusBar().showMessage(f"Added {n} highlight(s) from mentions", 4000)
