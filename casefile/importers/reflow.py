"""PDF lines to canonical text: drop running headers and page numbers, rebuild paragraphs.

Pure functions over what ``pdf_worker`` reports: per page a width, a height and lines of
``[text, x0, x1, top, bottom, font size]`` in reading order.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

MARGIN = 0.12  # top and bottom share of a page where running headers and footers live
EDGE_LINES = 3  # only this many lines at each end of a page can be running headers/footers
_PAGE_NO = re.compile(
    r"^(?:page\s+|p\.\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BULLET = re.compile(r"^(?:[•▪◦●■–—*-]\s|\(?\d{1,2}[.)]\s)")
_TERMINAL = tuple(".!?:;\"”’»)]")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]


def pages_from_json(raw: list[dict]) -> list[Page]:
    """Pages as the worker reported them, with each line's text cleaned (NFC, single spaces)."""
    out = []
    for p in raw:
        lines = []
        for t, x0, x1, top, bottom, size in p["lines"]:
            t = _WS.sub(" ", unicodedata.normalize("NFC", t)).strip()
            if t:
                lines.append(Line(t, x0, x1, top, bottom, size))
        out.append(Page(float(p["width"]), float(p["height"]), tuple(lines)))
    return out


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold()).strip()


def _edge_indices(page: Page) -> list[int]:
    n = len(page.lines)
    idx = sorted(set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n)))
    lo, hi = page.height * MARGIN, page.height * (1 - MARGIN)
    return [i for i in idx if page.lines[i].bottom <= lo or page.lines[i].top >= hi]


def drop_running_lines(pages: list[Page]) -> list[Page]:
    """Pages without page numbers and without header/footer lines repeated across pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(page.lines[i].text) for i in _edge_indices(page)})
    need = max(2, math.ceil(len(pages) * 0.5))
    out = []
    for page in pages:
        drop = {i for i in _edge_indices(page)
                if _PAGE_NO.match(page.lines[i].text) or counts[_key(page.lines[i].text)] >= need}
        out.append(Page(page.width, page.height,
                        tuple(ln for i, ln in enumerate(page.lines) if i not in drop)))
    return out


def _geometry(lines: tuple[Line, ...]) -> tuple[float, float, float]:
    """Typical line pitch, left edge and right edge of a page's body text."""
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines)
               if abs(a.size - b.size) < 0.6 and 0 < b.top - a.top < 3 * max(a.size, 1)]
    pitch = statistics.median(pitches) if pitches else 0.0
    left = min(ln.x0 for ln in lines)
    right = sorted(ln.x1 for ln in lines)[int(0.9 * (len(lines) - 1))]
    return pitch, left, right


def starts_paragraph(prev: Line, line: Line, pitch: float, left: float, right: float) -> bool:
    """Whether ``line`` begins a new paragraph after ``prev`` on the same page."""
    step = line.top - prev.top
    size = max(line.size, 1.0)
    if step <= 0 or abs(line.size - prev.size) > 0.6 or _BULLET.match(line.text):
        return True
    if step > (pitch * 1.45 if pitch else size * 1.8):
        return True
    if line.x0 > left + max(6.0, size) and prev.x0 <= left + 2:
        return True  # first-line indent
    short = prev.x1 < right - max(0.12 * (right - left), 3 * size)
    return short and prev.text.endswith(_TERMINAL)


def join_lines(prev: str, nxt: str) -> tuple[str, str]:
    """How to glue a wrapped line onto the text before it: (chars to drop from ``prev``'s end,
    separator). A hyphen at a line end before a lower-case letter is removed."""
    if prev.endswith("\u00ad"):
        return "\u00ad", ""
    if len(prev) >= 2 and prev[-1] in "-\u2010" and prev[-2].isalpha():
        if nxt[:1].islower():
            return prev[-1], ""
        return "", ""
    return "", " "


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = ""

    def new_paragraph(self) -> None:
        if self.length:
            self._add("\n\n")

    def continue_with(self, text: str) -> None:
        drop, sep = join_lines(self.last, text)
        if drop:
            self.parts[-1] = self.parts[-1][: -len(drop)]
            self.length -= len(drop)
        self._add(sep)

    def line(self, text: str) -> None:
        self._add(text)
        self.last = text

    def _add(self, s: str) -> None:
        if s:
            self.parts.append(s)
            self.length += len(s)


def reflow(pages: list[Page]) -> tuple[str, tuple[int, ...]]:
    """Canonical text and the offset where each page begins in it."""
    pages = drop_running_lines(pages)
    b = _Builder()
    starts: list[int] = []
    prev: Line | None = None
    for page in pages:
        if not page.lines:
            starts.append(b.length)
            continue
        pitch, left, right = _geometry(page.lines)
        for i, line in enumerate(page.lines):
            if i == 0:
                carry = (prev is not None and not prev.text.endswith(_TERMINAL)
                         and abs(prev.size - line.size) <= 0.6 and not _BULLET.match(line.text)
                         and line.x0 <= left + 2)
                if carry:
                    b.continue_with(line.text)
                else:
                    b.new_paragraph()
                starts.append(b.length)
            elif starts_paragraph(page.lines[i - 1], line, pitch, left, right):
                b.new_paragraph()
            else:
                b.continue_with(line.text)
            b.line(line.text)
            prev = line
    return "".join(b.parts), tuple(starts)
