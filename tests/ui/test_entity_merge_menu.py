"""Entities › right-click › Merge into…: the README promises it; most alike entity first, one
undoable step."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from casefile.services import claims, entities
from ui.workspace import codebook


def _menu_for(w, entity_id):
    view = w.case_panel.entities_view
    w.case_panel.setCurrentWidget(view)
    index = w.entities_model.find(entity_id)
    view.scrollTo(index)
    QApplication.processEvents()
    menu = codebook._entity_menu(w, view.visualRect(index).center())
    return menu


def test_entities_menu_merges_into_the_most_alike_and_undo_splits_again(qtbot, window, db,
                                                                        case_id):
    keep = entities.create_entity(db, case_id=case_id, name="Gulmurod Khalimov")
    entities.create_entity(db, case_id=case_id, name="Temur Vakhidov")
    entities.create_entity(db, case_id=case_id, name="Islamic State", kind="organization")
    twin = entities.create_entity(db, case_id=case_id, name="Gulmorod")
    claims.create_claim(db, case_id=case_id, data=claims.ClaimInput(
        subject="Gulmorod", kind="death", statement="killed"))
    window.controller.set_case(case_id)
    menu = _menu_for(window, twin.id)
    [merge] = [a for a in menu.actions() if a.text().replace("&", "") == "Merge into…"]
    menu.close()
    merge.trigger()
    dialog = next(d for d in window.findChildren(codebook.QDialog)
                  if d.windowTitle() == "Merge entity" and d.isVisible())
    assert dialog.chosen() == keep.id  # the most alike comes first, preselected
    assert dialog.list.item(dialog.list.count() - 1).text().startswith("Islamic State")
    dialog.merge_button.click()
    names = [e.name for e in entities.list_entities(db, case_id=case_id)]
    assert "Gulmorod" not in names
    [c] = claims.list_claims(db, case_id=case_id)
    assert c.subject_id == keep.id
    assert "Gulmorod" in {a.name for a in entities.get_entity(db, entity_id=keep.id).aliases}
    window.controller.undo_stack.undo()
    assert "Gulmorod" in [e.name for e in entities.list_entities(db, case_id=case_id)]
