"""What a new user's walkthrough under a real window found, each driven in the window: buttons
that must work when clicked, editors that must not lose or mislabel work, wording that must not
mislead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from casefile.importers import ImportResult
from casefile.services import claims, documents, highlights
from ui.base import filedialogs, plain
from ui.exchange.import_report import import_summary


def test_save_original_button_asks_where_and_writes_the_bytes(qtbot, sample_window, db,
                                                              tmp_path: Path, monkeypatch):
    w = sample_window
    doc = w.documents_model.rows[0]
    w.open_document(doc.id)
    target = tmp_path / "original.bin"
    monkeypatch.setattr(filedialogs, "save_file_name", lambda *a, **k: (str(target), ""))
    dlg = w.workspace.edit_details()
    qtbot.mouseClick(dlg.save_original, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == documents.get_original(db, document_id=doc.id)
    dlg.reject()


def test_a_new_claim_starts_with_the_kind_used_last_never_a_silent_death(qtbot, sample_window):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    view = w.reader.view
    view.select_range(0, 5)
    editor = w.annotator.new_claim()
    editor.kind.setCurrentText("location")
    qtbot.keyClicks(editor.subject, "Temur Vakhidov")
    editor.accept()
    view.select_range(10, 20)
    again = w.annotator.new_claim()
    assert again.kind.currentText() == "location"
    again.cancel()


def test_escape_on_a_filled_claim_editor_asks_before_discarding(qtbot, sample_window,
                                                                monkeypatch):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    w.reader.view.select_range(0, 5)
    before = claims.list_claims(w.db, case_id=w.controller.case_id)
    editor = w.annotator.new_claim()
    qtbot.keyClicks(editor.subject, "Temur Vakhidov")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(plain, "question",
                        lambda *a, **k: (asked.append(a[2]), answers.pop(0))[1])
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible() and asked  # kept: the analyst said no
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert claims.list_claims(w.db, case_id=w.controller.case_id) == before  # nothing saved


def test_escape_on_an_untouched_editor_closes_without_asking(qtbot, sample_window,
                                                            monkeypatch):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    w.reader.view.select_range(0, 5)
    editor = w.annotator.new_claim()
    monkeypatch.setattr(plain, "question", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("asked")))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_import_summary_does_not_count_a_file_already_there_as_imported():
    results = [ImportResult("a.txt", id="1"),
               ImportResult("b.txt", id="1", warning="already imported as “A”",
                            duplicate_of="1"),
               ImportResult("c.pdf", error="this PDF is truncated")]
    assert import_summary(results) == ("1 of 3 file(s) imported, 1 already in the case, "
                                       "1 refused")


def test_redo_never_makes_a_twin_of_a_highlight_made_meanwhile(qtbot, sample_window, db):
    w = sample_window
    doc = w.documents_model.rows[0].id
    w.open_document(doc)
    text = documents.get_text(db, document_id=doc)
    a = text.index("Vakhidov")
    w.controller.create_highlight(doc, a, a + 8)
    w.actions_.undo.trigger()
    highlights.create_highlight(db, document_id=doc, start=a, end=a + 8)  # another window
    w.actions_.redo.trigger()
    QApplication.processEvents()
    same = [h for h in highlights.list_highlights(db, document_id=doc)
            if (h.start, h.end) == (a, a + 8)]
    assert len(same) == 1


def test_the_file_name_decides_the_export_format():
    from ui.exchange.actions import format_for

    assert format_for(Path("report.pdf"), "bundle") == "pdf"
    assert format_for(Path("case.casefile"), "pdf") == "bundle"
    assert format_for(Path("claims.csv"), "codebook-csv") == "codebook-csv"  # both are .csv
    assert format_for(Path("notes"), "qdpx") == "qdpx"
    assert format_for(Path("odd.xyz"), "bundle") == "bundle"


def test_editing_a_claim_deleted_elsewhere_offers_to_keep_it_as_new(qtbot, sample_window, db):
    w = sample_window
    rec = w.claims_model.rows[0]
    editor = w.annotator.edit_claim(rec.id)
    claims.delete_claim(db, claim_id=rec.id)  # another window
    editor.note.setText("my reading of it")
    editor.accept()
    assert editor.isVisible() and "deleted meanwhile" in editor.error.text()
    editor.accept()
    assert not editor.isVisible()
    again = [c for c in claims.list_claims(db, case_id=w.controller.case_id)
             if c.note == "my reading of it"]
    assert len(again) == 1 and again[0].statement == rec.statement
    assert again[0].evidence == rec.evidence


def test_the_reader_header_follows_edited_details_and_their_undo(qtbot, sample_window):
    w = sample_window
    doc = w.documents_model.rows[0]
    w.open_document(doc.id)
    dlg = w.workspace.edit_details()
    dlg.edits["author"].setText("A. N. Other")
    dlg.accept()
    assert "A. N. Other" in w.reader.header.text()
    w.actions_.undo.trigger()
    assert "A. N. Other" not in w.reader.header.text()


def test_tag_and_note_dialogs_quote_their_passage(qtbot, sample_window):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    text = w.reader.view.text
    a = text.index("Vakhidov")
    w.reader.view.select_range(a, a + 8)
    picker = w.annotator.tag()
    assert "Vakhidov" in picker.findChildren(type(w.reader.header))[0].text()
    picker.reject()
    note = w.annotator.note()
    assert any("Vakhidov" in lbl.text() for lbl in note.findChildren(type(w.reader.header)))
    note.reject()


def test_duplicates_headers_are_whole(qtbot, sample_window):
    from PySide6.QtGui import QFontMetrics

    w = sample_window
    w.analysis._show_tab(w.analysis.candidates)
    panel = w.analysis.candidates.panel
    view = panel.view
    fm = QFontMetrics(view.horizontalHeader().font())
    model = view.model()
    for c in range(model.columnCount() - 1):  # the last one stretches
        title = model.headerData(c, Qt.Orientation.Horizontal)
        assert view.columnWidth(c) >= fm.horizontalAdvance(title) + 12, title


def test_the_case_file_tab_comes_back_after_a_restart(make_window, sample_window):
    sample_window.case_panel.setCurrentIndex(2)
    sample_window.close()
    again = make_window()
    assert again.case_panel.currentIndex() == 2


def test_a_refused_file_gets_no_lock_file_beside_it(tmp_path: Path):
    import pytest

    from casefile.db.database import open_database
    from casefile.errors import NotACasefileDatabase

    page = tmp_path / "article.html"
    page.write_text("<p>not a database</p>", encoding="utf-8")
    with pytest.raises(NotACasefileDatabase):
        open_database(page)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.html"]


def test_escape_on_a_typed_note_asks_first(qtbot, sample_window, monkeypatch):
    w = sample_window
    w.open_document(w.documents_model.rows[0].id)
    w.reader.view.select_range(0, 5)
    note = w.annotator.note()
    qtbot.keyClicks(note.edit, "important")
    monkeypatch.setattr(plain, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert note.isVisible()
    monkeypatch.setattr(plain, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert not note.isVisible()


def test_a_document_can_be_deleted_after_asking_with_a_backup_first(qtbot, sample_window, db,
                                                                     monkeypatch):
    from casefile.db import backup

    w = sample_window
    doc = w.documents_model.rows[0]
    w.open_document(doc.id)
    before = len(backup.list_backups(db.path))
    monkeypatch.setattr(plain, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert w.workspace.delete_document() is None
    monkeypatch.setattr(plain, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w.workspace.delete_document()
    qtbot.waitUntil(lambda: w.documents_model.row_of(doc.id) < 0, timeout=10000)
    assert w.reader.document is None
    assert len(backup.list_backups(db.path)) == before + 1
    assert all(d.id != doc.id for d in documents.list_documents(db, case_id=doc.case_id))
