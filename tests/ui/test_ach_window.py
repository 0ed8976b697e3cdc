"""The Competing hypotheses dock in the real window: opens without blocking, jumps to
passages, rates from the keyboard on the window's undo stack, weighs a conflict's versions."""

from __future__ import annotations

import pdfplumber
from PySide6.QtCore import Qt

from casefile.services import cases, hypotheses
from tests.core.ach_case import build_case, build_claims
from ui.analysis.ach_models import FIXED, ROW_ROLE


def _open(window, qtbot):
    """Show the dock with Ctrl+Shift+H's action and wait for the background load."""
    lazy = window.analysis.ach
    lazy.action.trigger()
    qtbot.waitUntil(lambda: lazy.panel is not None and lazy.panel.matrix is not None,
                    timeout=20000)
    return lazy.panel


def _window_with(make_window, db, build):
    case_id = cases.create_case(db, title="Qosimov").id
    case = build(db, case_id)
    w = make_window()
    w.controller.set_case(case_id)
    return w, case


def test_dock_loads_in_background_and_clicks_open_the_passage(make_window, db, qtbot):
    w, case = _window_with(make_window, db, build_case)
    lazy = w.analysis.ach
    assert lazy.panel is None  # nothing built or computed until shown
    assert lazy.action.shortcut().toString() == "Ctrl+Shift+H"
    lazy.action.trigger()
    assert lazy.dock.isVisible()
    assert lazy.refresher is None or lazy.refresher.busy or lazy.panel.matrix is not None
    panel = _open(w, qtbot)
    assert panel.model.rowCount() == 6 and "leading: H3" in panel.status.text()
    idx = panel.model.index(panel.model.row_of(case.claims["istanbul"]), 0)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.view.visualRect(idx).center())
    qtbot.waitUntil(lambda: w.reader.document is not None)
    assert w.reader.document.id == case.docs["bosphorus"]
    passage = idx.data(ROW_ROLE).passage
    assert w.reader.view.textCursor().position() == w.reader.view.omap.to_utf16(passage.start)


def test_keyboard_rating_in_the_window_undoes_with_ctrl_z(make_window, db, qtbot):
    w, case = _window_with(make_window, db, build_case)
    panel = _open(w, qtbot)
    hyp_col = FIXED + [h.id for h in panel.matrix.hypotheses].index(case.hyps["wadi"])
    idx = panel.model.index(panel.model.row_of(case.claims["raqqa"]), hyp_col)
    panel.view.setFocus()
    panel.view.setCurrentIndex(idx)
    qtbot.keyClick(panel.view, Qt.Key.Key_N)
    rated = hypotheses.list_ratings(db, case_id=case.case_id)
    assert [(r.hypothesis_id, r.evidence_id, r.rating) for r in rated] == [
        (case.hyps["wadi"], case.claims["raqqa"], "N")]
    # the recomputed scores arrive from the background: H2 0.96 now leads
    qtbot.waitUntil(lambda: panel.matrix.leader == case.hyps["wadi"], timeout=20000)
    assert panel.scores.index(0, hyp_col).data() == "0.96"
    assert w.controller.undo_stack.canUndo()
    w.controller.undo_stack.undo()
    assert hypotheses.list_ratings(db, case_id=case.case_id) == []
    qtbot.waitUntil(lambda: panel.matrix.leader == case.hyps["alive"], timeout=20000)


def test_conflicts_view_weighs_versions_as_hypotheses(make_window, db, qtbot):
    w, case = _window_with(make_window, db, build_claims)
    area = w.analysis
    area._show_tab(area.conflicts)
    qtbot.waitUntil(lambda: area.conflicts.panel is not None
                    and area.conflicts.panel.model.rowCount() > 0, timeout=20000)
    conflicts = area.conflicts.panel
    conflicts.view.setCurrentIndex(conflicts.model.index(0, 0))
    conflicts.weigh_button.click()
    assert [h.statement for h in hypotheses.list_hypotheses(db, case_id=case.case_id)] == [
        "Daler Qosimov died in Raqqa in May 2016",
        "Daler Qosimov died in Wadi Sirr on 3 August 2019",
        "Daler Qosimov is alive (did not die)"]
    panel = w.analysis.ach.panel
    assert w.analysis.ach.dock.isVisible()
    qtbot.waitUntil(lambda: panel.matrix is not None and len(panel.matrix.hypotheses) == 3,
                    timeout=20000)
    w.controller.undo_stack.undo()  # one step takes all three back
    assert hypotheses.list_hypotheses(db, case_id=case.case_id) == []
    qtbot.waitUntil(lambda: not panel.matrix.hypotheses, timeout=20000)


def test_pdf_report_holds_the_matrix(qapp, db, case_id, tmp_path):
    from ui.exchange.report_pdf import write_report_pdf

    build_case(db, case_id)
    out = tmp_path / "report.pdf"
    write_report_pdf(db, case_id=case_id, path=out)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Competing hypotheses" in text and "What would change the leading hypothesis" in text
    assert "Qosimov is alive" in text and "0.64 ÷3" in text
