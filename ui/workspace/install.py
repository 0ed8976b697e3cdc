"""Puts the workspace into the main window: the Document tab (this document's annotations), the
tag's passages under the codebook, document details, entity profiles, help; keeps them fresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu, QSplitter

from casefile.services import documents, entities
from ui.workspace.annotations import DocumentAnnotations, TagPassages
from ui.workspace.details import DocumentDetails
from ui.workspace.help import HelpDialog
from ui.workspace.profile import EntityProfileDialog, show_profile

if TYPE_CHECKING:
    from ui.shell.window import MainWindow

REFRESH_ON = frozenset({"highlights", "claims", "tags", "documents"})


class Workspace(QObject):
    """``window.workspace``: the panels and dialogs of this package, wired to the window."""

    def __init__(self, w: MainWindow):
        super().__init__(w)
        self.w = w
        self.profile_dialog = None  # the entity profile opened last
        self.dialog: DocumentDetails | HelpDialog | None = None
        ctl = w.controller
        # This document's annotations, second tab of the case file.
        self.annotations = DocumentAnnotations(
            w.db, lambda: w.reader.document.id if w.reader.document else None)
        self.annotations.passageRequested.connect(w.open_passage)
        self.annotations.claimRequested.connect(w.select_claim)
        w.case_panel.insertTab(1, self.annotations, "Document")
        w.case_panel.setTabToolTip(1, "The open document's highlights, notes and claims in "
                                      "reading order")
        w.reader.document_shown.connect(self.annotations.reload)
        # The codebook's tags above, the selected tag's passages below.
        self.tag_passages = TagPassages(w.db, lambda: ctl.case_id)
        self.tag_passages.passageRequested.connect(w.open_passage)
        self._split_tags_tab()
        ctl.notifier.subscribe(REFRESH_ON, self._changed, receiver=self)
        ctl.case_changed.connect(lambda _id: self._case_changed())
        self._actions()

    def _split_tags_tab(self) -> None:
        panel = self.w.case_panel
        view = panel.tags_view
        index = panel.indexOf(view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("tagsSplit")
        panel.removeTab(index)
        split.addWidget(view)
        view.show()  # a tab page the tab widget had hidden stays hidden when moved
        split.addWidget(self.tag_passages)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        view.setMinimumHeight(120)  # the codebook never folds away under its passages
        panel.insertTab(index, split, "Tags")
        panel.setTabToolTip(index, "The codebook, with the passages of the selected tag")
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.selectionModel().currentChanged.connect(self._tag_selected)
        view.model().modelReset.connect(view.expandAll)
        view.setColumnWidth(1, 64)
        self.tags_split = split

    def _tag_selected(self, current, _previous=None) -> None:
        node = self.w.tags_model._node(current) if current.isValid() else None
        path = getattr(getattr(node, "payload", None), "path", "")
        self.tag_passages.show_tag(path)

    def _changed(self, _changes) -> None:
        self.annotations.reload()
        self.tag_passages.reload()

    def _case_changed(self) -> None:
        self.tag_passages.show_tag("")
        self.annotations.reload()

    # -- actions --------------------------------------------------------------------------
    def _actions(self) -> None:
        w = self.w

        def act(text: str, slot, shortcut: str | None = None, tip: str = "") -> QAction:
            a = QAction(text, w)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.setStatusTip(tip or text.replace("&", "").rstrip("…"))
            a.triggered.connect(lambda _c=False: slot())
            w.addAction(a)
            return a

        self.details_action = act("Document &details…", self.edit_details, "Ctrl+I",
                                  "Edit the open document's title, author, outlet, date and URL")
        self.profile_action = act("Entity &profile…", self.profile_of_selected, "Ctrl+Shift+E",
                                  "Spellings, claims, conflicts and relations of the entity "
                                  "selected in the Entities tab")
        self.help_action = act("&Keys and colours", self.show_help, "F1",
                               "Keyboard shortcuts and what the highlight colours mean")
        self.annotations_action = act("This document's &annotations", self.show_annotations,
                                      "Ctrl+Shift+A")
        self.delete_action = act("Delete &document…", self.delete_document, None,
                                 "Delete the open document and its highlights (a backup is "
                                 "taken first)")
        file_menu: QMenu = w.actions_.file_menu
        file_menu.insertAction(w.actions_.update_document, self.details_action)
        file_menu.insertAction(w.actions_.update_document, self.delete_action)
        w.actions_.help_menu.insertAction(w.actions_.about, self.help_action)
        w.actions_.help_menu.insertSeparator(w.actions_.about)
        w.actions_.analysis_menu.addSeparator()
        w.actions_.analysis_menu.addAction(self.profile_action)
        w.view_menu.addAction(self.annotations_action)
        docs = w.documents_panel.view
        docs.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        docs.addAction(self.details_action)
        docs.addAction(self.delete_action)
        w.reader.header.mouseDoubleClickEvent = lambda _e: self.edit_details()
        w.reader.header.setToolTip("Double-click to edit the document's details (Ctrl+I)")

    def update_enabled(self) -> None:
        for a in (self.details_action, self.delete_action):
            a.setEnabled(self.w.reader.document is not None)

    def delete_document(self, confirm: bool = True):
        """Delete the open document after asking (not undoable: a backup is taken first, in
        the background)."""
        from casefile.services import documents as docs_service
        from ui.base import plain
        from ui.base.tasks import run_task

        w = self.w
        doc = w.reader.document
        if doc is None:
            return None
        n_claims = len({c for p in self.annotations.model.rows for c in p.claim_ids})
        if confirm and plain.question(
                w, "Delete document",
                f"Delete “{doc.title}” with its {doc.highlights} highlight(s)? Claims that "
                f"cite it ({n_claims} in this document) keep their statements but lose this "
                "evidence. This cannot be undone; a backup of the case is taken first."
        ) != plain.QMessageBox.StandardButton.Yes:
            return None

        def done(_result) -> None:
            w.controller.undo_stack.clear()  # steps that refer to it can no longer be undone
            w.reader.clear()
            w.show_centre()
            w.statusBar().showMessage(f"Deleted “{doc.title}” (a backup was taken first)", 6000)

        return run_task(w, "Deleting document…", lambda _p: docs_service.delete_document(
            w.db, document_id=doc.id), done)

    def edit_details(self, document_id: str | None = None) -> DocumentDetails | None:
        w = self.w
        doc_id = document_id or (w.reader.document.id if w.reader.document else None)
        if not doc_id:
            w.statusBar().showMessage("Open a document first", 4000)
            return None
        doc = documents.get_document(w.db, document_id=doc_id)
        outlets = [e.name for e in entities.list_entities(w.db, case_id=doc.case_id)
                   if e.kind == "organization"]
        dlg = DocumentDetails(w, doc, outlets)
        self.dialog = dlg
        dlg.open()
        return dlg

    def show_profile(self, entity_id: str) -> EntityProfileDialog:
        return show_profile(self.w, entity_id)

    def profile_of_selected(self) -> EntityProfileDialog | None:
        entity_id = self.w.selected_entity()
        return self.show_profile(entity_id) if entity_id else None

    def show_help(self) -> HelpDialog:
        tags = [(n.payload.path, n.payload.color) for n in self.w.tag_nodes()
                if n.payload.color]
        dlg = HelpDialog(self.w, sorted(tags))
        self.dialog = dlg
        dlg.open()
        return dlg

    def show_annotations(self) -> None:
        self.w.case_panel.setCurrentWidget(self.annotations)
        self.annotations.view.setFocus()


def install(w: MainWindow) -> Workspace:
    return Workspace(w)
