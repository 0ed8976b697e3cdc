"""Qt models over plain analysis data (candidates, conflict sets, search hits, mentions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from casefile.analysis.facts import ClaimFact
from casefile.analysis.names import Candidate
from casefile.services.analysis import ConflictView
from casefile.services.identity import Mention
from casefile.services.search import SearchHit
from casefile.vocab import stated, with_stance
from ui.base import plain
from ui.base.tables import RecordRole, RowsTable

ROW_ROLE = RecordRole  # the row itself, as every table of the window answers it
_ROOT = QModelIndex()  # the invisible root, as a default argument
_TOP = 0  # internalId of a conflict-set row; a member row carries its set's row + 1
Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole


class CandidatesModel(RowsTable):
    headers = ("Score", "Entity", "Maybe the same as", "Why")

    def cell(self, row: Candidate, column: int) -> Any:
        return (f"{row.score:.2f}", row.a, row.b, row.reason)[column]


class SearchModel(RowsTable):
    """Hits: what matched, the document it is in (by a name that tells twins apart), and the
    words around it."""

    headers = ("Found in", "Document", "Snippet")

    def cell(self, row: SearchHit, column: int) -> Any:
        return (row.type, row.document, row.snippet)[column]


class MentionsModel(RowsTable):
    """Mentions with an "accept" check box per row (pre-ticked unless already highlighted)."""

    headers = ("Accept", "Document", "Text", "At")

    def set_rows(self, rows: Sequence[Mention]) -> None:
        super().set_rows(rows)
        self._accept = [not m.highlighted for m in self.rows]

    def __init__(self, rows: Sequence[Mention] = (), parent=None):
        super().__init__(rows, parent)
        self._accept = [not m.highlighted for m in self.rows]

    def accepted(self) -> list[Mention]:
        return [m for m, ok in zip(self.rows, self._accept, strict=True) if ok]

    def cell(self, row: Mention, column: int) -> Any:
        done = " (already highlighted)" if row.highlighted else ""
        return ("", row.document_title, row.text + done, row.start)[column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = DISPLAY):
        if (role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0
                and 0 <= index.row() < len(self.rows)):
            return (Qt.CheckState.Checked if self._accept[index.row()]
                    else Qt.CheckState.Unchecked)
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column():
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        self._accept[index.row()] = state == Qt.CheckState.Checked.value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class ConflictsModel(QAbstractItemModel):
    """Two levels: conflict sets (subject — kind: reason), then their member claims with
    statement, date, place, origin, outlet, report date and credibility."""

    headers = ("Statement", "Date", "Place", "Origin", "Outlet", "Reported", "Credibility")

    def __init__(self, views: Sequence[ConflictView] = (), parent=None):
        super().__init__(parent)
        self._views = list(views)

    def set_views(self, views: Sequence[ConflictView]) -> None:
        self.beginResetModel()
        self._views = list(views)
        self.endResetModel()

    def views(self) -> list[ConflictView]:
        return list(self._views)

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        tag = child.internalId()
        if tag == _TOP:
            return QModelIndex()
        return self.createIndex(tag - 1, 0, _TOP)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._views)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._views[parent.row()].members)
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if (orientation == Qt.Orientation.Horizontal and role == DISPLAY
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def item(self, index: Index) -> ConflictView | ClaimFact | None:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._views[index.row()]
        return self._views[index.internalId() - 1].members[index.row()]

    def data(self, index: Index, role: int = DISPLAY):
        it = self.item(index)
        if it is None:
            return None
        if role == ROW_ROLE:
            return it
        if isinstance(it, ConflictView):
            s = it.set
            if role == DISPLAY and index.column() == 0:
                done = "  ✓ resolved" if s.resolved else ""
                return f"{s.subject} — {s.kind}: {s.reason}{done}"
            if role == Qt.ItemDataRole.FontRole and index.column() == 0:
                f = QFont()
                f.setBold(not s.resolved)
                return f
            return None
        parent = self._views[index.internalId() - 1].set
        accepted = (parent.resolution is not None
                    and parent.resolution.accepted_claim_id == it.id)
        if role == DISPLAY:
            first = (("✓ accepted: " if accepted else "")
                     + stated(it.statement, it.kind, it.stance))
            return (first, it.date, it.place, it.origin or "(not attributed)",
                    ", ".join(it.outlets), it.reported, str(it.credibility))[index.column()]
        if role == Qt.ItemDataRole.FontRole and accepted:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and accepted:
            return QColor("#1b5e20")
        if role == Qt.ItemDataRole.ForegroundRole and it.stance != "asserts":
            return QColor("#8a4b00")
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(f"{with_stance(it.kind, it.stance)}: {it.statement}")
        return None
