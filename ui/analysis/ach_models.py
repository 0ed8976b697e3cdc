"""Qt models over a plain ACH matrix: the evidence × hypotheses grid, and the scores under it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from casefile.analysis.ach import RATING_COLORS, RATING_WORDS, RATINGS, SCALE, Cell, Matrix, Row
from casefile.vocab import stated, with_stance
from ui.base import plain
from ui.base.tables import RecordRole

ROW_ROLE = RecordRole  # the row itself, as every table of the window answers it
CELL_ROLE = Qt.ItemDataRole.UserRole + 2
FIXED = 3  # evidence, weight, diagnosticity; then one column per hypothesis
_ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
ROLE = Qt.ItemDataRole


def _weight(row: Row) -> str:
    return f"{row.weight:.2f}" + (f" ÷{row.shared_by}" if row.shared_by > 1 else "")


def _cell_tip(cell: Cell, hypothesis: str) -> str:
    lines = [f"Against “{hypothesis}”"]
    if cell.rating is None:
        lines.append("Not rated. Type C, I, N (Shift for CC, II; A for not applicable).")
    elif cell.suggested:
        lines.append(f"Suggested: {cell.rating} ({RATING_WORDS[cell.rating]}) — not yet reviewed")
        lines.append(f"Why: {cell.suggestion.reason}")
        lines.append("Enter accepts it; type C, I, N … to rate it yourself.")
    else:
        lines.append(f"Your rating: {cell.rating} ({RATING_WORDS[cell.rating]})")
        if cell.note:
            lines.append(f"Note: {cell.note}")
        if cell.suggestion is not None:
            lines.append(f"Casefile would suggest {cell.suggestion.rating}: "
                         f"{cell.suggestion.reason}")
        lines.append("Delete clears your rating.")
    return "\n".join(lines)


def _row_tip(row: Row) -> str:
    facts = [x for x in (row.subject, with_stance(row.kind, row.stance), row.date, row.place)
             if x]
    lines = [row.statement, " · ".join(facts)] if facts else [row.statement]
    lines.append(f"Source: {row.origin or 'not attributed'}"
                 + (f" ({row.reliability})" if row.reliability else "")
                 + f"; credibility {row.credibility}")
    if row.shared_by > 1:
        lines.append(f"One of {row.shared_by} claims resting on this origin for this fact: "
                     "together they weigh as one.")
    lines.append("Click to open its passage.")
    return "\n".join(lines)


class MatrixModel(QAbstractTableModel):
    """Rows: evidence; columns: statement, weight, diagnosticity, then one per hypothesis.
    Editing a cell emits ``rateRequested`` (the panel turns it into an undoable command) and
    shows the new rating at once; the next reload brings the recomputed scores."""

    rateRequested = Signal(str, str, object)  # hypothesis id, evidence id, rating or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix: Matrix | None = None
        self._rows: list[Row] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.header_width = 150  # px of a hypothesis' column: its statement is elided to it

    def set_header_width(self, width: int) -> None:
        """The hypotheses' columns are ``width`` pixels wide now: their headings say as much
        of each statement as fits (the header would cut a two-line heading at both ends)."""
        if width != self.header_width:
            self.header_width = width
            if self.columnCount() > FIXED:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, FIXED,
                                            self.columnCount() - 1)

    # -- data in ---------------------------------------------------------------------------
    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self._rows = list(matrix.rows)
        if self._sort is not None and self._sort[0] < self.columnCount():
            self._rows.sort(key=self._key(self._sort[0]),
                            reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def hypothesis(self, column: int):
        if self.matrix is None or not FIXED <= column < FIXED + len(self.matrix.hypotheses):
            return None
        return self.matrix.hypotheses[column - FIXED]

    def row(self, index: Index) -> Row | None:
        return self._rows[index.row()] if index.isValid() and index.row() < len(self._rows) \
            else None

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.key == key), -1)

    # -- shape ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self.matrix is None:
            return 0
        return FIXED + len(self.matrix.hypotheses)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if orientation != Qt.Orientation.Horizontal:
            return None
        h = self.hypothesis(section)
        if h is None:
            if role == DISPLAY and 0 <= section < FIXED:
                return ("Evidence", "Weight", "Diag.")[section]
            if role == ROLE.ToolTipRole and section == 2:
                return plain.tooltip("Diagnosticity: how differently the row rates across the "
                                     "hypotheses (0 = alike, no help in choosing). Click to "
                                     "sort.")
            return None
        label = f"H{section - FIXED + 1}"
        if role == DISPLAY:
            metrics = QFontMetrics(QApplication.font())
            text = metrics.elidedText(h.statement, Qt.TextElideMode.ElideRight,
                                      max(20, self.header_width - 12))
            return f"{label}\n{text}"
        if role == ROLE.ToolTipRole:
            return plain.tooltip(f"{label}: {h.statement}" + (f"\n{h.note}" if h.note else ""))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.hypothesis(index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY):
        row = self.row(index)
        if row is None:
            return None
        col = index.column()
        if role == ROW_ROLE:
            return row
        h = self.hypothesis(col)
        if h is None:
            return self._fixed(row, col, role)
        cell = row.cells[col - FIXED]
        if role == CELL_ROLE:
            return cell
        if role == DISPLAY:
            if cell.rating is None:
                return ""
            return f"{cell.rating}?" if cell.suggested else cell.rating
        if role == ROLE.EditRole:
            return cell.analyst or ""
        if role == ROLE.ToolTipRole:
            return plain.tooltip(_cell_tip(cell, h.statement))
        if cell.rating is None:
            return None
        bg, fg = RATING_COLORS[cell.rating]
        if role == ROLE.BackgroundRole:
            color = QColor(bg)
            return color.lighter(112) if cell.suggested else color
        if role == ROLE.ForegroundRole:
            return QColor(fg)
        if role == ROLE.FontRole:
            font = QFont()
            font.setItalic(cell.suggested)
            font.setBold(not cell.suggested)
            return font
        if role == ROLE.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _fixed(self, row: Row, col: int, role: int) -> Any:
        if role == DISPLAY:
            return (stated(row.statement, row.kind, row.stance), _weight(row),
                    row.diagnosticity)[col]
        if role == ROLE.ToolTipRole and col == 0:
            return plain.tooltip(_row_tip(row))
        if role == ROLE.TextAlignmentRole and col:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROLE.ForegroundRole and col == 0 and row.stance != "asserts":
            return QColor("#8a4b00")
        return None

    # -- editing ----------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = ROLE.EditRole) -> bool:
        row, h = self.row(index), self.hypothesis(index.column())
        if role != ROLE.EditRole or row is None or h is None:
            return False
        rating = str(value or "").strip().upper() or None
        if rating is not None and rating not in RATINGS:
            return False
        cell = row.cells[index.column() - FIXED]
        if rating == cell.analyst:
            return False
        self.show_rating(row.key, h.id, rating)
        self.rateRequested.emit(h.id, row.key, rating)
        return True

    def show_rating(self, key: str, hypothesis_id: str, rating: str | None) -> None:
        """Show a cell's new rating before the reload that recomputes the scores."""
        r, col = self.row_of(key), self._column_of(hypothesis_id)
        if r < 0 or col < 0:
            return
        row = self._rows[r]
        old = row.cells[col - FIXED]
        if rating is None:
            new = Cell(old.suggestion.rating, True, old.suggestion) if old.suggestion \
                else Cell(None)
        else:
            new = Cell(rating, False, old.suggestion, old.note)
        cells = list(row.cells)
        cells[col - FIXED] = new
        self._rows[r] = replace(row, cells=tuple(cells))
        idx = self.index(r, col)
        self.dataChanged.emit(idx, idx)

    def _column_of(self, hypothesis_id: str) -> int:
        if self.matrix is None:
            return -1
        ids = [h.id for h in self.matrix.hypotheses]
        return FIXED + ids.index(hypothesis_id) if hypothesis_id in ids else -1

    # -- sorting ----------------------------------------------------------------------------
    def _key(self, column: int):
        if column == 0:
            return lambda r: r.statement.casefold()
        if column == 1:
            return lambda r: r.effective_weight
        if column == 2:
            return lambda r: (r.diagnosticity, r.effective_weight)
        j = column - FIXED
        return lambda r: SCALE.get(r.cells[j].rating or "", 0)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:
            return
        self._sort = (column, order)  # also applied to the next matrix shown
        if self.matrix is None or column >= self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = [(self._rows[i.row()].key, i.column()) for i in old]
        self._rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        where = {r.key: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(where[k], c) for k, c in keys])
        self.layoutChanged.emit()


class ScoresModel(QAbstractTableModel):
    """Two rows under the matrix, column for column: each hypothesis' score and rank."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix: Matrix | None = None

    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.matrix is None else 2

    def columnCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self.matrix is None:
            return 0
        return FIXED + len(self.matrix.hypotheses)

    def data(self, index: Index, role: int = DISPLAY):
        if not index.isValid() or self.matrix is None:
            return None
        r, c = index.row(), index.column()
        if c < FIXED:
            if role == DISPLAY and c == 0:
                return ("Inconsistency score (lower is better)", "Rank")[r]
            return None
        score = self.matrix.scores[c - FIXED]
        leads = self.matrix.hypotheses[c - FIXED].id in self.matrix.tied
        if role == DISPLAY:
            return f"{score.score:.2f}" if r == 0 else str(score.rank)
        if role == ROLE.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROLE.FontRole:
            font = QFont()
            font.setBold(leads)
            return font
        if role == ROLE.ToolTipRole:
            return plain.tooltip(f"{score.inconsistent} rated against, {score.consistent} for; "
                                 f"{score.unreviewed} of the counted ratings are suggestions "
                                 "not yet reviewed")
        return None
