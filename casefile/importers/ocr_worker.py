"""Child process that reads a scan by OCR (Tesseract via tesserocr): caps its memory, prints the
words of every page with boxes, confidences and their block/paragraph/line as JSON.

Run as ``python -I ocr_worker.py MEMORY_LIMIT CONTENT_TYPE TESSDATA PLAN DPI`` with the file on
stdin (see ``sandbox``); of casefile it imports only ``casefile.pages`` (no parser). ``PLAN``
is JSON: ``{"langs": "rus+eng"}`` reads every page with those languages; ``{"plan": {script:
langs, "": langs}}`` detects each page's script (Tesseract's OSD, else a first reading's
letters counted) and reads it with that script's languages. Pages are read on two threads
(tesserocr releases the GIL while it recognises). Progress goes to stderr as ``progress N
TOTAL``. Output: ``{"ok": {"pages": [{"width", "height", "script", "langs", "words": [[text,
x0, y0, x1, y1, conf, block, par, line], ...]}], "maxrss_kb": N}}`` in points from each page's
top-left (``script`` is the detected script, "" if unknown; ``langs`` what the page was read
with), or ``{"error": "...", "detail": "for the log"}``.
"""

from __future__ import annotations

import io
import json
import math
import os
import queue
import sys
import threading
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for casefile.pages alone
from casefile.pages import MAX_DECODE_BYTES, heavy_images

THREADS = 2
MIN_PIXELS = 1600  # smaller images (screenshots) are enlarged for Tesseract, up to 3 times
# Tesseract needs 10-13 bytes for each pixel it reads: a page is read at 300 dpi, or fewer when
# it would exceed this many pixels (A3 at 290 dpi), so two pages at once stay near 400 MB.
OCR_PIXELS = 16_000_000
# Decoded bytes of one image (a PNG frame, the images of a PDF page; colour takes 4 bytes a
# pixel): a 10,000 x 10,000 colour image fits, larger ones are refused before they are decoded.
DECODE_BYTES = MAX_DECODE_BYTES
BIG = 64_000_000  # a frame this large is decoded only while no page is being recognised
BLANK_SPREAD = 12  # a rendered page whose darkest and lightest grey differ less is blank
MIN_SCRIPT_CONF = 2.0  # OSD's script guesses below this are not trusted
# Tesseract's Arabic models drop whole lines of large type (11-point text scanned at 300 dpi:
# CER 5-30 %, 0.2-3 % read at half size; bench/bench_ocr_languages.py): Arabic-script pages
# are read with their longer side at most this (about A4 at 150 dpi).
ARABIC_MAX_SIDE = 1800
# Arabic pages are read with the Arabic model alone (with English beside it, Arabic words are
# misread as Latin: CER 2-5 % against 0.3-2 %); a page with words that model could not read
# (Latin names, most likely) is read again with English too, and the surer reading is kept.
UNSURE = 50
OSD_SCRIPTS = {"Latin": "LATIN", "Cyrillic": "CYRILLIC", "Arabic": "ARABIC",
               "Hebrew": "HEBREW", "Greek": "GREEK", "Armenian": "ARMENIAN",
               "Georgian": "GEORGIAN", "Devanagari": "DEVANAGARI", "Han": "HAN", "HanS": "HAN",
               "HanT": "HAN", "Hangul": "HANGUL", "Japanese": "JAPANESE", "Katakana": "JAPANESE",
               "Hiragana": "JAPANESE", "Thai": "THAI"}


class TooLarge(Exception):
    """An image or page too large to decode within the memory a reader may use."""


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def _blank(page) -> bool:
    """A PDF page with nothing on it (no objects, no annotations): nothing to render."""
    import pypdfium2.raw as pdfium_c

    return (pdfium_c.FPDFPage_CountObjects(page) == 0
            and pdfium_c.FPDFPage_GetAnnotCount(page) == 0)


def _pages(data: bytes, content_type: str, dpi: int):
    """The page count, then (image or None for a blank page, width in points, height in
    points, how large it was to decode) for each page, lazily."""
    from PIL import Image

    if content_type == "application/pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        yield len(doc)
        for i in range(len(doc)):
            page = doc[i]
            w, h = page.get_size()
            if _blank(page):
                page.close()
                yield None, float(w), float(h), 0
                continue
            heavy = heavy_images(page)
            if heavy:
                raise TooLarge(f"page {i + 1} holds {heavy}; Casefile reads images up to "
                               f"{_mb(DECODE_BYTES)}")
            scale = min(dpi / 72, (OCR_PIXELS / max(1.0, w * h)) ** 0.5)
            img = page.render(scale=scale, grayscale=True).to_pil()
            page.close()
            yield img, float(w), float(h), img.width * img.height
        doc.close()
        return
    Image.MAX_IMAGE_PIXELS = None  # sizes are checked below, before decoding
    img = Image.open(io.BytesIO(data))
    frames = getattr(img, "n_frames", 1)
    yield frames
    for k in range(frames):
        img.seek(k)
        size = img.width * img.height * (1 if img.mode in ("1", "L", "P") else 4)
        if size > DECODE_BYTES:
            raise TooLarge(f"it is {img.width:,} × {img.height:,} pixels ({_mb(size)} to "
                           f"decode); Casefile reads images up to {_mb(DECODE_BYTES)} (e.g. "
                           "10,000 × 10,000 in colour): scale it down and import it again")
        res = img.info.get("dpi", (72, 72))[0] or 72
        res = float(res) if 30 <= float(res) <= 2400 else 72.0
        width, height = img.width * 72 / res, img.height * 72 / res
        img.load()
        if img.mode == "L" and frames == 1:
            gray = img
        elif img.mode not in ("1", "L", "P") and img.width * img.height > OCR_PIXELS:
            # shrunk in colour first: a grey copy of the whole frame would cost a quarter more
            factor = math.ceil((img.width * img.height / OCR_PIXELS) ** 0.5)
            gray = img.reduce(factor).convert("L")
        else:
            gray = img.convert("L")
        if k == frames - 1 and gray is not img:
            img.close()  # the decoded frame's memory goes before Tesseract needs its own
        yield gray, width, height, size


def _prepare(img):
    """The image as Tesseract reads it best (boxes scale back by the page size): enlarged when
    small, shrunk to ``OCR_PIXELS`` when large."""
    from PIL import Image

    side = max(img.width, img.height)
    factor = 1.0
    if side < MIN_PIXELS:
        factor = min(3.0, MIN_PIXELS / side)
    elif img.width * img.height > OCR_PIXELS:
        factor = (OCR_PIXELS / (img.width * img.height)) ** 0.5
    if factor != 1.0:
        img = img.resize((max(1, round(img.width * factor)), max(1, round(img.height * factor))),
                         Image.Resampling.LANCZOS)
    return img


def is_blank(img) -> bool:
    """A page of one grey (white paper, a black frame): nothing for Tesseract to read."""
    lo, hi = img.getextrema()
    return hi - lo < BLANK_SPREAD


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def logical(visual: str) -> str:
    """A right-to-left word given in visual order (as Tesseract's word iterator gives it: its
    characters, marks included, reversed) in reading order; runs of left-to-right characters
    (digits, Latin) keep their order (".2021" → "2021.", "لتُق" → "قُتل")."""
    out: list[str] = []
    run: list[str] = []
    for ch in reversed(visual):
        if unicodedata.bidirectional(ch) in ("L", "EN", "AN"):
            run.append(ch)
            continue
        out += reversed(run)
        run = []
        out.append(ch)
    out += reversed(run)
    return "".join(out)


def read_page(api, img, width: float, height: float) -> dict:
    """Words of one page in Tesseract's reading order (blocks, then their lines)."""
    from tesserocr import RIL, iterate_level

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
            text = text.replace("\u200e", "").replace("\u200f", "").strip()  # bidi marks
            if not text:
                continue
            words.append([text, round(x0 * sx, 2), round(y0 * sy, 2), round(x1 * sx, 2),
                          round(y1 * sy, 2), round(w.Confidence(RIL.WORD)), block, par, line])
    rtl = next((w[0] for w in words if _has_rtl(w[0]) and len(w[0]) > 1), "")
    if rtl:
        # Tesseract's word iterator gives right-to-left words in visual order (its page text
        # does not): put them in reading order, with the digits and stops between them
        page_text = api.GetUTF8Text()
        if rtl not in page_text and logical(rtl) in page_text:
            for w in words:
                if not any(unicodedata.bidirectional(ch) == "L" for ch in w[0]):
                    w[0] = logical(w[0])
    api.Clear()
    return {"width": round(width, 2), "height": round(height, 2), "words": words}


def _script_of_text(words: list) -> str:
    """The script most letters of the words read are in ("" without letters)."""
    counted: Counter[str] = Counter()
    for w in words:
        for ch in w[0]:
            if ch.isalpha():
                counted[unicodedata.name(ch, "?").split(" ", 1)[0]] += 1
    return counted.most_common(1)[0][0] if counted else ""


def _sureness(page: dict) -> float:
    """Mean word confidence of a reading, each word weighing by its length."""
    total = sum(len(w[0]) for w in page["words"])
    return sum(len(w[0]) * w[5] for w in page["words"]) / total if total else 0.0


def _fit(img, script: str):
    """The page as its script's model reads it best (Arabic: at most ``ARABIC_MAX_SIDE``)."""
    side = max(img.width, img.height)
    if script != "ARABIC" or side <= ARABIC_MAX_SIDE:
        return img
    from PIL import Image

    f = ARABIC_MAX_SIDE / side
    return img.resize((max(1, round(img.width * f)), max(1, round(img.height * f))),
                      Image.Resampling.LANCZOS)


class Reader:
    """One thread's Tesseract instances (one per language set) and its way of choosing."""

    def __init__(self, tessdata: str, spec: dict):
        self.tessdata = tessdata
        self.forced = spec.get("langs", "")
        self.forced_script = spec.get("script", "")
        self.plan: dict[str, str] = spec.get("plan", {})
        self.apis: dict[str, object] = {}
        self.osd = None
        self.has_osd = os.path.isfile(os.path.join(tessdata, "osd.traineddata"))

    def api(self, langs: str):
        import tesserocr

        if langs not in self.apis:
            self.apis[langs] = tesserocr.PyTessBaseAPI(path=self.tessdata, lang=langs)
        return self.apis[langs]

    def detect(self, img) -> str:
        """The page's script as OSD sees it ("" when it cannot tell)."""
        if not self.has_osd:
            return ""
        import tesserocr

        if self.osd is None:
            self.osd = tesserocr.PyTessBaseAPI(path=self.tessdata, lang="osd",
                                               psm=tesserocr.PSM.OSD_ONLY)
        self.osd.SetImage(img)
        try:
            found = self.osd.DetectOrientationScript()
        except RuntimeError:
            found = None
        self.osd.Clear()
        if not found or found.get("script_conf", 0) < MIN_SCRIPT_CONF:
            return ""
        name = found.get("script_name", "")
        return OSD_SCRIPTS.get(name, name.upper())

    def read(self, img, width: float, height: float) -> dict:
        if img is None or is_blank(img):
            return {"width": round(width, 2), "height": round(height, 2), "words": [],
                    "script": "", "langs": ""}
        img = _prepare(img)
        if self.forced:
            page = read_page(self.api(self.forced), _fit(img, self.forced_script), width,
                             height)
            return {**page, "script": "", "langs": self.forced}
        script = self.detect(img)
        if not script:  # a first reading with one language of each script, letters counted
            first = "+".join(list(dict.fromkeys(
                x for v in self.plan.values() for x in v.split("+")[:1] if x))[:4])
            page = read_page(self.api(first or self.plan[""]), img, width, height)
            script = _script_of_text(page["words"])
            if not script:
                return {**page, "script": "", "langs": first}
        langs = self.plan.get(script) or self.plan[""]
        img = _fit(img, script)
        page = read_page(self.api(langs), img, width, height)
        if script == "ARABIC" and "eng" not in langs.split("+") and self.has("eng") and \
                sum(w[5] < UNSURE for w in page["words"]) >= 2:
            both = langs + "+eng"
            again = read_page(self.api(both), img, width, height)
            if _sureness(again) > _sureness(page):
                page, langs = again, both
        return {**page, "script": script, "langs": langs}

    def has(self, lang: str) -> bool:
        return os.path.isfile(os.path.join(self.tessdata, f"{lang}.traineddata"))

    def close(self) -> None:
        for api in [*self.apis.values(), self.osd]:
            if api is not None:
                api.End()


def read_all(data: bytes, content_type: str, tessdata: str, spec: dict, dpi: int) -> dict:
    pages = _pages(data, content_type, dpi)
    total = next(pages)
    jobs: queue.Queue = queue.Queue(maxsize=THREADS)  # bounded: few bitmaps in memory at once
    results: dict[int, dict] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            reader = Reader(tessdata, spec)
            try:
                while True:
                    job = jobs.get()
                    if job is None:
                        jobs.task_done()
                        return
                    n, img, w, h = job
                    try:
                        page = reader.read(img, w, h)
                    finally:
                        jobs.task_done()
                    with lock:
                        results[n] = page
                        sys.stderr.write(f"progress {len(results)} {total}\n")
                        sys.stderr.flush()
            finally:
                reader.close()
        except BaseException as exc:  # reported below; the feeder must not wait forever
            errors.append(exc)
            while True:
                try:
                    job = jobs.get_nowait()
                    jobs.task_done()
                    if job is None:
                        return
                except queue.Empty:
                    return

    threads = [threading.Thread(target=work, daemon=True) for _ in range(THREADS)]
    for t in threads:
        t.start()
    sys.stderr.write(f"progress 0 {total}\n")
    sys.stderr.flush()
    try:
        for n, (img, w, h, size) in enumerate(pages):
            if errors:
                break
            jobs.put((n, img, w, h))
            del img
            if size > BIG:
                jobs.join()  # the next large frame is decoded only once this one is read
    finally:
        for _ in threads:
            jobs.put(None)
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return {"pages": [results[n] for n in sorted(results)]}


def _reason(exc: BaseException, content_type: str) -> str:
    """One plain sentence for a file the readers could not open (the detail goes to the log)."""
    name = type(exc).__name__
    if content_type == "application/pdf":
        if "password" in str(exc).lower():
            return "this PDF is encrypted (password-protected); remove the protection and try again"
        return "this PDF is damaged and its pages cannot be read"
    if "Image" in name or "decompression" in str(exc).lower() or isinstance(exc, OSError):
        return "this image is damaged or in a form Casefile cannot read"
    return "the OCR reader failed on this file"


def _maxrss_kb() -> int:
    try:
        import resource
    except ImportError:  # pragma: no cover
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    content_type, tessdata, dpi = sys.argv[2], sys.argv[3], int(sys.argv[5])
    spec = json.loads(sys.argv[4])
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
        out = read_all(data, content_type, tessdata, spec, dpi)
        result: dict = {"ok": {**out, "maxrss_kb": _maxrss_kb()}}
    except MemoryError:
        result = {"error": "reading this scan needed more memory than allowed and was stopped"}
    except TooLarge as exc:
        result = {"error": f"this file is too large to read: {exc}; nothing was imported"}
    except Exception as exc:
        result = {"error": _reason(exc, content_type), "detail": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
