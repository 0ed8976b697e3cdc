"""Child process that reads a scan by OCR (Tesseract via tesserocr): caps its memory, prints the
words of every page with boxes, confidences and their block/paragraph/line as JSON.

Run as ``python -I ocr_worker.py MEMORY_LIMIT CONTENT_TYPE TESSDATA LANGS DPI`` with the file on
stdin (see ``sandbox``); it imports nothing from casefile. Pages are read on two threads
(tesserocr releases the GIL while it recognises). Progress goes to stderr as ``progress N
TOTAL``. Output: ``{"ok": {"pages": [{"width", "height", "words": [[text, x0, y0, x1, y1,
conf, block, par, line], ...]}], "maxrss_kb": N}}`` in points from each page's top-left, or
``{"error": "..."}``.
"""

from __future__ import annotations

import io
import json
import queue
import sys
import threading

THREADS = 2
MIN_PIXELS = 1600  # smaller images (screenshots) are enlarged for Tesseract, up to 3 times
MAX_PIXELS = 12000  # a side longer than this is shrunk (a huge image would need GBs)


def _pages(data: bytes, content_type: str, dpi: int):
    """(image, width in points, height in points) for each page, lazily."""
    from PIL import Image, ImageSequence

    if content_type == "application/pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        yield len(doc)
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_size()
            img = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            yield img, float(w), float(h)
        doc.close()
        return
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS * MAX_PIXELS
    img = Image.open(io.BytesIO(data))
    frames = getattr(img, "n_frames", 1)
    yield frames
    for frame in ImageSequence.Iterator(img):
        res = frame.info.get("dpi", (72, 72))[0] or 72
        res = float(res) if 30 <= float(res) <= 2400 else 72.0
        gray = frame.convert("L")
        yield gray, gray.width * 72 / res, gray.height * 72 / res


def _prepare(img):
    """The image as Tesseract reads it best (boxes scale back by the page size)."""
    from PIL import Image

    side = max(img.width, img.height)
    factor = 1.0
    if side < MIN_PIXELS:
        factor = min(3.0, MIN_PIXELS / side)
    elif side > MAX_PIXELS:
        factor = MAX_PIXELS / side
    if factor != 1.0:
        img = img.resize((max(1, round(img.width * factor)), max(1, round(img.height * factor))),
                         Image.Resampling.LANCZOS)
    return img


def read_page(api, img, width: float, height: float) -> dict:
    """Words of one page in Tesseract's reading order (blocks, then their lines)."""
    from tesserocr import RIL, iterate_level

    img = _prepare(img)
    api.SetImage(img)
    api.Recognize()
    sx = width / img.width
    sy = height / img.height
    words = []
    block = par = line = -1
    it = api.GetIterator()
    if it is not None:
        for w in iterate_level(it, RIL.WORD):
            if w.IsAtBeginningOf(RIL.BLOCK):
                block += 1
            if w.IsAtBeginningOf(RIL.PARA):
                par += 1
            if w.IsAtBeginningOf(RIL.TEXTLINE):
                line += 1
            try:
                text = w.GetUTF8Text(RIL.WORD)
            except RuntimeError:  # tesserocr's "No text returned": an empty element
                continue
            box = w.BoundingBox(RIL.WORD)
            if not text or not text.strip() or box is None:
                continue
            x0, y0, x1, y1 = box
            words.append([text.strip(), round(x0 * sx, 2), round(y0 * sy, 2), round(x1 * sx, 2),
                          round(y1 * sy, 2), round(w.Confidence(RIL.WORD)), block, par, line])
    api.Clear()
    return {"width": round(width, 2), "height": round(height, 2), "words": words}


def read_all(data: bytes, content_type: str, tessdata: str, langs: str, dpi: int) -> dict:
    import tesserocr

    pages = _pages(data, content_type, dpi)
    total = next(pages)
    jobs: queue.Queue = queue.Queue(maxsize=THREADS)  # bounded: few bitmaps in memory at once
    results: dict[int, dict] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            with tesserocr.PyTessBaseAPI(path=tessdata, lang=langs) as api:
                while True:
                    job = jobs.get()
                    if job is None:
                        return
                    n, img, w, h = job
                    page = read_page(api, img, w, h)
                    with lock:
                        results[n] = page
                        sys.stderr.write(f"progress {len(results)} {total}\n")
                        sys.stderr.flush()
        except BaseException as exc:  # reported below; the feeder must not wait forever
            errors.append(exc)
            while True:
                try:
                    if jobs.get_nowait() is None:
                        return
                except queue.Empty:
                    return

    threads = [threading.Thread(target=work, daemon=True) for _ in range(THREADS)]
    for t in threads:
        t.start()
    sys.stderr.write(f"progress 0 {total}\n")
    sys.stderr.flush()
    for n, (img, w, h) in enumerate(pages):
        if errors:
            break
        jobs.put((n, img, w, h))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return {"pages": [results[n] for n in sorted(results)]}


def _maxrss_kb() -> int:
    try:
        import resource
    except ImportError:  # pragma: no cover
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    content_type, tessdata, langs, dpi = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    try:
        import resource

        if limit > 0:
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY
                                                    else min(limit, hard), hard))
    except ImportError:  # pragma: no cover - Windows
        pass
    data = sys.stdin.buffer.read()
    try:
        out = read_all(data, content_type, tessdata, langs, dpi)
        result: dict = {"ok": {**out, "maxrss_kb": _maxrss_kb()}}
    except MemoryError:
        result = {"error": "reading this scan needed more memory than allowed and was stopped"}
    except Exception as exc:
        name = type(exc).__name__
        if "Image" in name or "PdfiumError" in name or "decompression" in str(exc).lower():
            result = {"error": f"this image cannot be read ({str(exc)[:200]})"}
        else:
            result = {"error": f"the OCR reader failed on this file ({name}: {str(exc)[:200]})"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
