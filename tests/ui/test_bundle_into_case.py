"""File › Import bundle with a case open: the window says where the bundle would go and lets the
analyst choose; it never switches case silently, and keeps the undo history unless the merge
touched what it refers to (then it says so)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from casefile.exchange.export import export_case
from casefile.services import cases, entities, tags
from ui.exchange.actions import MergeReportDialog


def _bundle(db, case_id, tmp_path):
    path = tmp_path / "colleague.casefile"
    export_case(db, case_id=case_id, fmt="bundle", target=path)
    return path


def _question(qtbot, w) -> QMessageBox:
    qtbot.waitUntil(lambda: w.exchange.bundle_question is not None
                    and w.exchange.bundle_question.isVisible(), timeout=15000)
    return w.exchange.bundle_question


def _button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text().replace("&&", "&") == text)


def _merged(qtbot, w) -> None:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(MergeReportDialog)),
                    timeout=20000)
    for d in w.findChildren(MergeReportDialog):
        d.close()


def test_a_bundle_asks_where_it_goes_and_merges_into_this_case(qtbot, sample_window, db,
                                                               tmp_path):
    w = sample_window
    sample_id = w.controller.case_id
    path = _bundle(db, sample_id, tmp_path)
    w.new_case("Fresh")
    fresh = w.controller.case_id
    w.controller.create_tag("Kept for later")  # an undoable step of the analyst's
    n_cases = len(cases.list_cases(db))
    w.exchange.import_bundle(path)
    box = _question(qtbot, w)
    text = box.text()
    assert "Temur Vakhidov" in text and "Fresh" in text  # what it holds, and both choices
    assert box.textFormat() == Qt.TextFormat.PlainText  # titles are untrusted text
    # nothing happened yet: no merge, no switch
    assert w.controller.case_id == fresh and w.documents_model.rowCount() == 0
    assert len(cases.list_cases(db)) == n_cases
    assert box.defaultButton() is _button(box, "This case")  # an empty case waits for it
    _button(box, "This case").click()
    _merged(qtbot, w)
    assert w.controller.case_id == fresh  # never switched
    assert w.documents_model.rowCount() == 4
    assert w.controller.undo_stack.count() == 1  # the tag step is still there
    assert "undo history is kept" in w.statusBar().currentMessage()
    w.controller.undo_stack.undo()
    assert [t.name for t in tags.list_tags(db, case_id=fresh)
            if t.name == "Kept for later"] == []


def test_its_own_case_switches_and_says_so(qtbot, sample_window, db, tmp_path):
    w = sample_window
    sample_id = w.controller.case_id
    path = _bundle(db, sample_id, tmp_path)
    w.new_case("Unrelated")
    w.exchange.import_bundle(path)
    box = _question(qtbot, w)
    assert "already in this database" in box.text()
    _button(box, "Its own case").click()
    _merged(qtbot, w)
    assert w.controller.case_id == sample_id
    assert "switched to it" in w.statusBar().currentMessage()


def test_cancel_changes_nothing(qtbot, sample_window, db, tmp_path):
    w = sample_window
    path = _bundle(db, w.controller.case_id, tmp_path)
    w.new_case("Fresh")
    fresh = w.controller.case_id
    n = len(cases.list_cases(db))
    w.exchange.import_bundle(path)
    box = _question(qtbot, w)
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(200)
    assert w.controller.case_id == fresh and len(cases.list_cases(db)) == n
    assert w.documents_model.rowCount() == 0


def test_undo_history_cleared_only_when_the_bundle_holds_what_it_refers_to(
        qtbot, sample_window, db, tmp_path):
    w = sample_window
    case_id = w.controller.case_id
    path = _bundle(db, case_id, tmp_path)
    ent = entities.find_entity(db, case_id=case_id, name="Olim Vakhidov")
    w.controller.update_entity(ent.id, description="the father")  # a record the bundle holds
    w.exchange.import_bundle(path)
    box = _question(qtbot, w)
    assert "came from this case" in box.text()
    _button(box, "Merge into this case").click()
    _merged(qtbot, w)
    assert w.controller.case_id == case_id
    assert w.controller.undo_stack.count() == 0
    message = w.statusBar().currentMessage()
    assert "undo history was cleared" in message and "1 of its steps" in message
