"""Imports from the File menu run behind a progress dialog whose Cancel stops them with nothing
written and no error shown."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from casefile.services import highlights, tags
from tests.core.scale_inputs import annotations, case_with_article, qdpx
from ui.base import plain, tasks
from ui.exchange.actions import import_annotations_from, import_qdpx_from


def _cancel_dialog(qtbot) -> None:
    """Press Cancel on the import's progress dialog (shown after half a second)."""
    def dialog() -> QProgressDialog | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QProgressDialog) and w.isVisible()), None)

    qtbot.waitUntil(lambda: dialog() is not None, timeout=20000)
    button = dialog().findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    button.click()


def test_cancel_stops_an_annotation_import_with_nothing_written(qtbot, db, tmp_path,
                                                                monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda *a: warnings.append(a[2]))
    case_id, doc_id, text = case_with_article(db, 20_000)
    path = tmp_path / "notes.jsonld"
    path.write_text(json.dumps(annotations(doc_id, text, 20_000)), "utf-8")
    done: list = []
    task = import_annotations_from(None, db, path, case_id, done.append, show_report=False)
    _cancel_dialog(qtbot)
    qtbot.waitUntil(lambda: task not in tasks._RUNNING, timeout=120000)
    assert not done and not warnings
    assert highlights.list_highlights(db, case_id=case_id) == []
    assert tags.list_tags(db, case_id=case_id) == []


def test_cancel_stops_a_project_import_with_nothing_written(qtbot, db, tmp_path, monkeypatch):
    from casefile.services import cases

    warnings: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda *a: warnings.append(a[2]))
    path = qdpx(tmp_path / "big.qdpx", sentences=3000, selections=20_000, sources=40)
    before = [c.id for c in cases.list_cases(db)]
    done: list = []
    task = import_qdpx_from(None, db, path, done.append, show_report=False)
    _cancel_dialog(qtbot)
    qtbot.waitUntil(lambda: task not in tasks._RUNNING, timeout=120000)
    assert not done and not warnings
    assert [c.id for c in cases.list_cases(db)] == before
