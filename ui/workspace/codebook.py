"""Editing the case file's entities (names, kind, grade, aliases) and tags (name, colour)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casefile.errors import CasefileError
from casefile.services.records import EntityRecord, TagRecord
from casefile.vocab import ENTITY_KINDS, RELIABILITY_GRADES
from ui.base import plain
from ui.base.tables import IdRole
from ui.workspace.merge_dialog import merge_entity

if TYPE_CHECKING:
    from ui.shell.window import MainWindow

GRADES = ("", *RELIABILITY_GRADES)
GRADE_NAMES = {"": "not graded", "A": "A — reliable", "B": "B — usually reliable",
               "C": "C — fairly reliable", "D": "D — not usually reliable",
               "E": "E — unreliable", "F": "F — reliability cannot be judged"}


class EntityDialog(QDialog):
    """Name, kind, source reliability, description and every spelling of one entity. Aliases
    seen in a document say which; removing one keeps the others."""

    def __init__(self, entity: EntityRecord, doc_titles: dict[str, str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.entity = entity
        self.setWindowTitle(f"Entity — {entity.name}")
        self.setMinimumWidth(460)
        self.name = QLineEdit(entity.name)
        self.kind = QComboBox()
        self.kind.addItems(list(ENTITY_KINDS))
        self.kind.setCurrentText(entity.kind)
        self.grade = QComboBox()
        for g in GRADES:
            self.grade.addItem(GRADE_NAMES[g], g)
        self.grade.setCurrentIndex(GRADES.index(entity.reliability or ""))
        self.description = QLineEdit(entity.description)
        self.aliases = QListWidget()
        for a in entity.aliases:
            seen = doc_titles.get(a.document_id or "", "")
            item = QListWidgetItem(a.name + (f"   (seen in “{seen}”)" if seen else ""))
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.aliases.addItem(item)
        self.new_alias = QLineEdit(placeholderText="another spelling, a nom de guerre …")
        self.new_alias.returnPressed.connect(self._add_alias)
        add = QPushButton("Add")
        add.clicked.connect(self._add_alias)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._remove_alias)
        row = QHBoxLayout()
        row.addWidget(self.new_alias, 1)
        row.addWidget(add)
        row.addWidget(remove)
        self.error = plain.label()
        self.error.setStyleSheet("color:#c62828")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("&Reliability as a source", self.grade)
        form.addRow("&Description", self.description)
        form.addRow("&Aliases", self.aliases)
        form.addRow("", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.added: list[str] = []
        self.removed: list[str] = []

    def _add_alias(self) -> None:
        name = self.new_alias.text().strip()
        if name:
            item = QListWidgetItem(name + "   (new)")
            self.aliases.addItem(item)
            self.added.append(name)
            self.new_alias.clear()

    def _remove_alias(self) -> None:
        for item in self.aliases.selectedItems():
            alias_id = item.data(Qt.ItemDataRole.UserRole)
            if alias_id:
                self.removed.append(alias_id)
            else:
                self.added.remove(item.text().removesuffix("   (new)"))
            self.aliases.takeItem(self.aliases.row(item))

    def changes(self) -> dict:
        """Keyword arguments for ``Controller.edit_entity``."""
        return {"name": self.name.text().strip(), "kind": self.kind.currentText(),
                "reliability": self.grade.currentData(),
                "description": self.description.text().strip(),
                "add_aliases": tuple(self.added), "remove_aliases": tuple(self.removed)}


class TagDialog(QDialog):
    """A tag's name, colour (used to draw its passages) and description."""

    def __init__(self, tag: TagRecord, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Tag — {tag.path}")
        self.name = QLineEdit(tag.name)
        self.color = QColor(tag.color) if tag.color else QColor("#f4d03f")
        self.color_button = QPushButton()
        self.color_button.clicked.connect(self._pick)
        self._show_color()
        self.description = QLineEdit(tag.description)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Colour", self.color_button)
        form.addRow("&Description", self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def _show_color(self) -> None:
        pix = QPixmap(16, 16)
        pix.fill(self.color)
        self.color_button.setIcon(QIcon(pix))
        self.color_button.setText(self.color.name())

    def _pick(self) -> None:
        chosen = QColorDialog.getColor(self.color, self, "Tag colour")
        if chosen.isValid():
            self.color = chosen
            self._show_color()

    def changes(self) -> dict:
        return {"name": self.name.text().strip(), "color": self.color.name(),
                "description": self.description.text().strip()}


def _doc_titles(w: MainWindow) -> dict[str, str]:
    return {d.id: d.title for d in w.documents_model.rows}


def _report(w: MainWindow, title: str, exc: CasefileError) -> None:
    plain.warning(w, title, str(exc))


def edit_entity(w: MainWindow, entity: EntityRecord) -> EntityDialog:
    """Open the entity editor; Save applies every change as one undoable step."""
    dialog = EntityDialog(entity, _doc_titles(w), w)

    def save() -> None:
        try:
            w.controller.edit_entity(entity.id, **dialog.changes())
        except CasefileError as exc:
            dialog.error.setText(str(exc))
            dialog.show()
            return
        w.statusBar().showMessage(f"Saved {dialog.name.text().strip()}", 4000)

    dialog.accepted.connect(save)
    dialog.open()
    return dialog


def new_entity(w: MainWindow, kind: str = "person") -> None:
    name, ok = QInputDialog.getText(w, "New entity", f"Name of the new {kind}:")
    if ok and name.strip():
        try:
            w.controller.create_entity(name.strip(), kind=kind)
        except CasefileError as exc:
            _report(w, "New entity", exc)


def delete_entity(w: MainWindow, entity: EntityRecord) -> None:
    try:
        w.controller.delete_entity(entity.id)
    except CasefileError as exc:
        _report(w, "Delete entity", exc)


def edit_tag(w: MainWindow, tag: TagRecord) -> TagDialog:
    dialog = TagDialog(tag, w)

    def save() -> None:
        try:
            w.controller.update_tag(tag.id, **dialog.changes())
        except CasefileError as exc:
            _report(w, "Edit tag", exc)

    dialog.accepted.connect(save)
    dialog.open()
    return dialog


def new_tag(w: MainWindow, parent: TagRecord | None = None) -> None:
    where = f" under “{parent.path}”" if parent else ""
    name, ok = QInputDialog.getText(w, "New tag", f"Name of the new tag{where}:")
    if ok and name.strip():
        try:
            w.controller.create_tag(name.strip(), parent_id=parent.id if parent else None)
        except CasefileError as exc:
            _report(w, "New tag", exc)


def delete_tag(w: MainWindow, tag: TagRecord) -> None:
    answer = plain.question(
        w, "Delete tag", f"Delete the tag “{tag.path}” and its sub-tags? Passages keep their "
        "claims and notes; this cannot be undone.")
    if answer == QMessageBox.StandardButton.Yes:
        w.controller.delete_tag(tag.id)


def install(w: MainWindow) -> None:
    """Context menus on the Entities and Tags trees; double-click on a tag edits it."""
    ents = w.case_panel.entities_view
    ents.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    ents.customContextMenuRequested.connect(lambda pos: _entity_menu(w, pos))
    tags_view = w.case_panel.tags_view
    tags_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    tags_view.customContextMenuRequested.connect(lambda pos: _tag_menu(w, pos))
    tags_view.doubleClicked.connect(lambda index: _edit_tag_at(w, index))


def _entity_menu(w: MainWindow, pos: QPoint) -> QMenu:
    view = w.case_panel.entities_view
    index = view.indexAt(pos)
    entity = w.entities_model.entity(index) if index.isValid() else None
    menu = QMenu(view)
    if entity is not None:
        menu.addAction("&Profile…", lambda: w.workspace.show_profile(entity.id))
        menu.addAction("&Edit…", lambda: edit_entity(w, entity))
        _kind_menu(w, menu, entity)
        menu.addAction("Show &claims", lambda: w.show_entity_claims(entity.id))
        menu.addAction("Find &mentions…", lambda: w.find_mentions(entity.id))
        menu.addAction("Me&rge into…", lambda: merge_entity(w, entity))
        menu.addSeparator()
        menu.addAction("&Delete", lambda: delete_entity(w, entity))
        menu.addSeparator()
    kind = entity.kind if entity else str(index.data(IdRole) or "kind:person").split(":")[-1]
    if kind not in ENTITY_KINDS:
        kind = "person"
    menu.addAction(f"&New {kind}…", lambda: new_entity(w, kind))
    menu.popup(view.viewport().mapToGlobal(pos))
    return menu


def _kind_menu(w: MainWindow, menu: QMenu, entity: EntityRecord) -> QMenu:
    """"Kind ›": put a wrongly guessed kind right in one undoable step."""
    kinds = menu.addMenu("&Kind")
    for kind in ENTITY_KINDS:
        act = kinds.addAction(kind, lambda kind=kind: set_kind(w, entity, kind))
        act.setCheckable(True)
        act.setChecked(kind == entity.kind)
    return kinds


def set_kind(w: MainWindow, entity: EntityRecord, kind: str) -> None:
    if kind == entity.kind:
        return
    try:
        w.controller.update_entity(entity.id, kind=kind)
    except CasefileError as exc:
        _report(w, "Entity kind", exc)
        return
    w.statusBar().showMessage(f"{entity.name} is now listed as {kind} (Ctrl+Z to undo)", 4000)


def _tag_at(w: MainWindow, index) -> TagRecord | None:
    tag_id = index.data(IdRole) if index.isValid() else None
    return next((n.payload for n in w.tag_nodes() if n.payload.id == tag_id), None)


def _edit_tag_at(w: MainWindow, index) -> None:
    tag = _tag_at(w, index)
    if tag is not None:
        edit_tag(w, tag)


def _tag_menu(w: MainWindow, pos: QPoint) -> QMenu:
    view = w.case_panel.tags_view
    tag = _tag_at(w, view.indexAt(pos))
    menu = QMenu(view)
    if tag is not None:
        menu.addAction("&Edit…", lambda: edit_tag(w, tag))
        menu.addAction("New &sub-tag…", lambda: new_tag(w, tag))
        menu.addSeparator()
        menu.addAction("&Delete…", lambda: delete_tag(w, tag))
        menu.addSeparator()
    menu.addAction("&New tag…", lambda: new_tag(w))
    menu.popup(view.viewport().mapToGlobal(pos))
    return menu
