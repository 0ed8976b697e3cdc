"""Child process that reads a scan by OCR (Tesseract via tesserocr): caps its memory, prints the
words of every page with boxes, confidences and their block/paragraph/line as JSON.

Run as ``python -I ocr_worker.py MEMORY_LIMIT CONTENT_TYPE TESSDATA PLAN DPI`` with the file on
stdin (see ``sandbox``); it imports nothing from casefile. ``PLAN`` is JSON: ``{"langs":
"rus+eng"}`` reads every page with those languages; ``{"plan": {script: langs, "": langs}}``
detects each page's script (Tesseract's OSD, else a first reading's letters counted) and reads
it with that script's languages. Pages are read on two threads (tesserocr releases the GIL
while it recognises). Progress goes to stderr as ``progress N TOTAL``. Output: ``{"ok":
{"pages": [{"width", "height", "script", "langs", "words": [[text, x0, y0, x1, y1, conf,
block, par, line], ...]}], "maxrss_kb": N}}`` in points from each page's top-left (``script``
is the detected script, "" if unknown; ``langs`` what the page was read with), or
``{"error": "..."}``.
"""

from __future__ import annotations

import io
import json
import os
import queue
import sys
import threading
import unicodedata
from collections import Counter

THREADS = 2
MIN_PIXELS = 1600  # smaller images (screenshots) are enlarged for Tesseract, up to 3 times
MAX_PIXELS = 12000  # a side longer than this is shrunk (a huge image would need GBs)
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
                        return
                    n, img, w, h = job
                    page = reader.read(img, w, h)
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
