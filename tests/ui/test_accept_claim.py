"""Conflicts › "Accept selected claim…" asks first, showing the claim as plain text; the accepted
claim is then marked in the Claims table and on the timeline, not only in Conflicts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from casefile.analysis.facts import ClaimFact
from casefile.services import resolutions


def _conflicts(qtbot, w):
    w.analysis.conflicts_action.trigger()
    lazy = w.analysis.conflicts
    qtbot.waitUntil(lambda: lazy.panel is not None and lazy.panel.model.rowCount() > 0,
                    timeout=20000)
    return lazy.panel


def _pick_member(panel, qtbot) -> ClaimFact:
    model = panel.model
    top = model.index(0, 0)
    child = model.index(0, 0, top)
    panel.view.setCurrentIndex(child)
    return panel.selected_claim()[1]


def test_accept_asks_first_then_marks_the_claim_everywhere(qtbot, sample_window, db):
    w = sample_window
    w.resize(1024, 700)
    case_id = w.controller.case_id
    panel = _conflicts(qtbot, w)
    claim = _pick_member(panel, qtbot)
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert resolutions.accepted_claims(db, case_id=case_id) == {}  # nothing yet: it asks
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.claim.textFormat() == Qt.TextFormat.PlainText  # an article's words
    assert claim.statement in dialog.claim.text()
    dialog.reason.setText("the body was identified")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert resolutions.accepted_claims(db, case_id=case_id) == {
        claim.id: "the body was identified"}
    # the Claims table (and its narrow list) mark it
    qtbot.waitUntil(lambda: claim.id in w.claims_model.accepted, timeout=10000)
    row = w.claims_model.row_of(claim.id)
    cell = w.claims_model.index(row, 2)
    assert cell.data().startswith("✓ ")
    assert "Accepted" in cell.data(Qt.ItemDataRole.ToolTipRole)
    others = [r for r in range(w.claims_model.rowCount()) if r != row]
    assert not any(w.claims_model.index(r, 2).data().startswith("✓") for r in others)
    listing = w.case_panel.claims_list
    index = w.case_panel.claims_proxy.mapFromSource(w.claims_model.index(row, 0))
    opt = QStyleOptionViewItem()
    title, _sub, _c = listing.itemDelegate().lines(opt, index)
    assert title.startswith("✓ ")
    # the timeline marks it
    w.analysis.timeline_action.trigger()
    lazy = w.analysis.timeline
    qtbot.waitUntil(lambda: lazy.panel is not None and bool(lazy.panel.marks), timeout=20000)
    marks = {m.entry.claim_id: m for m in lazy.panel.marks}
    assert claim.date and claim.id in marks  # the sample's death claims are dated
    assert marks[claim.id].entry.accepted and marks[claim.id].text.startswith("✓")
    assert sum(m.entry.accepted for m in lazy.panel.marks) <= 1
    # undo takes the mark away again
    w.controller.undo_stack.undo()
    assert claim.id not in w.claims_model.accepted


def test_cancel_accepts_nothing(qtbot, sample_window, db):
    w = sample_window
    panel = _conflicts(qtbot, w)
    _pick_member(panel, qtbot)
    panel.resolve_button.click()
    panel.dialog.reject()
    assert resolutions.accepted_claims(db, case_id=w.controller.case_id) == {}
