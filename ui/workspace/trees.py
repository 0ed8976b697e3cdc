"""Qt tree models over service records: entities by kind with their spellings, the codebook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from casefile.services.records import EntityRecord, TagRecord
from ui.base import plain
from ui.base.tables import _ROOT, AnyIndex, IdRole, header_text


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
        return header_text(self.headers, section, orientation, role)

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
