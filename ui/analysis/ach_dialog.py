"""The dialog for one hypothesis: a statement, optionally structured like a claim."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from casefile.errors import CasefileError
from casefile.services.hypotheses import Hypothesis, HypothesisInput
from casefile.vocab import CLAIM_KINDS, STANCES
from ui.base import plain


def _names(combo: QComboBox, names: Sequence[str], current: str) -> QComboBox:
    combo.setEditable(True)
    combo.addItem("")
    combo.addItems(list(names))
    combo.setCurrentText(current)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class HypothesisDialog(QDialog):
    """Add or edit a hypothesis. ``save(data)`` is called on OK; a ``CasefileError`` it raises
    is shown in the dialog (which stays open, nothing changed). With a subject and a kind the
    hypothesis is structured and Casefile suggests ratings for it."""

    def __init__(self, save: Callable[[HypothesisInput], object], entity_names: Sequence[str],
                 current: Hypothesis | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.save = save
        self.result_value: object = None
        self.setWindowTitle("Edit hypothesis" if current else "Add hypothesis")
        h = current
        self.statement = QLineEdit(h.statement if h else "")
        self.statement.setPlaceholderText("e.g. He was killed in Syria in August 2020")
        self.subject = _names(QComboBox(), entity_names, h.subject if h else "")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(["", *CLAIM_KINDS])
        self.kind.setCurrentText(h.kind if h else "")
        self.value = QLineEdit(h.value if h else "")
        self.object = _names(QComboBox(), entity_names, h.object if h else "")
        self.date = QLineEdit(h.date if h else "")
        self.date.setPlaceholderText("2020, August 2020, 3 Aug 2020, ~2017")
        self.date_end = QLineEdit(h.date_end if h else "")
        self.date_end.setPlaceholderText("for a range: its last date")
        self.place = _names(QComboBox(), entity_names, h.place if h else "")
        self.stance = QComboBox()
        self.stance.addItems(list(STANCES))
        self.stance.setCurrentText(h.stance if h else "asserts")
        self.note = QPlainTextEdit(h.note if h else "")
        self.note.setFixedHeight(60)
        self.error = plain.label()
        self.error.setStyleSheet("color: #a00")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (("Statement", self.statement), ("Subject", self.subject),
                              ("Kind", self.kind), ("Value", self.value),
                              ("Object", self.object), ("Date", self.date),
                              ("… until", self.date_end), ("Place", self.place),
                              ("Stance", self.stance), ("Note", self.note)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        hint = plain.label("With a subject and a kind, Casefile suggests how each claim bears "
                           "on the hypothesis; you accept or override each suggestion.")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def data(self) -> HypothesisInput:
        return HypothesisInput(
            self.statement.text(), self.subject.currentText(), self.kind.currentText(),
            self.object.currentText(), self.value.text(), self.date.text(),
            self.date_end.text(), self.place.currentText(), self.stance.currentText(),
            self.note.toPlainText())

    def accept(self) -> None:
        try:
            self.result_value = self.save(self.data())
        except CasefileError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
