"""The ACH panel on its own: models pass qtmodeltester, keyboard ratings undo, clicks jump."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from casefile.services import hypotheses
from tests.core.ach_case import build_case
from ui.analysis.ach import AchPanel
from ui.analysis.ach_models import CELL_ROLE, FIXED, ROW_ROLE


@pytest.fixture
def case(db, case_id):
    return build_case(db, case_id)


@pytest.fixture
def panel(qtbot, db, case_id, case):
    p = AchPanel(db, case_id)
    qtbot.addWidget(p)
    p.resize(1200, 500)
    p.show()
    return p


def _index(panel, claim_id, hyp_id):
    row = panel.model.row_of(claim_id)
    col = FIXED + [h.id for h in panel.matrix.hypotheses].index(hyp_id)
    return panel.model.index(row, col)


def _rated(db, case_id):
    return {(r.hypothesis_id, r.evidence_id): r.rating
            for r in hypotheses.list_ratings(db, case_id=case_id)}


def test_models_pass_qtmodeltester_and_show_scores(qtmodeltester, panel, case):
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.scores)
    assert panel.model.columnCount() == FIXED + 3
    assert panel.model.headerData(FIXED, Qt.Orientation.Horizontal).startswith("H1\nQosimov")
    # scores under the columns, in the matrix' column order: H1 1.60, H2 1.32, H3 1.00
    assert [panel.scores.index(0, FIXED + j).data() for j in range(3)] == ["1.60", "1.32", "1.00"]
    assert [panel.scores.index(1, FIXED + j).data() for j in range(3)] == ["3", "2", "1"]
    assert panel.scores.index(0, FIXED + 2).data(Qt.ItemDataRole.FontRole).bold()
    # suggestions are marked as such, and explain themselves in plain text
    idx = _index(panel, case.claims["raqqa"], case.hyps["wadi"])
    assert idx.data() == "I?" and idx.data(Qt.ItemDataRole.FontRole).italic()
    tip = idx.data(Qt.ItemDataRole.ToolTipRole)
    assert "Suggested: I (inconsistent)" in tip and "place differs (Raqqa vs Wadi Sirr)" in tip
    assert "leading: H3" in panel.status.text() and "await your review" in panel.status.text()
    removal = panel.sensitivity.item(0).text()
    assert removal.startswith("“detained a man") and removal.endswith("without it → H2")


def test_rows_sort_by_diagnosticity(panel):
    diag = [panel.model.index(r, 2).data() for r in range(panel.model.rowCount())]
    assert diag == sorted(diag, reverse=True) and diag[-1] == 1  # the arrest: I, I, N
    panel.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert panel.model.index(0, 2).data() == 1


def test_keyboard_rating_accepting_clearing_and_undo(qtbot, db, case_id, panel, case):
    h, c = case.hyps, case.claims
    idx = _index(panel, c["alive"], h["raqqa"])
    panel.view.setFocus()
    panel.view.setCurrentIndex(idx)
    qtbot.keyClick(panel.view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    assert _rated(db, case_id) == {(h["raqqa"], c["alive"]): "II"}
    idx = _index(panel, c["alive"], h["raqqa"])
    assert idx.data() == "II" and not idx.data(CELL_ROLE).suggested
    assert panel.scores.index(0, FIXED).data() == "1.76"
    panel.undo_stack.undo()
    assert _rated(db, case_id) == {}
    assert _index(panel, c["alive"], h["raqqa"]).data() == "I?"
    panel.undo_stack.redo()
    assert _rated(db, case_id) == {(h["raqqa"], c["alive"]): "II"}
    # Delete clears the analyst's rating (the suggestion shows again)
    panel.view.setCurrentIndex(_index(panel, c["alive"], h["raqqa"]))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert _rated(db, case_id) == {}
    # Enter on one cell accepts every suggestion of its column
    panel.view.setCurrentIndex(_index(panel, c["raqqa"], h["alive"]))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    rated = _rated(db, case_id)
    assert len(rated) == 6 and rated[(h["alive"], c["istanbul"])] == "N"
    assert all(not panel.model.index(r, FIXED + 2).data(CELL_ROLE).suggested
               for r in range(panel.model.rowCount()))
    panel.undo_stack.undo()
    assert _rated(db, case_id) == {}
    # the combo editor (F2) path: setData with a rating
    assert panel.model.setData(_index(panel, c["raqqa"], h["raqqa"]), "CC")
    assert _rated(db, case_id) == {(h["raqqa"], c["raqqa"]): "CC"}
    assert not panel.model.setData(_index(panel, c["raqqa"], h["raqqa"]), "maybe")


def test_click_on_a_row_asks_for_its_passage(qtbot, panel, case):
    idx = panel.model.index(panel.model.row_of(case.claims["istanbul"]), 0)
    row = idx.data(ROW_ROLE)
    with qtbot.waitSignal(panel.passageRequested) as passage, \
            qtbot.waitSignal(panel.claimRequested) as claim:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.view.visualRect(idx).center())
    assert claim.args == [case.claims["istanbul"]]
    assert passage.args == [row.passage.document_id, row.passage.start, row.passage.end]


def test_hypotheses_added_moved_deleted_and_undone(qtbot, db, case_id, panel, case):
    panel.add_hypothesis()
    dialog = panel.dialog
    dialog.statement.setText("He died in prison")
    dialog.date.setText("not a date")
    dialog.accept()
    assert dialog.isVisible() and "cannot read" in dialog.error.text()
    dialog.date.setText("2021")
    dialog.accept()
    assert not dialog.isVisible()
    assert panel.model.columnCount() == FIXED + 4
    panel.view.setCurrentIndex(panel.model.index(0, FIXED + 3))
    panel.move_hypothesis(-1)
    assert [x.statement for x in hypotheses.list_hypotheses(db, case_id=case_id)][2] == \
        "He died in prison"
    panel.view.setCurrentIndex(panel.model.index(0, FIXED + 2))
    panel.delete_hypothesis(confirm=False)
    assert len(hypotheses.list_hypotheses(db, case_id=case_id)) == 3
    for _ in range(3):
        panel.undo_stack.undo()
    assert [x.id for x in hypotheses.list_hypotheses(db, case_id=case_id)] == list(
        case.hyps.values())
    assert panel.model.columnCount() == FIXED + 3


def test_a_passage_under_the_cursor_becomes_a_row(db, case_id, panel, case):
    from casefile.services import claims, highlights

    hid = claims.get_claim(db, claim_id=case.claims["alive"]).evidence[0]
    panel.passage_source = lambda: None
    panel.add_passage()
    assert "cursor in a highlighted passage" in panel.status.text()
    panel.passage_source = lambda: highlights.get_highlight(db, highlight_id=hid)
    panel.add_passage()
    row = panel.model.row_of(hid)
    assert row >= 0 and panel.model.index(row, FIXED).data() == ""  # rated by hand only
    assert "Not rated" in panel.model.index(row, FIXED).data(Qt.ItemDataRole.ToolTipRole)
    panel.undo_stack.undo()
    assert panel.model.row_of(hid) < 0


def test_a_wide_matrix_fills_its_width_and_shows_more_of_each_hypothesis(qtbot, panel):
    """Wide: the hypotheses' columns grow beyond their default and the evidence takes the
    rest (no empty band beside the matrix); narrow: they shrink before anything scrolls."""
    from ui.analysis.ach import CELL_WIDTH, MAX_CELL_WIDTH, MIN_CELL_WIDTH

    header = panel.view.horizontalHeader()
    n = panel.model.columnCount()

    def widths():
        return [header.sectionSize(c) for c in range(n)]

    panel.resize(1500, 500)
    qtbot.waitUntil(lambda: sum(widths()) >= panel.view.viewport().width() - 2)
    cells = widths()[FIXED:]
    assert all(CELL_WIDTH < w <= MAX_CELL_WIDTH for w in cells)
    assert sum(widths()) <= panel.view.viewport().width()
    wide = panel.model.headerData(FIXED, Qt.Orientation.Horizontal).split("\n")[1]
    panel.resize(700, 500)
    qtbot.waitUntil(lambda: all(w <= CELL_WIDTH for w in widths()[FIXED:]))
    assert all(w >= MIN_CELL_WIDTH for w in widths()[FIXED:])
    heading = panel.model.headerData(FIXED, Qt.Orientation.Horizontal).split("\n")[1]
    assert heading.endswith("…") and len(heading) < len(wide)  # elided, not cut at both ends
    metrics = panel.view.horizontalHeader().fontMetrics()
    assert metrics.horizontalAdvance(heading) <= header.sectionSize(FIXED)
