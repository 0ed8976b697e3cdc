"""Render the team case in two windows on one shared case (a real casefile-server on a private
PostgreSQL): a claim made in window A appearing in window B, and B's Sync conflicts panel with
a real conflict. Look at both PNGs.

Usage: python tools/team_screenshots.py OUT_DIR
Runs offscreen unless DISPLAY is set (under Xvfb it shows real windows).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _wait(app, done, timeout: float = 30.0) -> None:
    end = time.time() + timeout
    while not done():
        if time.time() > end:
            raise SystemExit("timed out waiting for the windows")
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)


def _pair(left, right, path: Path) -> None:
    """Both windows side by side in one PNG, with a gap between them."""
    from PySide6.QtGui import QColor, QImage, QPainter

    a, b = left.grab().toImage(), right.grab().toImage()
    out = QImage(a.width() + b.width() + 24, max(a.height(), b.height()),
                 QImage.Format.Format_RGB32)
    out.fill(QColor("#4a4f57"))
    p = QPainter(out)
    p.drawImage(0, 0, a)
    p.drawImage(a.width() + 24, 0, b)
    p.end()
    out.save(str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from casefile.db.database import open_database
    from casefile.sample import create_sample_case
    from casefile.services import claims, highlights
    from casefile.sync import engine
    from tests.server.cluster import Service, run_server_cli, start_cluster
    from ui.base.tables import IdRole
    from ui.shell.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    cluster = start_cluster()
    svc = None
    tmp = tempfile.TemporaryDirectory(prefix="team-shots-")
    folder = Path(tmp.name)
    windows = []
    try:
        url = cluster.new_database("shots")
        assert run_server_cli("migrate", "--db", url, db=url).returncode == 0
        svc = Service(url).start()
        token_a, token_b = svc.add_user("ayla"), svc.add_user("bek")
        a, b = open_database(folder / "ayla.sqlite"), open_database(folder / "bek.sqlite")
        engine.set_remote(a, url=svc.url, token=token_a)
        engine.set_remote(b, url=svc.url, token=token_b)
        case_id, _ = create_sample_case(a)
        engine.share(a, case_id=case_id)
        engine.client_for(a).set_member(case_id, "bek", "editor")
        engine.join(b, case_id=case_id)
        for db, name in ((a, "ayla"), (b, "bek")):
            settings = QSettings(str(folder / f"{name}.ini"), QSettings.Format.IniFormat)
            w = MainWindow(db, settings=settings)
            w.resize(1180, 760)
            w.show()
            w.controller.set_case(case_id)
            w.setWindowTitle(f"{w.windowTitle()} — {name}")
            windows.append(w)
        wa, wb = windows
        _wait(app, lambda: wa.team.indicator.text() == "Synced"
              and wb.team.indicator.text() == "Synced")
        doc = wa.documents_model.rows[0]
        wa.open_document(doc.id)
        wb.open_document(doc.id)
        text = wa.reader.view.text
        quote = "reported killed"
        start = text.find(quote)
        if start < 0:
            start, quote = 0, text[:20]
        hl = highlights.create_highlight(a, document_id=doc.id, start=start,
                                         end=start + len(quote))
        rec = wa.controller.create_claim(claims.ClaimInput(
            subject="Temur Vakhidov", kind="death", statement="Ayla: reported killed (new)",
            origin="Northern Ledger", credibility=4, evidence=(hl.id,)))
        _wait(app, lambda: rec.id in [c.id for c in wb.claims_model.rows])
        for w in windows:
            view = w.case_panel.claims_view
            shown = view.model()
            row = next(r for r in range(shown.rowCount())
                       if shown.index(r, 0).data(IdRole) == rec.id)
            w.case_panel.setCurrentIndex(0)
            view.selectRow(row)
            view.scrollTo(shown.index(row, 0))
        _wait(app, lambda: True)
        _pair(wa, wb, args.out / "team-1-claim-from-A-appears-in-B.png")

        wb.team.runner.stop()  # Bek works offline on the train
        for w, note in ((wa, "Ayla: the minister retracted this a week later"),
                        (wb, "Bek: two outlets repeat the same minister")):
            cur = claims.get_claim(w.db, claim_id=rec.id)
            w.controller.update_claim(cur.id, claims.ClaimInput(
                **{**claims.as_input(cur).__dict__, "note": note}))
        _wait(app, lambda: not wa.team.runner.busy
              and engine.pending_changes(a, case_id=case_id) == 0)
        wb.team.runner.follow(case_id)  # back online
        _wait(app, lambda: wb.team.dock.isVisible()
              and wb.team.indicator.text().endswith("conflict(s)"))
        wb.team.panel.view.resizeColumnsToContents()
        _wait(app, lambda: True)
        wb.grab().save(str(args.out / "team-2-sync-conflicts.png"))
        print(f"wrote {args.out / 'team-1-claim-from-A-appears-in-B.png'} and "
              f"{args.out / 'team-2-sync-conflicts.png'}")
    finally:
        for w in windows:
            w.close()
        if svc is not None:
            svc.stop()
        cluster.stop()
        tmp.cleanup()


if __name__ == "__main__":
    main()
