"""Entities › Merge into…: pick the entity this one is (most alike first); one undoable step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.names import NameEntry, name_score
from casefile.errors import CasefileError
from casefile.services import entities
from casefile.services.records import EntityRecord
from ui.base import plain
from ui.base.merges import MergeEntities

if TYPE_CHECKING:
    from ui.shell.window import MainWindow



def ranked(entity: EntityRecord, others: list[EntityRecord]) -> list[EntityRecord]:
    """Other entities, those of the same kind first, then the most alike by name."""
    mine = NameEntry(entity.id, entity.name, entity.kind, tuple(a.name for a in entity.aliases))

    def likeness(e: EntityRecord) -> float:
        return max(name_score(a, b)[0] for a in mine.names
                   for b in (e.name, *(x.name for x in e.aliases)))

    return sorted((e for e in others if e.id != entity.id),
                  key=lambda e: (e.kind != entity.kind, -likeness(e), e.name.casefold()))


class MergeDialog(QDialog):
    """"Merge “Gulmorod” into:" a filterable list; Merge folds this entity into the chosen one
    (its spellings, claims and mentions move there; its name becomes an alias)."""

    def __init__(self, entity: EntityRecord, others: list[EntityRecord],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.entity = entity
        self.setWindowTitle("Merge entity")
        self.setMinimumSize(420, 360)
        intro = plain.label(f"Merge “{entity.name}” into the entity it is. Its spellings, "
                            "claims and mentions move there and its name becomes one of its "
                            "aliases. Ctrl+Z undoes.")
        intro.setWordWrap(True)
        self.filter = QLineEdit(placeholderText="Filter")
        self.list = QListWidget()
        for e in ranked(entity, others):
            item = QListWidgetItem(f"{e.name}  ({e.kind})")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.filter.textChanged.connect(self._filter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        lay = QVBoxLayout(self)
        for w in (intro, self.filter, self.list, buttons):
            lay.addWidget(w)

    def _filter(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(text.casefold() not in item.text().casefold())

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def merge_entity(w: MainWindow, entity: EntityRecord) -> MergeDialog:
    """Open the merge dialog for ``entity`` (window-modal, not blocking); Merge pushes one
    undoable merge onto the window's undo stack."""
    others = entities.list_entities(w.db, case_id=w.controller.case_id)
    dialog = MergeDialog(entity, others, w)

    def merge() -> None:
        keep = dialog.chosen()
        if keep is None:
            return
        name = next(e.name for e in others if e.id == keep)
        try:
            w.controller.apply(MergeEntities(w.controller, keep, entity.id,
                                             f"Merge {entity.name} into {name}"))
        except CasefileError as exc:
            plain.warning(w, "Merge entity", str(exc))
            return
        w.statusBar().showMessage(f"Merged “{entity.name}” into “{name}” (Ctrl+Z undoes)", 6000)

    dialog.accepted.connect(merge)
    dialog.open()
    return dialog
