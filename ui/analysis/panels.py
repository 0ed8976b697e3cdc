"""Panels: conflicts side by side, duplicate candidates with merge/undo, mentions, search."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.facts import ClaimFact
from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.services import analysis, identity, search
from ui.analysis.accept_dialog import AcceptClaimDialog
from ui.analysis.models import (
    ROW_ROLE,
    CandidatesModel,
    ConflictsModel,
    MentionsModel,
    SearchModel,
)
from ui.base import plain
from ui.base.controller import Controller
from ui.base.delegates import RowLinesDelegate
from ui.base.flow import FlowLayout
from ui.base.headers import fit_header_texts
from ui.base.merges import MergeEntities, ResolveConflict


class _Panel(QWidget):
    """Base: holds the Database and case id (never a session), the controller its edits go
    through (one undo stack with the window), and the two jump signals."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)
    shows: frozenset[str] = frozenset()  # record kinds whose changes alter what it shows

    def __init__(self, db: Database, case_id: str, ctl: Controller | None = None,
                 parent: QWidget | None = None, *, follow: bool | None = None):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        if ctl is None:  # standalone (tests, tools): its own edits, undo history and reloads
            ctl = Controller(db, self)
            ctl.case_id = case_id
            follow = True if follow is None else follow
        self.ctl = ctl
        self.undo_stack = ctl.undo_stack
        self.status = plain.label()
        self.status.setWordWrap(True)  # long messages wrap, never widen the window
        if follow:  # inside the window, the window tells panels to reload (in the background)
            ctl.notifier.subscribe(self.shows, lambda _changes: self.refresh(), receiver=self)

    def refresh(self) -> None:
        """Load and show now, on this thread (the window loads in the background instead)."""
        self.show_data(self.fetcher()())

    def fetcher(self) -> Callable[[], Any]:
        """A thread-safe callable loading what the panel shows (services only)."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def tell(self, message: str) -> None:
        """Say what was just written, here and in the window's status bar."""
        self.status.setText(message)
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(message, 6000)

    def _jump_to_claim(self, fact: ClaimFact) -> None:
        self.claimRequested.emit(fact.id)
        if fact.passages:
            p = fact.passages[0]
            self.passageRequested.emit(p.document_id, p.start, p.end)


class ConflictsPanel(_Panel):
    """Conflict sets with their members; double-click a claim to open its passage; resolve the
    selected set by accepting the selected claim, or weigh its versions as hypotheses."""

    weighRequested = Signal(object)  # the selected set's claim ids
    shows = frozenset({"claims", "entities", "highlights", "resolutions"})

    def __init__(self, db: Database, case_id: str, ctl: Controller | None = None,
                 parent: QWidget | None = None, *, follow: bool | None = None,
                 load: bool = True):
        super().__init__(db, case_id, ctl, parent, follow=follow)
        self.model = ConflictsModel(parent=self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.doubleClicked.connect(self._activated)
        self.view.setColumnWidth(0, 300)  # the set's title and each claim's statement
        self.view.setWordWrap(False)
        self.resolve_button = QPushButton("Accept selected claim…", self)
        self.resolve_button.setToolTip("Mark the selected claim as the conflict's verdict "
                                       "(asks first, with the reason)")
        # a lambda: clicked(bool) would hand its "checked" flag over as the reason
        self.resolve_button.clicked.connect(lambda _c=False: self.resolve_selected())
        self.dialog: AcceptClaimDialog | None = None
        self.weigh_button = QPushButton("Weigh as hypotheses", self)
        self.weigh_button.setToolTip("One competing hypothesis per version in the selected set")
        self.weigh_button.clicked.connect(self.weigh_selected)
        buttons = FlowLayout()  # wraps in a narrow case file rather than widening it
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.resolve_button)
        buttons.addWidget(self.weigh_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        lay.addWidget(self.view)
        if load:
            self.refresh()

    def fetcher(self) -> Callable[[], Any]:
        return partial(analysis.list_conflicts, self.db, case_id=self.case_id)

    def show_data(self, views: list[analysis.ConflictView]) -> None:
        self.model.set_views(views)
        self.view.expandAll()
        open_ = sum(1 for v in views if not v.set.resolved)
        n = len(views)
        self.status.setText(f"{n} conflict set{'' if n == 1 else 's'}, {open_} open")

    def _activated(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, ClaimFact):
            self._jump_to_claim(item)

    def selected_claim(self) -> tuple[analysis.ConflictView, ClaimFact] | None:
        idx = self.view.currentIndex()
        item = idx.data(ROW_ROLE) if idx.isValid() else None
        if not isinstance(item, ClaimFact):
            return None
        return idx.parent().data(ROW_ROLE), item

    def resolve_selected(self, reason: str | None = None) -> bool:
        """Accept the selected claim for its set. Without ``reason``, ask first (the claim
        shown, a line for why; ``self.dialog``, window-modal) and return False."""
        picked = self.selected_claim()
        if picked is None:
            self.status.setText("Select the claim you accept first.")
            return False
        view, claim = picked
        if reason is None:
            s = view.set
            self.dialog = AcceptClaimDialog(claim, f"{s.subject} — {s.kind}",
                                            len(view.members) - 1, self)
            dialog = self.dialog
            dialog.accepted.connect(lambda: self._resolve(view, claim,
                                                          dialog.reason.text().strip()))
            dialog.open()
            return False
        return self._resolve(view, claim, reason)

    def _resolve(self, view: analysis.ConflictView, claim: ClaimFact, reason: str) -> bool:
        try:
            self.ctl.apply(ResolveConflict(self.ctl, view.set.subject_id, view.set.kind,
                                           view.set.claim_ids, claim.id, reason))
        except CasefileError as exc:
            self.status.setText(str(exc))
            return False
        self.tell(f"Conflict resolved: accepted “{claim.statement[:60]}” (Ctrl+Z to undo)")
        return True


    def weigh_selected(self) -> bool:
        """Ask for the selected set's versions to be weighed as competing hypotheses."""
        idx = self.view.currentIndex()
        item = idx.data(ROW_ROLE) if idx.isValid() else None
        if isinstance(item, ClaimFact):
            item = idx.parent().data(ROW_ROLE)
        if item is None:
            self.status.setText("Select a conflict set first.")
            return False
        self.weighRequested.emit(tuple(item.set.claim_ids))
        return True


class CandidatesPanel(_Panel):
    """Likely duplicates, best first; merge the selected pair (undoable)."""

    shows = frozenset({"entities"})

    def __init__(self, db: Database, case_id: str, ctl: Controller | None = None,
                 parent: QWidget | None = None, *, follow: bool | None = None,
                 load: bool = True):
        super().__init__(db, case_id, ctl, parent, follow=follow)
        self.model = CandidatesModel(parent=self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 0)  # a score (0.52) needs its title's width, no more
        fit_header_texts(self.view)
        self.merge_button = QPushButton("Merge into first", self)
        self.merge_button.clicked.connect(self.merge_selected)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.merge_button)
        top.addWidget(self.undo_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view)
        if load:
            self.refresh()

    def fetcher(self) -> Callable[[], Any]:
        return partial(identity.duplicate_candidates, self.db, case_id=self.case_id)

    def show_data(self, rows: list) -> None:
        self.model.set_rows(rows)
        n = len(rows)
        self.status.setText(f"{n} possible duplicate{'' if n == 1 else 's'}")
        self.undo_button.setEnabled(self.undo_stack.canUndo())

    def merge_selected(self) -> bool:
        idx = self.view.currentIndex()
        cand = idx.data(ROW_ROLE) if idx.isValid() else None
        if cand is None:
            self.status.setText("Select a pair to merge.")
            return False
        try:
            self.ctl.apply(MergeEntities(self.ctl, cand.a_id, cand.b_id,
                                         f"Merge {cand.b} into {cand.a}"))
        except CasefileError as exc:
            self.status.setText(str(exc))
            return False
        self.tell(f"Merged “{cand.b}” into “{cand.a}” (Ctrl+Z to undo)")
        return True


class MentionsDialog(QDialog):
    """Every occurrence of an entity's names in the case's documents: tick to accept (a
    highlight and an alias seen in that document are made), untick to skip."""

    passageRequested = Signal(str, int, int)

    def __init__(self, db: Database, entity_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.entity_id = db, entity_id
        self.setWindowTitle("Find mentions")
        self.model = MentionsModel(identity.find_mentions(db, entity_id=entity_id), self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"{self.model.rowCount()} mentions found"))
        lay.addWidget(self.view)
        lay.addWidget(buttons)
        self.created: list[str] = []
        # wide enough to read which document and which words, inside a 1024 px window
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        head.setStretchLastSection(False)
        self.view.setColumnWidth(1, 260)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        self.resize(760, 460)

    def _open(self, index: QModelIndex) -> None:
        m = index.data(ROW_ROLE)
        if m is not None:
            self.passageRequested.emit(m.document_id, m.start, m.end)

    def accept(self) -> None:
        with self.db.batch():  # the views refresh once
            for m in self.model.accepted():
                if not m.highlighted:
                    self.created.append(identity.accept_mention(
                        self.db, entity_id=self.entity_id, mention=m).id)
        super().accept()


class SearchPanel(_Panel):
    """A search box and hits with snippets; activating a hit opens its passage or claim."""

    shows = frozenset({"documents", "highlights", "claims", "entities"})

    def __init__(self, db: Database, case_id: str, ctl: Controller | None = None,
                 parent: QWidget | None = None, *, follow: bool | None = None,
                 load: bool = True):
        super().__init__(db, case_id, ctl, parent, follow=follow)
        self.box = QLineEdit(self)
        self.box.setPlaceholderText("Search documents, passages, claims, names…")
        self.box.returnPressed.connect(lambda: (self.reload or self.refresh)())
        self.model = SearchModel(parent=self)
        # two lines a hit — what and in which document, then the words around it — readable
        # in a narrow case file
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(RowLinesDelegate(hit_lines, ROW_ROLE, self.view))
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(True)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self.reload: Callable[[], None] | None = None  # set by a host that loads in background
        lay = QVBoxLayout(self)
        lay.addWidget(self.box)
        lay.addWidget(self.status)
        lay.addWidget(self.view)
        if load:
            self.refresh()

    def search(self, text: str) -> None:
        self.box.setText(text)
        self.refresh()

    def reset(self) -> None:
        """Another case: the last one's query and hits go (they would search it again)."""
        self.box.clear()
        self.show_data(("", []))

    def refresh(self) -> None:
        try:
            super().refresh()
        except CasefileError as exc:
            self.show_error(str(exc))

    def show_error(self, message: str) -> None:
        self.model.set_rows([])
        self.status.setText(message)

    def fetcher(self) -> Callable[[], Any]:
        return partial(_search, self.db, self.case_id, self.box.text().strip())

    def show_data(self, data: tuple[str, list]) -> None:
        query, hits = data
        self.model.set_rows(hits)
        self.status.setText(f"{len(hits)} hits for “{query}”" if query else
                            "Type words and press Enter: documents, passages, claims and names "
                            "are searched.")

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(ROW_ROLE)
        if hit is None:
            return
        if hit.type == "claim":
            self.claimRequested.emit(hit.id)
        elif hit.document_id is not None and hit.start is not None:
            self.passageRequested.emit(hit.document_id, hit.start, hit.end)
        elif hit.document_id is not None:
            self.passageRequested.emit(hit.document_id, 0, 0)



HIT_WORDS = {"document": "Document", "highlight": "Passage", "claim": "Claim",
             "entity": "Entity", "alias": "Spelling of an entity"}


def hit_lines(hit) -> tuple[str, str]:
    """"Passage · Tajik fighter … (PDF)" over the words around the hit."""
    what = HIT_WORDS.get(hit.type, hit.type)
    return (f"{what} · {hit.document}" if hit.document else what), hit.snippet


def _search(db: Database, case_id: str, query: str) -> tuple[str, list]:
    """The query and its hits ([] for an empty query); a bad query raises CasefileError."""
    return query, (search.search(db, case_id=case_id, query=query) if query else [])
