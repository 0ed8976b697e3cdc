"""Document details: edit title, author, outlet, publication date and URL; confirm what the
importer only guessed; save or open the original file."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casefile import dates
from casefile.errors import CasefileError
from casefile.importers.ocr_engine import document_note
from casefile.importers.titles import original_title
from casefile.services import documents
from casefile.services.records import DocumentRecord
from ui.base import filedialogs, plain
from ui.base import paths as save_paths

FIELDS = ("title", "author", "outlet", "published", "url")
LABELS = {"title": "&Title", "author": "&Author", "outlet": "&Outlet", "published": "&Published",
          "url": "&URL"}
# Originals that a system viewer opens without running or fetching anything from the page
SAFE_TO_OPEN = ("application/pdf", "text/plain", "text/markdown", "image/",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
SUFFIX = {"application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md",
          "text/html": ".html", "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif",
          "image/webp": ".webp", "multipart/related": ".mhtml", "message/rfc822": ".eml",
          "application/vnd.ms-outlook": ".msg",
          "application/vnd.telegram.message+json": ".json",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}
ERR, OK, WARN = "color:#b71c1c", "color:#1b5e20", "color:#e65100"


class DocumentDetails(QDialog):
    """Edits go through ``controller.update_document`` (one undo step); a guessed value shows
    a "confirm" box until the analyst confirms or changes it."""

    def __init__(self, window, doc: DocumentRecord, outlets: Sequence[str] = ()):
        super().__init__(window)
        self.w, self.doc = window, doc
        self.setWindowTitle("Document details")
        self.setMinimumWidth(560)
        self.edits: dict[str, QLineEdit] = {}
        self.confirms: dict[str, QCheckBox] = {}
        form = QFormLayout()
        for f in FIELDS:
            edit = QLineEdit(str(getattr(doc, f) or ""))
            if f == "published" and doc.published:
                p = dates.parse_stored(doc.published)
                edit.setText(p.human() if p else doc.published)
            self.edits[f] = edit
            row: QWidget | QHBoxLayout = edit
            if doc.is_guess(f):
                box = QCheckBox("confirm")
                box.setToolTip("The importer guessed this (e.g. from the file's own date). Tick "
                               "to keep it as a fact, or type the right value.")
                edit.setStyleSheet("font-style: italic")
                self.confirms[f] = box
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                row.addWidget(box)
            label = QLabel(LABELS[f])
            label.setBuddy(edit)  # Alt+letter reaches the field, and "&" never shows
            form.addRow(label, row)
            if f == "published":
                self.date_hint = plain.label("")
                form.addRow("", self.date_hint)
        if outlets:
            self.edits["outlet"].setCompleter(QCompleter(sorted(outlets, key=str.casefold),
                                                         self))
        self.edits["published"].textChanged.connect(self._date_feedback)
        self._date_feedback()
        guessed = [f for f in FIELDS if doc.is_guess(f)]
        note = plain.label(
            ("Guessed by the importer, not read from the document: " + ", ".join(guessed)
             + ". Confirm or correct before citing it.") if guessed else "")
        note.setWordWrap(True)
        note.setStyleSheet(WARN)
        note.setVisible(bool(guessed))
        facts = plain.label(
            f"{doc.source_name or 'no file name'} · {doc.content_type} · "
            f"{doc.chars:,} characters" + (f" · {doc.pages} pages" if doc.pages > 1 else "")
            + f" · imported {doc.imported_at:%Y-%m-%d %H:%M} UTC"
            + (f" · read by {doc.extractor} {doc.extractor_version}" if doc.extractor else ""))
        facts.setWordWrap(True)
        facts.setStyleSheet("color:#546e7a")
        self.ocr_note = plain.label(document_note(doc.extractor, doc.extractor_version))
        self.ocr_note.setWordWrap(True)
        self.ocr_note.setVisible(bool(self.ocr_note.text()))
        said = original_title(window.db, document_id=doc.id)
        self.page_title = plain.label(f"The page's own title: “{said}”"
                                      if said and said != doc.title else "")
        self.page_title.setWordWrap(True)
        self.page_title.setStyleSheet("color:#546e7a")
        self.page_title.setVisible(bool(self.page_title.text()))
        links = self._links(doc)
        self.error = plain.label("")
        self.error.setStyleSheet(ERR)
        self.error.setWordWrap(True)
        self.save_original = QPushButton("Save original as…")
        self.save_original.clicked.connect(lambda _c=False: self.save_original_as())
        self.open_original = QPushButton("Open original")
        self.open_original.clicked.connect(lambda _c=False: self.open_original_file())
        safe = doc.content_type.startswith(SAFE_TO_OPEN)
        self.open_original.setEnabled(safe)
        self.open_original.setToolTip(
            "Open the file as it was imported, in this computer's viewer" if safe else
            "A web page is not opened outside Casefile: its scripts and images would run and "
            "fetch from the network. Save it instead.")
        files = QHBoxLayout()
        files.addWidget(self.save_original)
        files.addWidget(self.open_original)
        files.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(facts)
        lay.addWidget(self.ocr_note)
        lay.addWidget(self.page_title)
        if links is not None:
            lay.addLayout(links)
        lay.addLayout(files)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    MAX_LINKS = 12

    def _links(self, doc: DocumentRecord) -> QFormLayout | None:
        """Who the content comes from (a forwarded post's source), the document this one came
        in (a mail, a Telegram post) and those it holds (attachments, photos), each with a
        button that opens it."""
        got = documents.get_links(self.w.db, document_id=doc.id)
        if not (doc.origin or got.parent or got.children):
            return None
        form = QFormLayout()
        self.link_buttons: dict[str, QPushButton] = {}
        if doc.origin:
            origin = plain.label(f"{doc.origin} — offered as the origin of claims made here")
            origin.setWordWrap(True)
            form.addRow("Origin", origin)
        rows = ([("Came in", got.parent)] if got.parent else []) + [
            ("Holds" if i == 0 else "", c) for i, c in enumerate(got.children[:self.MAX_LINKS])]
        for label, linked in rows:
            row = QHBoxLayout()
            name = plain.label(linked.title or linked.id)
            name.setWordWrap(True)
            row.addWidget(name, 1)
            button = QPushButton("Open")
            button.clicked.connect(lambda _c=False, i=linked.id: self._open_linked(i))
            self.link_buttons[linked.id] = button
            row.addWidget(button)
            form.addRow(label, row)
        if len(got.children) > self.MAX_LINKS:
            form.addRow("", plain.label(f"… and {len(got.children) - self.MAX_LINKS} more "
                                        "(casefile doc show lists them all)"))
        return form

    def _open_linked(self, document_id: str) -> None:
        self.reject()
        self.w.open_document(document_id)

    def _date_feedback(self, _text: str = "") -> None:
        text = self.edits["published"].text().strip()
        if not text:
            self.date_hint.setText("")
            return
        try:
            p = dates.parse_date(text)
        except CasefileError as exc:
            self.date_hint.setStyleSheet(ERR)
            self.date_hint.setText(str(exc))
            return
        self.date_hint.setStyleSheet(OK)
        self.date_hint.setText(f"→ {p.human()} ({p.precision})")

    def changes(self) -> dict[str, str]:
        """The fields the analyst changed (dates compared as dates)."""
        out: dict[str, str] = {}
        for f, edit in self.edits.items():
            new = edit.text().strip()
            old = str(getattr(self.doc, f) or "")
            if f == "published":
                try:
                    same = (dates.normalize(new) if new else "") == old
                except CasefileError:
                    same = False
                if not same:
                    out[f] = new
            elif new != old:
                out[f] = new
        return out

    def accept(self) -> None:
        changes = self.changes()
        confirm = tuple(f for f, box in self.confirms.items() if box.isChecked())
        if changes or confirm:
            try:
                self.w.controller.update_document(self.doc.id, confirm=confirm, **changes)
            except CasefileError as exc:
                self.error.setText(str(exc))
                return
            self.w.statusBar().showMessage("Document details saved (Ctrl+Z to undo)", 5000)
        super().accept()

    def _original(self) -> bytes:
        return documents.get_original(self.w.db, document_id=self.doc.id)

    def save_original_as(self, path: str | None = None) -> Path | None:
        from casefile.db.files import atomic_write

        suffix = Path(self.doc.source_name).suffix or SUFFIX.get(self.doc.content_type, "")
        if path is None:
            stem = Path(self.doc.source_name).stem or self.doc.title
            start = save_paths.suggested_path(save_paths.safe_name(stem, suffix))
            path, _ = filedialogs.save_file_name(self, "Save original as", str(start))
            if not path:
                return None
        data = self._original()
        try:
            out = atomic_write(path, lambda p: p.write_bytes(data),
                               db_path=getattr(self.w.db, "path", None), what="original")
        except (OSError, CasefileError) as exc:
            plain.warning(self, "Save original", str(exc))
            return None
        save_paths.remember(out)
        self.w.statusBar().showMessage(f"Original saved to {out}", 5000)
        return out

    def open_original_file(self) -> Path | None:
        """Write the original to a private temporary file and hand it to the system viewer."""
        if not self.doc.content_type.startswith(SAFE_TO_OPEN):
            return None
        suffix = SUFFIX.get(self.doc.content_type) or Path(self.doc.source_name).suffix
        folder = Path(tempfile.mkdtemp(prefix="casefile-original-"))
        target = folder / save_paths.safe_name(Path(self.doc.source_name).stem or "original",
                                                   suffix)
        target.write_bytes(self._original())
        target.chmod(0o400)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target
