"""The View menu and the keyboard path through the window: show or hide the documents list,
F6 / Shift+F6 from documents to reader to case file, column choices for the claims table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView, QWidget

if TYPE_CHECKING:
    from ui.shell.window import MainWindow


def focus_areas(w: MainWindow) -> list[QWidget]:
    """The window's areas in F6 order (hidden ones left out)."""
    areas: list[QWidget] = []
    if w.documents_panel.isVisible() and w.splitter.sizes()[0] > 0:
        areas.append(w.documents_panel.view)
    if w.reader.isVisible():
        areas.append(w.reader.view)
    page = w.case_panel.currentWidget()
    if page is not None:
        target = page.focusProxy() or _first_view(page) or page
        areas.append(target)
    return areas


def _first_view(page: QWidget) -> QWidget | None:
    from PySide6.QtWidgets import QAbstractItemView

    views = [v for v in page.findChildren(QAbstractItemView) if v.isVisible()]
    return views[0] if views else None


def cycle_focus(w: MainWindow, step: int = 1) -> QWidget | None:
    """Move the keyboard focus to the next (or previous) area of the window."""
    areas = focus_areas(w)
    if not areas:
        return None
    here = w.focusWidget()
    current = next((i for i, a in enumerate(areas)
                    if here is not None and (here is a or a.isAncestorOf(here))), -1)
    target = areas[(current + step) % len(areas)]
    target.setFocus(Qt.FocusReason.TabFocusReason)
    return target


def set_documents_visible(w: MainWindow, visible: bool) -> None:
    sizes = w.splitter.sizes()
    if visible and sizes[0] == 0:
        want = w.settings.value("documentsWidth", 260, int) or 260
        w.splitter.setSizes([want, max(200, sizes[1] - want), sizes[2]])
    elif not visible and sizes[0] > 0:
        w.settings.setValue("documentsWidth", sizes[0])
        w.splitter.setSizes([0, sizes[1] + sizes[0], sizes[2]])


def install(w: MainWindow) -> QMenu:
    """Build the View menu (before Help) and the F6 keys."""
    menu = QMenu("&View", w)
    w.menuBar().insertMenu(w.actions_.help_menu.menuAction(), menu)
    docs = QAction("&Documents list", w, checkable=True, checked=True)
    docs.setShortcut(QKeySequence("Ctrl+Shift+D"))
    docs.setStatusTip("Show or hide the list of documents (drag its edge to resize)")
    docs.toggled.connect(lambda on: set_documents_visible(w, on))
    w.splitter.setCollapsible(0, True)
    w.splitter.splitterMoved.connect(
        lambda *_a: docs.setChecked(w.splitter.sizes()[0] > 0))
    nxt = QAction("Next area", w)
    nxt.setShortcut(QKeySequence("F6"))
    nxt.setStatusTip("Move the keyboard focus: documents → reader → case file")
    nxt.triggered.connect(lambda: cycle_focus(w, 1))
    prev = QAction("Previous area", w)
    prev.setShortcut(QKeySequence("Shift+F6"))
    prev.triggered.connect(lambda: cycle_focus(w, -1))
    for a in (docs, None, nxt, prev, None, w.analysis.timeline_action,
              w.analysis.graph_action):
        if a is None:
            menu.addSeparator()
        else:
            menu.addAction(a)
            w.addAction(a)
    pages = next((a for a in w.actions() if a.shortcut().toString() == "Ctrl+Shift+P"), None)
    if pages is not None:
        pages.setText("&Page view / text view")
        menu.insertAction(nxt, pages)
    w.view_actions = {"documents": docs, "next_area": nxt, "previous_area": prev}
    w.view_menu = menu
    return menu


def column_chooser(view: QTableView, settings, key: str,
                   hidden_by_default: tuple[int, ...] = ()) -> None:
    """Right-click on a table's header to show or hide columns; the choice (and widths and
    order) are kept in ``settings`` under ``key``."""
    head = view.horizontalHeader()
    state = settings.value(key)
    if state is not None:
        head.restoreState(state)
    else:
        for c in hidden_by_default:
            view.setColumnHidden(c, True)
    head.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def menu(pos: QPoint) -> None:
        m = QMenu(view)
        model = view.model()
        for c in range(model.columnCount()):
            name = str(model.headerData(c, Qt.Orientation.Horizontal))
            tip = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            a = m.addAction(name)
            a.setCheckable(True)
            a.setChecked(not view.isColumnHidden(c))
            a.setStatusTip(str(tip or name))
            a.toggled.connect(lambda on, c=c: view.setColumnHidden(c, not on))
        m.exec(head.mapToGlobal(pos))
    head.customContextMenuRequested.connect(menu)
    head.sectionResized.connect(lambda *_a: settings.setValue(key, head.saveState()))
    head.sectionMoved.connect(lambda *_a: settings.setValue(key, head.saveState()))


def fit_header_texts(view: QTableView) -> None:
    """No header is ever clipped: each column at least as wide as its title (and sort arrow)."""
    head: QHeaderView = view.horizontalHeader()
    fm = head.fontMetrics()
    model = view.model()
    for c in range(model.columnCount()):
        title = str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        need = fm.horizontalAdvance(title) + 28
        if view.columnWidth(c) < need:
            view.setColumnWidth(c, need)
