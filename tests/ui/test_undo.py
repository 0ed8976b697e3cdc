"""Undo/redo for every annotation edit restores the same ids (highlight, tag, note, claim,
evidence, entity, delete)."""

from __future__ import annotations

import gc

import pytest

from casefile.errors import NotFound
from casefile.services import claims, entities, highlights, tags
from casefile.services.claims import ClaimInput
from tests.ui.conftest import add_doc

TEXT = ("The Daily Lantern cited military sources as saying that Timur Vakhidov was killed in "
        "a missile strike on Tal Hasan in October 2017.")


@pytest.fixture
def ready(window, db, case_id):
    doc = add_doc(db, case_id, TEXT, published="2017-10-19")
    window.controller.set_case(case_id)
    window.open_document(doc)
    return window, doc


def span(text: str) -> tuple[int, int]:
    i = TEXT.index(text)
    return i, i + len(text)


def undo(w):
    gc.collect()  # commands must survive garbage collection while the stack holds them
    w.actions_.undo.trigger()


def redo(w):
    gc.collect()
    w.actions_.redo.trigger()


def exists(db, hid) -> bool:
    try:
        highlights.get_highlight(db, highlight_id=hid)
        return True
    except NotFound:
        return False


def test_highlight_shortcut_undo_redo(qtbot, ready, db):
    w, doc = ready
    w.reader.view.select_range(*span("Timur Vakhidov"))
    w.reader.view.setFocus()
    from PySide6.QtCore import Qt
    qtbot.keyClick(w.reader.view, Qt.Key.Key_H)
    [h] = highlights.list_highlights(db, document_id=doc)
    assert h.quote == "Timur Vakhidov"
    assert w.documents_model.rows[0].highlights == 1
    undo(w)
    assert not exists(db, h.id) and h.id not in w.reader.view.records
    assert w.documents_model.rows[0].highlights == 0
    redo(w)
    assert highlights.get_highlight(db, highlight_id=h.id).quote == "Timur Vakhidov"
    assert h.id in w.reader.view.records


def test_tag_and_note_undo(ready, db):
    w, doc = ready
    h = w.controller.create_highlight(doc, *span("missile strike on Tal Hasan"))
    w.controller.update_highlight(h.id, tag_paths=("Events/Death",))
    tag = next(t for t in tags.list_tags(db, case_id=w.controller.case_id) if t.name == "Death")
    assert highlights.get_highlight(db, highlight_id=h.id).tag_ids == (tag.id,)
    w.controller.update_highlight(h.id, note="second-hand: Lantern via military sources")
    assert highlights.get_highlight(db, highlight_id=h.id).note.startswith("second-hand")
    undo(w)
    assert highlights.get_highlight(db, highlight_id=h.id).note == ""
    undo(w)
    assert highlights.get_highlight(db, highlight_id=h.id).tag_ids == ()
    redo(w)
    redo(w)
    r = highlights.get_highlight(db, highlight_id=h.id)
    assert r.tag_ids == (tag.id,) and r.note.startswith("second-hand")


def test_tag_dialog_creates_a_tagged_highlight(ready, db):
    w, doc = ready
    w.reader.view.select_range(*span("October 2017"))
    picker = w.annotator.tag()
    picker.combo.setCurrentText("Dates/Reported")
    picker.accept()
    [h] = highlights.list_highlights(db, document_id=doc)
    paths = {t.id: t.path for t in tags.list_tags(db, case_id=w.controller.case_id)}
    assert [paths[t] for t in h.tag_ids] == ["Dates/Reported"]


def test_delete_highlight_keeps_claim_evidence_on_undo(ready, db):
    w, doc = ready
    c = w.controller.create_claim(ClaimInput(subject="Timur Vakhidov", kind="death"),
                                  passage=(doc, *span("was killed")))
    [hid] = c.evidence
    w.controller.delete_highlight(hid)
    assert claims.get_claim(db, claim_id=c.id).evidence == ()
    undo(w)
    assert claims.get_claim(db, claim_id=c.id).evidence == (hid,)
    assert highlights.get_highlight(db, highlight_id=hid).claim_ids == (c.id,)


def test_delete_claim_and_add_evidence_undo(ready, db):
    w, doc = ready
    c = w.controller.create_claim(ClaimInput(subject="Timur Vakhidov", kind="death"),
                                  passage=(doc, *span("was killed")))
    after = w.controller.add_evidence(c.id, passage=(doc, *span("missile strike")))
    assert len(after.evidence) == 2
    new_h = after.evidence[1]
    undo(w)  # one step removes the evidence and its new highlight
    assert claims.get_claim(db, claim_id=c.id).evidence == c.evidence
    assert not exists(db, new_h)
    redo(w)
    assert claims.get_claim(db, claim_id=c.id).evidence == after.evidence
    w.controller.delete_claim(c.id)
    assert claims.list_claims(db, case_id=w.controller.case_id) == []
    undo(w)
    again = claims.get_claim(db, claim_id=c.id)
    assert again.evidence == after.evidence and again.subject == "Timur Vakhidov"


def test_add_evidence_from_the_window_uses_selected_claim(ready, db):
    w, doc = ready
    c = w.controller.create_claim(ClaimInput(subject="Timur Vakhidov", kind="death"),
                                  passage=(doc, *span("was killed")))
    w.select_claim(c.id)
    w.reader.view.select_range(*span("on Tal Hasan"))
    w.actions_.evidence.trigger()
    rec = claims.get_claim(db, claim_id=c.id)
    assert len(rec.evidence) == 2
    assert highlights.get_highlight(db, highlight_id=rec.evidence[1]).quote == "on Tal Hasan"


def test_entity_create_edit_delete_undo(ready, db):
    w, _doc = ready
    e = w.controller.create_entity("Jamshed Vakhidov", aliases=("Jamshid Vahidov",))
    w.controller.update_entity(e.id, name="Jamshed Vakhidov (brother)")
    w.controller.delete_entity(e.id)
    with pytest.raises(NotFound):
        entities.get_entity(db, entity_id=e.id)
    undo(w)
    back = entities.get_entity(db, entity_id=e.id)
    assert back.name == "Jamshed Vakhidov (brother)"
    assert [a.name for a in back.aliases] == ["Jamshid Vahidov"]
    undo(w)
    assert entities.get_entity(db, entity_id=e.id).name == "Jamshed Vakhidov"
    undo(w)
    with pytest.raises(NotFound):
        entities.get_entity(db, entity_id=e.id)
    redo(w)
    assert entities.get_entity(db, entity_id=e.id).aliases[0].name == "Jamshid Vahidov"


def test_edit_claim_through_editor_and_undo(ready, db):
    w, doc = ready
    c = w.controller.create_claim(ClaimInput(subject="Timur Vakhidov", kind="death",
                                             date="2017"), passage=(doc, *span("was killed")))
    editor = w.annotator.edit_claim(c.id)
    assert editor.subject.text() == "Timur Vakhidov"
    editor.date.setText("Oct 2017")
    editor.place.setText("Tal Hasan")
    editor.accept()
    r = claims.get_claim(db, claim_id=c.id)
    assert (r.date, r.place, r.evidence) == ("2017-10", "Tal Hasan", c.evidence)
    undo(w)
    r = claims.get_claim(db, claim_id=c.id)
    assert (r.date, r.place) == ("2017", "")


def test_ctrl_z_and_ctrl_shift_z_from_the_reader(window, db, case_id, qtbot):
    from PySide6.QtCore import Qt

    window.controller.set_case(case_id)
    doc = add_doc(db, case_id, "Temur Vakhidov was killed in 2015 near Qalat Nur.")
    window.open_document(doc)
    window.reader.view.setFocus()
    h = window.controller.create_highlight(doc, 0, 14)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.reader.view, Qt.Key.Key_Z, ctrl)
    assert highlights.list_highlights(db, document_id=doc) == []
    qtbot.keyClick(window.reader.view, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert [x.id for x in highlights.list_highlights(db, document_id=doc)] == [h.id]


def test_undoing_a_claim_removes_the_entities_it_created_and_redo_restores_them(
        window, db, case_id):
    window.controller.set_case(case_id)
    doc = add_doc(db, case_id, "Temur Vakhidov was killed near Qalat Nur, officials said.")
    window.controller.create_entity("Temur Vakhidov")
    before = {e.id for e in entities.list_entities(db, case_id=case_id)}
    rec = window.controller.create_claim(
        ClaimInput(subject="Temur Vakhidov", kind="death", place="Qalat Nur",
                   origin="regional officials"), passage=(doc, 15, 21))
    created = {e.name: e.id for e in entities.list_entities(db, case_id=case_id)}
    assert set(created) == {"Temur Vakhidov", "Qalat Nur", "regional officials",
                            "Caspian Courier"}  # the document's outlet
    window.controller.undo_stack.undo()
    assert {e.id for e in entities.list_entities(db, case_id=case_id)} == before
    window.controller.undo_stack.redo()
    assert {e.name: e.id for e in entities.list_entities(db, case_id=case_id)} == created
    assert claims.get_claim(db, claim_id=rec.id).place == "Qalat Nur"


def test_after_undoing_the_selected_claim_no_hidden_neighbour_is_acted_on(sample_window, db):
    """Undoing a claim the analyst had selected leaves nothing selected; Qt moves the table's
    focus row to a neighbour, but Delete, Edit and Add evidence must not act on a claim the
    analyst never chose (found driving the window: Ctrl+Delete deleted another claim)."""
    w = sample_window
    case_id = w.controller.case_id
    doc = w.documents_model.rows[0].id
    w.open_document(doc)
    before = {c.id for c in claims.list_claims(db, case_id=case_id)}
    rec = w.controller.create_claim(ClaimInput(subject="Temur Vakhidov", kind="death"),
                                    passage=(doc, 0, 12))
    w.case_panel.select_claims([rec.id])
    assert w.case_panel.current_claim_id() == rec.id
    undo(w)
    assert w.case_panel.current_claim_id() is None
    w.annotator.delete_claim()
    assert {c.id for c in claims.list_claims(db, case_id=case_id)} == before
    assert "Select a claim" in w.statusBar().currentMessage()


def test_undo_and_redo_say_what_they_did(ready):
    w, doc = ready
    w.controller.create_claim(ClaimInput(subject="Timur Vakhidov", kind="death"),
                              passage=(doc, *span("was killed")))
    undo(w)
    assert w.statusBar().currentMessage() == "Undone: New claim"
    redo(w)
    assert w.statusBar().currentMessage() == "Redone: New claim"
