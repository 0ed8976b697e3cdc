"""Passage lists beside the reader: this document's annotations in reading order (filter by tag,
click to jump), and one tag's passages across the case with export to CSV or HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.services import passages
from casefile.services.passages import Passage
from ui.base import filedialogs, plain
from ui.base import paths as save_paths
from ui.base.background import Refresher
from ui.base.delegates import TwoLineDelegate
from ui.base.flow import FlowLayout
from ui.base.tables import IdRole, SortRole
from ui.workspace.passage_models import PassagesModel

ALL_TAGS = "All passages"


def _list_view(model, parent: QWidget, *, two_lines: bool) -> tuple[QTableView,
                                                                    QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    if two_lines:
        view.setItemDelegateForColumn(0, TwoLineDelegate(view))
        view.horizontalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().setDefaultSectionSize(TwoLineDelegate.row_height(view.font()))
        for c in range(1, model.columnCount()):
            view.setColumnHidden(c, True)
    else:
        view.setSortingEnabled(True)
        view.setAlternatingRowColors(True)
        head = view.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((300, 180, 110, 110, 160, 140)):
            view.setColumnWidth(col, width)
        view.setColumnHidden(5, True)
    return view, proxy


class DocumentAnnotations(QWidget):
    """Hypothesis-style sidebar: every highlight, note and claim of the open document."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, document_id: Callable[[], str | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self._document_id = db, document_id
        self.model = PassagesModel("annotation", self)
        self.view, self.proxy = _list_view(self.model, self, two_lines=True)
        self.proxy.setFilterKeyColumn(5)
        self.info = plain.label("")
        self.info.setWordWrap(True)
        self.tag_filter = QComboBox(self)
        self.tag_filter.setToolTip("Show only passages with this tag (or its sub-tags)")
        self.tag_filter.currentIndexChanged.connect(self._filter)
        self.view.clicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._claim)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.info)
        lay.addWidget(self.tag_filter)
        lay.addWidget(self.view, 1)
        self.refresher = Refresher(self)
        self.dirty = True

    def fetcher(self) -> Callable[[], Any]:
        doc = self._document_id()
        return partial(_in_document, self.db, doc)

    def reload(self) -> None:
        """Load now if shown, else when next shown."""
        self.dirty = True
        if self.isVisible():
            self.dirty = False
            self.refresher.request()

    def showEvent(self, e) -> None:
        super().showEvent(e)
        if self.dirty:
            self.reload()

    def show_data(self, rows: list[Passage] | None) -> None:
        if rows is None:
            self.model.set_rows([])
            self.info.setText("Open a document to see its highlights, notes and claims here.")
            self.tag_filter.hide()
            return
        self.model.set_rows(rows)
        notes = sum(1 for p in rows if p.note)
        claims = len({c for p in rows for c in p.claim_ids})
        self.info.setText(f"{len(rows)} highlight(s), {notes} note(s), {claims} claim(s) in "
                          "this document. Click one to go to it; double-click a passage that "
                          "backs a claim to select the claim.")
        current = self.tag_filter.currentText()
        tags = sorted({t for p in rows for t in p.tags}, key=str.casefold)
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItems([ALL_TAGS, *tags])
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findText(current)))
        self.tag_filter.blockSignals(False)
        self.tag_filter.setVisible(bool(tags))
        self._filter()

    def show_error(self, message: str) -> None:
        self.info.setText(message)

    def _filter(self, *_a) -> None:
        tag = self.tag_filter.currentText()
        if not tag or tag == ALL_TAGS:
            self.proxy.setFilterRegularExpression("")
        else:  # the tag or any of its sub-tags, in the comma-joined tag column
            self.proxy.setFilterRegularExpression(rf"(^|, ){re.escape(tag)}(/[^,]*)?(,|$)")

    def passage_at(self, index: QModelIndex) -> Passage | None:
        if not index.isValid():
            return None
        row = self.model.row_of(index.data(IdRole))
        return self.model.rows[row] if row >= 0 else None

    def _open(self, index: QModelIndex) -> None:
        p = self.passage_at(index)
        if p is not None and p.anchor != "orphan":
            self.passageRequested.emit(p.document_id, p.start, p.end)

    def _claim(self, index: QModelIndex) -> None:
        p = self.passage_at(index)
        if p is not None and p.claim_ids:
            self.claimRequested.emit(p.claim_ids[0])


def _in_document(db: Database, document_id: str | None) -> list[Passage] | None:
    return None if not document_id else passages.in_document(db, document_id=document_id)


class TagPassages(QWidget):
    """The passages of the tag selected in the codebook (sub-tags included unless unticked),
    with their sources; double-click opens one; export as CSV or HTML."""

    passageRequested = Signal(str, int, int)

    def __init__(self, db: Database, case_id: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self._case_id = db, case_id
        self.tag_path = ""
        self.model = PassagesModel("source", self)
        self.view, self.proxy = _list_view(self.model, self, two_lines=False)
        self.title = plain.label("Select a tag to see its passages")
        self.title.setWordWrap(True)
        self.subtags = QCheckBox("with sub-tags", self)
        self.subtags.setChecked(True)
        self.subtags.toggled.connect(lambda _on: self.reload())
        self.csv_button = QPushButton("CSV…", self)
        self.csv_button.setToolTip("Export these passages for a spreadsheet")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.html_button = QPushButton("HTML…", self)
        self.html_button.setToolTip("Export these passages as a page to read or print")
        self.html_button.clicked.connect(lambda: self.export("html"))
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        bar = FlowLayout()  # wraps in a narrow case file rather than widening it
        bar.setContentsMargins(0, 0, 0, 0)
        for wdg in (self.subtags, self.csv_button, self.html_button):
            bar.addWidget(wdg)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.title)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self.refresher = Refresher(self)
        self._buttons()

    def show_tag(self, path: str) -> None:
        self.tag_path = path
        self.reload()

    def reload(self) -> None:
        if self.tag_path and self._case_id():
            self.refresher.request()
        else:
            self.model.set_rows([])
            self.title.setText("Select a tag to see its passages")
            self._buttons()

    def fetcher(self) -> Callable[[], Any]:
        return partial(passages.by_tag, self.db, case_id=self._case_id(), tag=self.tag_path,
                       with_subtags=self.subtags.isChecked())

    def show_data(self, rows: list[Passage]) -> None:
        self.model.set_rows(rows)
        docs = len({p.document_id for p in rows})
        self.title.setText(f"“{self.tag_path}”: {len(rows)} passage(s) in {docs} document(s)")
        self._buttons()

    def show_error(self, message: str) -> None:
        self.model.set_rows([])
        self.title.setText(message)
        self._buttons()

    def _buttons(self) -> None:
        for b in (self.csv_button, self.html_button):
            b.setEnabled(bool(self.model.rows))

    def _open(self, index: QModelIndex) -> None:
        row = self.model.row_of(index.data(IdRole)) if index.isValid() else -1
        if row >= 0:
            p = self.model.rows[row]
            self.passageRequested.emit(p.document_id, p.start, p.end)

    def export(self, fmt: str, path: str | None = None) -> Path | None:
        """Write the listed passages as ``fmt`` ("csv" or "html"); asks where unless given."""
        from casefile.db.files import atomic_write
        from casefile.exchange.passages_export import write_passages_csv, write_passages_html

        if path is None:
            name = save_paths.safe_name(self.tag_path.replace("/", " - "), f".{fmt}")
            path, _ = filedialogs.save_file_name(
                self, "Export passages", str(save_paths.suggested_path(name)),
                "CSV (*.csv)" if fmt == "csv" else "HTML (*.html)")
            if not path:
                return None
        rows = list(self.model.rows)
        title = f"Passages tagged “{self.tag_path}”"

        def write(p: Path) -> None:
            enc = "utf-8-sig" if fmt == "csv" else "utf-8"
            with p.open("w", encoding=enc, newline="") as fh:
                (write_passages_csv(rows, fh) if fmt == "csv"
                 else write_passages_html(rows, fh, title=title))
        try:
            out = atomic_write(path, write, db_path=getattr(self.db, "path", None),
                               what="export")
        except (OSError, CasefileError) as exc:
            plain.warning(self, "Export passages", str(exc))
            return None
        save_paths.remember(out)
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(f"{len(rows)} passage(s) written to {out}", 6000)
        return out
