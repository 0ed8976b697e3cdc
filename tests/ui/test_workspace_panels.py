"""The basics of an annotation tool, driven in the real window: this document's annotations,
passages by tag with counts and export, document details, entity profile, keys and colours."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from casefile.services import claims, documents, entities
from ui.base.tables import IdRole


def _wait(qtbot, refresher) -> None:
    qtbot.waitUntil(lambda: not refresher.busy, timeout=10000)
    QApplication.processEvents()


def _doc(w, outlet: str):
    return next(d for d in w.documents_model.rows if d.outlet == outlet)


def test_document_tab_lists_annotations_in_reading_order_and_jumps(qtbot, sample_window):
    w = sample_window
    doc = _doc(w, "Northern Ledger")
    w.open_document(doc.id)
    w.workspace.show_annotations()
    panel = w.workspace.annotations
    _wait(qtbot, panel.refresher)
    rows = panel.model.rows
    assert rows and [p.start for p in rows] == sorted(p.start for p in rows)
    assert "highlight" in panel.info.text()
    # click the last one: the reader scrolls there and selects it
    last = panel.proxy.index(panel.proxy.rowCount() - 1, 0)
    panel.view.clicked.emit(last)
    target = panel.passage_at(last)
    assert w.reader.view.textCursor().position() == w.reader.view.omap.to_utf16(target.start)
    # filter by a tag
    panel.tag_filter.setCurrentText("Events/Death")
    assert 0 < panel.proxy.rowCount() < len(rows)
    # double-click a claim's passage selects the claim
    death = next(p for p in rows if p.claim_ids and "Events/Death" in p.tags)
    row = panel.model.row_of(death.highlight_id)
    panel.view.doubleClicked.emit(panel.proxy.mapFromSource(panel.model.index(row, 0)))
    assert w.case_panel.current_claim_id() == death.claim_ids[0]


def test_document_tab_follows_new_highlights(qtbot, sample_window):
    w = sample_window
    doc = _doc(w, "Northern Ledger")
    w.open_document(doc.id)
    w.workspace.show_annotations()
    panel = w.workspace.annotations
    _wait(qtbot, panel.refresher)
    before = panel.model.rowCount()
    text = documents.get_text(w.db, document_id=doc.id)
    a = text.index("The interior ministry")
    w.reader.view.select_range(a, a + len("The interior ministry"))
    w.annotator.highlight()
    _wait(qtbot, panel.refresher)
    assert panel.model.rowCount() == before + 1


def test_tag_passages_counts_and_export(qtbot, sample_window, tmp_path: Path):
    w = sample_window
    w.case_panel.setCurrentWidget(w.workspace.tags_split)
    model = w.tags_model
    events = next(model.index(r, 0) for r in range(model.rowCount())
                  if model.index(r, 0).data() == "Events")
    assert int(model.index(events.row(), 1).data()) == 6  # Death 4, Alive 1, Arrest 1
    view = w.case_panel.tags_view
    view.setCurrentIndex(events)
    panel = w.workspace.tag_passages
    _wait(qtbot, panel.refresher)
    assert panel.model.rowCount() == 6 and "Events" in panel.title.text()
    panel.subtags.setChecked(False)
    _wait(qtbot, panel.refresher)
    assert panel.model.rowCount() == 0
    panel.subtags.setChecked(True)
    _wait(qtbot, panel.refresher)
    csv_path = panel.export("csv", str(tmp_path / "events.csv"))
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"Qalat Nur" in data
    html_path = panel.export("html", str(tmp_path / "events.html"))
    page = html_path.read_text(encoding="utf-8")
    assert "<script" not in page and "Rivertown Gazette" in page
    assert "Family of &quot;dead&quot; recruiter" in page  # titles escaped
    assert "written to" in w.statusBar().currentMessage()
    # double-click opens the passage
    with qtbot.waitSignal(panel.passageRequested):
        panel.view.doubleClicked.emit(panel.proxy.index(0, 0))


def test_tag_counts_follow_a_new_tagged_passage(qtbot, sample_window):
    w = sample_window
    doc = _doc(w, "Northern Ledger")
    w.open_document(doc.id)
    text = documents.get_text(w.db, document_id=doc.id)
    a = text.index("The interior ministry")
    w.controller.create_highlight(doc.id, a, a + 21, tag_paths=("Events/Death",))
    model = w.tags_model
    events = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Events")
    assert int(model.index(events, 1).data()) == 7


def test_document_details_edit_confirm_and_undo(qtbot, sample_window, db):
    w = sample_window
    doc = _doc(w, "Caspian Courier")
    with db.write() as s:
        from casefile.db.models import Document

        s.get(Document, doc.id).guessed = ["published"]
    w.open_document(doc.id)
    dlg = w.workspace.edit_details()
    assert set(dlg.confirms) == {"published"}
    assert not dlg.open_original.isEnabled()  # a web page is never opened outside Casefile
    dlg.edits["title"].setText("Minister says Vakhidov is dead")
    dlg.confirms["published"].setChecked(True)
    dlg.accept()
    after = documents.get_document(db, document_id=doc.id)
    assert after.title == "Minister says Vakhidov is dead" and after.guessed == ()
    assert "saved" in w.statusBar().currentMessage()
    w.actions_.undo.trigger()
    back = documents.get_document(db, document_id=doc.id)
    assert back.title == doc.title and back.guessed == ("published",)


def test_document_details_refuse_a_bad_date_and_save_the_original(qtbot, sample_window, db,
                                                                  tmp_path: Path):
    w = sample_window
    doc = _doc(w, "Northern Ledger")
    w.open_document(doc.id)
    dlg = w.workspace.edit_details()
    dlg.edits["published"].setText("the 45th of Nevember")
    assert dlg.date_hint.text()
    dlg.accept()
    assert dlg.error.text() and dlg.isVisible()
    out = dlg.save_original_as(str(tmp_path / "orig.txt"))
    assert out.read_bytes() == documents.get_original(db, document_id=doc.id)
    assert dlg.open_original.isEnabled()
    dlg.reject()


def test_entity_profile_shows_spellings_claims_and_jumps(qtbot, sample_window, db):
    w = sample_window
    ent = entities.find_entity(db, case_id=w.controller.case_id, name="Temur Vakhidov")
    dlg = w.workspace.show_profile(ent.id)
    qtbot.waitUntil(lambda: dlg.profile is not None, timeout=10000)
    assert dlg.title.text().startswith("Temur Vakhidov")
    texts = []
    stack = [dlg.tree.topLevelItem(i) for i in range(dlg.tree.topLevelItemCount())]
    claim_item = None
    while stack:
        it = stack.pop()
        texts.append(it.text(0))
        data = it.data(0, Qt.ItemDataRole.UserRole)
        if data and data[0] == "claim" and claim_item is None:
            claim_item = it
        stack.extend(it.child(i) for i in range(it.childCount()))
    assert any(t.startswith("Темур Вахидов — seen in “Minister") for t in texts)
    assert any(t.startswith("death (6)") for t in texts)
    assert any("Jamshed Vakhidov" in t for t in texts)
    dlg.tree.itemActivated.emit(claim_item, 0)
    assert w.case_panel.current_claim_id() == claim_item.data(0, Qt.ItemDataRole.UserRole)[1]
    dlg.close()


def test_entity_profile_from_the_entities_tab(qtbot, sample_window):
    w = sample_window
    view = w.case_panel.entities_view
    view.expandAll()
    group = w.entities_model.index(0, 0)
    view.setCurrentIndex(w.entities_model.index(0, 0, group))
    dlg = w.workspace.profile_action.trigger() or w.workspace.profile_dialog
    qtbot.waitUntil(lambda: dlg.profile is not None, timeout=10000)
    assert dlg.profile.entity.id == w.entities_model.index(0, 0, group).data(IdRole)


def test_f1_shows_every_shortcut_and_the_colours(qtbot, sample_window):
    w = sample_window
    qtbot.keyClick(w, Qt.Key.Key_F1)
    dlg = w.workspace.dialog
    assert dlg is not None and dlg.isVisible()
    table = dlg.shortcuts
    keys = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert {"H", "C", "T", "N", "E", "F6", "Ctrl+E", "Ctrl+I", "F1"} <= keys
    assert dlg.tabs.tabText(1) == "Highlight colours"
    dlg.close()


def test_claims_with_a_denial_show_it(sample_window):
    w = sample_window
    m = w.claims_model
    denial = next(c for c in claims.list_claims(w.db, case_id=w.controller.case_id)
                  if c.stance == "denies")
    row = m.row_of(denial.id)
    assert m.index(row, 6).data() == "denies"


def test_tags_tab_shows_the_codebook_above_the_passages(qtbot, sample_window):
    w = sample_window
    w.case_panel.setCurrentWidget(w.workspace.tags_split)
    QApplication.processEvents()
    assert w.case_panel.tags_view.isVisible()
    assert w.workspace.tags_split.sizes()[0] >= 100


def test_a_new_analysts_claims_table_keeps_the_order_claims_were_made(sample_window, db):
    """No header clicked yet: claims in the order they were made, a new one last — not
    sorted Z to A by subject (Qt's default when sorting is on)."""
    from casefile.services.claims import ClaimInput

    w = sample_window
    view = w.case_panel.claims_view
    shown = [view.model().index(r, 0).data(IdRole) for r in range(view.model().rowCount())]
    assert shown == [c.id for c in claims.list_claims(db, case_id=w.controller.case_id)]
    rec = w.controller.create_claim(ClaimInput(subject="Anvar Rasulzoda", kind="role"))
    last = view.model().index(view.model().rowCount() - 1, 0)
    assert last.data(IdRole) == rec.id
    assert view.horizontalHeader().sortIndicatorSection() < 0 or \
        not view.horizontalHeader().isSortIndicatorShown()


def test_entity_profile_puts_the_other_party_under_its_own_heading(qtbot, sample_window, db):
    """A relationship claim's other person is its other party, never shown under a "Place"
    heading (found driving the window: "Jamshed Vakhidov" under "Place / where")."""
    w = sample_window
    ent = entities.find_entity(db, case_id=w.controller.case_id, name="Temur Vakhidov")
    dlg = w.workspace.show_profile(ent.id)
    qtbot.waitUntil(lambda: dlg.profile is not None, timeout=10000)
    heads = [dlg.tree.headerItem().text(i) for i in range(dlg.tree.columnCount())]
    place, other = heads.index("Place"), heads.index("Other party")
    rows, stack = [], [dlg.tree.topLevelItem(i) for i in range(dlg.tree.topLevelItemCount())]
    while stack:
        it = stack.pop()
        rows.append(it)
        stack.extend(it.child(i) for i in range(it.childCount()))
    places = {e.name for e in entities.list_entities(db, case_id=w.controller.case_id)
              if e.kind == "place"}
    assert any(it.text(other) == "Jamshed Vakhidov" for it in rows)
    assert all(it.text(place) in places | {""} for it in rows)
    dlg.close()
