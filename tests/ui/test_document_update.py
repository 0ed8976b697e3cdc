"""Updating an open document from a newer file keeps every highlight, re-anchored or orphaned."""

from __future__ import annotations

from casefile.services import highlights
from ui.base import plain

OLD = ("Vakhidov reported killed\n\nTemur Vakhidov was killed in a missile strike on Tal Hasan, "
       "military sources told the Daily Lantern. The family has not commented.\n")
NEW = ("Vakhidov reported killed (updated)\n\nA correction was added at the top.\n\n"
       "Temur Vakhidov was killed in a missile strike on Tal Hasan, military sources told the "
       "Daily Lantern. The family later said he was alive.\n")


def test_update_from_newer_file_reanchors_and_reports(window, qtbot, tmp_path, monkeypatch):
    first = tmp_path / "lantern.txt"
    first.write_text(OLD, encoding="utf-8")
    window.new_case("Update test")
    worker = window.import_paths([str(first)])
    qtbot.waitUntil(lambda: window.documents_model.rowCount() == 1, timeout=20000)
    if worker is not None:
        window.pool.waitForDone(10000)
    doc_id = window.documents_model.rows[0].id
    window.open_document(doc_id)
    strike = OLD.index("killed in a missile strike")
    kept = window.controller.create_highlight(doc_id, strike, strike + 26)
    family = OLD.index("The family has not commented")
    gone = window.controller.create_highlight(doc_id, family, family + 28)
    assert window.actions_.update_document.isEnabled()

    shown = []
    monkeypatch.setattr(plain, "information", lambda *a: shown.append(a[2]))
    newer = tmp_path / "lantern-v2.txt"
    newer.write_text(NEW, encoding="utf-8")
    from ui.exchange.documents import update_document

    update_document(window, newer)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    moved = highlights.get_highlight(window.db, highlight_id=kept.id)
    assert NEW[moved.start:moved.end] == "killed in a missile strike"
    assert highlights.get_highlight(window.db, highlight_id=gone.id).anchor == "orphan"
    assert "1 could not be placed" in shown[0] and "The family has not commented" in shown[0]
    assert window.reader.view.toPlainText().startswith("Vakhidov reported killed (updated)")
    assert window.controller.undo_stack.count() == 0
