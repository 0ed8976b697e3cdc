"""File › Export / Import helpers: background export and import, the merge report dialog."""

from __future__ import annotations

from casefile.exchange.bundle import export_bundle
from casefile.services import claims
from tests.core.exchange_world import build_world
from ui.exchange_actions import MergeReportDialog, export_to, import_from, merge_report_html


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
    from ui import plain

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
