"""What a walk through every screen of the real window found: dialogs too small to read, wording
that says something untrue, menus out of order, views that widen the window."""

from __future__ import annotations

from casefile.services import entities
from ui.analysis.panels import MentionsDialog


def test_find_mentions_opens_wide_enough_to_read_its_rows(qtbot, sample_window, db):
    w = sample_window
    ent = entities.find_entity(w.db, case_id=w.controller.case_id, name="Temur Vakhidov")
    dialog = MentionsDialog(db, ent.id, w)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 600 and dialog.height() >= 360
    assert dialog.view.columnWidth(0) < 80  # a check box, not a quarter of the table
    doc_col, text_col = dialog.view.columnWidth(1), dialog.view.columnWidth(2)
    assert doc_col >= 160 and text_col >= 160


def test_conflicts_tab_counts_one_set_in_the_singular(qtbot, sample_window):
    w = sample_window
    w.analysis.conflicts_action.trigger()
    panel = w.analysis.conflicts.ensure()
    qtbot.waitUntil(lambda: "conflict" in panel.status.text())
    assert panel.status.text() == "1 conflict set, 1 open"


def test_the_team_dock_opened_beside_a_view_leaves_the_window_1024_wide(qtbot, sample_window):
    w = sample_window
    w.resize(1024, 700)
    w.open_document(w.documents_model.rows[0].id)
    for action in (w.analysis.timeline_action, w.analysis.ach.action):  # the timeline's bar
        action.trigger()  # alone needs 977 px
        qtbot.wait(50)
    w.team.conflicts_action.trigger()  # View › Sync conflicts and team activity
    qtbot.wait(50)
    assert w.team.dock.isVisible() and not w.team.dock.visibleRegion().isEmpty()
    assert w.minimumSizeHint().width() <= 1024
    assert w.width() == 1024


def test_the_team_dock_of_a_case_never_shared_does_not_speak_of_merges(sample_window):
    text = sample_window.team.panel.explain.text()
    assert "not shared" in text and "merged" not in text


def _groups(menu) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for a in menu.actions():
        if a.isSeparator():
            groups.append([])
        else:
            groups[-1].append(a.text().replace("&", ""))
    return [g for g in groups if g]


def test_the_file_menu_keeps_cases_documents_exchange_team_apart_in_order(window):
    groups = _groups(window.actions_.file_menu)
    assert groups == [
        ["New case…", "Rename case…", "Delete case…"],
        ["Import files…", "Document details…", "Delete document…",
         "Update document from newer file…", "Re-OCR as…"],
        ["Import bundle or project…", "Export case…"],
        ["Share case…", "Join a shared case…", "Sync now"],
        ["Open sample case"],
        ["Quit"]]
    toolbar = [a.text().replace("&", "") for a in window.toolbar.actions()]
    assert toolbar[toolbar.index("Import files…") + 1] == "Export case…"


def test_analysis_menu_lists_every_analysis_in_order(window):
    names = [n for g in _groups(window.actions_.analysis_menu) for n in g]
    assert names == ["Search the case…", "Conflicts", "Likely duplicates",
                     "Find mentions of entity…", "Timeline", "Relationship graph",
                     "Competing hypotheses (ACH)", "Entity profile…"]
    bar = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert bar == ["File", "Edit", "Annotate", "Analysis", "View", "Help"]


def test_find_mentions_opens_from_the_menu_the_entities_menu_and_the_profile(
        qtbot, sample_window, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from ui.workspace import codebook

    w = sample_window
    opened: list[str] = []
    monkeypatch.setattr(MentionsDialog, "exec", lambda d: opened.append(d.entity_id) or 0)
    ent = entities.find_entity(w.db, case_id=w.controller.case_id, name="Temur Vakhidov")
    view, model = w.case_panel.entities_view, w.entities_model
    people = model.index(0, 0)
    row = next(r for r in range(model.rowCount(people))
               if model.entity(model.index(r, 0, people)).id == ent.id)
    view.setCurrentIndex(model.index(row, 0, people))
    w.analysis.mentions_action.trigger()  # Analysis › Find mentions of entity…
    view.expandAll()
    menu = codebook._entity_menu(w, view.visualRect(model.index(row, 0, people)).center())
    next(a for a in menu.actions() if a.text() == "Find &mentions…").trigger()
    menu.close()
    dlg = w.workspace.show_profile(ent.id)
    qtbot.waitUntil(lambda: dlg.profile is not None)
    dlg.mentions_button.click()
    dlg.close()
    QApplication.processEvents()
    assert opened == [ent.id] * 3


def test_the_sample_codebook_fits_above_its_passages_at_1024(qtbot, sample_window):
    w = sample_window
    w.resize(1024, 700)
    w.open_document(w.documents_model.rows[0].id)
    w.case_panel.setCurrentWidget(w.workspace.tags_split)
    qtbot.wait(100)
    view = w.case_panel.tags_view
    assert view.verticalScrollBar().maximum() == 0  # eleven tags, no scrolling
    tree, passages = w.workspace.tags_split.sizes()
    assert tree * 3 >= passages * 2


def test_bringing_the_reader_back_clears_the_fills_the_window_message(qtbot, sample_window):
    w = sample_window
    w.analysis.timeline_action.trigger()
    qtbot.wait(50)
    w.room.maximize(w.analysis.timeline_dock)
    assert "fills the window" in w.statusBar().currentMessage()
    w.room.restore()
    assert "fills the window" not in w.statusBar().currentMessage()


def test_duplicates_tab_keeps_the_score_narrow_and_counts_one_in_the_singular(
        qtbot, sample_window):
    w = sample_window
    w.analysis.candidates_action.trigger()
    panel = w.analysis.candidates.ensure()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    assert panel.view.columnWidth(0) <= 80
    panel.show_data(panel.model.rows[:1])
    assert panel.status.text() == "1 possible duplicate"


def test_every_dock_has_the_title_bar_that_fills_the_window_and_comes_back(window):
    from PySide6.QtWidgets import QDockWidget

    from ui.workspace.room import DockTitle

    plain_bars = [d.objectName() for d in window.findChildren(QDockWidget)
                  if not isinstance(d.titleBarWidget(), DockTitle)]
    assert plain_bars == []


def test_the_toolbar_shows_export_at_1024_not_behind_the_overflow_arrow(qtbot, sample_window):
    w = sample_window
    w.resize(1024, 700)
    qtbot.wait(50)
    export = w.exchange.export_action
    assert w.toolbar.widgetForAction(export).isVisible()
    for a in (w.actions_.undo, w.actions_.redo):  # icons; the names stay in the menus
        assert w.toolbar.widgetForAction(a).width() < 48


def test_edit_or_delete_claim_with_none_selected_says_why_nothing_happened(sample_window):
    w = sample_window
    w.case_panel.claims_view.clearSelection()
    w.case_panel.claims_view.setCurrentIndex(w.claims_model.index(-1, -1))
    n = len(w.claims_model.rows)
    for action, verb in ((w.actions_.edit_claim, "edit"), (w.actions_.delete_claim, "delete")):
        w.statusBar().clearMessage()
        action.trigger()
        assert w.statusBar().currentMessage() == f"Select a claim in the Claims tab to {verb} it"
    assert len(w.claims_model.rows) == n
