"""Two windows on two replicas of one shared case, through the real service: a claim made in
one appears in the other by itself without moving its selection, and a both-sides edit shows
in the Sync conflicts panel, where the analyst settles it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from casefile.services import claims
from casefile.sync import engine
from tests.server.team_world import make_case, replica

pytestmark = [pytest.mark.slow,
              pytest.mark.qt_log_ignore("support propagateSizeHints", "support raise",
                                        "support grabbing the keyboard")]


@pytest.fixture
def two_windows(qtbot, tmp_path, service, user):
    from ui.shell.window import MainWindow

    _, token_a = user("win-a")
    name_b, token_b = user("win-b")
    a = replica(tmp_path, "a", service.url, token_a)
    b = replica(tmp_path, "b", service.url, token_b)
    ids = make_case(a)
    engine.share(a, case_id=ids["case"])
    engine.client_for(a).set_member(ids["case"], name_b, "editor")
    engine.join(b, case_id=ids["case"])
    windows = []
    for db, name in ((a, "a"), (b, "b")):
        settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
        w = MainWindow(db, settings=settings)
        qtbot.addWidget(w)
        w.show()
        w.controller.set_case(ids["case"])
        windows.append(w)
    wa, wb = windows
    qtbot.waitUntil(lambda: wa.team.indicator.text() == "Synced"
                    and wb.team.indicator.text() == "Synced", timeout=20000)
    yield wa, wb, ids
    for w in windows:
        w.close()
    a.close()
    b.close()


def _claim_ids(w) -> list[str]:
    return [c.id for c in w.claims_model.rows]


def test_a_claim_made_in_one_window_appears_in_the_other(qtbot, two_windows):
    wa, wb, ids = two_windows
    view = wb.case_panel.claims_view
    view.selectRow(0)
    selected = wb.claims_model.rows[view.selectionModel().selectedRows()[0].row()].id
    rec = wa.controller.create_claim(claims.ClaimInput(
        subject="Temur Vakhidov", kind="location", place="Qalat Nur",
        statement="Seen in Qalat Nur in 2021", evidence=(ids["highlight"],)))
    qtbot.waitUntil(lambda: rec.id in _claim_ids(wb), timeout=20000)
    rows = view.selectionModel().selectedRows()
    assert [wb.claims_model.rows[r.row()].id for r in rows] == [selected]
    assert wb.team.indicator.text() in ("Synced", "Syncing…")


def test_a_both_sides_edit_is_settled_in_the_conflicts_panel(qtbot, two_windows):
    wa, wb, ids = two_windows
    wb.team.runner.stop()  # B works offline for a while
    for w, note in ((wa, "A: the minister retracted"), (wb, "B: two outlets repeat it")):
        rec = claims.get_claim(w.db, claim_id=ids["claim"])
        w.controller.update_claim(rec.id, claims.ClaimInput(
            **{**claims.as_input(rec).__dict__, "note": note}))
    qtbot.waitUntil(lambda: not wa.team.runner.busy and engine.pending_changes(
        wa.db, case_id=ids["case"]) == 0, timeout=20000)
    wb.team.runner.follow(ids["case"])  # back online
    qtbot.waitUntil(lambda: wb.team.dock.isVisible()
                    and wb.team.indicator.text() == "1 sync conflict(s)", timeout=20000)
    panel = wb.team.panel
    assert [(c.field, c.mine, c.theirs) for c in panel.model.rows] == [
        ("note", "B: two outlets repeat it", "A: the minister retracted")]
    wb.team.tabs.setCurrentIndex(1)  # B is an editor: the activity log is the owners'
    qtbot.waitUntil(lambda: "owners" in wb.team.activity_note.text(), timeout=20000)
    wa.team.show_conflicts()
    wa.team.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(wa.team.activity.rows) >= 3, timeout=20000)
    assert {r["op"] for r in wa.team.activity.rows} >= {"share", "create", "update"}
    panel.theirs.click()
    assert panel.model.rows == []
    assert claims.get_claim(wb.db, claim_id=ids["claim"]).note == "A: the minister retracted"
    qtbot.waitUntil(lambda: wb.team.indicator.text() == "Synced", timeout=20000)
