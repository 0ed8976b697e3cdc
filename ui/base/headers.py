"""Table headers the analyst can shape: columns shown, hidden and kept between sessions, and
header texts that fit their columns."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView


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
