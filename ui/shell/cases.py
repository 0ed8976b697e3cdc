"""The window's File menu for cases: new, rename, delete, and the sample case."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox

from casefile.errors import CasefileError
from casefile.services import cases
from ui.base import plain


class CaseActions:
    """Mixed into ``MainWindow`` (which provides the controller, the models and the status
    bar)."""

    def new_case(self, title: str | None = None) -> None:
        if title is None:
            title, ok = QInputDialog.getText(self, "New case", "Title of the case:")
            if not ok:
                return
        try:
            self.controller.create_case(title)
        except CasefileError as exc:
            plain.warning(self, "Casefile", str(exc))

    def rename_case(self) -> None:
        cid = self.controller.case_id
        if not cid:
            return
        old = cases.get_case(self.db, case_id=cid).title
        title, ok = QInputDialog.getText(self, "Rename case", "Title of the case:", text=old)
        if ok:
            try:
                self.controller.rename_case(cid, title)
            except CasefileError as exc:
                plain.warning(self, "Casefile", str(exc))

    def delete_case(self, confirm: bool = True) -> None:
        cid = self.controller.case_id
        if not cid:
            return
        rec = next(c for c in self.cases_model.rows if c.id == cid)
        if confirm and plain.question(
                self, "Delete case",
                f"Delete “{rec.title}” with its {rec.documents} document(s) and {rec.claims} "
                "claim(s)? This cannot be undone.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        self.controller.delete_case(cid)
        self.statusBar().showMessage(f"Deleted case “{rec.title}”", 4000)

    def open_sample_case(self) -> None:
        from casefile.sample import create_sample_case

        with self.db.capture():  # the views load the new case once, when it is opened
            case_id, _results = create_sample_case(self.db)
        self.controller.set_case(case_id)
        if self.documents_model.rows:
            self.open_document(self.documents_model.rows[-1].id)
        self.statusBar().showMessage("Opened the sample case", 4000)
