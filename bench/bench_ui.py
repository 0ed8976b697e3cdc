"""UI benchmarks: cold start to a shown window, opening a large highlighted document, and one
highlight + claim end to end. Prints numbers; not a pass/fail test."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QSettings
app = QApplication([])
from casefile.db.database import open_database
from ui.app import apply_style
from ui.shell.window import MainWindow
apply_style(app)
db = open_database({db!r})
w = MainWindow(db, settings=QSettings({ini!r}, QSettings.Format.IniFormat))
w.show()
app.processEvents()
t1 = time.perf_counter()
heavy = [m for m in ("trafilatura", "pdfplumber", "pdfminer", "lxml") if m in sys.modules]
print(f"{{(t1 - t0) * 1000:.1f}} {{','.join(heavy) or '-'}}")
"""

FILLER = ("The checkpoint on the mountain road stayed closed, and Temur Vakhidov's name came up "
          "again in the market as traders waited for news from Wadi Sirr. ")


def cold_start(tmp: Path, runs: int = 5) -> None:
    from casefile.db.database import open_database
    from casefile.sample import create_sample_case

    db_path = tmp / "cold.sqlite"
    db = open_database(db_path)
    create_sample_case(db)
    db.close()
    code = CHILD.format(root=str(ROOT), db=str(db_path), ini=str(tmp / "cold.ini"))
    walls, insides, heavy = [], [], ""
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        walls.append((time.perf_counter() - t) * 1000)
        inside, heavy = out.stdout.split()
        insides.append(float(inside))
    print(f"cold start to shown window (process launch → shown, median of {runs}): "
          f"{statistics.median(walls):.0f} ms  [in-process from first import: "
          f"{statistics.median(insides):.0f} ms; heavy libraries loaded at show: {heavy}]")


def big_document(tmp: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from casefile.db.database import open_database
    from casefile.services import cases, highlights
    from casefile.services.claims import ClaimInput
    from casefile.services.documents import NewDocument, add_document
    from ui.shell.window import MainWindow

    app = QApplication.instance() or QApplication([])
    db = open_database(tmp / "big.sqlite")
    case = cases.create_case(db, title="Bench")
    text = ""
    while len(text) < 300_000:
        text += FILLER + ("\n" if len(text) % 2000 < len(FILLER) else "")
    text = text[:300_000]
    big = add_document(db, case_id=case.id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title="Big",
        published="2020-08-05")).id
    small = add_document(db, case_id=case.id, doc=NewDocument(
        text=FILLER * 10, original=b"small", content_type="text/plain", title="Small")).id
    step = 300_000 // 2000
    with db.write() as s:
        from casefile.services.highlights import create_highlight_in_session
        for i in range(2000):
            a = i * step
            # every tenth highlight overlaps its neighbour
            create_highlight_in_session(s, document_id=big, start=a,
                                        end=a + (step + 40 if i % 10 == 0 else 60))
    assert len(highlights.list_highlights(db, document_id=big)) == 2000
    w = MainWindow(db, settings=QSettings(str(tmp / "big.ini"), QSettings.Format.IniFormat))
    w.controller.set_case(case.id)
    w.resize(1360, 820)
    w.show()
    app.processEvents()

    times = []
    for _ in range(7):
        w.open_document(small)
        app.processEvents()
        t = time.perf_counter()
        w.open_document(big)
        app.processEvents()  # includes the first paint
        times.append((time.perf_counter() - t) * 1000)
    print(f"open 300,000-char document with 2,000 highlights (median of 7, incl. first "
          f"paint): {statistics.median(times):.0f} ms  (min {min(times):.0f}, "
          f"max {max(times):.0f}; target < 300 ms)")

    for label, doc in (("small document", small), ("the 300k/2,000-highlight document", big)):
        w.open_document(doc)
        app.processEvents()
        times, calls, events = [], [], []
        runs = 20 if doc == small else 40  # the small text has room for 20 passages
        for i in range(runs):
            a = 37 + i * 60
            t = time.perf_counter()
            w.controller.create_claim(
                ClaimInput(subject="Temur Vakhidov", kind="death", date="2020-08-03",
                           place="Wadi Sirr", origin="Anvar Rasulzoda"),
                passage=(doc, a, a + 30))
            t1 = time.perf_counter()
            app.processEvents()
            t2 = time.perf_counter()
            times.append((t2 - t) * 1000)
            calls.append((t1 - t) * 1000)
            events.append((t2 - t1) * 1000)
        print(f"highlight + claim end to end on {label} (controller → services → models, "
              f"reader repainted; median of {runs}): {statistics.median(times):.1f} ms  "
              f"(min {min(times):.1f}, max {max(times):.1f}; target < 20 ms)  [controller call "
              f"incl. services and model refreshes {statistics.median(calls):.1f} ms, then "
              f"events and repaint {statistics.median(events):.1f} ms]")
    from casefile.services import claims as claim_service

    w.controller.stop()  # the window hears no more: the services alone
    times = []
    for i in range(20):
        a = 5000 + i * 60
        t = time.perf_counter()
        h = highlights.create_highlight(db, document_id=big, start=a, end=a + 30)
        claim_service.create_claim(db, case_id=case.id, data=ClaimInput(
            subject="Temur Vakhidov", kind="death", date="2020-08-03", place="Wadi Sirr",
            origin="Anvar Rasulzoda", evidence=(h.id,)))
        times.append((time.perf_counter() - t) * 1000)
    print(f"  of which services alone (highlight + claim on the big document, no UI; median "
          f"of 20): {statistics.median(times):.1f} ms  (min {min(times):.1f}, "
          f"max {max(times):.1f})")
    w.close()
    db.close()


def main() -> None:
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        cold_start(tmp)
        big_document(tmp)


if __name__ == "__main__":
    main()
