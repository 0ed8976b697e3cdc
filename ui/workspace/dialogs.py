"""Small dialogs and panels: tag picker, note, the first-run welcome."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casefile.services.records import TagRecord
from ui.base import plain


def passage_label(passage: str) -> QLabel:
    """The passage a dialog acts on, quoted (plain text; hidden when there is none)."""
    text = " ".join(passage.split())
    lbl = plain.label(f"“{text if len(text) <= 160 else text[:159] + '…'}”")
    lbl.setWordWrap(True)
    lbl.setStyleSheet("color:#455a64")
    lbl.setVisible(bool(text))
    return lbl


class TagPicker(QDialog):
    """Pick a tag by its path, or type a new path ("Events/Death") to create it."""

    def __init__(self, tags: Sequence[TagRecord], parent: QWidget | None = None,
                 passage: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Tag passage")
        self.combo = QComboBox(editable=True)
        paths = [t.path for t in tags]
        self.combo.addItems(paths)
        self.combo.setCurrentText("")
        comp = QCompleter(paths, self.combo)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        self.combo.setCompleter(comp)
        lay = QVBoxLayout(self)
        lay.addWidget(passage_label(passage))
        lay.addWidget(QLabel("Tag (use / for levels, e.g. Events/Death):"))
        lay.addWidget(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def path(self) -> str:
        return self.combo.currentText().strip().strip("/")


class NoteDialog(QDialog):
    def __init__(self, note: str, parent: QWidget | None = None, passage: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Note on passage")
        self.edit = QPlainTextEdit(note)
        self._initial = note
        lay = QVBoxLayout(self)
        lay.addWidget(passage_label(passage))
        lay.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.cancel)
        lay.addWidget(buttons)
        self.resize(420, 200)

    def note(self) -> str:
        return self.edit.toPlainText().strip()

    def cancel(self) -> None:
        """Escape or Cancel: a changed note is discarded only when the analyst says so."""
        if self.edit.toPlainText() != self._initial and plain.question(
                self, self.windowTitle(), "Discard what you typed in this note?"
        ) != QMessageBox.StandardButton.Yes:
            return
        self.reject()

    def keyPressEvent(self, e) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(e)


class Welcome(QWidget):
    """Shown in the reader's place when nothing is open; on an empty library it offers the
    sample case."""

    open_sample = Signal()
    new_case = Signal()
    import_files = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("welcome")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        self.sample = QPushButton("Open the sample case")
        self.sample.setToolTip("Temur Vakhidov, a fictional case: four reports that contradict "
                               "each other")
        self.new = QPushButton("Start a new case…")
        self.imp = QPushButton("Import articles…")
        for b in (self.sample, self.new, self.imp):
            b.setMinimumWidth(320)
            lay.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(2)
        self.sample.clicked.connect(self.open_sample)
        self.new.clicked.connect(self.new_case)
        self.imp.clicked.connect(self.import_files)

    def configure(self, *, empty_library: bool, has_case: bool, has_documents: bool) -> None:
        if empty_library:
            self.title.setText("<h2>Welcome to Casefile</h2><p>Your library is empty. Try the "
                               "sample case, or start your own.</p>")
        elif not has_documents:
            self.title.setText("<h3>This case has no documents yet</h3><p>Import articles "
                               "(text, Markdown, HTML, PDF, Word) or drop files on the window.</p>")
        else:
            self.title.setText("<h3>Pick a document on the left to read it</h3>")
        self.sample.setVisible(empty_library)
        self.new.setVisible(empty_library or not has_case)
        self.imp.setVisible(has_case)
