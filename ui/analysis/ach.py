"""The ACH panel: hypotheses × evidence, rated from the keyboard, scores under the columns."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.ach import RATING_WORDS, RATINGS, Matrix
from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.services import entities, hypotheses
from casefile.services.hypotheses import HypothesisInput, RatingRecord
from casefile.vocab import stated
from ui.analysis.ach_commands import (
    KINDS,
    AddHypothesis,
    AddPassage,
    EditHypothesis,
    RateCells,
    ReorderHypotheses,
    delete_hypothesis,
)
from ui.analysis.ach_dialog import HypothesisDialog
from ui.analysis.ach_models import CELL_ROLE, FIXED, ROW_ROLE, MatrixModel, ScoresModel
from ui.base import plain
from ui.base.commands import Command, Macro
from ui.base.controller import Controller
from ui.base.flow import FlowLayout

if TYPE_CHECKING:
    from ui.analysis.area import AnalysisArea

# key -> (rating, rating with Shift)
RATING_KEYS = {Qt.Key.Key_C: ("C", "CC"), Qt.Key.Key_I: ("I", "II"), Qt.Key.Key_N: ("N", "N"),
               Qt.Key.Key_A: ("NA", "NA")}
WIDTHS = (340, 70, 50)
CELL_WIDTH = 150
MAX_CELL_WIDTH = 300  # a wide window shows more of each hypothesis
MIN_CELL_WIDTH, MIN_EVIDENCE_WIDTH = 96, 200  # before the matrix scrolls sideways


class RatingDelegate(QStyledItemDelegate):
    """F2 or a double-click on a cell: pick a rating from a list ("" clears yours)."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItem("(no rating of yours)", "")
        for r in RATINGS:
            combo.addItem(f"{r} — {RATING_WORDS[r]}", r)
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class MatrixView(QTableView):
    """Keys on the selected cells: C, I, N (Shift+C = CC, Shift+I = II), A = not applicable,
    Enter/Space = accept the suggestion, Delete = clear your rating."""

    ratingKey = Signal(str)
    acceptKey = Signal()
    clearKey = Signal()
    resized = Signal()

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self.resized.emit()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        km = Qt.KeyboardModifier
        chord = e.modifiers() & (km.ControlModifier | km.AltModifier | km.MetaModifier)
        if self.state() != QAbstractItemView.State.EditingState and not chord:
            key = Qt.Key(e.key())
            if key in RATING_KEYS:
                shift = bool(e.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.ratingKey.emit(RATING_KEYS[key][shift])
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self.acceptKey.emit()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clearKey.emit()
                return
        super().keyPressEvent(e)


class AchPanel(QWidget):
    """The matrix of one case. Loads through ``fetcher``/``show_data`` (the window runs the
    load in the background); every edit is an undoable command on ``undo_stack`` that calls
    the hypotheses services. Never holds a database session."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, case_id: str, ctl: Controller | None = None,
                 parent: QWidget | None = None, *, load: bool = True):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        if ctl is None:  # standalone: its own edits and undo history; reloads after each
            ctl = Controller(db, self)
            ctl.case_id = case_id
            ctl.notifier.subscribe(KINDS, lambda _changes: self.reload(), receiver=self)
        self.ctl = ctl
        self.undo_stack = ctl.undo_stack
        self.passage_source: Callable[[], Any] | None = None  # the highlight under the cursor
        self.matrix: Matrix | None = None
        self.status = plain.label()
        self.status.setWordWrap(True)
        self.model = MatrixModel(self)
        self.model.rateRequested.connect(lambda h, k, r: self.rate([(h, k, r)]))
        self.view = MatrixView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(RatingDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        # compact rows: a bottom dock of a small window still shows a few pieces of evidence
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.horizontalHeader().setDefaultSectionSize(CELL_WIDTH)
        self.view.setWordWrap(False)
        self.view.clicked.connect(self._clicked)
        self.view.ratingKey.connect(lambda r: self.rate_selected(r))
        self.view.acceptKey.connect(self.accept_selected)
        self.view.clearKey.connect(lambda: self.rate_selected(None))
        self.scores = ScoresModel(self)
        self.footer = QTableView(self)
        self.footer.setModel(self.scores)
        for header in (self.footer.horizontalHeader(), self.footer.verticalHeader()):
            header.hide()
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.footer.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.horizontalHeader().sectionResized.connect(
            lambda i, _old, new: self.footer.setColumnWidth(i, new))
        self.view.horizontalScrollBar().valueChanged.connect(
            self.footer.horizontalScrollBar().setValue)
        self.sensitivity = QListWidget(self)
        self.sensitivity.setWordWrap(True)
        self.sensitivity.itemActivated.connect(self._sensitive_activated)
        self.sensitivity.itemClicked.connect(self._sensitive_activated)
        self._build_layout()
        self.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # most diagnostic first
        if load:
            self.refresh()

    def _build_layout(self) -> None:
        def button(text: str, slot, tip: str) -> QPushButton:
            b = QPushButton(text, self)
            b.setToolTip(tip)
            b.clicked.connect(lambda _c=False: slot())
            return b

        self.add_button = button("Add…", self.add_hypothesis, "Add a hypothesis")
        self.edit_button = button("Edit…", self.edit_hypothesis,
                                  "Edit the hypothesis of the current column")
        self.delete_button = button("Delete", self.delete_hypothesis,
                                    "Delete the hypothesis of the current column")
        self.left_button = button("◀", lambda: self.move_hypothesis(-1), "Move it left")
        self.right_button = button("▶", lambda: self.move_hypothesis(1), "Move it right")
        self.accept_button = button("Accept suggestions", self.accept_selected,
                                    "Make the suggested ratings of the selected cells yours "
                                    "(Enter); with one cell selected, its whole column")
        self.passage_button = button("Add passage", self.add_passage,
                                     "Put the highlight under the reader's cursor into the "
                                     "matrix as evidence of its own")
        self.all_claims = QCheckBox("Every claim", self)
        self.all_claims.setToolTip("Rows for every claim of the case, not only those about "
                                   "the hypotheses' subjects")
        self.count_suggestions = QCheckBox("Count suggestions", self)
        self.count_suggestions.setChecked(True)
        self.count_suggestions.setToolTip("Count Casefile's pending suggestions in the scores "
                                          "(off: only your own ratings)")
        for box in (self.all_claims, self.count_suggestions):
            box.toggled.connect(lambda _on: self.reload())
        for b in (self.left_button, self.right_button):
            b.setMaximumWidth(b.fontMetrics().horizontalAdvance("◀") + 24)
        bar = FlowLayout(spacing=4)  # one row in a bottom dock; wraps when narrow
        bar.setContentsMargins(0, 0, 0, 0)
        for wdg in (self.add_button, self.edit_button, self.delete_button, self.left_button,
                    self.right_button, self.accept_button, self.passage_button,
                    self.all_claims, self.count_suggestions):
            bar.addWidget(wdg)
        grid = QWidget(self)
        glay = QVBoxLayout(grid)
        glay.setContentsMargins(0, 0, 0, 0)
        glay.setSpacing(0)
        glay.addWidget(self.view, 1)
        glay.addWidget(self.footer)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(grid)
        side = QWidget(self)
        slay = QVBoxLayout(side)
        slay.setContentsMargins(0, 0, 0, 0)
        slay.addWidget(plain.label("What would change the leader:"))
        slay.addWidget(self.sensitivity, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(4)
        lay.addLayout(bar)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        self.view.resized.connect(self._fit_columns)

    # -- loading ----------------------------------------------------------------------------
    def fetcher(self) -> Callable[[], Matrix]:
        """A thread-safe callable computing the matrix (services only)."""
        return partial(hypotheses.matrix, self.db, case_id=self.case_id,
                       all_claims=self.all_claims.isChecked(),
                       include_suggestions=self.count_suggestions.isChecked())

    def refresh(self) -> None:
        """Load and show now, on this thread (the window loads in the background instead)."""
        try:
            self.show_data(self.fetcher()())
        except CasefileError as exc:
            self.show_error(str(exc))

    reload = refresh  # the window replaces this with its background load

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def show_data(self, m: Matrix) -> None:
        current = self.view.currentIndex()
        keep = (self.model.row(current).key if current.isValid() else None, current.column())
        self.matrix = m
        self.model.set_matrix(m)
        self.scores.set_matrix(m)
        self._fit_columns()
        self.footer.resizeRowsToContents()
        self.footer.setFixedHeight(sum(self.footer.rowHeight(r) for r in range(2)) + 4)
        if keep[0] is not None and (row := self.model.row_of(keep[0])) >= 0:
            self.view.setCurrentIndex(self.model.index(row, keep[1]))
        self._show_sensitivity(m)
        self.status.setText(self._summary(m))
        has = bool(m.hypotheses)
        for b in (self.edit_button, self.delete_button, self.left_button, self.right_button,
                  self.accept_button):
            b.setEnabled(has)

    def _fit_columns(self) -> None:
        """Every hypothesis in view when the window is narrow: their columns and the
        statements' narrow down to a floor before the matrix scrolls sideways. When wide,
        the hypotheses' columns grow (to a ceiling) so their statements can be read, and the
        evidence takes what is left: no empty band beside the matrix."""
        header = self.view.horizontalHeader()
        n = max(0, self.model.columnCount() - FIXED)
        room = self.view.viewport().width() - WIDTHS[1] - WIDTHS[2]
        cell = max(MIN_CELL_WIDTH, min(CELL_WIDTH, (room - MIN_EVIDENCE_WIDTH) // n)) if n \
            else CELL_WIDTH
        evidence = max(MIN_EVIDENCE_WIDTH, min(WIDTHS[0], room - n * cell))
        if n and room > WIDTHS[0] + n * cell:  # room to spare
            cell = min(MAX_CELL_WIDTH, (room - WIDTHS[0]) // n)
            evidence = room - n * cell
        self.model.set_header_width(cell)
        for col, width in enumerate((evidence, *WIDTHS[1:], *[cell] * n)):
            if col < self.model.columnCount() and header.sectionSize(col) != width:
                header.resizeSection(col, width)
        for col in range(self.model.columnCount()):
            self.footer.setColumnWidth(col, header.sectionSize(col))

    def _label(self, hypothesis_id: str | None) -> str:
        ids = [h.id for h in self.matrix.hypotheses]
        return f"H{ids.index(hypothesis_id) + 1}" if hypothesis_id in ids else "?"

    def _summary(self, m: Matrix) -> str:
        if not m.hypotheses:
            return ("No hypotheses yet. Add one (with a subject and a kind Casefile suggests "
                    "ratings), or weigh a conflict's versions from the Conflicts tab.")
        pending = sum(c.suggested for r in m.rows for c in r.cells)
        lead = (f"leading: {self._label(m.leader)}" if m.leader
                else "no single leader: " + " = ".join(self._label(t) for t in m.tied))
        text = (f"{len(m.hypotheses)} hypotheses × {len(m.rows)} pieces of evidence; {lead}. "
                "Lower scores are better.")
        if pending:
            text += f" {pending} suggested ratings (marked ?) await your review."
        return text

    def _show_sensitivity(self, m: Matrix) -> None:
        self.sensitivity.clear()
        statements = {r.key: stated(f"“{r.statement}”", r.kind, r.stance) for r in m.rows}
        for s in m.sensitivity:
            to = self._label(s.changes_leader_to) if s.changes_leader_to else (
                "a tie " + " = ".join(self._label(t) for t in s.tied))
            how = ("without it" if s.by == "removal"
                   else f"rated {s.as_rating} against {self._label(s.hypothesis_id)}")
            item = QListWidgetItem(f"{statements[s.key]} {how} → {to}")
            item.setData(Qt.ItemDataRole.UserRole, s.key)
            item.setToolTip(plain.tooltip(item.text()))
            self.sensitivity.addItem(item)
        if not m.sensitivity:
            self.sensitivity.addItem("(nothing single: no one claim changes the leader)")

    # -- navigation -------------------------------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is None:
            return
        if row.claim_id:
            self.claimRequested.emit(row.claim_id)
        if row.passage is not None:
            p = row.passage
            self.passageRequested.emit(p.document_id, p.start, p.end)

    def _sensitive_activated(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        row = self.model.row_of(key) if key else -1
        if row >= 0:
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self._clicked(index)

    # -- rating -----------------------------------------------------------------------------
    def _apply(self, cmd) -> bool:
        try:
            self.ctl.apply(cmd)
        except CasefileError as exc:
            self.status.setText(str(exc))
            self.reload()
            return False
        return True

    def _cells(self) -> list[QModelIndex]:
        picked = [i for i in self.view.selectionModel().selectedIndexes() if i.column() >= FIXED]
        current = self.view.currentIndex()
        if not picked and current.isValid() and current.column() >= FIXED:
            picked = [current]
        return picked

    def rate(self, cells: Iterable[tuple[str, str, str | None]], text: str = "Rate") -> bool:
        """Set cells ((hypothesis id, evidence id, rating or None)) as one undoable step."""
        after = [RatingRecord(h, k, r) for h, k, r in cells]
        if not after:
            return False
        what = after[0].rating or "cleared"
        if not self._apply(RateCells(self.ctl, after, f"{text} {what}" if len(after) == 1
                                     else f"{text} {len(after)} cells")):
            return False
        for r in after:
            self.model.show_rating(r.evidence_id, r.hypothesis_id, r.rating)
        return True

    def rate_selected(self, rating: str | None) -> bool:
        cells = []
        for i in self._cells():
            h, row = self.model.hypothesis(i.column()), i.data(ROW_ROLE)
            if rating is None and i.data(CELL_ROLE).analyst is None:
                continue  # nothing of the analyst's to clear
            cells.append((h.id, row.key, rating))
        return self.rate(cells, "Rate" if rating else "Clear rating")

    def accept_selected(self) -> bool:
        """Accept the suggestions in the selected cells; one cell selected: its column's."""
        picked = self._cells()
        if len(picked) == 1:
            col = picked[0].column()
            picked = [self.model.index(r, col) for r in range(self.model.rowCount())]
        cells = [(self.model.hypothesis(i.column()).id, i.data(ROW_ROLE).key,
                  i.data(CELL_ROLE).rating) for i in picked if i.data(CELL_ROLE).suggested]
        if not cells:
            self.status.setText("No suggestions to accept there.")
            return False
        return self.rate(cells, "Accept")

    # -- hypotheses -------------------------------------------------------------------------
    def current_hypothesis(self):
        col = self.view.currentIndex().column()
        h = self.model.hypothesis(col)
        if h is None and self.matrix is not None and self.matrix.hypotheses:
            h = self.matrix.hypotheses[0] if len(self.matrix.hypotheses) == 1 else None
        if h is None:
            self.status.setText("Select a cell in the hypothesis' column first.")
        return h

    def _dialog(self, save, current=None) -> HypothesisDialog:
        names = [e.name for e in entities.list_entities(self.db, case_id=self.case_id)]
        self.dialog = HypothesisDialog(save, sorted(names, key=str.casefold), current, self)
        return self.dialog

    def add_hypothesis(self, data: HypothesisInput | None = None) -> None:
        """Add one (from ``data``, or from the dialog)."""
        def save(d: HypothesisInput):
            cmd = AddHypothesis(self.ctl, self.case_id, d)
            self.ctl.apply(cmd)
            return cmd.rec

        if data is not None:
            save(data)
        else:
            self._dialog(save).open()

    def edit_hypothesis(self) -> None:
        before = self.current_hypothesis()
        if before is None:
            return

        def save(d: HypothesisInput):
            cmd = EditHypothesis(self.ctl, before, d)
            self.ctl.apply(cmd)
            return cmd.after

        self._dialog(save, before).open()

    def delete_hypothesis(self, confirm: bool = True) -> None:
        h = self.current_hypothesis()
        if h is None:
            return
        if confirm and plain.question(
                self, "Delete hypothesis", "Delete this hypothesis and your ratings of it? "
                "(Undo brings them back.)") != QMessageBox.StandardButton.Yes:
            return
        self._apply(delete_hypothesis(self.ctl, h.id))

    def move_hypothesis(self, step: int) -> None:
        h = self.current_hypothesis()
        if h is None:
            return
        order = [x.id for x in self.matrix.hypotheses]
        at = order.index(h.id)
        to = max(0, min(len(order) - 1, at + step))
        if to == at:
            return
        after = list(order)
        after.insert(to, after.pop(at))
        self._apply(ReorderHypotheses(self.ctl, self.case_id, after))

    def weigh(self, claim_ids: Iterable[str]) -> int:
        """Add one hypothesis per competing version among ``claim_ids`` (a conflict set), as
        one undoable step; returns how many were added."""
        drafts = hypotheses.drafts_from_conflict(self.db, case_id=self.case_id,
                                                 claim_ids=list(claim_ids))
        if not drafts:
            self.status.setText("Every version of that conflict is a hypothesis already.")
            return 0
        steps: list[Command] = [AddHypothesis(self.ctl, self.case_id, d) for d in drafts]
        if not self._apply(Macro(self.ctl, f"Weigh {len(drafts)} versions as hypotheses",
                                 steps)):
            return 0
        return len(drafts)

    def add_passage(self) -> None:
        h = self.passage_source() if self.passage_source else None
        if h is None:
            self.status.setText("Put the reader's cursor in a highlighted passage first.")
            return
        self._apply(AddPassage(self.ctl, h.id))


def install(area: AnalysisArea):
    """Add the "Competing hypotheses" dock to the window (beside the timeline), its action in
    the Analysis menu (Ctrl+Shift+H), and return the lazy holder of its panel."""
    from ui.analysis.lazy import LazyPanel

    w = area.w
    ctl = w.controller

    def build(case_id: str) -> AchPanel:
        p = AchPanel(w.db, case_id, ctl, load=False)
        p.passageRequested.connect(w.open_passage)
        p.claimRequested.connect(w.open_claim)
        p.passage_source = w.current_highlight
        return p

    lazy = LazyPanel(build, lambda: ctl.case_id,
                     KINDS | {"claims", "entities", "highlights", "documents"})
    dock = area._dock("Competing hypotheses", "achDock", lazy)
    w.tabifyDockWidget(area.timeline_dock, dock)
    area.lazy = (*area.lazy, lazy)
    # shown in front of the timeline and graph it is tabbed with, with room to read it
    action = area._dock_action(dock, "Competing &hypotheses (ACH)", "Ctrl+Shift+H")
    area.analysis_menu.addAction(action)
    lazy.dock, lazy.action = dock, action

    def weigh(claim_ids) -> None:
        area.reveal(dock)
        panel = lazy.ensure()
        if panel is not None:
            n = panel.weigh(claim_ids)
            if n:
                w.statusBar().showMessage(f"Added {n} hypotheses, one per version: edit or "
                                          "delete them as you see fit (Ctrl+Z undoes)", 6000)

    lazy.weigh = weigh
    return lazy
