"""The exchange room: File › Import bundle or project and File › Export case (with the
toolbar's export button)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from ui.exchange import actions as exchange_actions
from ui.exchange import bundle_target

if TYPE_CHECKING:
    from ui.base.shell import Shell


class Exchange(QObject):
    """Bundles and projects in and out of the open case."""

    def __init__(self, w: Shell):
        super().__init__(w)
        self.w = w
        self.bundle_question = None  # where an imported bundle goes (a message box), if asked
        sp = QStyle.StandardPixmap
        self.export_action = self._act("&Export case…", self.export_case, "Ctrl+E",
                                       sp.SP_DialogSaveButton)
        self.import_bundle_action = self._act("Import &bundle or project…", self.import_bundle,
                                              "Ctrl+Shift+I", sp.SP_DialogOpenButton)
        w.add_file_actions([self.import_bundle_action, self.export_action])
        self.export_action.setIconText("Export")
        w.add_toolbar_actions([self.export_action])

    def _act(self, text: str, slot, shortcut: str, icon) -> QAction:
        a = QAction(self.w.style().standardIcon(icon), text, self.w)
        a.setShortcut(QKeySequence(shortcut))
        a.setStatusTip(text.replace("&", "").rstrip("…"))
        a.triggered.connect(lambda _c=False: slot())
        self.w.addAction(a)
        return a

    def update_enabled(self, has_case: bool) -> None:
        self.export_action.setEnabled(has_case)

    def export_case(self) -> None:
        if not self.w.controller.case_id:
            self.w.statusBar().showMessage("Open a case to export it", 4000)
            return
        exchange_actions.export_case(self.w, self.w.db, self.w.controller.case_id)

    def import_bundle(self, path: Path | None = None) -> None:
        """File › Import: a bundle goes where the analyst says (ui/exchange/bundle_target);
        a project becomes a new case, shown with a word that the case changed."""
        w = self.w

        def imported(report) -> None:
            ctl = w.controller
            before = ctl.case_id
            ctl.set_case(report.case_id)
            switched = report.case_id != before
            w.statusBar().showMessage("Imported into a new case, now open" if switched
                                      else "Imported", 6000)

        def bundle(p: Path) -> None:
            bundle_target.import_bundle(w, p, lambda r, before: bundle_target.after_import(
                w, r, before), keep=lambda box: setattr(self, "bundle_question", box))

        if path is None:
            exchange_actions.import_bundle_file(w, w.db, imported, case_id=w.controller.case_id,
                                                bundle=bundle)
        else:
            bundle(path)



def install(w: Shell) -> Exchange:
    return Exchange(w)
