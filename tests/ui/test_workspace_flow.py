"""The analyst's path through the real window: import, select, claim, undo/redo, navigate."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from casefile.errors import NotFound
from casefile.services import claims, documents, entities, highlights
from tests.ui.conftest import LONG_FILLER

PASSAGE = "was killed in an airstrike near Wadi Sirr on August 3"


def write_article(tmp_path: Path) -> Path:
    body = (LONG_FILLER * 40 + "\n\nTemur Vakhidov, the most wanted militant from the region, "
            f"{PASSAGE}, Interior Minister Anvar Rasulzoda told reporters.\n\n"
            + LONG_FILLER * 10)
    p = tmp_path / "caspian-courier-2020.txt"
    p.write_text("Minister: Vakhidov killed in airstrike\nBy Leyla Karimova\n\n" + body,
                 encoding="utf-8")
    return p


def import_through_ui(qtbot, window, paths):
    worker = window.import_paths([str(p) for p in paths])
    assert worker is not None
    assert window.progress.isVisible() or window.import_worker is None
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=20000)
    return window.last_import


def test_import_select_claim_undo_redo_navigate(qtbot, window, db, tmp_path):
    window.new_case("Vakhidov")
    results = import_through_ui(qtbot, window, [write_article(tmp_path)])
    assert [r.error for r in results] == [None]
    doc_id = results[0].id
    assert window.reader.document is not None and window.reader.document.id == doc_id
    assert window.documents_model.row_of(doc_id) >= 0
    documents.update_document(db, document_id=doc_id, published="2020-08-05")
    window.reader.document = documents.get_document(db, document_id=doc_id)

    text = documents.get_text(db, document_id=doc_id)
    start = text.index(PASSAGE)
    view = window.reader.view
    view.select_range(start, start + len(PASSAGE))
    editor = window.annotator.new_claim()
    assert editor is not None and editor.isVisible()
    assert editor.statement.toPlainText() == PASSAGE
    editor.kind.setCurrentText("death")
    qtbot.keyClicks(editor.subject, "Temur Vakhidov")
    editor.value.setText("killed in airstrike")
    editor.place.setText("Wadi Sirr")
    editor.origin.setText("Anvar Rasulzoda")
    editor.reliability.setCurrentIndex(3)  # C
    qtbot.keyClicks(editor.date, "on August 3")
    assert "2020" in editor.date_hint.text() and "article" in editor.date_hint.text()
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)  # first Enter: shows the inferred year
    assert editor.isVisible()
    assert editor.date.text() == "3 August 2020"
    qtbot.keyClick(editor.date, Qt.Key.Key_Return)  # second Enter saves
    assert not editor.isVisible()

    [claim] = claims.list_claims(db, case_id=window.controller.case_id)
    assert claim.subject == "Temur Vakhidov" and claim.kind == "death"
    assert claim.date == "2020-08-03" and claim.place == "Wadi Sirr"
    assert claim.origin == "Anvar Rasulzoda"
    assert entities.get_entity(db, entity_id=claim.origin_id).reliability == "C"
    [hid] = claim.evidence
    h = highlights.get_highlight(db, highlight_id=hid)
    assert h.quote == PASSAGE and h.document_id == doc_id
    assert window.claims_model.row_of(claim.id) >= 0
    assert hid in view.records
    assert window.case_panel.current_claim_id() == claim.id

    # Undo removes claim and highlight in one step; redo restores both with the same ids.
    window.actions_.undo.trigger()
    assert claims.list_claims(db, case_id=window.controller.case_id) == []
    try:
        highlights.get_highlight(db, highlight_id=hid)
        raise AssertionError("the highlight should be gone after undo")
    except NotFound:
        pass
    assert window.claims_model.rows == [] and hid not in view.records
    window.actions_.redo.trigger()
    [again] = claims.list_claims(db, case_id=window.controller.case_id)
    assert again.id == claim.id and again.evidence == (hid,)
    assert highlights.get_highlight(db, highlight_id=hid).quote == PASSAGE
    assert window.claims_model.row_of(claim.id) >= 0 and hid in view.records

    # Activating the claim scrolls the reader to the passage and flashes it.
    view.verticalScrollBar().setValue(0)
    qtbot.wait(10)
    assert not view.is_visible_range(start)
    table = window.case_panel.claims_view
    idx = window.case_panel.claims_proxy.mapFromSource(
        window.claims_model.index(window.claims_model.row_of(claim.id), 2))
    table.setCurrentIndex(idx)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert view.is_visible_range(start)
    assert view.flashing
    qtbot.waitUntil(lambda: not view.flashing, timeout=3000)


def test_clicking_a_highlight_selects_its_claims(qtbot, window, db, tmp_path):
    window.new_case("Vakhidov")
    [res] = import_through_ui(qtbot, window, [write_article(tmp_path)])
    text = documents.get_text(db, document_id=res.id)
    start = text.index(PASSAGE)
    view = window.reader.view
    view.select_range(start, start + len(PASSAGE))
    rec = window.controller.create_claim(
        claims.ClaimInput(subject="Temur Vakhidov", kind="death"),
        passage=(res.id, start, start + len(PASSAGE)))
    window.case_panel.claims_view.clearSelection()
    view.show_passage(start, start + 5, flash=False)
    rect = view.cursorRect()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center() + rect.topRight() * 0 + rect.bottomRight() * 0)
    sel = window.case_panel.claims_view.selectionModel().selectedRows()
    assert [i.data(Qt.ItemDataRole.UserRole + 1) for i in sel] == [rec.id]


def test_import_errors_are_listed_per_file(qtbot, window, tmp_path):
    good = write_article(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "nope.txt"
    results = import_through_ui(qtbot, window, [good, empty, missing])
    assert [r.ok for r in results] == [True, False, False]
    report = window.report
    assert report is not None and report.isVisible()
    rows = {report.table.item(r, 0).text(): report.table.item(r, 1).text()
            for r in range(report.table.rowCount())}
    assert rows["caspian-courier-2020.txt"] == "Imported"
    assert rows["empty.txt"].startswith("Not imported: ") and "empty" in rows["empty.txt"]
    assert "no such file" in rows["nope.txt"]
    # A case was created for the import, and the good file is in it.
    assert len(window.documents_model.rows) == 1


def test_cancel_stops_between_files(qtbot, window, tmp_path):
    paths = []
    for i in range(30):
        p = tmp_path / f"a{i}.txt"
        p.write_text(f"Report {i}\n\n" + LONG_FILLER * (i + 1), encoding="utf-8")
        paths.append(str(p))
    window.new_case("Many")
    worker = window.import_paths(paths)
    window.cancel_import()
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=20000)
    assert worker.cancelled
    assert len(window.last_import) < 30
    assert len(window.documents_model.rows) == len(window.last_import)
    assert not window.progress.isVisible()
