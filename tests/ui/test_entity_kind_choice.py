"""The claim editor shows the kind a new subject or object will get, and the analyst can change
it before saving; a wrong kind is put right from the Entities tab ("Kind ›", undoable)."""

from __future__ import annotations

from casefile.services import claims, entities
from tests.ui.test_claim_editor import make
from ui.workspace import codebook


def test_a_membership_object_is_shown_and_saved_as_an_organization(qtbot, db, case_id):
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    ed.kind.setCurrentText("membership")
    qtbot.keyClicks(ed.subject, "Gulmurod Khalimov")
    qtbot.keyClicks(ed.object, "Islamic State")
    assert ed.object_kind.currentText() == "organization" and ed.object_kind.isEnabled()
    assert ed.subject_kind.currentText() == "person"
    assert "New person “Gulmurod Khalimov”" in ed.subject_hint.text()
    ed.accept()
    [c] = claims.list_claims(db, case_id=case_id)
    assert entities.get_entity(db, entity_id=c.object_id).kind == "organization"


def test_the_kind_follows_the_claims_kind_until_the_analyst_picks_one(qtbot, db, case_id):
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    ed.kind.setCurrentText("relationship")
    qtbot.keyClicks(ed.subject, "Gulmurod Khalimov")
    qtbot.keyClicks(ed.object, "Tochiki")
    assert ed.object_kind.currentText() == "person"
    ed.kind.setCurrentText("membership")  # Tochiki: a group he joined
    assert ed.object_kind.currentText() == "organization"
    ed.subject_kind.setCurrentText("other")
    ed.subject_kind.activated.emit(0)
    assert "New other “Gulmurod Khalimov”" in ed.subject_hint.text()
    qtbot.keyClicks(ed.subject, " Jr")
    assert ed.subject_kind.currentText() == "other"  # the analyst's choice stays
    ed.accept()
    [c] = claims.list_claims(db, case_id=case_id)
    assert entities.get_entity(db, entity_id=c.subject_id).kind == "other"


def test_a_known_entity_keeps_its_kind(qtbot, db, case_id):
    entities.create_entity(db, case_id=case_id, name="Islamic State", kind="organization")
    ed = make(qtbot, db, case_id, [])
    ed.kind.setCurrentText("relationship")
    qtbot.keyClicks(ed.object, "Islamic State")
    assert ed.object_kind.currentText() == "organization" and not ed.object_kind.isEnabled()


def test_kind_menu_in_the_entities_tab_fixes_a_wrong_kind_and_undoes(window, db, case_id):
    window.controller.set_case(case_id)
    window.controller.create_entity("Islamic State", kind="person")
    view = window.case_panel.entities_view
    view.expandAll()
    group = window.entities_model.index(0, 0)
    row = window.entities_model.index(0, 0, group)
    menu = codebook._entity_menu(window, view.visualRect(row).center())
    kinds = next(a.menu() for a in menu.actions() if a.text() == "&Kind")
    checked = [a.text() for a in kinds.actions() if a.isChecked()]
    assert checked == ["person"]
    next(a for a in kinds.actions() if a.text() == "organization").trigger()
    menu.close()
    [ent] = entities.list_entities(db, case_id=case_id)
    assert ent.kind == "organization"
    window.controller.undo_stack.undo()
    assert entities.list_entities(db, case_id=case_id)[0].kind == "person"
