"""Analysis widgets over the Vakhidov case: models pass qtmodeltester, merges and verdicts
undo, clicks open passages, the timeline switches clocks, views export PNG/SVG."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from casefile.analysis.facts import ClaimFact
from casefile.errors import NotFound
from casefile.services import analysis, identity
from casefile.vocab import stated, with_stance
from tests.core.analysis_case import SUBJECT, build_case, merge_variants
from ui.analysis.graph import GraphView
from ui.analysis.models import ROW_ROLE
from ui.analysis.panels import CandidatesPanel, ConflictsPanel, MentionsDialog, SearchPanel
from ui.analysis.timeline import TimelineView


@pytest.fixture
def case(db, case_id):
    return build_case(db, case_id)


def test_candidates_panel_merges_and_undoes(qtbot, qtmodeltester, db, case_id, case):
    panel = CandidatesPanel(db, case_id)
    stack = panel.undo_stack
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    before = panel.model.rowCount()
    first = panel.model.index(0, 0).data(ROW_ROLE)
    assert first.score >= panel.model.index(before - 1, 0).data(ROW_ROLE).score
    panel.view.setCurrentIndex(panel.model.index(0, 0))
    assert panel.merge_selected()
    assert panel.model.rowCount() < before  # reloaded through the notifier
    with pytest.raises(NotFound):  # the merged entity is gone
        identity.resolve_entity(db, case_id=case_id, ref=first.b_id)
    stack.undo()
    assert identity.resolve_entity(db, case_id=case_id, ref=first.b_id) == first.b_id
    assert panel.model.rowCount() == before
    qtmodeltester.check(panel.model)


def test_conflicts_panel_lists_members_jumps_and_resolves(qtbot, qtmodeltester, db, case_id,
                                                          case):
    merge_variants(db, case)
    panel = ConflictsPanel(db, case_id)
    stack = panel.undo_stack
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    top = panel.model.index(0, 0)
    assert SUBJECT in top.data() and panel.model.rowCount(top) == 8
    member = panel.model.index(0, 0, top)
    fact = member.data(ROW_ROLE)
    assert isinstance(fact, ClaimFact)
    cols = [panel.model.index(0, c, top).data() for c in range(panel.model.columnCount())]
    assert cols[0] == fact.statement and cols[5] == fact.reported
    with qtbot.waitSignal(panel.passageRequested) as sig:
        panel._activated(member)
    assert sig.args == [fact.passages[0].document_id, fact.passages[0].start,
                        fact.passages[0].end]
    panel.view.setCurrentIndex(member)
    assert panel.resolve_selected(reason="most specific report")
    assert "✓ resolved" in panel.model.index(0, 0).data()
    stack.undo()
    assert "resolved" not in panel.model.index(0, 0).data()
    assert analysis.list_conflicts(db, case_id=case_id)[0].set.resolution is None
    stack.redo()
    assert analysis.list_conflicts(db, case_id=case_id)[0].set.resolved
    qtmodeltester.check(panel.model)


def test_timeline_switches_clock_and_opens_passages(qtbot, db, case_id, case, tmp_path):
    merge_variants(db, case)
    view = TimelineView(db, case_id)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    event_order = [e.claim_id for e in view.entries]
    assert event_order[0] == case.claims["death2015"]
    assert all(m.entry.conflict is not None for m in view.marks)
    month = next(m for m in view.marks if m.entry.claim_id == case.claims["death2015"])
    day = next(m for m in view.marks if m.entry.claim_id == case.claims["death2020_lantern"])
    rect = view.canvas.mark_rect
    view.canvas.zoom(40)  # close enough that a month is wider than the smallest mark
    assert rect(month).width() > rect(day).width()  # a month is drawn as a span
    view.set_clock("reported")
    assert len(view.entries) > len(event_order)  # undated claims have a report date
    reported = [e.reported for e in view.entries]
    assert reported == sorted(reported)
    with qtbot.waitSignal(view.passageRequested) as sig:
        view.activate(next(e for e in view.entries
                           if e.claim_id == case.claims["death2020_lantern"]))
    assert sig.args[0] == case.docs["lantern2020"]
    for suffix in ("png", "svg"):
        out = tmp_path / f"timeline.{suffix}"
        view.export(str(out))
        assert out.stat().st_size > 200
    assert b"<svg" in (tmp_path / "timeline.svg").read_bytes()


def test_graph_view_nodes_click_and_export(qtbot, db, case_id, case, tmp_path):
    merge_variants(db, case)
    view = GraphView(db, case_id)
    qtbot.addWidget(view)
    names = {n.name for n in view.graph.nodes}
    assert {SUBJECT, "Jamshed Vakhidov", "Olim Vakhidov"} <= names
    subject = next(n for n in view.graph.nodes if n.name == SUBJECT)
    view.show_node(subject.id)
    assert view.claims.count() == 3  # brother, son of, commander
    with qtbot.waitSignal(view.claimRequested):
        view._claim_activated(view.claims.item(0))
    view.export(str(tmp_path / "graph.png"))
    view.export(str(tmp_path / "graph.svg"))
    assert (tmp_path / "graph.png").stat().st_size > 200


def test_search_panel_hits_open_passages(qtbot, qtmodeltester, db, case_id, case):
    panel = SearchPanel(db, case_id)
    qtbot.addWidget(panel)
    panel.search("Tal Hasan")
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() >= 2
    row = next(r for r in range(panel.model.rowCount())
               if panel.model.index(r, 0).data() == "document")
    hit = panel.model.index(row, 0).data(ROW_ROLE)
    with qtbot.waitSignal(panel.passageRequested) as sig:
        panel._activated(panel.model.index(row, 0))
    assert sig.args == [hit.document_id, hit.start, hit.end]
    panel.search('"')
    assert panel.model.rowCount() == 0 and panel.status.text()


def test_mentions_dialog_accepts_ticked_and_skips_unticked(qtbot, qtmodeltester, db, case_id,
                                                           case):
    keep = case.entity[SUBJECT]
    dialog = MentionsDialog(db, keep)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    n = dialog.model.rowCount()
    assert n >= 2
    dialog.model.setData(dialog.model.index(0, 0), Qt.CheckState.Unchecked.value,
                         Qt.ItemDataRole.CheckStateRole)
    skipped = dialog.model.index(0, 0).data(ROW_ROLE)
    dialog.accept()
    assert len(dialog.created) == len([m for m in dialog.model.rows if not m.highlighted]) - 1
    again = {(m.document_id, m.start): m for m in identity.find_mentions(db, entity_id=keep)}
    assert not again[(skipped.document_id, skipped.start)].highlighted
    assert sum(m.highlighted for m in again.values()) >= len(dialog.created)


def test_panels_share_the_window_controller(qtbot, db, case_id, case):
    from PySide6.QtWidgets import QWidget

    from ui.base.controller import Controller

    window = QWidget()
    qtbot.addWidget(window)
    ctl = Controller(db, window)
    ctl.case_id = case_id
    stack = ctl.undo_stack
    cands = CandidatesPanel(db, case_id, ctl, parent=window, follow=True)
    conflicts = ConflictsPanel(db, case_id, ctl, parent=window, follow=True)
    before = conflicts.model.rowCount()
    for _ in range(6):  # merge every variant of the subject, one undoable step each
        row = next(r for r in range(cands.model.rowCount())
                   if cands.model.index(r, 0).data(ROW_ROLE).a == SUBJECT
                   and cands.model.index(r, 0).data(ROW_ROLE).score > 0.9)
        cands.view.setCurrentIndex(cands.model.index(row, 0))
        assert cands.merge_selected()
    assert conflicts.model.rowCount(conflicts.model.index(0, 0)) == 8  # told by the notifier
    while stack.canUndo():
        stack.undo()
    assert conflicts.model.rowCount() == before


def test_conflicts_mark_the_accepted_claim_and_stances(qtbot, db, case_id, case):
    merge_variants(db, case)
    panel = ConflictsPanel(db, case_id)
    qtbot.addWidget(panel)
    top = panel.model.index(0, 0)
    member = panel.model.index(0, 0, top)
    panel.view.setCurrentIndex(member)
    chosen = member.data(ROW_ROLE)
    assert panel.resolve_selected(reason="most specific")
    assert "resolved" in panel.status.text()
    top = panel.model.index(0, 0)
    texts = [panel.model.index(r, 0, top).data() for r in range(panel.model.rowCount(top))]
    accepted = [t for t in texts if t.startswith("✓ accepted: ")]
    assert accepted == ["✓ accepted: " + stated(chosen.statement, chosen.kind, chosen.stance)]
    facts = [panel.model.index(r, 0, top).data(ROW_ROLE) for r in range(len(texts))]
    for text, fact in zip(texts, facts, strict=True):
        if fact.stance != "asserts":
            assert with_stance(fact.kind, fact.stance) + ": " in text
