"""Render the window on reports in other scripts — an Arabic article with a highlight in the
reader, a Russian scan in the page view — to PNGs, to look at before a release.

Usage: python tools/screenshots_scripts.py OUT_DIR [--size 1600x1000]
Runs offscreen unless DISPLAY is set (under Xvfb it shows a real window). The Russian scan
needs Tesseract's Russian model (tesseract-ocr-rus) and DejaVu Serif. Look at every PNG.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "scripts"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from screenshots import _settle  # noqa: E402  (tools/ is on the path when run as a script)

SCRIPTS = ROOT / "tests" / "fixtures" / "scripts"


def shoot(out: Path, w_px: int, h_px: int) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QDockWidget

    from casefile.db.database import open_database
    from casefile.services import cases, highlights
    from ui.app import apply_style
    from ui.shell.window import MainWindow

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    tmp = Path(tempfile.mkdtemp(prefix="casefile-shots-"))
    db = open_database(tmp / "shots.sqlite")
    case = cases.create_case(db, title="Gulmurod Khalimov")
    w = MainWindow(db, settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    w.controller.set_case(case.id)
    w.resize(w_px, h_px)
    w.show()
    _settle(app)
    files = [SCRIPTS / "ar_khalimov.txt", SCRIPTS / "ru_khalimov.txt"]
    scan = _russian_scan(tmp)
    if scan is not None:
        files.append(scan)
    w.import_paths([str(p) for p in files])
    for _ in range(3000):
        if w.import_worker is None:
            break
        _settle(app, 1)
    for d in w.findChildren(QDockWidget):
        d.hide()
    written = []
    rows = {d.source_name: d for d in w.documents_model.rows}
    ar = rows["ar_khalimov.txt"]
    w.open_document(ar.id)
    _settle(app)
    text = w.reader.view.text
    a = text.index("غولمراد حليموف")
    highlights.create_highlight(db, document_id=ar.id, start=a, end=a + len("غولمراد حليموف قُتل"))
    b = text.index("Gulmurod Khalimov")
    highlights.create_highlight(db, document_id=ar.id, start=b - len("إن "), end=b + 17,
                                color="#a5d6a7")
    w.reader.clear()
    w.open_document(ar.id)
    _settle(app, 40)
    start = text.index("3 أغسطس")
    w.reader.view.select_range(start, start + len("3 أغسطس 2020"))
    _settle(app, 20)
    for name, doc in (("arabic-reader", ar), ("russian-reader", rows["ru_khalimov.txt"]),
                      ("russian-scan-page-view", rows.get(scan.name) if scan else None)):
        if doc is None:
            continue
        if name != "arabic-reader":
            w.open_document(doc.id)
        if name == "russian-scan-page-view":
            text = w.reader.view.text
            a = text.find("Темуре Вахидове")
            if a >= 0:
                highlights.create_highlight(db, document_id=doc.id, start=a, end=a + 15)
                w.reader.clear()
                w.open_document(doc.id)
        _settle(app, 60)
        path = out / f"{w_px}x{h_px}-{name}.png"
        w.grab().save(str(path))
        written.append(path)
    w.close()
    db.close()
    return written


def _russian_scan(tmp: Path) -> Path | None:
    from scanpage import SERIF, find_font, png, render

    from casefile.importers import ocr_engine

    font = find_font(SERIF)
    if font is None or "rus" not in ocr_engine.installed():
        print("no Russian scan: needs tesseract-ocr-rus and fonts-dejavu-core")
        return None
    paras = [p for p in (ROOT / "bench" / "data" / "news_ru.txt").read_text("utf-8")
             .split("\n") if p]
    img, _used = render(paras, font)
    path = tmp / "russian-scan.png"
    path.write_bytes(png(img))
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--size", default="1600x1000")
    args = ap.parse_args()
    w_px, h_px = (int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    for p in shoot(args.out, w_px, h_px):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
