"""The claim editor: kind, subject, object or value, date, place, origin, grades; Enter saves."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from casefile import dates
from casefile.errors import CasefileError
from casefile.services import identity
from casefile.services.claims import ClaimInput
from casefile.services.records import ClaimRecord, EntityRecord
from casefile.vocab import (
    CLAIM_KINDS,
    ENTITY_KINDS,
    RELIABILITY_GRADES,
    STANCES,
    guess_entity_kind,
)
from ui.base import plain
from ui.workspace.claim_hints import DidYouMean, reserved_row

CREDIBILITY = ("1 — confirmed", "2 — probably true", "3 — possibly true", "4 — doubtful",
               "5 — improbable", "6 — cannot be judged")
RELIABILITY = ("", "A — reliable", "B — usually reliable", "C — fairly reliable",
               "D — not usually reliable", "E — unreliable", "F — cannot be judged")
OK_STYLE = "color:#2e7d32"
WARN_STYLE = "color:#e65100"
ERR_STYLE = "color:#c62828"


class _Statement(QPlainTextEdit):
    """Multi-line statement where Enter saves and Shift+Enter breaks the line."""

    def __init__(self, on_enter: Callable[[], None]):
        super().__init__()
        self._on_enter = on_enter
        self.setTabChangesFocus(True)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                e.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self._on_enter()
            return
        super().keyPressEvent(e)


class KindChoice(QComboBox):
    """What the entity named in a field is: a known entity's kind (fixed), else a guess
    (``guess_entity_kind``) that follows the typing until the analyst picks a kind."""

    def __init__(self, field: str, kinds: Sequence[str], tip: str):
        super().__init__()
        self.field = field
        self.addItems(list(kinds))
        self.setToolTip(tip)
        self.chosen = False  # the analyst picked a kind: stop guessing
        self.activated.connect(lambda _i: setattr(self, "chosen", True))

    def follow(self, known: EntityRecord | None, name: str, claim_kind: str) -> None:
        self.setEnabled(known is None and bool(name.strip()))  # only a new name has a choice
        kind = known.kind if known is not None else guess_entity_kind(
            name, field=self.field, claim_kind=claim_kind) if name.strip() else ""
        if kind and self.findText(kind) >= 0 and not self.chosen:
            self.setCurrentText(kind)


class ClaimEditor(QDialog):
    """Collects a ``ClaimInput`` and hands it to ``save``; stays open showing the error if
    ``save`` raises a ``CasefileError``."""

    def __init__(self, *, entities: Sequence[EntityRecord], save: Callable[[ClaimInput], object],
                 statement: str = "", evidence_label: str = "",
                 reference: dates.PartialDate | None = None,
                 claim: ClaimRecord | None = None, suggestion: str = "",
                 suggested_origin: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit claim" if claim else "New claim")
        self.setMinimumWidth(520)
        self._save = save
        self._reference = reference
        self._confirmed_date = ""
        self._records = list(entities)
        self._entities = {e.name.casefold(): e for e in entities}
        self._names_by_id = {e.id: e.name for e in entities}
        self._aliases = {a.name.casefold(): e for e in entities for a in e.aliases}
        names = sorted({e.name for e in entities} | {a.name for e in entities for a in e.aliases},
                       key=str.casefold)
        self.result_value: object = None

        self.kind = QComboBox(editable=True)
        self.kind.addItems(list(CLAIM_KINDS))
        self.statement = _Statement(self.accept)
        self.statement.setPlainText(statement)
        self.statement.setFixedHeight(72)
        self.subject = self._entity_edit(names, "who or what the claim is about")
        self.subject_hint = plain.label()
        self.did_you_mean = DidYouMean(self)  # a new name close to a known entity's
        self.object = self._entity_edit(names, "another entity (for relationships, roles …)")
        self.value = QLineEdit(placeholderText="or a literal value, e.g. “killed”, “commander”")
        self.date = QLineEdit(placeholderText="2017, April 2015, 3 August 2020, ~2017 …")
        self.date_hint = plain.label()
        self.place = self._entity_edit(names, "where it happened")
        self.origin = self._entity_edit(names, "who asserts it (minister, outlet, sources)")
        self.via = QLineEdit(placeholderText="who passed it on, origin first; separate with ;")
        self.via.setToolTip("Intermediaries between the origin and the reporting outlet, e.g. "
                            "“The Daily Lantern” when an outlet cites the Lantern citing "
                            "military sources.")
        self.origin_kind = KindChoice("origin", ("person", "organization", "other"),
                                      "What a new origin is: a minister or a witness is a "
                                      "person; “military sources” or a ministry an "
                                      "organization")
        self.subject_kind = KindChoice("subject", ENTITY_KINDS,
                                       "What a new subject is (guessed from the name)")
        self.object_kind = KindChoice("object", ENTITY_KINDS,
                                      "What a new object is: the object of a membership or "
                                      "role (“Islamic State”) is an organization")
        self.reliability = QComboBox()
        self.reliability.addItems(list(RELIABILITY))
        self.stance = QComboBox()
        self.stance.addItems(list(STANCES))
        self.credibility = QComboBox()
        self.credibility.addItems(list(CREDIBILITY))
        self.credibility.setCurrentIndex(5)
        self.note = QLineEdit(placeholderText="your note")
        self.error = plain.label()
        self.error.setStyleSheet(ERR_STYLE)
        self.error.setWordWrap(True)
        for hint in (self.subject_hint, self.date_hint):
            hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Kind", self.kind)
        form.addRow("&Statement", self.statement)
        form.addRow(self._buddy("S&ubject", self.subject), self._with_kind(self.subject,
                                                                           self.subject_kind))
        form.addRow("", reserved_row(self.subject_hint, self.did_you_mean))
        form.addRow(self._buddy("&Object", self.object), self._with_kind(self.object,
                                                                          self.object_kind))
        form.addRow("&Value", self.value)
        form.addRow("&Date", self.date)
        form.addRow("", reserved_row(self.date_hint))
        form.addRow("&Place", self.place)
        form.addRow("O&rigin", self.origin)
        grade = QHBoxLayout()
        grade.addWidget(QLabel("is a"))
        grade.addWidget(self.origin_kind)
        grade.addWidget(QLabel("of reliability"))
        grade.addWidget(self.reliability, 1)
        form.addRow("", grade)
        form.addRow("V&ia", self.via)
        form.addRow("S&tance", self.stance)
        form.addRow("&Credibility", self.credibility)
        if suggestion:  # from independent corroboration: a suggestion, never imposed
            self.suggestion = plain.label(suggestion)
            self.suggestion.setWordWrap(True)
            self.suggestion.setStyleSheet("color:#455a64")
            form.addRow("", self.suggestion)
        form.addRow("&Note", self.note)
        lay = QVBoxLayout(self)
        self.evidence_label = plain.label(evidence_label)
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setStyleSheet("color:#455a64")
        self.evidence_label.setVisible(bool(evidence_label))
        lay.addWidget(self.evidence_label)
        lay.addLayout(form)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.cancel)
        lay.addWidget(buttons)

        self.subject.textChanged.connect(self._follow_kinds)  # before the hint that names it
        self.subject.textChanged.connect(self._subject_feedback)
        self.date.textChanged.connect(self._date_feedback)
        self.origin.textChanged.connect(self._origin_grade)
        self.object.textChanged.connect(self._follow_kinds)
        self.kind.currentTextChanged.connect(self._follow_kinds)
        self.subject_kind.currentTextChanged.connect(
            lambda _k: self._subject_feedback(self.subject.text()))
        if claim is not None:
            self._fill(claim)
        else:  # the kind used last (an analyst records runs of one kind), never a silent "death"
            self.kind.setCurrentText(ClaimEditor.last_kind)
            named = identity.named_in(statement, entities)  # who the passage names
            if named is not None:
                self.subject.setText(named.name)
            if suggested_origin:  # the document's own origin (a forwarded post's source)
                self.origin.setText(suggested_origin)
                self.origin.setToolTip(plain.tooltip(
                    f"Suggested by the document: its content comes from "
                    f"{suggested_origin}. Change it if the passage quotes someone else."))
        self._subject_feedback(self.subject.text())
        self._date_feedback(self.date.text())
        self._initial = self._snapshot()
        self.subject.setFocus()

    last_kind = "other"  # the kind of the last claim saved in this session

    def _snapshot(self) -> tuple[str, ...]:
        fields = (self.subject, self.object, self.value, self.date, self.place, self.origin,
                  self.via, self.note)
        return (*(w.text() for w in fields), self.statement.toPlainText(),
                self.kind.currentText())

    def cancel(self) -> bool:
        """Escape, Cancel or the window's close button: close at once when nothing was typed;
        otherwise ask before discarding it. Returns whether the editor closed."""
        if self._snapshot() != self._initial and plain.question(
                self, self.windowTitle(), "Discard what you typed in this claim?"
        ) != QMessageBox.StandardButton.Yes:
            return False
        self.reject()
        return True

    def keyPressEvent(self, e) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(e)

    def closeEvent(self, e) -> None:
        if e.spontaneous() and self.isVisible() and self.result() == 0 and not self.cancel():
            e.ignore()
            return
        super().closeEvent(e)

    @staticmethod
    def _buddy(text: str, edit: QLineEdit) -> QLabel:
        label = QLabel(text)
        label.setBuddy(edit)  # Alt+letter reaches the field
        return label

    @staticmethod
    def _with_kind(edit: QLineEdit, kind: KindChoice) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(QLabel("is a"))
        row.addWidget(kind)
        return row

    def _follow_kinds(self, _text: str = "") -> None:
        """A new subject's and object's kinds follow their names and the claim's kind."""
        claim_kind = self.kind.currentText().strip()
        for edit, choice in ((self.subject, self.subject_kind), (self.object, self.object_kind)):
            choice.follow(self.lookup(edit.text())[0], edit.text(), claim_kind)

    def _entity_edit(self, names: list[str], placeholder: str) -> QLineEdit:
        edit = QLineEdit(placeholderText=placeholder)
        comp = QCompleter(names, edit)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(comp)
        return edit

    def _fill(self, c: ClaimRecord) -> None:
        self.kind.setCurrentText(c.kind)
        self.statement.setPlainText(c.statement)
        self.subject.setText(c.subject)
        self.object.setText(c.object)
        self.value.setText(c.value)
        p = dates.parse_stored(c.date)
        self.date.setText(p.human() if p else c.date)
        self.place.setText(c.place)
        self.origin.setText(c.origin)
        self.via.setText("; ".join(self._names_by_id.get(v, v) for v in c.via))
        self.stance.setCurrentText(c.stance)
        self.credibility.setCurrentIndex(c.credibility - 1)
        self.note.setText(c.note)

    def lookup(self, name: str) -> tuple[EntityRecord | None, bool]:
        """The entity a typed name means, and whether it matched by alias."""
        key = name.strip().casefold()
        if key in self._entities:
            return self._entities[key], False
        if key in self._aliases:
            return self._aliases[key], True
        return None, False

    def _subject_feedback(self, text: str) -> None:
        ent, by_alias = self.lookup(text)
        close = identity.likely_same(text, self._records) if ent is None else None
        if close is None:
            self.did_you_mean.withdraw()
        else:
            self.did_you_mean.offer(close[0].name, self.subject.setText)
        if not text.strip():
            self.subject_hint.setText("")
        elif ent is None:
            self.subject_hint.setStyleSheet(WARN_STYLE)
            self.subject_hint.setText(f"New {self.subject_kind.currentText()} “{text.strip()}” "
                                      "will be created" + (" — or did you mean:" if close else ""))
        else:
            self.subject_hint.setStyleSheet(OK_STYLE)
            self.subject_hint.setText(f"= {ent.name}" + (" (by alias)" if by_alias else ""))

    def _origin_grade(self, text: str) -> None:
        ent, _ = self.lookup(text)
        if ent is not None and ent.reliability:
            self.reliability.setCurrentIndex(RELIABILITY_GRADES.index(ent.reliability) + 1)
        # a known origin keeps its kind; a new one gets a guess the analyst can change
        self.origin_kind.follow(ent, text, self.kind.currentText().strip())

    def parsed_date(self) -> dates.PartialDate | None:
        """The date as typed, parsed (None when empty); raises on unreadable input."""
        text = self.date.text().strip()
        return dates.parse_date(text, reference=self._reference) if text else None

    def _date_feedback(self, _text: str = "") -> None:
        try:
            p = self.parsed_date()
        except CasefileError as exc:
            self.date_hint.setStyleSheet(ERR_STYLE)
            self.date_hint.setText(str(exc))
            return
        if p is None:
            self.date_hint.setText("")
        elif p.year_inferred:
            self.date_hint.setStyleSheet(WARN_STYLE)
            self.date_hint.setText(f"→ {p.human()} — the year is taken from the article's date; "
                                   "press Enter to accept it")
        else:
            self.date_hint.setStyleSheet(OK_STYLE)
            self.date_hint.setText(f"→ {p.human()} ({p.precision})")

    def claim_input(self) -> ClaimInput:
        p = self.parsed_date()
        grade = self.reliability.currentText()[:1]
        return ClaimInput(
            subject=self.subject.text().strip(), kind=self.kind.currentText().strip() or "other",
            statement=self.statement.toPlainText().strip(), object=self.object.text().strip(),
            subject_kind=self.subject_kind.currentText(),
            object_kind=self.object_kind.currentText(),
            value=self.value.text().strip(), date=p.iso() if p else "",
            place=self.place.text().strip(), origin=self.origin.text().strip(),
            origin_kind=self.origin_kind.currentText(),
            origin_reliability=grade or None, via=self.via_names(),
            stance=self.stance.currentText(),
            credibility=self.credibility.currentIndex() + 1, note=self.note.text().strip())

    def via_names(self) -> tuple[str, ...]:
        """The intermediaries typed, in order, without blanks."""
        return tuple(n.strip() for n in self.via.text().split(";") if n.strip())

    def evidence_label_text(self) -> str:
        return self.evidence_label.text()

    def accept(self) -> None:
        try:
            p = self.parsed_date()
            if p is not None and p.year_inferred:
                # Show the resolved date back: the analyst confirms by saving again.
                self.date.setText(p.human())
                self.date_hint.setStyleSheet(WARN_STYLE)
                self.date_hint.setText(f"The year {p.year} was taken from the article's date. "
                                       "Check it, then press Enter again to save.")
                self.date.setFocus()
                return
            data = self.claim_input()
            self.result_value = self._save(data)
        except CasefileError as exc:
            self.error.setText(str(exc))
            return
        ClaimEditor.last_kind = data.kind
        super().accept()
