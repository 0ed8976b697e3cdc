"""The View menu and the keyboard path through the window: show or hide the documents list,
F6 / Shift+F6 from documents to reader to case file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

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


def install(w: MainWindow) -> tuple[QMenu, dict[str, QAction]]:
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
    return menu, {"documents": docs, "next_area": nxt, "previous_area": prev}
