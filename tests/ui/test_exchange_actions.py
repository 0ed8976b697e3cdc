"""File › Export / Import helpers: background export and import, the merge report dialog."""

from __future__ import annotations

from casefile.exchange.bundle import export_bundle
from casefile.services import claims
from tests.core.exchange_world import build_world
from ui.exchange.actions import (
    MergeReportDialog,
    ReportDialog,
    annotations_report_html,
    export_to,
    import_annotations_from,
    import_from,
    import_qdpx_from,
    merge_report_html,
    qdpx_report_html,
)


def test_background_export_then_import_shows_the_merge(qtbot, db, tmp_path):
    world = build_world(db)
    path = tmp_path / "shared.casefile"
    exported: list = []
    export_to(None, db, world.case_id, "bundle", path, on_done=exported.append)
    qtbot.waitUntil(lambda: exported == [path], timeout=20000)
    assert path.stat().st_size > 0

    claims.delete_claim(db, claim_id=world.claims[0])  # the bundle brings it back
    reports: list = []
    import_from(None, db, path, reports.append, show_report=False)
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=20000)
    assert reports[0].types["claims"].added == [world.claims[0]]
    dialog = MergeReportDialog(reports[0])
    qtbot.addWidget(dialog)
    assert "Claims" in dialog.browser.toPlainText()


def test_refused_bundle_reports_failure_without_crashing(qtbot, db, tmp_path, monkeypatch):
    from ui.base import plain

    warnings: list[str] = []
    monkeypatch.setattr(plain, "warning", lambda *a: warnings.append(a[2]))
    bad = tmp_path / "bad.casefile"
    bad.write_bytes(b"not a zip")
    import_from(None, db, bad, lambda r: None)
    qtbot.waitUntil(lambda: bool(warnings), timeout=20000)
    assert "not a Casefile bundle" in warnings[0]


def test_merge_report_lists_conflicts(db, tmp_path):
    from casefile.db.database import open_database
    from casefile.exchange.merge import import_bundle

    world = build_world(db)
    export_bundle(db, case_id=world.case_id, out=tmp_path / "b0.casefile")
    other = open_database(tmp_path / "other.sqlite")
    import_bundle(other, path=tmp_path / "b0.casefile")
    for d, note in ((db, "mine"), (other, "theirs")):
        rec = claims.get_claim(d, claim_id=world.claims[1])
        data = claims.as_input(rec)
        from dataclasses import replace

        claims.update_claim(d, claim_id=world.claims[1], data=replace(data, note=note))
    export_bundle(other, case_id=world.case_id, out=tmp_path / "b1.casefile")
    report = import_bundle(db, path=tmp_path / "b1.casefile")
    other.close()
    html = merge_report_html(report)
    assert "Edited on both sides" in html and "your colleague" in html


def test_project_export_and_import_run_in_the_background(qtbot, db, tmp_path):
    from casefile.services import cases

    world = build_world(db)
    cases.update_case(db, case_id=world.case_id, title="<img src=/etc/passwd> file")
    path = tmp_path / "shared.qdpx"
    exported: list = []
    export_to(None, db, world.case_id, "qdpx", path, on_done=exported.append)
    qtbot.waitUntil(lambda: exported == [path], timeout=20000)
    results: list = []
    import_qdpx_from(None, db, path, results.append, show_report=False)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=20000)
    assert results[0].documents == 4 and results[0].claims == 4
    assert results[0].case_id != world.case_id
    dialog = ReportDialog("Project imported", qdpx_report_html(results[0]))
    qtbot.addWidget(dialog)
    shown = dialog.browser.toPlainText()
    assert "<img src=/etc/passwd> file" in shown and "4 documents" in shown


def test_annotations_import_in_the_background_lists_orphans(qtbot, db, tmp_path):
    import json

    from casefile.services import highlights

    world = build_world(db)
    path = tmp_path / "notes.jsonld"
    path.write_text(json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld",
                                "type": "Annotation", "id": "urn:x:1",
                                "target": {"source": f"urn:uuid:{world.docs[0]}", "selector": {
                                    "type": "TextQuoteSelector",
                                    "exact": "<b>words nobody wrote</b>"}}}))
    results: list = []
    import_annotations_from(None, db, path, world.case_id, results.append, show_report=False)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=20000)
    assert results[0].orphans[0]["reason"] == "its quote is not in the document"
    assert len(highlights.list_highlights(db, case_id=world.case_id)) == 4
    dialog = ReportDialog("Annotations imported", annotations_report_html(results[0]))
    qtbot.addWidget(dialog)
    assert "“<b>words nobody wrote</b>”" in dialog.browser.toPlainText()
