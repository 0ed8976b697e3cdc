"""Pages of a PDF (pypdfium2) or an image (Pillow) as bitmaps, sizes in points; no Qt.

PDFium is not thread-safe, so every call into it holds one process-wide lock: a render thread
and the GUI thread may share a ``PageSource`` safely (each call is short).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

PDF_TYPE = "application/pdf"
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF",
               "image/webp": "WEBP"}
IMAGE_DPI = 72.0  # an image without a resolution: one pixel is one point
_PDFIUM = threading.RLock()


def is_paged(content_type: str) -> bool:
    """Whether documents of this type have pages to show (PDFs and images)."""
    return content_type == PDF_TYPE or content_type in IMAGE_TYPES


@dataclass(frozen=True)
class Bitmap:
    """Pixels as 32-bit BGRx rows (Qt's ``Format_RGB32`` on little-endian machines)."""

    width: int
    height: int
    stride: int
    data: bytes


class PageSource:
    """Opens a PDF or image from bytes; renders pages at a scale (pixels per point)."""

    def __init__(self, data: bytes, content_type: str):
        self.content_type = content_type
        self._pdf = None
        self._image = None
        self._lock = threading.Lock()
        self._dpi: list[float] = []
        if content_type == PDF_TYPE:
            import pypdfium2 as pdfium

            with _PDFIUM:
                self._pdf = pdfium.PdfDocument(data)
                self.sizes = [tuple(map(float, self._pdf.get_page_size(i)))
                              for i in range(len(self._pdf))]
        elif content_type in IMAGE_TYPES:
            self._open_image(data)
        else:
            raise ValueError(f"{content_type} has no pages")

    def _open_image(self, data: bytes) -> None:
        """Sizes of every frame; pixels are decoded only when a page is rendered (a 50-page
        TIFF must not sit decoded in memory)."""
        from PIL import Image, ImageSequence

        self._image = Image.open(io.BytesIO(data))
        sizes = []
        for frame in ImageSequence.Iterator(self._image):
            dpi = frame.info.get("dpi", (IMAGE_DPI, IMAGE_DPI))[0] or IMAGE_DPI
            dpi = float(dpi) if 30 <= float(dpi) <= 2400 else IMAGE_DPI
            self._dpi.append(dpi)
            sizes.append((frame.width * 72 / dpi, frame.height * 72 / dpi))
        self.sizes = sizes

    def __len__(self) -> int:
        return len(self.sizes)

    def close(self) -> None:
        if self._pdf is not None:
            with _PDFIUM:
                self._pdf.close()
            self._pdf = None
        self._image = None

    def render(self, page: int, scale: float, *, clip: tuple[float, float, float, float] | None
               = None) -> Bitmap:
        """Page ``page`` at ``scale`` pixels per point; ``clip`` (x0, y0, x1, y1 in points
        from the top-left) renders only that region."""
        if self._pdf is not None:
            return self._render_pdf(page, scale, clip)
        return self._render_image(page, scale, clip)

    def _render_pdf(self, page: int, scale: float, clip) -> Bitmap:
        with _PDFIUM:
            pg = self._pdf[page]
            try:
                crop = (0, 0, 0, 0)
                if clip is not None:
                    w, h = self.sizes[page]
                    crop = (max(0.0, clip[0]), max(0.0, h - clip[3]), max(0.0, w - clip[2]),
                            max(0.0, clip[1]))  # left, bottom, right, top margins
                bm = pg.render(scale=scale, crop=crop, prefer_bgrx=True, may_draw_forms=True)
                try:
                    out = Bitmap(bm.width, bm.height, bm.stride, bytes(bm.buffer))
                finally:
                    bm.close()
                return out
            finally:
                pg.close()

    def _render_image(self, page: int, scale: float, clip) -> Bitmap:
        from PIL import Image

        with self._lock:
            self._image.seek(page)
            img = self._image.convert("RGB")
        px = self._dpi[page] / 72  # image pixels per point
        if clip is not None:
            img = img.crop(tuple(round(v * px) for v in clip))
        w = max(1, round(img.width / px * scale))
        h = max(1, round(img.height / px * scale))
        if (w, h) != img.size:
            img = img.resize((w, h), Image.Resampling.LANCZOS if scale / px < 1
                             else Image.Resampling.BICUBIC)
        data = img.convert("RGBA").tobytes("raw", "BGRA")
        return Bitmap(w, h, w * 4, data)

    def crop_png(self, page: int, rect: tuple[float, float, float, float], *,
                 scale: float = 2.0) -> bytes:
        """A region of a page (points from top-left) as PNG bytes."""
        from PIL import Image

        bm = self.render(page, scale, clip=rect)
        img = Image.frombuffer("RGBA", (bm.width, bm.height), bm.data, "raw", "BGRA",
                               bm.stride, 1)
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="PNG", optimize=True)
        return buf.getvalue()
