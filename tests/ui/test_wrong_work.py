"""Regressions from a new user's session: twin highlights, a search tab that never loads, keys
leaking out of fields, stale evidence marks, sloppy selections (each drives the real window)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from casefile.services import claims, highlights
from tests.ui.conftest import add_doc

TEXT = ("Officials said on Monday that Temur Vakhidov, a former police sergeant, had been killed "
        "in an airstrike near Wadi Sirr, according to the minister's office.")
PASSAGE = "had been killed in an airstrike near Wadi Sirr"


def _open(window, db):
    window.new_case("Vakhidov")
    doc = add_doc(db, window.controller.case_id, TEXT)
    window.open_document(doc)
    return doc


def _select(window, text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    window.reader.view.select_range(start, start + len(text))
    return start, start + len(text)


def _save_claim(qtbot, window, subject: str = "Temur Vakhidov"):
    editor = window.annotator.new_claim()
    assert editor is not None
    editor.kind.setCurrentText("death")
    qtbot.keyClicks(editor.subject, subject)
    editor.accept()
    return editor


def test_highlight_then_claim_on_one_selection_makes_one_highlight(qtbot, window, db):
    doc = _open(window, db)
    _select(window, PASSAGE)
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_H)
    assert len(highlights.list_highlights(db, document_id=doc)) == 1
    editor = window.annotator.new_claim()
    assert "already highlighted" in editor.evidence_label_text()
    assert "new highlight" not in editor.evidence_label_text()
    editor.kind.setCurrentText("death")
    qtbot.keyClicks(editor.subject, "Temur Vakhidov")
    editor.accept()
    [h] = highlights.list_highlights(db, document_id=doc)
    [claim] = claims.list_claims(db, case_id=window.controller.case_id)
    assert claim.evidence == (h.id,)
    # H again on the same passage, and C a second time: still one highlight.
    window.annotator.highlight()
    _save_claim(qtbot, window, "Wadi Sirr strike")
    assert len(highlights.list_highlights(db, document_id=doc)) == 1
    assert len(claims.list_claims(db, case_id=window.controller.case_id)) == 2


def test_new_claim_label_says_new_highlight_only_when_it_is(qtbot, window, db):
    _open(window, db)
    _select(window, PASSAGE)
    editor = window.annotator.new_claim()
    assert "a new highlight" in editor.evidence_label_text()
    editor.reject()


def test_evidence_on_a_highlighted_passage_reuses_it(qtbot, window, db):
    doc = _open(window, db)
    _select(window, "Temur Vakhidov")
    window.annotator.highlight()
    _select(window, PASSAGE)
    _save_claim(qtbot, window)
    _select(window, "Temur Vakhidov")
    window.annotator.add_evidence()
    assert len(highlights.list_highlights(db, document_id=doc)) == 2
    [claim] = claims.list_claims(db, case_id=window.controller.case_id)
    assert len(claim.evidence) == 2


def test_tag_and_note_on_a_highlighted_selection_edit_that_highlight(qtbot, window, db):
    doc = _open(window, db)
    _select(window, PASSAGE)
    window.annotator.highlight()
    picker = window.annotator.tag()
    picker.combo.setEditText("Events/Death")
    picker.accept()
    note = window.annotator.note()
    note.edit.setPlainText("second-hand")
    note.accept()
    [h] = highlights.list_highlights(db, document_id=doc)
    assert h.note == "second-hand" and len(h.tag_ids) == 1


def test_search_tab_opened_empty_shows_a_hint_not_loading(qtbot, window, db):
    _open(window, db)
    window.analysis.show_search()
    panel = window.analysis.search.panel
    qtbot.waitUntil(lambda: "Loading" not in panel.status.text(), timeout=5000)
    assert panel.status.text()
    qtbot.keyClicks(panel.box, "airstrike")
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=5000)


def test_letters_typed_outside_the_reader_never_annotate(qtbot, window, db):
    doc = _open(window, db)
    _select(window, PASSAGE)
    window.analysis.show_search()
    panel = window.analysis.search.panel
    panel.view.setFocus()  # a table, not a text field: letters used to reach H/C/T/N/E
    for key in (Qt.Key.Key_H, Qt.Key.Key_C, Qt.Key.Key_T, Qt.Key.Key_N, Qt.Key.Key_E):
        qtbot.keyClick(panel.view, key)
    assert highlights.list_highlights(db, document_id=doc) == []
    assert window.annotator.dialog is None
    # In the reader the same letter highlights.
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_H)
    assert len(highlights.list_highlights(db, document_id=doc)) == 1


def test_window_commands_work_from_a_text_field(qtbot, window, db, monkeypatch):
    _open(window, db)
    window.analysis.show_search()
    box = window.analysis.search.panel.box
    box.setFocus()
    called = []
    monkeypatch.setattr(window.exchange, "export_case", lambda: called.append("export"))
    window.exchange.export_action.triggered.disconnect()
    window.exchange.export_action.triggered.connect(lambda _c=False: called.append("export"))
    qtbot.keyClicks(box, "abc")
    qtbot.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert called == ["export"]
    assert box.text() == "abc"
    # Editing keys stay with the field.
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert box.selectedText() == "abc"


def test_evidence_added_with_e_is_marked_at_once(qtbot, window, db):
    _open(window, db)
    _select(window, PASSAGE)
    _save_claim(qtbot, window)
    view = window.reader.view
    [claim] = claims.list_claims(db, case_id=window.controller.case_id)
    window.select_claim(claim.id)
    _select(window, "Temur Vakhidov")
    window.reader.view.setFocus()
    qtbot.keyClick(window.reader.view, Qt.Key.Key_E)
    [claim] = claims.list_claims(db, case_id=window.controller.case_id)
    assert len(claim.evidence) == 2
    assert view.painter.emphasis == set(claim.evidence)


def test_marking_a_claims_passages_never_reflows_the_text(qtbot, window, db):
    _open(window, db)
    _select(window, PASSAGE)
    _save_claim(qtbot, window)
    view = window.reader.view
    [claim] = claims.list_claims(db, case_id=window.controller.case_id)
    end = TEXT.index("office")

    def x_of_end() -> int:
        c = QTextCursor(view.document())
        c.setPosition(end)
        return view.cursorRect(c).x()

    window.reader.view.set_emphasis(())
    QApplication.processEvents()
    before = x_of_end()
    window.reader.view.set_emphasis(claim.evidence)
    QApplication.processEvents()
    assert x_of_end() == before


def _drag(qtbot, view, a: int, b: int) -> None:
    def point(pos: int) -> QPoint:
        c = QTextCursor(view.document())
        c.setPosition(pos)
        return view.cursorRect(c).center()

    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=point(a))
    qtbot.mouseMove(vp, point((a + b) // 2))
    qtbot.mouseMove(vp, point(b))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=point(b))


def test_mouse_selection_is_trimmed_to_words(qtbot, window, db):
    _open(window, db)
    view = window.reader.view
    view.resize(900, 400)
    start = TEXT.index(", had been killed")
    _drag(qtbot, view, start, start + len(", had been kil"))
    a, b = view.selected_range()
    assert TEXT[a:b] == "had been killed"
    # A keyboard extension afterwards is kept as the analyst made it.
    for _ in range(3):
        view.moveCursor(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
    a, b = view.selected_range()
    assert TEXT[a:b] == "had been killed in"


def test_selection_of_only_punctuation_makes_nothing(qtbot, window, db):
    doc = _open(window, db)
    view = window.reader.view
    view.resize(900, 400)
    start = TEXT.index(", had")
    _drag(qtbot, view, start, start + 2)
    window.annotator.highlight()
    assert highlights.list_highlights(db, document_id=doc) == []
