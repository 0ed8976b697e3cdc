"""Render the main window with the sample case, every dock and tab shown in turn, to PNGs.

Usage: python tools/screenshots.py OUT_DIR [--sizes 1024x700,1600x1000]
Runs offscreen unless DISPLAY is set (under Xvfb it shows a real window). Look at every PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _settle(app, rounds: int = 30) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def _shoot_window(app, db, tmp: Path, out: Path, w_px: int, h_px: int) -> list[Path]:
    """One window at one size: the reader, every case-file tab, every dock."""
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    written: list[Path] = []
    settings = QSettings(str(tmp / f"s{w_px}.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, settings=settings)
    w.resize(w_px, h_px)
    w.show()
    _settle(app)
    if not w.controller.case_id:
        w.open_sample_case()
    if w.reader.document is None and w.documents_model.rows:
        w.open_document(w.documents_model.rows[-1].id)
    _settle(app)

    shots = [("reader", lambda: None)]
    for i in range(w.case_panel.count()):
        name = w.case_panel.tabText(i).replace("&", "").replace(" ", "_")
        shots.append((f"tab{i}-{name}", lambda i=i: w.case_panel.setCurrentIndex(i)))
    for dock in (w.analysis.timeline_dock, w.analysis.graph_dock):
        shots.append((f"dock-{dock.objectName()}",
                      lambda d=dock: (w.case_panel.setCurrentIndex(0),
                                      w.analysis.reveal(d))))
    shots += list(getattr(w, "screenshot_views", lambda: [])())
    for name, show in shots:
        show()
        _settle(app, 40)
        path = out / f"{w_px}x{h_px}-{name}.png"
        w.grab().save(str(path))
        written.append(path)
    for dock in (w.analysis.timeline_dock, w.analysis.graph_dock):
        dock.hide()
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
