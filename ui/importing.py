"""Importing files into the open case from the window: the dialog, drag and drop, background
progress with cancel, and the report of what was refused."""

from __future__ import annotations

from PySide6.QtGui import QDragEnterEvent, QDropEvent

from casefile.services import cases
from ui import filedialogs, plain
from ui.dialogs import ImportReport, import_summary
from ui.document_actions import ARTICLE_FILTER, import_folder, remember_import_folder
from ui.workers import ImportWorker


class ImportMixin:
    """The main window's import methods (it provides ``db``, ``controller``, ``pool``,
    ``progress``, ``cancel_button``, ``statusBar`` and ``open_document``)."""

    def import_dialog(self) -> None:
        """File › Import: every importable type shown by default, in the folder of the last
        import."""
        paths = filedialogs.open_file_names(self, "Import articles",
                                            import_folder(self.settings), ARTICLE_FILTER)
        if paths:
            remember_import_folder(self.settings, paths[0])
            self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> ImportWorker | None:
        """Import files in the background into the open case (creating one if none is open)."""
        if self.import_worker is not None:
            self.statusBar().showMessage("An import is already running", 4000)
            return None
        if not self.controller.case_id:
            self.controller.create_case(cases.DEFAULT_TITLE)
        worker = ImportWorker(self.db, self.controller.case_id, paths)
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
        if name:
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
