"""The window's table-model bases and the roles every table answers: ``RecordTable`` for
records with ids (refreshed whole, by id with ``refresh_ids`` or patched, keeping views'
selection, scroll and sort) and ``RowsTable`` for plain rows without ids, set whole (search
hits, duplicate candidates, audit entries)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from casefile import dates
from ui.base import plain

log = logging.getLogger(__name__)
IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
SubtitleRole = Qt.ItemDataRole.UserRole + 3  # the second line of a two-line row
RecordRole = Qt.ItemDataRole.UserRole + 4  # the row's record itself
# the end of a title never elided, whole and short: (" (PNG · scan-1.png)", " (PNG)")
KeepEndRole = Qt.ItemDataRole.UserRole + 5
AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
PATCH_LIMIT = 200  # beyond this many changed records a view re-reads them all
_ROOT = QModelIndex()  # the invalid index: default "parent" argument

STANCE_COLORS = {"asserts": "#2e7d32", "denies": "#c62828", "doubts": "#ef6c00"}


@lru_cache(maxsize=4096)
def human_date(value: str) -> str:
    p = dates.parse_stored(value)
    return p.human() if p else value


@lru_cache(maxsize=4096)
def date_sort_key(value: str) -> str:
    p = dates.parse_stored(value)
    return "{:04d}-{:02d}-{:02d}".format(*p.sort_key()) if p else ""


def header_text(headers: Sequence[str], section: int, orientation: Qt.Orientation,
                role: int) -> str | None:
    """A model's column heading: ``headers[section]`` for display, else nothing."""
    if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)):
        return headers[section]
    return None


class _ListTable(QAbstractTableModel):
    """Rows in a list (``rows``), columns named by ``headers``: what both bases share."""

    headers: tuple[str, ...] = ()
    rows: list[Any]

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return header_text(self.headers, section, orientation, role)


class RecordTable(_ListTable, Generic[R]):
    """A table over a list of records; subclasses name the columns and how to show them."""

    header_tips: dict[int, str] = {}

    def __init__(self, fetch: Callable[[], Sequence[R]], parent=None,
                 fetch_some: Callable[[list[str]], Sequence[R]] | None = None):
        super().__init__(parent)
        self._fetch = fetch
        self._fetch_some = fetch_some
        self.rows: list[R] = []

    def refresh(self) -> None:
        """Re-read the rows (see ``set_rows``)."""
        self.set_rows(self._fetch())

    def refresh_ids(self, ids: Iterable[str], deleted: Iterable[str] = (),
                    known: Callable[[list[str]], Sequence[R] | None] | None = None) -> None:
        """Re-read just the records of ``ids`` (one query) and show them in place of their
        rows, new ones at the end; drop the rows of ``deleted``. ``known(ids)`` may hand over
        the records instead (the edit had them). Without a way to read some records, or for
        many ids, everything is re-read."""
        ids = sorted(set(ids) - set(deleted))
        given = known(ids) if known is not None and ids else None
        if given is not None:
            self.patch(given, deleted)
            return
        if self._fetch_some is None or len(ids) > PATCH_LIMIT:
            self.refresh()
            return
        self.patch(self._fetch_some(ids) if ids else (), deleted)

    def patch(self, records: Sequence[R], deleted: Iterable[str] = ()) -> None:
        """Show ``records`` in place of the rows with their ids (new ones appended) and remove
        the rows of ``deleted``; views keep their selection, scroll position and sort."""
        gone = set(deleted)
        for i in sorted((i for i, r in enumerate(self.rows) if r.id in gone),  # type: ignore
                        reverse=True):
            self.beginRemoveRows(_ROOT, i, i)
            del self.rows[i]
            self.endRemoveRows()
        where = {r.id: i for i, r in enumerate(self.rows)}  # type: ignore[attr-defined]
        new = []
        for rec in records:
            i = where.get(rec.id)  # type: ignore[attr-defined]
            if i is None:
                new.append(rec)
            elif self.rows[i] != rec:
                self.rows[i] = rec
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.headers) - 1))
        if new:
            self.beginInsertRows(_ROOT, len(self.rows), len(self.rows) + len(new) - 1)
            self.rows.extend(new)
            self.endInsertRows()

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show these rows. When the same records come back (edits) or new ones are appended,
        views keep their selection, scroll position and sort; anything else resets."""
        new = list(rows)
        old_ids = [r.id for r in self.rows]
        new_ids = [r.id for r in new]
        if new_ids == old_ids:
            changed = [i for i, (a, b) in enumerate(zip(self.rows, new, strict=True)) if a != b]
            self.rows = new
            if changed:  # one signal over the changed span: views repaint only those rows
                self.dataChanged.emit(self.index(changed[0], 0),
                                      self.index(changed[-1], len(self.headers) - 1))
        elif len(new_ids) > len(old_ids) and new_ids[:len(old_ids)] == old_ids:
            self.beginInsertRows(_ROOT, len(old_ids), len(new_ids) - 1)
            self.rows = new
            self.endInsertRows()
        else:
            self.beginResetModel()
            self.rows = new
            self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.header_tips.get(section, self.headers[section])
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        rec = self.rows[index.row()]
        if role == IdRole:
            return rec.id  # type: ignore[attr-defined]
        if role == RecordRole:
            return rec
        value = self.cell(rec, index.column(), role)
        return plain.tooltip(value) if role == Qt.ItemDataRole.ToolTipRole else value

    def cell(self, rec: R, column: int, role: int) -> Any:
        raise NotImplementedError

    def row_of(self, id_: str) -> int:
        for i, r in enumerate(self.rows):
            if r.id == id_:  # type: ignore[attr-defined]
                return i
        return -1


class RowsTable(_ListTable):
    """A table of plain rows set whole; subclasses name ``headers`` and give ``cell(row,
    column)`` (and ``tooltip`` when the cell's text is not the tip). The row itself answers
    ``RecordRole``."""

    def __init__(self, rows: Sequence[Any] = (), parent=None):
        super().__init__(parent)
        self.rows: list[Any] = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def cell(self, row: Any, column: int) -> Any:
        raise NotImplementedError

    def tooltip(self, row: Any, column: int) -> str | None:
        return plain.tooltip(str(self.cell(row, column)))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == RecordRole:
            return row
        return None
