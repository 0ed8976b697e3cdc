"""The window's actions, menus and toolbar, with icons and shortcuts shown in the menus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

from ui.exchange.documents import reocr_document, update_document

if TYPE_CHECKING:
    from ui.shell.window import MainWindow

SP = QStyle.StandardPixmap


class Actions:
    """Creates every QAction of the window once; menus, toolbar and the reader's context menu
    share them."""

    def __init__(self, w: MainWindow):
        self.w = w
        style = w.style()

        def act(text: str, slot, shortcut=None, icon: SP | None = None, tip: str = ""
                ) -> QAction:
            a = QAction(text, w)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                a.setIcon(style.standardIcon(icon))
            a.setStatusTip(tip or text.replace("&", "").rstrip("…"))
            a.triggered.connect(lambda _checked=False: slot())
            w.addAction(a)
            return a

        an = w.annotator
        self.new_case = act("&New case…", w.new_case, "Ctrl+Shift+N", SP.SP_FileDialogNewFolder)
        self.rename_case = act("&Rename case…", w.rename_case, None, SP.SP_FileDialogDetailedView)
        self.delete_case = act("&Delete case…", w.delete_case, None, SP.SP_TrashIcon)
        self.sample = act("Open &sample case", w.open_sample_case, None, SP.SP_DirHomeIcon)
        self.import_ = act("&Import files…", w.import_dialog, QKeySequence.StandardKey.Open,
                           SP.SP_DialogOpenButton,
                           "Import articles (text, Markdown, HTML, PDF, Word)")
        self.update_document = act("&Update document from newer file…",
                                   lambda: update_document(w), None, SP.SP_BrowserReload,
                                   "Replace the open document's text with a newer version and "
                                   "re-anchor its highlights")
        self.reocr = act("Re-&OCR as…", lambda: reocr_document(w), None, None,
                         "Read the open scan again by OCR in other languages")
        self.quit = act("&Quit", w.close, QKeySequence.StandardKey.Quit)
        self.undo = w.controller.undo_stack.createUndoAction(w, "&Undo")
        self.undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo.setIcon(style.standardIcon(SP.SP_ArrowBack))
        self.redo = w.controller.undo_stack.createRedoAction(w, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.setIcon(style.standardIcon(SP.SP_ArrowForward))
        w.addAction(self.undo)
        w.addAction(self.redo)
        self.find = act("&Find in document…", w.reader.find_bar.open_bar,
                        QKeySequence.StandardKey.Find, SP.SP_FileDialogContentsView)
        self.highlight = act("&Highlight", an.highlight, "H", SP.SP_DialogApplyButton,
                             "Highlight the selected passage")
        self.claim = act("New &claim…", an.new_claim, "C", SP.SP_FileDialogInfoView,
                         "Make a claim from the selected passage")
        self.tag = act("&Tag…", an.tag, "T", SP.SP_FileLinkIcon, "Tag the selected passage")
        self.note = act("&Note…", an.note, "N", SP.SP_MessageBoxInformation,
                        "Write a note on the selected passage")
        self.evidence = act("Add as &evidence to selected claim", an.add_evidence, "E",
                            SP.SP_CommandLink,
                            "Add the selected passage to the claim selected in the case file")
        self.edit_claim = act("E&dit claim…", an.edit_claim, "F2")
        self.delete_highlight = act("Delete &highlight", an.delete_highlight, "Ctrl+Backspace")
        self.delete_claim = act("Delete c&laim", an.delete_claim, "Ctrl+Delete")
        self.all_claims = act("Show &all claims", w.show_all_claims, None)
        self.about = act("&About Casefile", w.about, None)
        for a, short in ((self.new_case, "New case"), (self.import_, "Import"),
                         (self.highlight, "Highlight"), (self.claim, "Claim"), (self.tag, "Tag"),
                         (self.note, "Note"), (self.evidence, "Add evidence"),
                         (self.undo, "Undo"), (self.redo, "Redo"), (self.find, "Find")):
            a.setIconText(short)
            if a.shortcut().toString():
                a.setToolTip(f"{a.statusTip() or short} ({a.shortcut().toString()})")
        for a in (self.undo, self.redo, self.find):  # icons in the toolbar (names in the menus
            a.setPriority(QAction.Priority.LowPriority)  # and tooltips), so it fits 1024 px
        self.selection_actions = (self.highlight, self.claim, self.tag, self.note, self.evidence)

    def build_menus(self) -> None:
        bar = self.w.menuBar()
        m = self.file_menu = bar.addMenu("&File")
        for a in (self.new_case, self.rename_case, self.delete_case, None, self.import_,
                  self.update_document, self.reocr, self.sample, None, self.quit):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu("&Edit")
        for a in (self.undo, self.redo, None, self.find):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu("&Annotate")
        for a in (self.highlight, self.claim, self.tag, self.note, self.evidence, None,
                  self.edit_claim, self.delete_highlight, self.delete_claim, None,
                  self.all_claims):
            m.addSeparator() if a is None else m.addAction(a)
        self.analysis_menu = bar.addMenu("A&nalysis")  # filled by the analysis room
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.about)

    def build_toolbar(self, case_switcher) -> QToolBar:
        tb = QToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addWidget(case_switcher)
        tb.addAction(self.new_case)
        tb.addSeparator()
        tb.addAction(self.import_)
        self.toolbar_files_end = tb.addSeparator()  # rooms' file actions (export) go before it
        for a in (self.highlight, self.claim, self.tag, self.note, self.evidence):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.undo)
        tb.addAction(self.redo)
        tb.addAction(self.find)
        self.w.addToolBar(tb)
        return tb
