"""Word boxes of a paged document (PDF or scan) mapped to canonical-text offsets, stored compactly.

A ``PageLayout`` holds each page's size in PDF points and, per word in reading (= text) order,
its page, its ``[start, end)`` code-point offsets in ``Document.text``, its box in points from
the page's top-left corner and, for OCR'd words, Tesseract's confidence (0–100; -1 otherwise).
Words the text does not contain (dropped page numbers) are not kept. Pure Python, no Qt.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from casefile.translit import is_rtl

FORMAT = 1
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, origin top-left


@dataclass(frozen=True)
class Word:
    """A word as an extractor saw it: its text, page and box (points, top-left origin)."""

    text: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    conf: int = -1


def _shares(word: str, a: int, b: int, n: int) -> tuple[float, float]:
    """Where characters ``a`` and ``b`` of a word of ``n`` fall along its width (0–1): by
    character count, punctuation and marks weighing less than letters when the word is known
    ("Вахидове," — the comma is narrow)."""
    if len(word) != n:
        return a / n, b / n
    weights = [1.0 if ch.isalnum() else 0.0 if unicodedata.combining(ch) else 0.45
               for ch in word]
    total = sum(weights) or 1.0
    return sum(weights[:a]) / total, sum(weights[:b]) / total


def text_key(text: str) -> str:
    """A short fingerprint of the text a layout's offsets count in."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass
class PageLayout:
    sizes: list[tuple[float, float]]
    text: str = ""  # text_key of the text the offsets belong to
    page: array = field(default_factory=lambda: array("H"))
    start: array = field(default_factory=lambda: array("i"))
    end: array = field(default_factory=lambda: array("i"))
    x0: array = field(default_factory=lambda: array("f"))
    y0: array = field(default_factory=lambda: array("f"))
    x1: array = field(default_factory=lambda: array("f"))
    y1: array = field(default_factory=lambda: array("f"))
    conf: array = field(default_factory=lambda: array("b"))
    _by_page: list[list[int]] | None = field(default=None, repr=False, compare=False)

    # -- building ---------------------------------------------------------------------------
    def add(self, page: int, start: int, end: int, box: Rect, conf: int = -1) -> None:
        self.page.append(page)
        self.start.append(start)
        self.end.append(end)
        for arr, v in zip((self.x0, self.y0, self.x1, self.y1), box, strict=True):
            arr.append(v)
        self.conf.append(max(-1, min(100, int(conf))))
        self._by_page = None

    def __len__(self) -> int:
        return len(self.start)

    @property
    def pages(self) -> int:
        return len(self.sizes)

    def box(self, i: int) -> Rect:
        return self.x0[i], self.y0[i], self.x1[i], self.y1[i]

    def words_on(self, page: int) -> list[int]:
        """Indices of the words on a page, in reading order."""
        if self._by_page is None:
            by: list[list[int]] = [[] for _ in self.sizes]
            for i, p in enumerate(self.page):
                if p < len(by):
                    by[p].append(i)
            self._by_page = by
        return self._by_page[page] if 0 <= page < len(self._by_page) else []

    # -- queries ----------------------------------------------------------------------------
    def word_at(self, page: int, x: float, y: float, *, nearest: bool = False) -> int | None:
        """The word whose box holds (x, y) on a page; with ``nearest``, else the closest word
        (by distance to its box, lines counting before columns)."""
        best, best_d = None, float("inf")
        for i in self.words_on(page):
            x0, y0, x1, y1 = self.box(i)
            if x0 <= x <= x1 and y0 <= y <= y1:
                return i
            if nearest:
                dx = max(x0 - x, 0.0, x - x1)
                dy = max(y0 - y, 0.0, y - y1)
                d = dx + 4 * dy
                if d < best_d:
                    best, best_d = i, d
        return best

    def word_index_at_offset(self, offset: int) -> int | None:
        """The first word ending after ``offset`` (the word at it, or the next one)."""
        i = bisect_right(self.end, offset)
        return i if i < len(self.end) else None

    def page_of_offset(self, offset: int) -> int | None:
        i = self.word_index_at_offset(offset)
        return self.page[i] if i is not None else None

    def rects(self, start: int, end: int, text: str = "") -> list[tuple[int, Rect]]:
        """Boxes covering text ``[start, end)``: one per run of words on a line, a word cut
        in part by the range shrunk by the share of its characters left out. With the
        document's ``text``, that share counts punctuation as narrow, and is taken from the
        right of a right-to-left word (Arabic, Persian) — where its first letters are."""
        out: list[tuple[int, Rect]] = []
        i = bisect_right(self.end, start)
        n = len(self.start)
        while i < n and self.start[i] < end:
            ws, we = self.start[i], self.end[i]
            x0, y0, x1, y1 = self.box(i)
            if we > ws and (start > ws or end < we):
                a, b = _shares(text[ws:we] if text else "", max(start, ws) - ws,
                               min(end, we) - ws, we - ws)
                width = x1 - x0
                if text and is_rtl(text[ws:we]):
                    x0, x1 = x1 - width * b, x1 - width * a
                else:
                    x0, x1 = x0 + width * a, x0 + width * b
            p = self.page[i]
            if out and out[-1][0] == p and _same_line(out[-1][1], (x0, y0, x1, y1)):
                px0, py0, px1, py1 = out[-1][1]
                out[-1] = (p, (min(px0, x0), min(py0, y0), max(px1, x1), max(py1, y1)))
            else:
                out.append((p, (x0, y0, x1, y1)))
            i += 1
        return out

    def words_in(self, start: int, end: int) -> range:
        """Indices of the words overlapping ``[start, end)``."""
        return range(bisect_right(self.end, start), bisect_left(self.start, end))

    # -- storage ----------------------------------------------------------------------------
    def encode(self) -> bytes:
        """zlib-compressed header (JSON) and the little-endian arrays."""
        head = json.dumps({"format": FORMAT, "sizes": self.sizes, "words": len(self),
                           "text": self.text}).encode()
        body = b"".join(a.tobytes() for a in self._arrays())
        return zlib.compress(len(head).to_bytes(4, "little") + head + body, 6)

    @classmethod
    def decode(cls, data: bytes) -> PageLayout:
        raw = zlib.decompress(data)
        n_head = int.from_bytes(raw[:4], "little")
        head = json.loads(raw[4:4 + n_head])
        if head.get("format") != FORMAT:
            raise ValueError(f"unknown layout format {head.get('format')!r}")
        out = cls([(float(w), float(h)) for w, h in head["sizes"]], str(head.get("text", "")))
        pos, n = 4 + n_head, int(head["words"])
        for arr in out._arrays():
            size = arr.itemsize * n
            arr.frombytes(raw[pos:pos + size])
            pos += size
        return out

    def _arrays(self) -> tuple[array, ...]:
        return (self.page, self.start, self.end, self.x0, self.y0, self.x1, self.y1, self.conf)

    def mean_confidence(self) -> float | None:
        vals = [c for c in self.conf if c >= 0]
        return round(sum(vals) / len(vals), 1) if vals else None


def _same_line(a: Rect, b: Rect) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    height = max(1e-6, min(a[3] - a[1], b[3] - b[1]))
    gap = b[0] - a[2]
    return overlap > 0.5 * height and -2 <= gap <= 2.5 * height


LOOKAHEAD = 12  # words looked at for where the text goes on when one is not there
NEAR = 3  # characters between two words that follow each other in the text (" ", "\n\n")
_WS = re.compile(r"\s+")
_SKIP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"))


def _clean(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFC", text).translate(_SKIP))


def align(text: str, sizes: Sequence[tuple[float, float]], words: Iterable[Word],
          page_starts: Sequence[int] = (), *, slack: int = 400) -> PageLayout:
    """Find each word, in order, in the canonical ``text`` and keep those found.

    The next word is expected right after the previous one (a space or a paragraph break
    between). When it is not there but one of the next few words is, the words before that
    one are left out (a running header, "Page 1 of 2", a footer the text holds once
    elsewhere). Else it is looked for up to ``slack`` characters further (not before its
    page's start offset), and taken only if the word after it follows it at once, so a
    dropped "1" never matches a "1" further on. A word broken at a line end ("inter-")
    matches without its hyphen.
    """
    out = PageLayout([(float(w), float(h)) for w, h in sizes], text_key(text))
    items = [(w, t) for w in words if (t := _clean(w.text))]
    pos = 0
    starts = list(page_starts)
    for k, (w, t) in enumerate(items):
        hit = _next(text, t, pos)
        if hit is None and any(_next(text, t2, pos) for _w, t2 in items[k + 1:k + LOOKAHEAD]):
            continue  # a word or a line the text leaves out, or holds elsewhere (a footer)
        if hit is None:
            lo = max(pos, starts[w.page] if w.page < len(starts) else pos)
            hit = _find(text, t, lo, lo + slack + len(t))
            if hit is not None and k + 1 < len(items):
                nxt = items[k + 1][1]
                if _next(text, nxt, hit[1]) is None:
                    hit = None
        if hit is None:
            continue
        a, b = hit
        out.add(w.page, a, b, (w.x0, w.y0, w.x1, w.y1), w.conf)
        pos = b
    return out


def _next(text: str, word: str, pos: int) -> tuple[int, int] | None:
    """``word`` where the text goes on after ``pos`` (past white space only)."""
    hit = _find(text, word, pos, pos + len(word) + NEAR)
    return hit if hit is not None and not text[pos:hit[0]].strip() else None


def _find(text: str, word: str, lo: int, hi: int) -> tuple[int, int] | None:
    i = text.find(word, lo, hi)
    if i >= 0:
        return i, i + len(word)
    if len(word) > 1 and word[-1] in "-\u2010\u00ad":
        stem = word[:-1]
        i = text.find(stem, lo, hi)
        if i >= 0:
            return i, i + len(stem)
    folded = unicodedata.normalize("NFKC", word)
    if folded != word:  # ligatures (ﬁ) the text spells out
        i = text.find(folded, lo, hi)
        if i >= 0:
            return i, i + len(folded)
    return None
