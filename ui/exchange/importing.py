"""Importing files into the open case from the window: the dialog, drag and drop, background
progress with cancel, and the report of what was refused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from casefile.importers.items import PER_DAY, PER_MESSAGE, Options
from casefile.importers.sniff import container_kind
from casefile.services import cases
from ui.base import filedialogs, plain
from ui.base.tasks import Task
from ui.exchange.documents import IMPORT_FILTER, import_folder, remember_import_folder
from ui.exchange.import_report import ImportReport, import_summary


class TelegramChoice(QDialog):
    """How to import a Telegram export: a document per message or per day, and the channel's
    public username for its links (the export does not hold it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import a Telegram export")
        self.per_message = QRadioButton("One document per &message (each post can be cited "
                                        "with its own link)")
        self.per_day = QRadioButton("One document per &day (a busy chat reads as a day's "
                                    "conversation)")
        self.per_message.setChecked(True)
        self.username = QLineEdit(placeholderText="e.g. pamirdispatch (optional)")
        self.username.setToolTip("A public channel's username gives links like "
                                 "t.me/username/123; without it links are t.me/c/… (they open "
                                 "for members)")
        form = QFormLayout()
        form.addRow("Channel &username", self.username)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(plain.label("Messages already in the case are not imported again; "
                                  "messages edited since are updated."))
        lay.addWidget(self.per_message)
        lay.addWidget(self.per_day)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def options(self) -> Options:
        return Options(per=PER_DAY if self.per_day.isChecked() else PER_MESSAGE,
                       username=self.username.text().strip().lstrip("@"))


def ask_telegram_options(parent) -> Options | None:
    """The analyst's choice for a Telegram export, or None when they cancel the import."""
    dlg = TelegramChoice(parent)
    return dlg.options() if dlg.exec() == QDialog.DialogCode.Accepted else None


class ImportMixin:
    """The main window's import methods (it provides ``db``, ``controller``, ``pool``,
    ``progress``, ``cancel_button``, ``statusBar`` and ``open_document``)."""

    def import_dialog(self) -> None:
        """File › Import: every importable type shown by default, in the folder of the last
        import."""
        paths = filedialogs.open_file_names(self, "Import articles",
                                            import_folder(self.settings), IMPORT_FILTER)
        if paths:
            remember_import_folder(self.settings, paths[0])
            self.import_paths(paths)

    def import_paths(self, paths: list[str], options: Options | None = None
                     ) -> Task | None:
        """Import files in the background into the open case (creating one if none is open);
        a Telegram export among them asks how to import it, unless ``options`` say."""
        if self.import_worker is not None:
            self.statusBar().showMessage("An import is already running", 4000)
            return None
        if options is None and any(container_kind(Path(p)) == "telegram" for p in paths):
            options = ask_telegram_options(self)
            if options is None:
                return None
        if not self.controller.case_id:
            self.controller.create_case(cases.DEFAULT_TITLE)
        worker = import_task(self.db, self.controller.case_id, paths, options)
        worker.signals.progress.connect(self._import_progress)
        worker.signals.finished.connect(self._import_finished)
        worker.signals.failed.connect(self._import_failed)
        self.import_worker = worker
        self.progress.setRange(0, len(paths))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(f"Importing {len(paths)} file(s)…")
        self.pool.start(worker)
        return worker

    def cancel_import(self) -> None:
        if self.import_worker is not None:
            self.import_worker.cancel()
            self.statusBar().showMessage("Cancelling import after the current file…")

    def _import_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if name and " of " in name:  # a container counts its own messages or pages
            self.statusBar().showMessage(f"Importing {name}…")
        elif name:
            self.statusBar().showMessage(f"Importing {name} ({done + 1} of {total})…")

    def _import_done(self) -> None:
        # Keep the runnable alive until its thread has left run(); drop finished ones.
        self._retired = [w for w in self._retired if not w.done.is_set()]
        if self.import_worker is not None:
            self._retired.append(self.import_worker)
        self.import_worker = None
        self.progress.hide()
        self.cancel_button.hide()

    def _import_failed(self, message: str) -> None:
        self._import_done()
        plain.critical(self, "Import failed", message)

    def _import_finished(self, results: list) -> None:
        cancelled = self.import_worker is not None and self.import_worker.cancelled
        self._import_done()
        self.last_import = results
        ok = [r for r in results if r.ok]
        msg = import_summary(results) + (" (cancelled)" if cancelled else "")
        if len(ok) == 1 and ok[0].note:
            msg += f" — {ok[0].note}"  # e.g. the languages a scan was read in
        self.statusBar().showMessage(msg, 6000)
        if ok and ok[-1].id:
            self.open_document(ok[-1].id)
        if any(r.error or r.warning or "install" in (r.note or "") for r in results):
            self.report = ImportReport(results, self)
            self.report.open()

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls() and any(u.isLocalFile() for u in e.mimeData().urls()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.import_paths(paths)


def import_task(db, case_id: str, paths: list[str], options: Options | None) -> Task:
    """Files imported into a case off the GUI thread; ``cancel()`` stops between files (and
    inside a long one), with nothing of an unfinished file stored."""

    def work(progress, cancelled) -> list:
        # The importers pull in heavy extraction libraries lazily; that happens here, off the
        # GUI thread, never before the window is shown.
        from casefile.importers import import_files

        return import_files(db, case_id=case_id, paths=[str(p) for p in paths],
                            progress=progress, cancelled=cancelled, options=options)

    return Task(work, cancellable=True)
