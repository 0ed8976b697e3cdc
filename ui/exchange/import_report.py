"""What an import did, file by file: the one-line summary and the report dialog."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casefile.importers import ImportResult
from ui.base import plain


def import_summary(results: Sequence[ImportResult]) -> str:
    """"3 imported, 1 already in the case, 1 refused" — a file already there is not counted
    as imported (nothing was stored)."""
    new = sum(1 for r in results if r.ok and not r.duplicate_of)
    known = sum(1 for r in results if r.duplicate_of)
    refused = sum(1 for r in results if r.error)
    parts = [f"{new} of {len(results)} file(s) imported"]
    if known:
        parts.append(f"{known} already in the case")
    if refused:
        parts.append(f"{refused} refused")
    boxes = [r.summary for r in results if r.ok and r.summary]  # Telegram exports, mail …
    return ", ".join(parts) + (" — " + "; ".join(boxes) if boxes else "")


class ImportReport(QDialog):
    """One row per file: imported, imported with a warning, or why it was refused."""

    def __init__(self, results: Sequence[ImportResult], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(640, 300)
        lay = QVBoxLayout(self)
        summary = plain.label(import_summary(results) + ".")  # names from files: plain text
        summary.setWordWrap(True)
        lay.addWidget(summary)
        self.table = QTableWidget(len(results), 2)
        self.table.setHorizontalHeaderLabels(["File", "Result"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, r in enumerate(results):
            self.table.setItem(row, 0, QTableWidgetItem(Path(r.file).name))
            text = (f"Not imported: {r.error}" if r.error else
                    r.summary + (f". Note: {r.warning}" if r.warning else "") if r.summary else
                    f"Not imported again: {r.warning}" if r.duplicate_of else
                    f"Imported, but: {r.warning}" if r.warning else
                    f"Imported: {r.note}" if r.note else "Imported")
            item = QTableWidgetItem(text)
            item.setToolTip(plain.tooltip(text))
            if r.error:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.table.setItem(row, 1, item)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnToContents(0)
        self.table.resizeRowsToContents()
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)
