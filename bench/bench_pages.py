"""The page view on a 300-page PDF: time to the first page, blank pages while scrolling, memory,
and painting a page with 500 highlights. Runs the real window offscreen.

Prints: import time of the PDF (text, word boxes); ms from ``open_document`` to the first page
drawn from its rendered image (target <= 300 ms) beside bare pypdfium2 opening the same bytes
and rendering page 1; frames with a blank (not yet rendered) page while scrolling one screen
every 120 ms (a brisk wheel) over 40 screens; the render cache's peak bytes and the process
RSS; and the median time to paint a page carrying 500 highlights. Numbers, not pass/fail.
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_pages.py``.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))

from pdfgen import article_pdf, filler_paragraphs  # noqa: E402


def long_pdf(pages_wanted: int) -> bytes:
    import pypdfium2 as pdfium

    n = int(pages_wanted * 8.3)
    while True:
        data = article_pdf(filler_paragraphs(n), title="Long report", header="CASPIAN COURIER")
        if len(pdfium.PdfDocument(data)) >= pages_wanted:
            return data
        n += 10


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pump(app, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from casefile.db.database import open_database
    from casefile.importers import pdf as pdf_importer
    from casefile.services import cases, documents, highlights
    from ui.shell.window import MainWindow

    tmp = Path(tempfile.mkdtemp())
    data = long_pdf(300)
    path = tmp / "long.pdf"
    path.write_bytes(data)
    db = open_database(tmp / "bench.sqlite")
    case_id = cases.create_case(db, title="Bench").id
    t = time.perf_counter()
    doc = pdf_importer.extract(data, path.name, timeout=900)  # a loaded machine: no time limit
    res = documents.add_document(db, case_id=case_id, doc=doc)
    print(f"import      300+ page PDF ({len(data) / 2**20:.1f} MiB): "
          f"{time.perf_counter() - t:.1f} s with word boxes")

    import pypdfium2 as pdfium

    bare = []
    for _ in range(5):
        t = time.perf_counter()
        doc = pdfium.PdfDocument(io.BytesIO(data).getvalue())
        doc[0].render(scale=1.3, prefer_bgrx=True)
        bare.append((time.perf_counter() - t) * 1000)
        doc.close()

    window = MainWindow(db, settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1360, 820)
    window.show()
    window.controller.set_case(case_id)
    pump(app, 0.5)
    view = window.pages.view
    firsts = []
    for _ in range(5):
        window.reader.clear()
        pump(app, 0.1)
        t = time.perf_counter()
        window.open_document(res.id)
        while view.renderer is None or view.renderer.image(0) is None:
            app.processEvents()
        view.repaint()  # the frame that shows it
        firsts.append((time.perf_counter() - t) * 1000)
    print(f"first page  {statistics.median(firsts):6.0f} ms median of 5 (target <= 300); "
          f"bare pypdfium2 open+render {statistics.median(bare):.0f} ms; "
          f"{len(view.sizes)} pages")

    pump(app, 1.0)
    blank_frames = frames = 0
    peak_cache = 0
    vs = view.verticalScrollBar()
    for _ in range(40):
        vs.setValue(vs.value() + view.viewport().height())
        pump(app, 0.12)
        view.repaint()
        frames += 1
        if any(view.renderer.image(p) is None for p in view.visible_pages()):
            blank_frames += 1
        peak_cache = max(peak_cache, view.renderer.cached_bytes)
    print(f"scrolling   {blank_frames} of {frames} frames showed a page not yet rendered "
          f"(one screen per 120 ms); render cache peak {peak_cache / 2**20:.0f} MiB "
          f"(cap {view.renderer.cache_bytes / 2**20:.0f}); process RSS {rss_mib():.0f} MiB")

    lay = view.layout_
    words = lay.words_on(0)
    made = 0
    for k in range(500):
        i = words[k % len(words)]
        highlights.create_highlight(db, document_id=res.id, start=lay.start[i],
                                    end=lay.end[i] + (k // len(words)))
        made += 1
    window.controller.notify({"highlights"})
    view.go_to_page(0)
    pump(app, 0.5)
    times = []
    for _ in range(20):
        view._rects = None if not times else view._rects  # the first paint builds the cache
        t = time.perf_counter()
        view.repaint()
        times.append((time.perf_counter() - t) * 1000)
    print(f"highlights  {made} on page 1: first paint {times[0]:.1f} ms (rectangles built), "
          f"then median {statistics.median(times[1:]):.1f} ms per paint")
    window.close()


if __name__ == "__main__":
    main()
