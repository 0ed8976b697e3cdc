"""Side panels: the documents list and the case file (claims, entities, tags tabs)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.base.delegates import ClaimLinesDelegate, TwoLineDelegate
from ui.base.tables import IdRole, SortRole
from ui.base.tabstrip import boxed
from ui.workspace.models import ClaimsModel, DocumentsModel
from ui.workspace.trees import EntitiesModel, TagsModel


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
    # in the order the records come (claims as made) until the analyst clicks a header: Qt
    # would otherwise sort by the first column, descending (Z to A by subject)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
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
        self.filter = QLineEdit(placeholderText="Filter")
        self.filter.setToolTip("Show only the documents whose title, outlet or date hold this")
        self.filter.setMinimumWidth(60)
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
        self.title = QLabel("Documents")
        self.title.setObjectName("paneTitle")
        lay.addWidget(self.title)
        row = QHBoxLayout()  # the filter gives way first: a narrow list keeps both
        row.setSpacing(2)
        row.addWidget(self.filter, 1)
        row.addWidget(self.sort_box)
        lay.addLayout(row)
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


class ClaimsStack(QStackedWidget):
    """The claims table, or — narrower than ``LIST_BELOW`` — a list of two-line rows
    ("subject · kind · date", then the statement with its stance) that still says what each
    claim is. Both views share one selection; the table keeps its columns for later."""

    LIST_BELOW = 600  # px: a table this narrow shows subject, kind and a sliver of statement

    def __init__(self, table: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = table
        self.list = QListView()
        self.list.setModel(table.model())
        self.list.setSelectionModel(table.selectionModel())
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setItemDelegate(ClaimLinesDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setToolTip("")
        self.addWidget(table)
        self.addWidget(self.list)

    def view(self) -> QAbstractItemView:
        """The claims view shown now."""
        return self.currentWidget()  # type: ignore[return-value]

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        want = self.list if self.width() < self.LIST_BELOW else self.table
        if self.currentWidget() is not want:
            focused = self.currentWidget().hasFocus()
            self.setCurrentWidget(want)
            current = self.table.currentIndex()
            if current.isValid():
                want.scrollTo(current)
            if focused:
                want.setFocus()


class CaseFilePanel(QTabWidget):
    """The case file beside the reader: Claims, Entities, Tags (more tabs can be added). Its
    tabs are a strip that wraps onto a second row when narrow (``box`` holds both: put that in
    the window); ``viewRequested`` whenever code shows one of its pages."""

    claim_activated = Signal(str)
    claim_selected = Signal(str)
    entity_selected = Signal(str)
    viewRequested = Signal()

    def __init__(self, claims: ClaimsModel, entities: EntitiesModel, tags: TagsModel,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.box, self.strip = boxed(self)
        self._sync_pending = False
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
        self.claims_stack = ClaimsStack(self.claims_view)
        self.claims_list = self.claims_stack.list
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.claims_filter)
        lay.addWidget(self.entity_label)
        lay.addWidget(self.claims_stack, 1)
        self.addTab(box, "Claims")
        for view in (self.claims_view, self.claims_list):
            view.activated.connect(self._claim_activated)
            view.doubleClicked.connect(self._claim_activated)
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

    # -- the strip follows the tabs ---------------------------------------------------------
    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        self._sync_strip()

    def tabRemoved(self, index: int) -> None:
        super().tabRemoved(index)
        self._sync_strip()

    def setTabText(self, index: int, text: str) -> None:
        super().setTabText(index, text)
        self._sync_strip()

    def setTabToolTip(self, index: int, tip: str) -> None:
        super().setTabToolTip(index, tip)
        self._sync_strip()

    def _sync_strip(self) -> None:
        if not self._sync_pending:  # tabs come in runs: rebuild once after the run
            self._sync_pending = True
            QTimer.singleShot(0, self.sync_strip)

    def sync_strip(self) -> None:
        self._sync_pending = False
        self.strip.sync()

    def setCurrentIndex(self, index: int) -> None:
        self.viewRequested.emit()
        super().setCurrentIndex(index)

    def setCurrentWidget(self, widget: QWidget) -> None:
        self.viewRequested.emit()
        super().setCurrentWidget(widget)

    def _claim_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.claim_activated.emit(index.data(IdRole))

    def _entity(self, index: QModelIndex) -> None:
        ent = self.entities_model.entity(index)
        if ent is not None:
            self.entity_selected.emit(ent.id)

    def current_claim_id(self) -> str | None:
        """The claim the analyst has selected: the current row when it is selected, else the
        one selected row. Never a row that merely holds the keyboard focus: after an undo
        took the selected claim away, Qt moves that to a neighbour nobody chose."""
        sel = self.claims_view.selectionModel()
        idx = self.claims_view.currentIndex()
        if idx.isValid() and sel.isRowSelected(idx.row(), idx.parent()):
            return idx.data(IdRole)
        rows = sel.selectedRows()
        return rows[0].data(IdRole) if len(rows) == 1 else None

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
            self.claims_list.scrollTo(first)
