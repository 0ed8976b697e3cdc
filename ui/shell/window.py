"""The main window: case switcher, documents list, reader and case file side by side."""

from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
)

from casefile.db.changes import Changes
from casefile.db.database import Database
from casefile.services import (
    analysis,
    cases,
    claims,
    documents,
    entities,
    highlights,
    passages,
    resolutions,
    tags,
)
from casefile.services.records import HighlightRecord
from casefile.translit import isolate
from casefile.vocab import with_stance
from ui.analysis.area import AnalysisArea
from ui.base import headers
from ui.base.controller import Controller
from ui.base.tables import IdRole
from ui.base.tasks import Task
from ui.exchange import room as exchange
from ui.exchange.import_report import ImportReport
from ui.exchange.importing import ImportMixin
from ui.shell import navigation
from ui.shell.actions import Actions
from ui.shell.cases import CaseActions
from ui.shell.shortcuts import WindowShortcutGuard, scope_to
from ui.team import install as team
from ui.workspace import codebook, pagepane, resume, room
from ui.workspace import install as workspace
from ui.workspace.annotate import Annotator
from ui.workspace.dialogs import Welcome
from ui.workspace.models import CasesModel, ClaimsModel, DocumentsModel
from ui.workspace.panels import CaseFilePanel, DocumentsPanel
from ui.workspace.reader import ReaderPane
from ui.workspace.trees import EntitiesModel, TagsModel

INCREMENTAL_LIMIT = 50  # beyond this many changed highlights, reload the reader's set


def default_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Casefile",
                     "workspace")


class MainWindow(CaseActions, ImportMixin, QMainWindow):
    """Holds widgets and models only; every change goes through ``self.controller``.

    Public API for other panels: ``open_document``, ``open_passage``, ``select_claim``,
    ``case_panel`` (a QTabWidget to add tabs to).
    """

    def __init__(self, db: Database, settings: QSettings | None = None,
                 pool: QThreadPool | None = None):
        super().__init__()
        self.db = db
        self.settings = settings or default_settings()
        self.pool = pool or QThreadPool.globalInstance()
        self.controller = Controller(db, self)
        self.entity_filter: str | None = None
        self.import_worker: Task | None = None
        self._retired: list[Task] = []
        self.last_import: list = []
        self.report: ImportReport | None = None
        self.setWindowTitle("Casefile")
        self.setAcceptDrops(True)
        ctl = self.controller

        self.cases_model = CasesModel(lambda: cases.list_cases(db), self)
        self.documents_model = DocumentsModel(
            lambda: documents.list_documents(db, case_id=ctl.case_id) if ctl.case_id else [],
            self, lambda ids: documents.list_documents(db, case_id=ctl.case_id, ids=ids))
        self.claims_model = ClaimsModel(
            self._fetch_claims,
            lambda: analysis.corroboration(db, case_id=ctl.case_id) if ctl.case_id else {},
            self, lambda ids: claims.list_claims(db, case_id=ctl.case_id, ids=ids),
            accepted=lambda: (resolutions.accepted_claims(db, case_id=ctl.case_id)
                              if ctl.case_id else {}))
        self.entities_model = EntitiesModel(
            lambda: entities.list_entities(db, case_id=ctl.case_id) if ctl.case_id else [], self)
        self.tags_model = TagsModel(
            lambda: tags.list_tags(db, case_id=ctl.case_id) if ctl.case_id else [], self,
            counts=lambda: passages.tag_counts(db, case_id=ctl.case_id) if ctl.case_id else {})

        self.case_switcher = QComboBox()
        self.case_switcher.setModel(self.cases_model)
        self.case_switcher.setMinimumContentsLength(22)
        self.case_switcher.setToolTip("Open case")
        self.documents_panel = DocumentsPanel(self.documents_model)
        self.reader = ReaderPane()
        self.welcome = Welcome()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.welcome)
        self.centre.addWidget(self.reader)
        self.case_panel = CaseFilePanel(self.claims_model, self.entities_model, self.tags_model)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for wdg, stretch in ((self.documents_panel, 0), (self.centre, 1),
                             (self.case_panel.box, 0)):
            self.splitter.addWidget(wdg)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.annotator = Annotator(self)
        self.actions_ = Actions(self)
        self.actions_.build_menus()
        self.toolbar = self.actions_.build_toolbar(self.case_switcher)
        self.analysis = AnalysisArea(self)
        self.exchange = exchange.install(self)  # bundles and projects in and out
        codebook.install(self)
        self.pages = pagepane.install(self)  # page view of PDFs and scans (ui/pagepane.py)
        self.view_menu, self.view_actions = navigation.install(self)
        headers.column_chooser(self.case_panel.claims_view, self.settings, "claimsHeader",
                                  hidden_by_default=(ClaimsModel.EVIDENCE,))
        headers.fit_header_texts(self.case_panel.claims_view)
        self.workspace = workspace.install(self)  # annotations, details, profiles, help
        self.team = team.install(self)  # share, join, sync indicator, sync conflicts
        # after every dock exists: each gets the room's title bar (fill the window, back)
        self.room = room.install(self)  # the reader keeps half the window; Ctrl+Shift+M
        resume.install(self)  # the reader's place and the documents list after a restart
        self.reader.view.context_actions = [*self.actions_.selection_actions,
                                            self.actions_.delete_highlight]
        scope_to(self.reader, [*self.actions_.selection_actions, self.actions_.delete_highlight])
        self.shortcut_guard = WindowShortcutGuard(self)
        QApplication.instance().installEventFilter(self.shortcut_guard)
        self.reader.view.describe = self._describe
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel import")
        for wdg in (self.progress, self.cancel_button):
            self.statusBar().addPermanentWidget(wdg)
            wdg.hide()
        self.cancel_button.clicked.connect(self.cancel_import)

        ctl.notifier.changed.connect(self._on_changed)
        ctl.status.connect(lambda msg: self.statusBar().showMessage(msg, 4000))
        self.case_switcher.activated.connect(
            lambda row: ctl.set_case(self.cases_model.index(row, 0).data(IdRole) or ""))
        ctl.case_changed.connect(self._on_case_changed)
        self.documents_panel.activated.connect(self.open_document)
        self.case_panel.claim_activated.connect(self.open_claim)
        self.case_panel.claim_selected.connect(self._claim_selected)
        self.case_panel.entity_selected.connect(self.show_entity_claims)
        self.reader.view.highlight_clicked.connect(self._highlight_clicked)
        self.reader.view.selectionChanged.connect(self._update_actions)
        self.welcome.open_sample.connect(self.open_sample_case)
        self.welcome.new_case.connect(self.new_case)
        self.welcome.import_files.connect(self.import_dialog)

        self.resize(1360, 820)
        self.splitter.setSizes([260, 520, 580])  # the case file gets room for its tabs
        self._restore()

    # -- settings -------------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        geo = s.value("geometry")
        if isinstance(geo, QByteArray | bytes):
            self.restoreGeometry(geo)
        docks = s.value("windowState")
        if isinstance(docks, QByteArray | bytes):
            self.restoreState(docks)
        state = s.value("splitter")
        self._pending_splitter = state if isinstance(state, QByteArray | bytes) else None
        self.cases_model.refresh()
        known = [c.id for c in self.cases_model.rows]
        case = str(s.value("case", "") or "")
        if case not in known:
            case = known[0] if known else ""
        self.controller.set_case(case)
        self._on_changed(Changes.all())
        tab = s.value("caseTab", 0, int) or 0
        if 0 <= tab < self.case_panel.count():
            self.case_panel.setCurrentIndex(tab)
        doc = str(s.value("document", "") or "")
        if doc and self.documents_model.row_of(doc) >= 0:
            self.open_document(doc)
        self.show_centre()

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("windowState", self.saveState())
        s.setValue("case", self.controller.case_id)
        s.setValue("caseTab", self.case_panel.currentIndex())
        s.setValue("document", self.reader.document.id if self.reader.document else "")
        s.sync()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        if self._pending_splitter is not None:  # after the first layout, or sizes get rescaled
            self.splitter.restoreState(self._pending_splitter)
            self._pending_splitter = None

    def closeEvent(self, e: QCloseEvent) -> None:
        self.cancel_import()
        self.team.runner.stop()
        self.pool.waitForDone(10000)
        self.save_settings()
        # Drop undo commands (Python objects owned by the C++ stack) while Python is still
        # fully alive, not during interpreter shutdown.
        self.controller.undo_stack.clear()
        self.controller.stop()
        super().closeEvent(e)

    # -- refresh --------------------------------------------------------------------------
    def _fetch_claims(self):
        ctl = self.controller
        if not ctl.case_id:
            return []
        return claims.list_claims(self.db, case_id=ctl.case_id, entity_id=self.entity_filter)

    def _on_case_changed(self, case_id: str) -> None:
        self.entity_filter = None
        self.case_panel.entity_label.hide()
        self.reader.clear()
        row = self.cases_model.row_of(case_id)
        if row >= 0:
            self.case_switcher.setCurrentIndex(row)

    def _on_changed(self, ch: Changes) -> None:
        """Refresh what the change touched, and only that (the one change path: every edit,
        undo, merge, import, sync and other program's edit arrives here as ``Changes``)."""
        if "cases" in ch:
            self.cases_model.refresh()
            self.case_switcher.setCurrentIndex(self.cases_model.row_of(self.controller.case_id))
            case = next((c for c in self.cases_model.rows if c.id == self.controller.case_id),
                        None)
            self.setWindowTitle(f"{case.title} — Casefile" if case else "Casefile")
        self._refresh_documents(ch)
        if "tags" in ch:
            self.tags_model.refresh()
            self.tags_model_colors()
        elif "highlights" in ch and (ch.reloads("highlights") or any(
                self.tags_model.find(t).isValid() for t in ch.parent_ids("highlights"))):
            self.tags_model.refresh_counts()  # a tagged passage came or went
        if "entities" in ch:
            self.entities_model.refresh()
            self.entities_view_expand()
        self._refresh_claims(ch)
        if "highlights" in ch or "tags" in ch or "claims" in ch:
            self._refresh_reader(ch)
        self._update_actions()
        self.show_centre()

    def _refresh_documents(self, ch: Changes) -> None:
        model = self.documents_model
        if ch.reloads("documents") or "documents" in ch.created or (
                "entities" in ch and "entities" not in ch.created):  # an outlet renamed
            model.refresh()
        elif "documents" in ch or "highlights" in ch:
            mine = {r.id for r in model.rows}
            ids = (ch.ids("documents") | ch.parent_ids("highlights")) & mine
            if ids or ch.deleted.get("documents"):
                model.refresh_ids(ids, ch.deleted.get("documents", ()))
        else:
            return
        if self.reader.document:
            self.documents_panel.select(self.reader.document.id)
            fresh = next((d for d in model.rows if d.id == self.reader.document.id), None)
            if fresh is not None and fresh != self.reader.document:
                self.reader.set_details(fresh)  # details edited here or elsewhere

    def _refresh_claims(self, ch: Changes) -> None:
        if "resolutions" in ch and "claims" not in ch:
            self.claims_model.refresh_accepted()  # a verdict's ✓ moved
        if "claims" not in ch and "entities" not in ch:
            return
        current = self.case_panel.current_claim_id()
        if (ch.reloads("claims") or self.entity_filter or "entities" in ch.updated
                or "entities" in ch.deleted):  # names shown in rows may have changed
            self.claims_model.refresh()
        elif "claims" in ch:
            self.claims_model.refresh_ids(ch.ids("claims"), ch.deleted.get("claims", ()),
                                          known=lambda ids: ch.known_records("claims", ids))
        else:
            return
        if current:
            self.case_panel.select_claims([current])
        self._claim_selected(current or "")  # new evidence (E) is marked at once

    def tags_model_colors(self) -> None:
        self.reader.view.tag_colors = {t.payload.id: t.payload.color for t in
                                       self.tag_nodes() if t.payload.color}

    def tag_nodes(self):
        stack = list(self.tags_model.root.children)
        while stack:
            n = stack.pop()
            stack.extend(n.children)
            yield n

    def entities_view_expand(self) -> None:
        view = self.case_panel.entities_view
        for row in range(self.entities_model.rowCount()):
            view.expand(self.entities_model.index(row, 0))
        view.resizeColumnToContents(0)  # whole names; aliases get what is left
        view.setColumnWidth(0, min(view.columnWidth(0), max(220, view.width() // 2)))

    def _refresh_reader(self, ch: Changes) -> None:
        doc = self.reader.document
        if doc is None:
            return
        view = self.reader.view
        # highlights changed, and those whose citing claims changed (evidence added, a claim
        # citing them deleted)
        ids = ch.ids("highlights") | (ch.parent_ids("claims") & view.records.keys())
        if ch.reloads("highlights") or "tags" in ch or len(ids) > INCREMENTAL_LIMIT:
            view.set_all_highlights(highlights.list_highlights(self.db, document_id=doc.id))
        elif ids:
            known = ch.known_records("highlights", sorted(ids - ch.deleted.get(
                "highlights", frozenset())))
            found = [r for r in known if r.document_id == doc.id] if known is not None else \
                highlights.list_highlights(self.db, document_id=doc.id, ids=sorted(ids))
            view.update_highlights(found, [i for i in ids if i not in {r.id for r in found}])

    def show_centre(self) -> None:
        if self.reader.document is not None:
            self.centre.setCurrentWidget(self.reader)
            return
        self.welcome.configure(empty_library=not self.cases_model.rows,
                               has_case=bool(self.controller.case_id),
                               has_documents=bool(self.documents_model.rows))
        self.centre.setCurrentWidget(self.welcome)

    def _update_actions(self) -> None:
        if hasattr(self, "workspace"):
            self.workspace.update_enabled()
        has_doc = self.reader.document is not None
        has_case = bool(self.controller.case_id)
        for a in (*self.actions_.selection_actions, self.actions_.update_document,
                  self.actions_.find):
            a.setEnabled(has_doc)
        self.actions_.reocr.setEnabled(has_doc and self.reader.document.extractor == "tesseract")
        self.exchange.update_enabled(has_case)
        for a in (self.actions_.rename_case, self.actions_.delete_case, self.actions_.import_):
            a.setEnabled(has_case or a is self.actions_.import_)

    # -- what rooms may ask of the window (ui/base/shell.py) ----------------------------
    def add_file_actions(self, actions: list[QAction]) -> None:
        """Put a room's actions in the File menu, above the sample case, as a group of their
        own (a separator on each side)."""
        before = self.actions_.sample
        menu = self.actions_.file_menu
        above = menu.actions()[menu.actions().index(before) - 1]
        if not above.isSeparator():
            menu.insertSeparator(before)
        menu.insertActions(before, actions)
        menu.insertSeparator(before)

    def add_toolbar_actions(self, actions: list[QAction]) -> None:
        """Beside Import, where a narrow window still shows them."""
        self.toolbar.insertActions(self.actions_.toolbar_files_end, actions)

    def reveal_dock(self, dock: QDockWidget) -> None:
        """Bring a dock to the front with room to be read (the reader keeps half the window)."""
        self.room.reveal(dock)

    def current_highlight(self):
        """The highlight under the reader's selection, or None."""
        return self.annotator.current_highlight()

    def selected_entity(self) -> str | None:
        """The entity selected in the Entities tab; without one, says so and shows the tab."""
        index = self.case_panel.entities_view.currentIndex()
        entity = self.entities_model.entity(index) if index.isValid() else None
        if entity is None:
            self.statusBar().showMessage("Select an entity in the Entities tab first", 4000)
            self.case_panel.setCurrentWidget(self.case_panel.entities_view)
            return None
        return entity.id

    def find_mentions(self, entity_id: str | None = None) -> None:
        """Every occurrence of an entity's names, to accept as highlights (the analysis
        room's dialog)."""
        self.analysis.find_mentions(entity_id)

    # -- navigation (public API) ----------------------------------------------------------
    def open_document(self, document_id: str) -> None:
        """Show a document in the reader (no-op if it is already open)."""
        if self.reader.document is not None and self.reader.document.id == document_id:
            return
        rec = documents.get_document(self.db, document_id=document_id)
        text = documents.get_text(self.db, document_id=document_id)
        self.reader.show_document(rec, text,
                                  highlights.list_highlights(self.db, document_id=document_id))
        self.documents_panel.select(document_id)
        self.show_centre()
        self._update_actions()
        self.statusBar().showMessage(
            f"Opened “{isolate(rec.title)}” — {rec.highlights} highlight(s)", 3000)

    def open_passage(self, document_id: str, start: int, end: int) -> None:
        """Open a document scrolled to ``[start, end)`` (code points) and flash the passage."""
        self.open_document(document_id)
        self.reader.view.show_passage(start, end)

    def open_claim(self, claim_id: str) -> None:
        """Open the first passage of a claim's evidence."""
        rec = claims.get_claim(self.db, claim_id=claim_id)
        if not rec.evidence:
            self.statusBar().showMessage("This claim has no passage as evidence yet", 4000)
            return
        h = highlights.get_highlight(self.db, highlight_id=rec.evidence[0])
        self.open_passage(h.document_id, h.start, h.end)
        self.reader.view.set_emphasis(rec.evidence)

    def select_claim(self, claim_id: str) -> None:
        """Select a claim in the case file (clearing an entity filter that hides it)."""
        if self.claims_model.row_of(claim_id) < 0 and self.entity_filter:
            self.show_all_claims()
        self.case_panel.select_claims([claim_id])

    def show_entity_claims(self, entity_id: str) -> None:
        """Filter the claims table to the claims that mention an entity."""
        ent = entities.get_entity(self.db, entity_id=entity_id)
        self.entity_filter = entity_id
        self.claims_model.refresh()
        lbl = self.case_panel.entity_label
        lbl.setText(f"Claims mentioning <b>{html.escape(ent.name)}</b> "
                    f"({len(self.claims_model.rows)}) — <a href='#'>show all</a>")
        lbl.linkActivated.connect(lambda _l: self.show_all_claims())
        lbl.show()
        self.case_panel.setCurrentIndex(0)

    def show_all_claims(self) -> None:
        self.entity_filter = None
        self.case_panel.entity_label.hide()
        self.claims_model.refresh()

    def _claim_selected(self, claim_id: str) -> None:
        rec = next((c for c in self.claims_model.rows if c.id == claim_id), None)
        self.reader.view.set_emphasis(rec.evidence if rec else ())

    def _highlight_clicked(self, ids: tuple[str, ...]) -> None:
        recs = [self.reader.view.records[i] for i in ids if i in self.reader.view.records]
        claim_ids = [c for r in recs for c in r.claim_ids]
        if claim_ids:
            self.select_claim(claim_ids[0])
            self.case_panel.select_claims(claim_ids)
            self.statusBar().showMessage(f"{len(set(claim_ids))} claim(s) rest on this passage",
                                         3000)

    def _describe(self, recs: list[HighlightRecord]) -> str:
        tag_paths = {n.payload.id: n.payload.path for n in self.tag_nodes()}
        by_id = {c.id: c for c in self.claims_model.rows}
        parts = []
        for r in recs:
            lines = []
            t = [tag_paths[x] for x in r.tag_ids if x in tag_paths]
            if t:
                lines.append("<b>Tags:</b> " + html.escape(", ".join(t)))
            if r.note:
                lines.append("<b>Note:</b> " + html.escape(r.note))
            for cid in r.claim_ids:
                c = by_id.get(cid)
                if c is not None:
                    what = with_stance(c.kind, c.stance)
                    lines.append(f"<b>Claim:</b> {html.escape(c.subject)} — {html.escape(what)}"
                                 f" — {html.escape(c.origin or 'origin unknown')}")
                else:
                    lines.append("<b>Claim</b> (filtered out)")
            parts.append("<br>".join(lines) or "Highlight")
        return "<hr>".join(parts)

    def about(self) -> None:
        QMessageBox.about(self, "About Casefile", "Casefile — turns news reports into a sourced "
                          "case file of claims. Everything stays on this computer.")
