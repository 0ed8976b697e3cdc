"""Renders pages on one background thread, most wanted first, into a bounded cache of QImages."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from casefile.pages import PageSource

CACHE_BYTES = 160 * 2**20  # rendered pages kept; older ones are dropped (and re-rendered)


class _Signals(QObject):
    rendered = Signal(int, float, QImage)  # page, scale, image


class _Worker(threading.Thread):
    """A daemon thread (never blocks the interpreter's exit) rendering the wanted pages."""

    def __init__(self, source: PageSource):
        super().__init__(daemon=True, name="page-render")
        self.source = source
        self.signals = _Signals()
        self._want: list[tuple[int, float]] = []
        self._cv = threading.Condition()
        self._halt = False

    def want(self, jobs: list[tuple[int, float]]) -> None:
        """Replace the queue: render these (page, scale) pairs, first first."""
        with self._cv:
            self._want = list(jobs)
            self._cv.notify()

    def stop(self) -> None:
        with self._cv:
            self._halt = True
            self._want = []
            self._cv.notify()

    def run(self) -> None:
        while True:
            with self._cv:
                while not self._want and not self._halt:
                    self._cv.wait()
                if self._halt:
                    return
                page, scale = self._want.pop(0)
            try:
                bm = self.source.render(page, scale)
            except Exception:  # a damaged page: leave it blank rather than stop rendering
                continue
            img = QImage(bm.data, bm.width, bm.height, bm.stride, QImage.Format.Format_RGB32)
            with contextlib.suppress(RuntimeError):  # the renderer was deleted meanwhile
                self.signals.rendered.emit(page, scale, img.copy())  # copy: own the pixels


class PageRenderer(QObject):
    """Owns a ``PageSource`` and its render thread; ``image(page)`` returns the best image
    rendered so far (maybe at another scale), ``request`` queues renders."""

    ready = Signal(int)  # a page has a new image

    def __init__(self, source: PageSource, parent: QObject | None = None,
                 cache_bytes: int = CACHE_BYTES):
        super().__init__(parent)
        self.source = source
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[int, tuple[float, QImage]] = OrderedDict()
        self._bytes = 0
        self._pending: set[tuple[int, float]] = set()
        self._worker = _Worker(source)
        self._worker.signals.rendered.connect(self._on_rendered)
        self._worker.start()

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    def image(self, page: int) -> tuple[float, QImage] | None:
        hit = self._cache.get(page)
        if hit is not None:
            self._cache.move_to_end(page)
        return hit

    def request(self, pages: list[int], scale: float) -> None:
        """Render these pages at ``scale`` unless already cached so; earlier ones first."""
        jobs = []
        for p in pages:
            hit = self._cache.get(p)
            if hit is None or abs(hit[0] - scale) > 1e-3:
                jobs.append((p, scale))
        self._pending = set(jobs)
        self._worker.want(jobs)

    def _on_rendered(self, page: int, scale: float, img: QImage) -> None:
        old = self._cache.pop(page, None)
        if old is not None:
            self._bytes -= old[1].sizeInBytes()
        self._cache[page] = (scale, img)
        self._bytes += img.sizeInBytes()
        while self._bytes > self.cache_bytes and len(self._cache) > 1:
            _p, (_s, dropped) = self._cache.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
        self.ready.emit(page)

    def close(self) -> None:
        self._worker.stop()
        self._worker.join(5)
        self._cache.clear()
        self._bytes = 0
        self.source.close()
