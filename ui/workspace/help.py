"""Help: the keyboard shortcuts (read from the window's own actions, so the sheet is never out
of date) and what the highlight colours in the reader mean."""

from __future__ import annotations

from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.base import plain
from ui.workspace.highlighter import CLAIM_COLOR, DEFAULT_COLOR, EMPHASIS_INK, blend

# Keys that are not actions of a menu: the reader's letters are, the views' own keys are not.
VIEW_KEYS = (
    ("Timeline / graph", "Wheel, + / −", "Zoom (around the mouse)"),
    ("Timeline / graph", "Drag", "Pan"),
    ("Timeline / graph", "0 or Fit", "Show everything"),
    ("Timeline", "Shift+wheel", "Scroll the lanes"),
    ("Reader", "Shift+arrows", "Extend the selection a character at a time"),
    ("Reader", "Double-click", "Select a word"),
    ("Find bar", "Enter / Shift+Enter", "Next / previous hit"),
    ("Lists", "Right-click a header", "Choose the columns"),
)


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """(menu, keys, what) for every menu action with a shortcut, menu by menu."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        stack: list[QAction] = list(menu.actions())
        while stack:
            a = stack.pop(0)
            if a.menu() is not None:
                stack = list(a.menu().actions()) + stack
                continue
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                             for k in a.shortcuts())
            if keys and id(a) not in seen:
                seen.add(id(a))
                rows.append((menu_action.text().replace("&", ""),
                             keys, a.text().replace("&", "").rstrip("…")))
    return rows + list(VIEW_KEYS)


def _swatch(color: QColor, underline: str = "") -> QFrame:
    f = QFrame()
    f.setFixedSize(44, 18)
    border = f"border-bottom: 2px solid {underline};" if underline else "border:1px solid #bbb;"
    f.setStyleSheet(f"background:{color.name()}; {border}")
    return f


def colour_legend(tag_colors: list[tuple[str, str]]) -> QWidget:
    """Swatches with what each means, then the case's own tag colours."""
    box = QWidget()
    grid = QGridLayout(box)
    rows = [
        (_swatch(QColor(DEFAULT_COLOR)), "A highlight with neither tag nor claim"),
        (_swatch(QColor(CLAIM_COLOR)), "A passage that is evidence for a claim"),
        (_swatch(blend((DEFAULT_COLOR, CLAIM_COLOR)), "#37474f"),
         "Overlapping highlights: colours mixed and darker, underlined"),
        (_swatch(QColor(CLAIM_COLOR).darker(125), EMPHASIS_INK),
         "The passages of the claim selected in the case file"),
        (_swatch(QColor("#ffab40")), "A hit of Find (Ctrl+F)"),
        (_swatch(QColor("#ff7043")), "Flash: the passage you just jumped to"),
    ]
    rows += [(_swatch(QColor(c)), f"Tag “{path}”") for path, c in tag_colors]
    for i, (sw, text) in enumerate(rows):
        grid.addWidget(sw, i, 0)
        grid.addWidget(plain.label(text), i, 1)
    grid.setColumnStretch(1, 1)
    grid.setRowStretch(len(rows), 1)
    return box


class HelpDialog(QDialog):
    """Two tabs: keyboard shortcuts and highlight colours."""

    def __init__(self, window, tag_colors: list[tuple[str, str]]):
        super().__init__(window)
        self.setWindowTitle("Casefile — keys and colours")
        self.resize(640, 560)
        self.tabs = QTabWidget(self)
        rows = shortcut_rows(window)
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["Where", "Keys", "What it does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.shortcuts = table
        intro = QLabel("Select text in the reader, then H highlight, C claim, T tag, N note, "
                       "E add as evidence to the selected claim. F6 moves between the "
                       "documents, the reader and the case file.")
        intro.setWordWrap(True)
        keys = QWidget()
        kl = QVBoxLayout(keys)
        kl.addWidget(intro)
        kl.addWidget(table, 1)
        self.tabs.addTab(keys, "Keyboard")
        self.tabs.addTab(colour_legend(tag_colors), "Highlight colours")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(buttons)
