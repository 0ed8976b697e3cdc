"""Render the main window with the sample case — every tab, every dock, the page view of a PDF
and the dialogs an analyst opens — to PNGs at each size, to look at before a release.

Usage: python tools/screenshots.py OUT_DIR [--sizes 1024x700,1600x1000]
Runs offscreen unless DISPLAY is set (under Xvfb it shows a real window). Needs reportlab (a
test dependency) for the sample PDF. Look at every PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Shot = tuple[str, Callable[[], object]]  # name, show() → the widget to grab (None: the window)


def _settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def sample_pdf(folder: Path) -> Path | None:
    """A two-page PDF of a sample article, for the page view (None without reportlab)."""
    try:
        from pdfgen import article_pdf
    except ImportError:
        return None
    text = (ROOT / "resources" / "sample" / "01-northern-ledger-2015.txt").read_text()
    paras = [p.strip() for p in text.split("\n\n")[2:] if p.strip()] * 3
    path = folder / "northern-ledger-2015.pdf"
    path.write_bytes(article_pdf(paras, title="Tajik fighter reported killed near Qalat Nur",
                                 byline="By Mira Ostrova", header="NORTHERN LEDGER"))
    return path


def _three_hypotheses(w) -> None:
    """Three competing versions of the death, so the ACH dock shows a real matrix."""
    from casefile.services import hypotheses
    from casefile.services.hypotheses import HypothesisInput

    case_id = w.controller.case_id
    if hypotheses.matrix(w.db, case_id=case_id).hypotheses:
        return
    for statement, date, place in (("Killed near Qalat Nur in 2015", "2015", "Qalat Nur"),
                                   ("Killed in a missile strike in 2017", "2017", "Tal Hasan"),
                                   ("Killed near Wadi Sirr in 2020", "2020", "Wadi Sirr")):
        hypotheses.add_hypothesis(w.db, case_id=case_id, data=HypothesisInput(
            statement, subject="Temur Vakhidov", kind="death", date=date, place=place))


def _dialog_shots(w) -> list[Shot]:
    from casefile.services import entities

    def claim_editor():
        w.reader.view.setFocus()
        text = w.reader.view.text
        a = text.find("was killed")
        w.reader.view.select_range(a, a + len("was killed in April 2015"))
        return w.annotator.new_claim()

    def profile():
        ent = entities.find_entity(w.db, case_id=w.controller.case_id, name="Temur Vakhidov")
        dlg = w.workspace.show_profile(ent.id)
        for _ in range(100):
            if dlg.profile is not None:
                break
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
            time.sleep(0.05)
        return dlg

    def help_colours():
        dlg = w.workspace.show_help()
        dlg.tabs.setCurrentIndex(1)
        return dlg

    return [("dialog-claim-editor", claim_editor),
            ("dialog-document-details", lambda: w.workspace.edit_details()),
            ("dialog-entity-profile", profile),
            ("dialog-help-keys", lambda: w.workspace.show_help()),
            ("dialog-help-colours", help_colours)]


def _shoot_window(app, db, tmp: Path, out: Path, w_px: int, h_px: int) -> list[Path]:
    """One window at one size: the reader, every case-file tab, every dock, dialogs."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDockWidget

    from ui.shell.window import MainWindow

    written: list[Path] = []
    settings = QSettings(str(tmp / f"s{w_px}.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, settings=settings)
    w.resize(w_px, h_px)
    w.show()
    _settle(app)
    if not w.controller.case_id:
        w.open_sample_case()
        pdf = sample_pdf(tmp)
        if pdf is not None:
            w.import_paths([str(pdf)])
            for _ in range(600):
                if w.import_worker is None:
                    break
                _settle(app, 1)
    _three_hypotheses(w)
    docs = {d.outlet: d.id for d in w.documents_model.rows}
    first = docs.get("Northern Ledger") or w.documents_model.rows[-1].id
    w.open_document(first)
    _settle(app)

    def tags_with_passages():
        w.case_panel.setCurrentWidget(w.workspace.tags_split)
        w.case_panel.tags_view.setCurrentIndex(w.tags_model.index(0, 0))

    shots: list[Shot] = [("reader", lambda: None)]
    for i in range(w.case_panel.count()):
        name = w.case_panel.tabText(i).replace("&", "").replace(" ", "_")
        shots.append((f"tab{i}-{name}", lambda i=i: w.case_panel.setCurrentIndex(i)))
    shots.append(("tab-tags-selected", tags_with_passages))
    for dock in w.findChildren(QDockWidget):
        shots.append((f"dock-{dock.objectName()}",
                      lambda d=dock: (w.case_panel.setCurrentIndex(0), w.analysis.reveal(d))))
        shots.append((f"dock-{dock.objectName()}-maximized",
                      lambda d=dock: (w.room.maximize(d), None)[1]))
        shots.append((f"dock-{dock.objectName()}-restored", lambda: (w.room.restore(), None)[1]))
    pdf_doc = next((d.id for d in w.documents_model.rows
                    if d.content_type == "application/pdf"), None)
    if pdf_doc is not None:
        shots.append(("pdf-page-view", lambda: (
            [d.hide() for d in w.findChildren(QDockWidget)], w.open_document(pdf_doc))))
    shots += _dialog_shots(w)
    for name, show in shots:
        target = show() if callable(show) else None
        _settle(app, 40)
        grab = target if hasattr(target, "grab") and target is not w else w
        path = out / f"{w_px}x{h_px}-{name}.png"
        grab.grab().save(str(path))
        written.append(path)
        if grab is w and w.reader.isVisible():
            r = w.reader
            short = r.width() * 2 < w.width() or r.height() * 2 < w.height()
            print(f"{path.name}: reader {r.width()}×{r.height()} of {w.width()}×{w.height()}"
                  + (" — LESS THAN HALF" if short else ""))
        if grab is not w:
            grab.close()
    w.close()
    return written


def shoot(out: Path, sizes: list[tuple[int, int]]) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from casefile.db.database import open_database
    from ui.app import apply_style

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    tmp = Path(tempfile.mkdtemp(prefix="casefile-shots-"))
    db = open_database(tmp / "shots.sqlite")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for w_px, h_px in sizes:
        written += _shoot_window(app, db, tmp, out, w_px, h_px)
    db.close()
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--sizes", default="1024x700,1600x1000")
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    for p in shoot(args.out, sizes):  # type: ignore[arg-type]
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
