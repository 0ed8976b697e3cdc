"""Pages of a PDF (pypdfium2) or an image (Pillow) as bitmaps, sizes in points; no Qt.

PDFium is not thread-safe, so every call into it holds one process-wide lock: a render thread
and the GUI thread may share a ``PageSource`` safely (each call is short).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

PDF_TYPE = "application/pdf"
MAX_RENDER_PIXELS = 16_000_000  # one render (a page, a tile): 64 MB of pixels at most
MAX_DECODE_BYTES = 400_000_000  # images of a PDF page, decoded (as the OCR reader allows)
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF",
               "image/webp": "WEBP"}
IMAGE_DPI = 72.0  # an image without a resolution: one pixel is one point
_PDFIUM = threading.RLock()


class TooLarge(ValueError):
    """A render that would need more memory than the window may spend on one page."""


def heavy_images(page) -> str | None:
    """Why rendering a PDFium page would decode too much: its images' decoded size."""
    import pypdfium2.raw as pdfium_c

    total = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
        w, h = obj.get_px_size()
        total += w * h * max(8, int(obj.get_metadata().bits_per_pixel or 8)) // 8
        if total > MAX_DECODE_BYTES:
            return f"an image of {w:,} × {h:,} pixels ({total / 1e6:,.0f} MB to decode)"
    return None


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
        self._heavy_pages: dict[int, str | None] = {}
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
        import warnings

        from PIL import Image, ImageSequence

        with warnings.catch_warnings():  # import judged its size; a render is budgeted
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
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
        from the top-left) renders only that region. Refuses (``TooLarge``) a render of more
        than ``MAX_RENDER_PIXELS`` and a PDF page whose images would take more than
        ``MAX_DECODE_BYTES`` to decode (PDFium decodes every image whole, at any scale)."""
        w, h = self.sizes[page]
        x0, y0, x1, y1 = clip if clip is not None else (0.0, 0.0, w, h)
        x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(w, x1), min(h, y1)
        if x1 <= x0 or y1 <= y0:
            raise ValueError("an empty region")
        if (x1 - x0) * (y1 - y0) * scale * scale > MAX_RENDER_PIXELS:
            raise TooLarge(f"{(x1 - x0) * scale:,.0f} × {(y1 - y0) * scale:,.0f} pixels is "
                           "more than one render may hold")
        if self._pdf is not None:
            return self._render_pdf(page, scale, None if clip is None else (x0, y0, x1, y1))
        return self._render_image(page, scale, (x0, y0, x1, y1))

    def _heavy(self, pg, page: int) -> str | None:
        if page not in self._heavy_pages:
            self._heavy_pages[page] = heavy_images(pg)
        return self._heavy_pages[page]

    def _render_pdf(self, page: int, scale: float, clip) -> Bitmap:
        with _PDFIUM:
            pg = self._pdf[page]
            try:
                heavy = self._heavy(pg, page)
                if heavy:
                    raise TooLarge(f"this page holds {heavy}, too large to show")
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
        """A region of a frame, scaled: cropped and shrunk before any copy in colour, so a
        10,000 x 10,000 image costs its decoded frame and the output, never a copy of both."""
        from PIL import Image

        px = self._dpi[page] / 72  # image pixels per point
        with self._lock:
            self._image.seek(page)
            frame = self._image
            fw, fh = frame.size
            box = (max(0, int(clip[0] * px)), max(0, int(clip[1] * px)),
                   min(fw, max(1, round(clip[2] * px))), min(fh, max(1, round(clip[3] * px))))
            w = max(1, round((box[2] - box[0]) / px * scale))
            h = max(1, round((box[3] - box[1]) / px * scale))
            frame.load()
            region = frame if box == (0, 0, fw, fh) else frame.crop(box)
            k = int(min(region.width / w, region.height / h))
            if k >= 2:  # shrink by whole factors first, in the frame's own mode
                region = (region.reduce(k) if region.mode in ("L", "RGB", "RGBA", "I", "F")
                          else region.resize((max(1, region.width // k),
                                              max(1, region.height // k)),
                                             Image.Resampling.NEAREST))
            img = region.convert("RGB") if region.mode != "RGB" else region
        if img.size != (w, h):
            img = img.resize((w, h), Image.Resampling.LANCZOS if img.width > w
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
