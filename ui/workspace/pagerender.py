"""Renders pages on one background thread, most wanted first, into a bounded cache of QImages.

A page whose render at the current zoom fits ``WHOLE_PIXELS`` is rendered whole. A larger one
(a poster-sized image, any page at a high zoom) gets a small whole-page preview and, over it,
only the ``TILE``-pixel squares the view shows: the memory a page costs is bounded by the
viewport and the cache, never by the page's size times the zoom.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import OrderedDict

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QImage

from casefile.pages import PageSource, TooLarge

CACHE_BYTES = 160 * 2**20  # rendered pages and tiles kept; older ones are dropped
WHOLE_PIXELS = 4_000_000  # a page rendered whole at most (16 MB); larger ones are tiled
PREVIEW_PIXELS = 1_000_000  # the whole-page preview of a tiled page
TILE = 512  # device pixels on a tile's side

# A cache key: (page,) for the whole page, (page, scale, column, row) for a tile.
Key = tuple
Job = tuple  # (key, page, scale, clip or None)


class _Signals(QObject):
    rendered = Signal(object, float, QImage)  # key, scale, image
    refused = Signal(int, str)  # page, why it cannot be shown


class _Worker(threading.Thread):
    """A daemon thread (never blocks the interpreter's exit) rendering the wanted jobs."""

    def __init__(self, source: PageSource):
        super().__init__(daemon=True, name="page-render")
        self.source = source
        self.signals = _Signals()
        self._want: list[Job] = []
        self._cv = threading.Condition()
        self._halt = False

    def want(self, jobs: list[Job]) -> None:
        """Replace the queue: render these jobs, first first."""
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
                key, page, scale, clip = self._want.pop(0)
            try:
                bm = self.source.render(page, scale, clip=clip)
            except TooLarge as exc:
                with contextlib.suppress(RuntimeError):
                    self.signals.refused.emit(page, str(exc))
                continue
            except Exception:  # a damaged page: leave it blank rather than stop rendering
                continue
            img = QImage(bm.data, bm.width, bm.height, bm.stride, QImage.Format.Format_RGB32)
            with contextlib.suppress(RuntimeError):  # the renderer was deleted meanwhile
                self.signals.rendered.emit(key, scale, img.copy())  # copy: own the pixels


class PageRenderer(QObject):
    """Owns a ``PageSource`` and its render thread. ``image(page)`` is the best whole-page image
    rendered so far (maybe at another scale, maybe a preview); for a page that is ``tiled`` at
    a scale, ``tiles`` gives the sharp squares over it. ``request`` queues renders."""

    ready = Signal(int)  # a page has a new image or tile

    def __init__(self, source: PageSource, parent: QObject | None = None,
                 cache_bytes: int = CACHE_BYTES):
        super().__init__(parent)
        self.source = source
        self.cache_bytes = cache_bytes
        self.unshowable: dict[int, str] = {}  # page → why it is not drawn
        self._cache: OrderedDict[Key, tuple[float, QImage]] = OrderedDict()
        self._bytes = 0
        self._worker = _Worker(source)
        self._worker.signals.rendered.connect(self._on_rendered)
        self._worker.signals.refused.connect(self._on_refused)
        self._worker.start()

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    def image(self, page: int) -> tuple[float, QImage] | None:
        hit = self._cache.get((page,))
        if hit is not None:
            self._cache.move_to_end((page,))
        return hit

    def _pixels(self, page: int, scale: float) -> float:
        w, h = self.source.sizes[page]
        return w * h * scale * scale

    def tiled(self, page: int, scale: float) -> bool:
        """Whether the page at ``scale`` is too large to render whole."""
        return self._pixels(page, scale) > WHOLE_PIXELS

    def whole_scale(self, page: int, scale: float) -> float:
        """The scale the whole page is rendered at: ``scale``, or a preview's when tiled."""
        if not self.tiled(page, scale):
            return scale
        return math.sqrt(PREVIEW_PIXELS / max(1.0, self._pixels(page, 1.0)))

    def grid(self, page: int, scale: float, rect: QRectF) -> list[tuple[Key, QRectF]]:
        """The tiles of ``page`` at ``scale`` that cover ``rect`` (points), with their rects."""
        w, h = self.source.sizes[page]
        step = TILE / scale
        x0, y0 = max(0.0, rect.left()), max(0.0, rect.top())
        x1, y1 = min(w, rect.right()), min(h, rect.bottom())
        out = []
        for row in range(int(y0 // step), math.ceil(y1 / step)):
            for col in range(int(x0 // step), math.ceil(x1 / step)):
                r = QRectF(col * step, row * step, min(step, w - col * step),
                           min(step, h - row * step))
                if r.width() > 0 and r.height() > 0:
                    out.append(((page, round(scale, 6), col, row), r))
        return out

    def tiles(self, page: int, scale: float, rect: QRectF) -> list[tuple[QRectF, QImage]]:
        """The rendered tiles covering ``rect`` (points) at ``scale``, with where they go."""
        out = []
        for key, r in self.grid(page, scale, rect):
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                out.append((r, hit[1]))
        return out

    def request(self, pages: list[int], scale: float,
                visible: dict[int, QRectF] | None = None) -> None:
        """Render these pages at ``scale`` (previews for tiled ones) unless already cached so,
        earlier ones first, after the tiles covering ``visible`` (points, per tiled page)."""
        jobs: list[Job] = []
        for page, rect in (visible or {}).items():
            if page in self.unshowable:
                continue
            for key, r in self.grid(page, scale, rect):
                if key not in self._cache:
                    jobs.append((key, page, scale, (r.left(), r.top(), r.right(), r.bottom())))
        for p in pages:
            if p in self.unshowable:
                continue
            s = self.whole_scale(p, scale)
            hit = self._cache.get((p,))
            if hit is None or abs(hit[0] - s) > 1e-3:
                job = ((p,), p, s, None)
                # a tiled page shows its preview while its tiles come
                jobs.insert(0, job) if p in (visible or {}) and hit is None else jobs.append(job)
        self._worker.want(jobs)

    def _on_rendered(self, key: Key, scale: float, img: QImage) -> None:
        old = self._cache.pop(key, None)
        if old is not None:
            self._bytes -= old[1].sizeInBytes()
        self._cache[key] = (scale, img)
        self._bytes += img.sizeInBytes()
        while self._bytes > self.cache_bytes and len(self._cache) > 1:
            _k, (_s, dropped) = self._cache.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
        self.ready.emit(key[0])

    def _on_refused(self, page: int, why: str) -> None:
        self.unshowable[page] = why
        self.ready.emit(page)

    def close(self) -> None:
        self._worker.stop()
        self._worker.join(5)
        self._cache.clear()
        self._bytes = 0
        self.source.close()
