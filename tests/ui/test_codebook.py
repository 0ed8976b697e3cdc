"""Editing entities (grade, kind, aliases) and tags (colour) from the case file, undoably."""

from __future__ import annotations

from PySide6.QtGui import QColor

from casefile.services import entities, tags
from ui.workspace import codebook


def test_entity_editor_changes_grade_kind_and_aliases_in_one_undo_step(window, db, case_id):
    window.controller.set_case(case_id)
    ent = window.controller.create_entity("Anvar Rasulzoda", aliases=("A. Rasulzoda",))
    ent = entities.get_entity(db, entity_id=ent.id)
    dialog = codebook.edit_entity(window, ent)
    dialog.grade.setCurrentIndex(codebook.GRADES.index("B"))
    dialog.description.setText("Interior minister")
    dialog.new_alias.setText("Анвар Расулзода")
    dialog._add_alias()
    dialog.aliases.setCurrentRow(0)  # the old alias
    dialog._remove_alias()
    dialog.accept()
    after = entities.get_entity(db, entity_id=ent.id)
    assert after.reliability == "B" and after.description == "Interior minister"
    assert [a.name for a in after.aliases] == ["Анвар Расулзода"]
    window.controller.undo_stack.undo()
    back = entities.get_entity(db, entity_id=ent.id)
    assert back.reliability == "" and [a.name for a in back.aliases] == ["A. Rasulzoda"]
    assert back.aliases[0].id == ent.aliases[0].id  # restored under the same id
    window.controller.undo_stack.redo()
    assert entities.get_entity(db, entity_id=ent.id).reliability == "B"


def test_entity_editor_keeps_the_dialog_open_on_error(window, db, case_id):
    window.controller.set_case(case_id)
    ent = window.controller.create_entity("Jamshed Vakhidov")
    dialog = codebook.edit_entity(window, entities.get_entity(db, entity_id=ent.id))
    dialog.name.setText("   ")
    dialog.accept()
    assert "cannot be empty" in dialog.error.text() and dialog.isVisible()
    assert entities.get_entity(db, entity_id=ent.id).name == "Jamshed Vakhidov"
    dialog.reject()


def test_tag_colour_is_edited_and_undone(window, db, case_id):
    window.controller.set_case(case_id)
    tag = window.controller.create_tag("Death")
    first = tag.color  # a colour from the palette, given at creation
    dialog = codebook.edit_tag(window, tags.list_tags(db, case_id=case_id)[0])
    dialog.color = QColor("#c0392b")
    dialog.description.setText("reports of death")
    dialog.accept()
    [t] = tags.list_tags(db, case_id=case_id)
    assert t.id == tag.id and t.color == "#c0392b" and t.description == "reports of death"
    assert window.reader.view.tag_colors.get(tag.id) == "#c0392b"
    window.controller.undo_stack.undo()
    assert tags.list_tags(db, case_id=case_id)[0].color == first


def test_context_menus_offer_the_right_actions(window, db, case_id):
    window.controller.set_case(case_id)
    window.controller.create_entity("Temur Vakhidov")
    window.controller.create_tag("Events")
    view = window.case_panel.entities_view
    view.expandAll()
    group = window.entities_model.index(0, 0)
    person = window.entities_model.index(0, 0, group)
    menu = codebook._entity_menu(window, view.visualRect(person).center())
    assert [a.text() for a in menu.actions() if a.text()] == [
        "&Profile…", "&Edit…", "&Kind", "Show &claims", "Find &mentions…", "Me&rge into…",
        "&Delete",
        "&New person…"]
    menu.close()
    tview = window.case_panel.tags_view
    tmenu = codebook._tag_menu(window, tview.visualRect(window.tags_model.index(0, 0)).center())
    assert [a.text() for a in tmenu.actions() if a.text()] == [
        "&Edit…", "New &sub-tag…", "&Delete…", "&New tag…"]
    tmenu.close()
