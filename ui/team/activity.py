"""The case's activity as the server's audit log tells it: who changed what, when (owners)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.base import plain
from ui.team.conflicts import KIND_NAMES, shown

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_OPS = {"create": "added", "update": "changed", "delete": "deleted", "share": "shared the case",
        "member": "changed members"}


class ActivityModel(QAbstractTableModel):
    """Rows of audit entries (``casefile log --json`` form), newest first."""

    HEADERS = ("When (UTC)", "Who", "What", "Record", "Fields")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        e = self.rows[index.row()]
        record = e.get("record") or {}
        changes = e.get("changes") or {}
        texts = (e.get("at", "").replace("T", " "), e.get("user") or "(removed user)",
                 _OPS.get(e.get("op", ""), e.get("op", "")),
                 f"{KIND_NAMES.get(record.get('type'), record.get('type', ''))} "
                 f"{record.get('id', '')[:8]}",
                 ", ".join(k for k in changes if k not in ("updated_at", "created_at")))
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            lines = [f"{k}: {shown(v[0])} → {shown(v[1])}" for k, v in changes.items()
                     if isinstance(v, list) and len(v) == 2]
            return plain.tooltip("\n".join(lines[:20]))
        return None
