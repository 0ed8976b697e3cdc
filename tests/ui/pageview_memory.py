"""Run by test_pageview_memory in a child process under an address-space limit: open a large PNG
in the page view, show it at 100 % and at the maximum zoom, scroll, and report (JSON on stdout)
whether the text's pixels were drawn each time, and the peak memory.

``python pageview_memory.py IMAGE LIMIT_MB`` (the checkout's root on ``sys.path``)."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
limit = int(sys.argv[2])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit * 2**20, resource.RLIM_INFINITY))

from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from casefile.pages import PageSource  # noqa: E402
from ui.workspace.pagerender import PageRenderer  # noqa: E402
from ui.workspace.pageview import MAX_ZOOM, PageView  # noqa: E402

TEXT_AT = (420, 440)  # image pixels inside the first letter's stroke area (see the test)


def main() -> None:
    app = QApplication([])
    view = PageView()
    view.resize(900, 700)
    view.show()
    data = Path(sys.argv[1]).read_bytes()
    renderer = PageRenderer(PageSource(data, "image/png"))
    view.set_document(renderer, "")
    out: dict = {}

    def settle(until, seconds: float = 60.0) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            view.repaint()
            if until():
                return True
            time.sleep(0.02)
        return False

    def dark_at_text() -> bool:
        """Whether the viewport shows dark pixels where the text is."""
        pr = view.page_rect(0)
        x = pr.x() + TEXT_AT[0] * view.zoom
        y = pr.y() + TEXT_AT[1] * view.zoom
        grab = view.viewport().grab().toImage()
        if not (0 <= x < grab.width() and 0 <= y < grab.height()):
            return False
        box = [grab.pixelColor(int(x) + dx, int(y) + dy).lightness()
               for dx in range(-30, 31, 3) for dy in range(-30, 31, 3)
               if 0 <= int(x) + dx < grab.width() and 0 <= int(y) + dy < grab.height()]
        return min(box) < 100

    def show_text(zoom: float) -> None:
        view.set_zoom(zoom, QPointF(0, 0))
        vs, hs = view.verticalScrollBar(), view.horizontalScrollBar()
        pr = view.page_rect(0)
        vs.setValue(int(vs.value() + pr.y() + TEXT_AT[1] * view.zoom - 200))
        hs.setValue(int(hs.value() + pr.x() + TEXT_AT[0] * view.zoom - 200))

    for label, zoom in (("100%", 96 / 72), ("max", MAX_ZOOM)):
        show_text(zoom)
        out[label] = settle(dark_at_text)
        vs = view.verticalScrollBar()
        for k in range(1, 5):  # scroll through the page
            vs.setValue(vs.maximum() * k // 4)
            settle(lambda: False, 0.5)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    out["cache_mb"] = renderer.cached_bytes // 2**20
    renderer.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
