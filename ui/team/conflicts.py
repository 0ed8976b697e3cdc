"""The "Sync conflicts" panel: fields changed here and by a teammate, side by side; the analyst
keeps theirs, keeps their own, or types the value that settles it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casefile.sync.engine import ConflictRecord
from ui.base import plain
from ui.base.tables import RowsTable

KIND_NAMES = {"case": "Case", "entities": "Entity", "documents": "Document", "aliases": "Alias",
          "tags": "Tag", "highlights": "Highlight", "claims": "Claim", "claim_links": "Link",
          "conflict_resolutions": "Resolution", "hypotheses": "Hypothesis",
          "ach_passages": "Matrix passage", "hypothesis_ratings": "Rating"}


def shown(value: Any) -> str:
    """A field's value as one line of plain text."""
    if value is None:
        return "(empty)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:119] + "…"


class ConflictsModel(RowsTable):
    """Rows of ``ConflictRecord``; ``refresh()`` reloads them from ``fetch``."""

    headers = ("Record", "Field", "Mine (here)", "Theirs (server)")

    def __init__(self, fetch: Callable[[], list[ConflictRecord]], parent=None):
        super().__init__((), parent)
        self.fetch = fetch

    def refresh(self) -> None:
        self.set_rows(self.fetch())

    def cell(self, c: ConflictRecord, column: int) -> Any:
        record = shown(c.label) if c.label else c.record_id
        return (f"{KIND_NAMES.get(c.type, c.type)}: {record}", c.field, shown(c.mine),
                shown(c.theirs))[column]

    def tooltip(self, c: ConflictRecord, column: int) -> str | None:
        value = (c.label, c.field, c.mine, c.theirs)[column]
        return plain.tooltip(value if isinstance(value, str) else shown(value))


class ConflictsPanel(QWidget):
    """The table and its three buttons; emits ``resolve(conflict_id, keep, value)``."""

    resolve = Signal(str, str, object)

    def __init__(self, model: ConflictsModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.view = QTableView()
        self.view.setModel(model)
        self.view.setObjectName("syncConflicts")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.shared = True  # the team room says when the open case is not shared
        self.explain = plain.label("No sync conflicts: every change merged by itself.")
        self.explain.setWordWrap(True)
        self.mine = QPushButton("Keep mine")
        self.mine.setToolTip("Keep this laptop's value; it goes to the server at the next sync")
        self.theirs = QPushButton("Keep theirs")
        self.theirs.setToolTip("Take the value from the server")
        self.edit = QPushButton("Edit…")
        self.edit.setToolTip("Type the value that settles it (for text fields)")
        buttons = QHBoxLayout()
        for b in (self.mine, self.theirs, self.edit):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.mine.clicked.connect(lambda: self._settle("mine"))
        self.theirs.clicked.connect(lambda: self._settle("theirs"))
        self.edit.clicked.connect(self._edit)
        model.modelReset.connect(self._update)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    def current(self) -> ConflictRecord | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows and self.model.rows:
            return self.model.rows[0]
        return self.model.rows[rows[0].row()] if rows else None

    def set_shared(self, shared: bool) -> None:
        """Whether the open case syncs with a server (an unshared case has nothing to merge)."""
        self.shared = shared
        self._update()

    def _update(self) -> None:
        n = len(self.model.rows)
        self.explain.setText(
            f"{n} field(s) were changed here and by a teammate to different values. Your "
            "value stays here, unsent, until you choose." if n else
            "No sync conflicts: every change merged by itself." if self.shared else
            "This case is not shared: File › Share case… puts it on your team's server. "
            "Edits made here and by a teammate to the same field will show here.")
        c = self.current()
        for b in (self.mine, self.theirs):
            b.setEnabled(c is not None)
        self.edit.setEnabled(c is not None and c.field != "(deleted)"
                             and isinstance(c.mine, str | type(None)))
        if n and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _settle(self, keep: str) -> None:
        c = self.current()
        if c is not None:
            self.resolve.emit(c.id, keep, None)

    def _edit(self) -> None:
        c = self.current()
        if c is None:
            return
        value, ok = QInputDialog.getMultiLineText(
            self, "Settle the conflict", f"The value of “{c.field}” for everyone:",
            c.mine if isinstance(c.mine, str) else "")
        if ok:
            self.resolve.emit(c.id, "edit", value)
