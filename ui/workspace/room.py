"""The reader keeps at least half the window in each direction: side panels and docks give way
when the window shrinks or a view opens; one key maximizes the view in front and brings the
reader back."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QWidget,
)

if TYPE_CHECKING:
    from ui.shell.window import MainWindow

SHARE = 0.5  # of the window's width and height, at least, for the reader
DOCK_SHARE = 0.42  # of the window's height a view gets when it opens (if the reader allows)
DOCUMENTS_MIN, CASE_FILE_MIN = 170, 290  # the side panels never shrink below these (px)
MAXIMIZE_KEY = "Ctrl+Shift+M"
Area = Qt.DockWidgetArea


def default_sizes(total: int) -> list[int]:
    """Documents, reader, case file for a window ``total`` pixels wide: the reader first."""
    docs = max(DOCUMENTS_MIN, min(300, round(total * 0.19)))
    case = max(CASE_FILE_MIN, min(620, round(total * 0.30)))
    return [docs, max(0, total - docs - case), case]


class ReaderRoom(QObject):
    """``window.room``: keeps the reader's share after every resize and every dock shown, moved
    or hidden (not after the analyst drags a handle: that is a choice), and maximizes a dock."""

    def __init__(self, w: MainWindow):
        super().__init__(w)
        self.w = w
        self.maximized: QDockWidget | None = None
        self._saved: QByteArray | None = None
        self._pending = False
        self._front: QDockWidget | None = None  # the view shown last
        # whether the splitter has sizes of the analyst's (restored) or ours already
        self.sized = w.settings.value("splitter") is not None
        w.installEventFilter(self)
        self.action = QAction("&Maximize view / bring the reader back", w)
        self.action.setShortcut(QKeySequence(MAXIMIZE_KEY))
        self.action.setStatusTip("Give the timeline, graph or hypotheses the whole window; "
                                 "press again to bring the reader back")
        self.action.triggered.connect(lambda _c=False: self.toggle_maximized())
        w.addAction(self.action)
        for dock in self.docks():
            self.watch(dock)
        # Going to a passage, a claim or a case-file tab needs the reader and the case file.
        w.reader.document_shown.connect(self.restore)
        w.reader.view.passage_shown.connect(lambda _a, _b: self.restore())
        w.case_panel.viewRequested.connect(self.restore)
        for a in self._reader_actions():
            a.triggered.connect(self._for_the_reader)

    def _reader_actions(self) -> list[QAction]:
        """Actions that show something in the reader or beside it (find, page view, the
        documents list): they bring the reader back when a view fills the window."""
        w = self.w
        page = [a for a in w.actions() if a.shortcut() == QKeySequence("Ctrl+Shift+P")]
        docs = getattr(w, "view_actions", {}).get("documents")
        return [w.actions_.find, *page, *([docs] if docs is not None else [])]

    def _for_the_reader(self) -> None:
        if self.maximized is None:
            return
        self.restore()
        bar = self.w.reader.find_bar
        if bar.isVisible():  # it asked for the focus while hidden
            bar.edit.setFocus()

    # -- docks ------------------------------------------------------------------------------
    def docks(self) -> list[QDockWidget]:
        return self.w.findChildren(QDockWidget)

    def watch(self, dock: QDockWidget) -> None:
        dock.setTitleBarWidget(DockTitle(dock, self))
        dock.visibilityChanged.connect(lambda visible, d=dock: self._dock_changed(d, visible))
        dock.dockLocationChanged.connect(lambda _a: self.schedule())
        dock.topLevelChanged.connect(lambda _f: self.schedule())

    def _dock_changed(self, dock: QDockWidget, visible: bool) -> None:
        if visible and not dock.visibleRegion().isEmpty():
            self._front = dock
        self.schedule()

    def front_dock(self) -> QDockWidget | None:
        """The docked view the analyst is in (focus), else the one shown last, else any."""
        focus = QApplication.focusWidget()
        shown = [d for d in self.docks() if d.isVisible() and not d.isFloating()
                 and not d.visibleRegion().isEmpty()]
        for d in shown:
            if focus is not None and d.isAncestorOf(focus):
                return d
        if self._front in shown:
            return self._front
        return shown[0] if shown else None

    def reveal(self, dock: QDockWidget) -> None:
        """Show a dock in front of its tab group, with room to read it (the reader keeps its
        share); un-maximizes another dock first."""
        if self.maximized is not None and self.maximized is not dock:
            self.restore()
        dock.show()
        dock.raise_()
        QTimer.singleShot(0, dock.raise_)  # a tab made by show() exists after the event loop
        self._front = dock
        if dock.isFloating() or self.maximized is dock:
            return
        area = self.w.dockWidgetArea(dock)
        vertical = area in (Area.BottomDockWidgetArea, Area.TopDockWidgetArea)
        if vertical:
            free = self.w.centralWidget().height() + dock.height() - self._need(self.w.height())
            want = min(int(self.w.height() * DOCK_SHARE), free)
            if want > 0 and abs(dock.height() - want) > 8:
                self.w.resizeDocks([dock], [want], Qt.Orientation.Vertical)
        self.schedule()

    # -- keeping the share ------------------------------------------------------------------
    @staticmethod
    def _need(total: int) -> int:
        return math.ceil(total * SHARE)

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.w and e.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.schedule()
        return False

    def schedule(self) -> None:
        """Fit after Qt has laid the window out (once, however many reasons there were)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        self._pending = False
        if self.maximized is not None or not self.w.isVisible():
            return
        self._fit_width()
        self._fit_height()

    def _fit_width(self) -> None:
        w, split = self.w, self.w.splitter
        sizes = split.sizes()
        total = sum(sizes)
        if not self.sized and total > 0:  # first layout without sizes of the analyst's
            self.sized = True
            if sizes[0] > 0:
                split.setSizes(default_sizes(total))
                sizes = split.sizes()
        deficit = self._need(w.width()) - w.centre.width()
        if deficit <= 0:
            return
        mins = (DOCUMENTS_MIN if sizes[0] > 0 else 0, 0, CASE_FILE_MIN)
        slack = [max(0, s - m) for s, m in zip(sizes, mins, strict=True)]
        spare = slack[0] + slack[2]
        if spare > 0:
            take = [min(slack[i], math.ceil(deficit * slack[i] / spare)) for i in (0, 2)]
            split.setSizes([sizes[0] - take[0], sizes[1] + sum(take), sizes[2] - take[1]])
            deficit -= sum(take)
        if deficit > 0:  # views docked at the sides give way too
            side = [d for d in self._front_docks()
                    if w.dockWidgetArea(d) in (Area.LeftDockWidgetArea, Area.RightDockWidgetArea)]
            if side:
                w.resizeDocks(side, [max(0, d.width() - math.ceil(deficit / len(side)))
                                     for d in side], Qt.Orientation.Horizontal)

    def _fit_height(self) -> None:
        w = self.w
        deficit = self._need(w.height()) - w.centre.height()
        if deficit <= 0:
            return
        rows = [d for d in self._front_docks()
                if w.dockWidgetArea(d) in (Area.BottomDockWidgetArea, Area.TopDockWidgetArea)]
        if rows:
            tall = sum(d.height() for d in rows) or 1
            w.resizeDocks(rows, [max(0, d.height() - math.ceil(deficit * d.height() / tall))
                                 for d in rows], Qt.Orientation.Vertical)

    def _front_docks(self) -> list[QDockWidget]:
        """Docked views in front of their tab group (one per group)."""
        return [d for d in self.docks() if d.isVisible() and not d.isFloating()
                and not d.visibleRegion().isEmpty()]

    # -- maximize ---------------------------------------------------------------------------
    def toggle_maximized(self) -> QDockWidget | None:
        if self.maximized is not None:
            self.restore()
            return None
        return self.maximize()

    def maximize(self, dock: QDockWidget | None = None) -> QDockWidget | None:
        """Give ``dock`` (the view in front) the whole window; the same key brings it back."""
        dock = dock or self.front_dock()
        if dock is None:
            self.w.statusBar().showMessage("Open the timeline, the graph or the hypotheses "
                                           "first (Analysis menu)", 4000)
            return None
        self._saved = self.w.saveState()
        for d in self._front_docks():
            if d is not dock:
                d.hide()
        self.w.centralWidget().hide()
        self.maximized = dock
        dock.raise_()
        self._titles()
        key = QKeySequence(MAXIMIZE_KEY).toString(QKeySequence.SequenceFormat.NativeText)
        self.w.statusBar().showMessage(f"{dock.windowTitle()} fills the window: {key} brings "
                                       "the reader back", 6000)
        return dock

    def restore(self) -> None:
        """Bring the reader and the case file back (no-op when nothing is maximized)."""
        if self.maximized is None:
            return
        self.maximized = None
        if "fills the window" in self.w.statusBar().currentMessage():
            self.w.statusBar().clearMessage()  # no longer true
        self.w.centralWidget().show()
        if self._saved is not None:
            self.w.restoreState(self._saved)
        self._saved = None
        self._titles()
        self.schedule()

    def _titles(self) -> None:
        for d in self.docks():
            title = d.titleBarWidget()
            if isinstance(title, DockTitle):
                title.show_state(d is self.maximized)


class DockTitle(QWidget):
    """A view's title bar: its name, then fill the window / bring the reader back (the same
    as Ctrl+Shift+M), float and close."""

    def __init__(self, dock: QDockWidget, room: ReaderRoom):
        super().__init__(dock)
        self.setObjectName("dockTitle")
        style = dock.style()
        sp = QStyle.StandardPixmap
        self.label = QLabel(dock.windowTitle(), self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.fill = QToolButton(self)
        self.fill.setAutoRaise(True)
        self.fill.clicked.connect(lambda: room.restore() if room.maximized is dock
                                  else room.maximize(dock))
        floating = QToolButton(self)
        floating.setAutoRaise(True)
        floating.setIcon(style.standardIcon(sp.SP_TitleBarNormalButton))
        floating.setToolTip("Float in a window of its own (double-click the title docks it)")
        floating.clicked.connect(lambda: dock.setFloating(not dock.isFloating()))
        close = QToolButton(self)
        close.setAutoRaise(True)
        close.setIcon(style.standardIcon(sp.SP_TitleBarCloseButton))
        close.setToolTip("Close")
        close.clicked.connect(dock.close)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 2, 0)
        lay.setSpacing(2)
        lay.addWidget(self.label, 1)
        for b in (self.fill, floating, close):
            lay.addWidget(b)
        self.show_state(False)

    def show_state(self, maximized: bool) -> None:
        key = QKeySequence(MAXIMIZE_KEY).toString(QKeySequence.SequenceFormat.NativeText)
        self.fill.setText("Back to the reader" if maximized else "Fill the window")
        self.fill.setToolTip(("Bring the reader and the case file back" if maximized else
                              "Give this view the whole window") + f" ({key})")

    def mouseDoubleClickEvent(self, e) -> None:
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.setFloating(not dock.isFloating())


def install(w: MainWindow) -> ReaderRoom:
    return ReaderRoom(w)
