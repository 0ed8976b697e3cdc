"""Side panels: the documents list and the case file (claims, entities, tags tabs)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.delegates import TwoLineDelegate
from ui.models import ClaimsModel, DocumentsModel, IdRole, SortRole
from ui.trees import EntitiesModel, TagsModel


def _filtered(model, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    return proxy


def _table(proxy: QSortFilterProxyModel) -> QTableView:
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    return view


class DocumentsPanel(QWidget):
    """Filterable list of the case's documents, two lines each (title; outlet · date ·
    highlights) so that titles stay readable in a narrow column; sorted by a chooser."""

    activated = Signal(str)  # document id
    SORTS = (("Newest first", 2, Qt.SortOrder.DescendingOrder),
             ("Oldest first", 2, Qt.SortOrder.AscendingOrder),
             ("Title", 0, Qt.SortOrder.AscendingOrder),
             ("Outlet", 1, Qt.SortOrder.AscendingOrder),
             ("Most highlighted", 3, Qt.SortOrder.DescendingOrder))

    def __init__(self, model: DocumentsModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.proxy = _filtered(model, self)
        self.filter = QLineEdit(placeholderText="Filter documents")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.sort_box = QComboBox()
        self.sort_box.setToolTip("Order of the documents")
        self.sort_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sort_box.setMinimumContentsLength(9)
        for label, _col, _order in self.SORTS:
            self.sort_box.addItem(label)
        self.sort_box.currentIndexChanged.connect(self._sort)
        self.view = _table(self.proxy)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setItemDelegateForColumn(0, TwoLineDelegate(self.view))
        self.view.horizontalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAlternatingRowColors(False)
        for c in range(1, model.columnCount()):
            self.view.setColumnHidden(c, True)
        self.view.verticalHeader().setDefaultSectionSize(TwoLineDelegate.row_height(
            self.view.font()))
        self._sort(0)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = QLabel("Documents")
        self.title.setObjectName("paneTitle")
        head.addWidget(self.title, 1)
        head.addWidget(self.sort_box)
        lay.addLayout(head)
        lay.addWidget(self.filter)
        lay.addWidget(self.view, 1)
        self.view.selectionModel().currentRowChanged.connect(self._current)
        self.view.activated.connect(self._current)
        model.modelReset.connect(self._count)
        model.rowsInserted.connect(self._count)
        model.rowsRemoved.connect(self._count)

    def _sort(self, i: int) -> None:
        _label, col, order = self.SORTS[i]
        self.view.sortByColumn(col, order)

    def _count(self, *_args) -> None:
        n = self.model.rowCount()
        self.title.setText(f"Documents ({n})" if n else "Documents")

    def _current(self, index: QModelIndex, _prev: QModelIndex | None = None) -> None:
        if index.isValid():
            self.activated.emit(index.data(IdRole))

    def select(self, document_id: str) -> None:
        row = self.model.row_of(document_id)
        if row < 0:
            return
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if idx.isValid() and self.view.currentIndex().row() != idx.row():
            self.view.blockSignals(True)
            self.view.selectionModel().blockSignals(True)
            self.view.setCurrentIndex(idx)
            self.view.selectionModel().blockSignals(False)
            self.view.blockSignals(False)
            self.view.scrollTo(idx)


class CaseFilePanel(QTabWidget):
    """The case file beside the reader: Claims, Entities, Tags (more tabs can be added)."""

    claim_activated = Signal(str)
    claim_selected = Signal(str)
    entity_selected = Signal(str)

    def __init__(self, claims: ClaimsModel, entities: EntitiesModel, tags: TagsModel,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.claims_model, self.entities_model, self.tags_model = claims, entities, tags
        # Claims
        self.claims_proxy = _filtered(claims, self)
        self.claims_filter = QLineEdit(placeholderText="Filter claims (subject, place, origin …)")
        self.claims_filter.setClearButtonEnabled(True)
        self.claims_filter.textChanged.connect(self.claims_proxy.setFilterFixedString)
        self.entity_label = QLabel()
        self.entity_label.hide()
        self.claims_view = _table(self.claims_proxy)
        head = self.claims_view.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((140, 84, 240, 104, 96, 130, 62, 46, 36, 56)):
            self.claims_view.setColumnWidth(col, width)
        head.setStretchLastSection(False)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.claims_filter)
        lay.addWidget(self.entity_label)
        lay.addWidget(self.claims_view, 1)
        self.addTab(box, "Claims")
        self.claims_view.activated.connect(self._claim_activated)
        self.claims_view.doubleClicked.connect(self._claim_activated)
        self.claims_view.selectionModel().currentRowChanged.connect(
            lambda cur, _p: cur.isValid() and self.claim_selected.emit(cur.data(IdRole)))
        # Entities
        self.entities_view = QTreeView()
        self.entities_view.setModel(entities)
        self.entities_view.setAlternatingRowColors(True)
        self.entities_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.entities_view.setColumnWidth(0, 220)
        self.entities_view.activated.connect(self._entity)
        self.addTab(self.entities_view, "Entities")
        # Tags
        self.tags_view = QTreeView()
        self.tags_view.setModel(tags)
        self.tags_view.setColumnWidth(0, 200)
        self.addTab(self.tags_view, "Tags")

    def _claim_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.claim_activated.emit(index.data(IdRole))

    def _entity(self, index: QModelIndex) -> None:
        ent = self.entities_model.entity(index)
        if ent is not None:
            self.entity_selected.emit(ent.id)

    def current_claim_id(self) -> str | None:
        idx = self.claims_view.currentIndex()
        return idx.data(IdRole) if idx.isValid() else None

    def select_claims(self, claim_ids: list[str] | tuple[str, ...]) -> None:
        """Select these claims in the table (and show the Claims tab)."""
        sel = self.claims_view.selectionModel()
        sel.clearSelection()
        first = None
        for cid in claim_ids:
            row = self.claims_model.row_of(cid)
            if row < 0:
                continue
            idx = self.claims_proxy.mapFromSource(self.claims_model.index(row, 0))
            if not idx.isValid():
                continue
            sel.select(idx, sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
            first = first or idx
        if first is not None:
            sel.setCurrentIndex(first, sel.SelectionFlag.NoUpdate)
            self.setCurrentIndex(0)
            self.claims_view.scrollTo(first)
