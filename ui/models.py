"""Qt models over service records: each holds ids and a row cache and refreshes on demand."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from casefile import dates
from casefile.doclabels import format_name, twin_endings
from casefile.services.records import (
    CaseRecord,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    TagRecord,
)
from ui import plain

log = logging.getLogger(__name__)
IdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
SubtitleRole = Qt.ItemDataRole.UserRole + 3  # the second line of a two-line row
RecordRole = Qt.ItemDataRole.UserRole + 4  # the row's record itself
# the end of a title never elided, whole and short: (" (PNG · scan-1.png)", " (PNG)")
KeepEndRole = Qt.ItemDataRole.UserRole + 5
AnyIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
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


class _RecordTable(QAbstractTableModel, Generic[R]):
    """A table over a list of records; subclasses name the columns and how to show them."""

    headers: tuple[str, ...] = ()
    header_tips: dict[int, str] = {}

    def __init__(self, fetch: Callable[[], Sequence[R]], parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self.rows: list[R] = []

    def refresh(self) -> None:
        """Re-read the rows (see ``set_rows``)."""
        self.set_rows(self._fetch())

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

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips.get(section, self.headers[section])
        return None

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


def published_text(rec: DocumentRecord) -> str:
    """The publication date as a reader says it, marked when the importer only guessed it."""
    if not rec.published:
        return "no date"
    when = human_date(rec.published)
    return f"{when} (guess)" if rec.is_guess("published") else when


class DocumentsModel(_RecordTable[DocumentRecord]):
    """Documents; twins (one title: a text, its PDF, its scan) say format and file name."""

    headers = ("Title", "Outlet", "Published", "✎")
    header_tips = {3: "Number of highlights"}

    def __init__(self, fetch: Callable[[], Sequence[DocumentRecord]], parent=None):
        super().__init__(fetch, parent)
        self.ends: dict[str, tuple[str, str]] = {}  # twins: (" (PNG · scan-1.png)", " (PNG)")

    def set_rows(self, rows: Sequence[DocumentRecord]) -> None:
        rows = list(rows)
        ends = twin_endings((r.id, r.title or r.source_name, r.content_type, r.source_name)
                            for r in rows)
        changed, self.ends = ends != self.ends, ends
        super().set_rows(rows)
        if changed and self.rows:  # a new twin renames rows whose records did not change
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def cell(self, rec: DocumentRecord, column: int, role: int) -> Any:
        if role == KeepEndRole and column == 0:  # the whole ending, then a shorter one
            return self.ends.get(rec.id, ())
        if role == Qt.ItemDataRole.DisplayRole:
            title = (rec.title or rec.source_name) + self.ends.get(rec.id, ("",))[0]
            return (title, rec.outlet, rec.published, rec.highlights)[column]
        if role == SubtitleRole:
            bits = [rec.outlet or "outlet unknown", published_text(rec)]
            if rec.highlights:
                bits.append(f"{rec.highlights} highlight{'s' if rec.highlights != 1 else ''}")
            return " · ".join(bits)
        if role == SortRole:
            return (rec.title.casefold(), rec.outlet.casefold(), date_sort_key(rec.published),
                    rec.highlights)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{rec.title}\n{rec.outlet} · {published_text(rec)}\n"
                    f"{format_name(rec.content_type, rec.source_name)} · {rec.source_name} · "
                    f"{rec.chars:,} characters")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ClaimsModel(_RecordTable[ClaimRecord]):
    """Claims with, per claim, how many independent origins support it (three outlets
    repeating one minister count once) and the credibility that suggests (never imposed)."""

    headers = ("Subject", "Kind", "Statement", "Date", "Place", "Origin", "Stance",
               "Cred.", "Ev.", "Indep.")
    header_tips = {7: "Credibility: 1 confirmed … 6 cannot be judged",
                   8: "Evidence: passages the claim rests on",
                   9: "Independent origins supporting the claim (outlets repeating one source "
                      "count once); the tooltip suggests a credibility grade"}

    _FIELDS = ("subject", "kind", "statement", "date", "place", "origin", "stance",
               "credibility", "evidence")
    EVIDENCE = 8
    INDEPENDENT = 9

    def __init__(self, fetch: Callable[[], Sequence[ClaimRecord]],
                 corroboration: Callable[[], dict[str, Any]] | None = None, parent=None, *,
                 accepted: Callable[[], dict[str, str]] | None = None):
        super().__init__(fetch, parent)
        self._corroboration = corroboration
        self._accepted = accepted
        self.corroboration: dict[str, Any] = {}
        self.accepted: dict[str, str] = {}  # claim id -> reason, for conflicts' verdicts
        self.refresher = None

    def refresh(self) -> None:
        """Rows now; independent-origin counts from a background job (they need the whole
        case's analysis, too slow for an edit on a large case), filled in when ready."""
        super().refresh()
        was, self.accepted = self.accepted, (self._accepted() if self._accepted else {})
        if was != self.accepted and self.rows:  # a verdict marks rows that did not change
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 2))
        if self._corroboration is None:
            return
        if self.refresher is None:
            from ui.analysis.background import Refresher

            self.refresher = Refresher(self)
        self.refresher.request()

    def fetcher(self) -> Callable[[], dict[str, Any]]:
        return self._corroboration

    def show_data(self, corroboration: dict[str, Any]) -> None:
        if corroboration != self.corroboration:  # another claim can change this one's count
            self.corroboration = corroboration
            if self.rows:
                col = self.INDEPENDENT
                self.dataChanged.emit(self.index(0, col), self.index(len(self.rows) - 1, col))

    def show_error(self, message: str) -> None:
        log.warning("corroboration failed: %s", message)

    def cell(self, rec: ClaimRecord, column: int, role: int) -> Any:
        if column == self.INDEPENDENT:
            return self._independent(rec, role)
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            value = getattr(rec, self._FIELDS[column])  # only this column: views ask a lot
            if column == 3:
                return date_sort_key(value) if role == SortRole else human_date(value)
            if column == 8:
                return len(value)
            if column == 2 and role == Qt.ItemDataRole.DisplayRole and rec.id in self.accepted:
                return f"✓ {value}"
            return value.casefold() if role == SortRole and isinstance(value, str) else value
        if role == Qt.ItemDataRole.ForegroundRole and column == 6:
            return QColor(STANCE_COLORS.get(rec.stance, "#000000"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and rec.id in self.accepted:
            return QColor("#1b5e20")  # accepted as a conflict's verdict
        if role == Qt.ItemDataRole.ToolTipRole:
            via = f" (via {len(rec.via)})" if rec.via else ""
            why = self.accepted.get(rec.id)
            return (f"{rec.statement}\n— {rec.origin or 'origin unknown'}{via}" + (
                "" if why is None else "\n✓ Accepted as the verdict of its conflict"
                + (f": {why}" if why else "")))
        return None

    def _independent(self, rec: ClaimRecord, role: int) -> Any:
        corr = self.corroboration.get(rec.id)
        if corr is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            return corr.independent_origins
        if role == Qt.ItemDataRole.ToolTipRole:
            grade = corr.suggested_credibility
            note = "" if grade == rec.credibility else f" (you graded it {rec.credibility})"
            return (f"{corr.independent_origins} independent origin(s). Suggested credibility "
                    f"{grade}{note}: {corr.why}")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CasesModel(QAbstractListModel):
    """Cases for the switcher combo box."""

    def __init__(self, fetch: Callable[[], Sequence[CaseRecord]], parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self.rows: list[CaseRecord] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = list(self._fetch())
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        rec = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return rec.title
        if role == IdRole:
            return rec.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{rec.documents} document(s), {rec.claims} claim(s)"
        return None

    def row_of(self, id_: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == id_), -1)


class _Node:
    __slots__ = ("children", "id", "parent", "payload", "row")

    def __init__(self, id_: str, payload: Any, parent: _Node | None, row: int):
        self.id, self.payload, self.parent, self.row = id_, payload, parent, row
        self.children: list[_Node] = []

    def add(self, id_: str, payload: Any) -> _Node:
        node = _Node(id_, payload, self, len(self.children))
        self.children.append(node)
        return node


class _TreeModel(QAbstractItemModel):
    """A read-only tree of ``_Node``s built by ``build`` from fresh records."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.root = _Node("", None, None, 0)

    def build(self, root: _Node) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        self.beginResetModel()
        self.root = _Node("", None, None, 0)
        self.build(self.root)
        self.endResetModel()

    def _node(self, index: AnyIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(self.headers) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: AnyIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        p = self._node(index).parent
        if p is None or p is self.root:
            return QModelIndex()
        return self.createIndex(p.row, 0, p)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def find(self, id_: str) -> QModelIndex:
        stack = [self.root]
        while stack:
            node = stack.pop()
            for child in node.children:
                if child.id == id_:
                    return self.createIndex(child.row, 0, child)
                stack.append(child)
        return QModelIndex()


class EntitiesModel(_TreeModel):
    """Entities grouped by kind; an entity's aliases are its children."""

    headers = ("Name", "Aliases / reliability")
    KIND_LABELS = {"person": "People", "organization": "Organizations", "place": "Places",
                   "event": "Events", "other": "Other"}

    def __init__(self, fetch: Callable[[], Sequence[EntityRecord]], parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self._records: list[EntityRecord] | None = None

    def refresh(self) -> None:
        """Rebuild when the entities changed; the same records keep the tree as it is (its
        expansion, selection and scroll position)."""
        records = list(self._fetch())
        if records == self._records:
            return
        self._records = records
        super().refresh()

    def build(self, root: _Node) -> None:
        groups: dict[str, _Node] = {}
        for kind in self.KIND_LABELS:
            groups[kind] = _Node(f"kind:{kind}", kind, root, 0)
        for ent in self._records or ():
            g = groups.get(ent.kind) or groups["other"]
            node = g.add(ent.id, ent)
            for a in ent.aliases:
                node.add(f"alias:{a.id}", a)
        for kind, g in groups.items():
            if g.children or kind in ("person", "organization"):
                g.row = len(root.children)
                root.children.append(g)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        p = node.payload
        if role == IdRole:
            return node.id
        if isinstance(p, str):  # a kind group
            if role == Qt.ItemDataRole.DisplayRole:
                return (f"{self.KIND_LABELS[p]} ({len(node.children)})"
                        if index.column() == 0 else None)
            if role == Qt.ItemDataRole.FontRole:
                from PySide6.QtGui import QFont
                f = QFont()
                f.setBold(True)
                return f
            return None
        if isinstance(p, EntityRecord):
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() == 0:
                    return p.name
                names = ", ".join(dict.fromkeys(a.name for a in p.aliases))
                grade = f"[{p.reliability}] " if p.reliability else ""
                return grade + names
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain.tooltip(p.description or p.name)
            return None
        if role == Qt.ItemDataRole.DisplayRole:  # alias
            return f"“{p.name}”" if index.column() == 0 else (
                "seen in a document" if p.document_id else "")
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#555555")
        return None

    def entity(self, index: AnyIndex) -> EntityRecord | None:
        node = self._node(index) if index.isValid() else None
        while node is not None and not isinstance(node.payload, EntityRecord):
            node = node.parent
        return node.payload if node is not None else None


class TagsModel(_TreeModel):
    """The hierarchical codebook, each tag with its colour swatch."""

    headers = ("Tag", "Passages", "Description")

    def __init__(self, fetch: Callable[[], Sequence[TagRecord]], parent=None,
                 counts: Callable[[], dict[str, Any]] | None = None):
        super().__init__(parent)
        self._fetch = fetch
        self._counts = counts
        self.counts: dict[str, Any] = {}  # tag id → passages.TagCount

    def refresh_counts(self) -> None:
        """Re-count passages per tag (after highlights changed) without rebuilding the tree:
        the view keeps what is expanded and selected."""
        if self._counts is None:
            return
        self.counts = self._counts()
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.children:
                first = self.createIndex(0, 1, node.children[0])
                last = self.createIndex(len(node.children) - 1, 1, node.children[-1])
                self.dataChanged.emit(first, last)
                stack.extend(node.children)

    def build(self, root: _Node) -> None:
        recs = list(self._fetch())
        self.counts = self._counts() if self._counts is not None else {}
        nodes: dict[str, _Node] = {}
        pending = sorted(recs, key=lambda t: t.path.count("/"))
        for t in pending:
            parent = nodes.get(t.parent_id or "", root)
            nodes[t.id] = parent.add(t.id, t)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        t: TagRecord = self._node(index).payload
        if role == IdRole:
            return t.id
        n = self.counts.get(t.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 1:
                return "" if n is None else str(n.total)
            return t.name if index.column() == 0 else t.description
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return QColor(t.color) if t.color else QColor("#ffe082")
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = "" if n is None else (
                f"\n{n.own} passage(s) with this tag" + (
                    f", {n.total} with its sub-tags" if n.total != n.own else ""))
            return plain.tooltip(t.path + extra)
        return None
