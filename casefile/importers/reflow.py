"""PDF lines to canonical text: page numbers out, running lines kept once, paragraphs rebuilt.

Pure functions over what ``pdf_worker`` reports: per page a width, a height and lines of
``[text, x0, x1, top, bottom, font size]`` in reading order.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from casefile.importers.hyphens import Vocabulary, broken_word
from casefile.importers.text import strip_invisible

MARGIN = 0.12  # top and bottom share of a page where running headers and footers live
EDGE_LINES = 3  # only this many lines at each end of a page can be running headers/footers
RUNNING_WORDS = 12  # a running header or footer is short: a longer line repeated is content
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
    """Pages as the worker reported them, with each line's text cleaned (NFC, single spaces,
    no invisible format characters but a soft hyphen ending the line: a break to join)."""
    out = []
    for p in raw:
        lines = []
        for t, x0, x1, top, bottom, size in p["lines"]:
            t = _WS.sub(" ", unicodedata.normalize("NFC", t)).strip()
            soft = t.endswith("\u00ad")
            t = strip_invisible(t).strip()
            t += "\u00ad" if soft and t else ""
            if t:
                lines.append(Line(t, x0, x1, top, bottom, size))
        out.append(Page(float(p["width"]), float(p["height"]), tuple(lines)))
    return out


_NUMBER = re.compile(r"\d+")
BODY, FLOAT = "body", "float"


def _key(text: str) -> str:
    return _NUMBER.sub("#", text.casefold()).strip()


def _edge_indices(page: Page) -> list[int]:
    n = len(page.lines)
    idx = sorted(set(range(min(EDGE_LINES, n))) | set(range(max(0, n - EDGE_LINES), n)))
    lo, hi = page.height * MARGIN, page.height * (1 - MARGIN)
    return [i for i in idx if page.lines[i].bottom <= lo or page.lines[i].top >= hi]


def _page_numbers(pages: list[Page]) -> set[tuple[int, int]]:
    """(page, line) of lines that number their page: a lone number (or "Page 3 of 9") at a
    page edge whose value follows the page count on at least two pages. A number that opens
    one page only (a figure, a year) is content."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)  # offset -> lines
    for p, page in enumerate(pages):
        for i in _edge_indices(page):
            if _PAGE_NO.match(page.lines[i].text):
                found[int(_NUMBER.findall(page.lines[i].text)[0]) - p].append((p, i))
    return {line for lines in found.values() if len({p for p, _ in lines}) >= 2
            for line in lines}


def _repeats(first: tuple[int, str], other: tuple[int, str]) -> bool:
    """Whether a running line is a copy of its first occurrence: the same text, or the same
    text with numbers that count pages ("Report · page 2" on page 2, "page 3" on page 3)."""
    (p0, t0), (p1, t1) = first, other
    if t0 == t1:
        return True
    n0, n1 = _NUMBER.findall(t0), _NUMBER.findall(t1)
    return len(n0) == len(n1) and all(
        a == b or int(b) - int(a) == p1 - p0 for a, b in zip(n0, n1, strict=True))


def plan_lines(pages: list[Page]) -> list[list[tuple[Line, str]]]:
    """Each page's lines with a role: ``BODY``, or ``FLOAT`` for the first occurrence of a
    header or footer repeated across pages (kept once, as a paragraph of its own, after the
    paragraph it interrupts). Page numbers and later copies of a running line are left out:
    no other line is ever dropped. A running line is short (``RUNNING_WORDS``), repeats word
    for word (numbers counting pages aside) at a page edge on three pages and on half the
    pages or more: in a document of two pages, a line on both (two tables' column headings,
    as well as a letterhead) is kept on both, and a long line or a label whose values change
    is content wherever it stands."""
    numbers = _page_numbers(pages)
    seen: dict[str, set[int]] = defaultdict(set)  # key -> pages with it at an edge
    copies: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for p, page in enumerate(pages):
        for i in _edge_indices(page):
            text = page.lines[i].text
            if len(text.split()) <= RUNNING_WORDS:
                seen[_key(text)].add(p)
                copies[_key(text)].append((p, text))
    need = max(3, math.ceil(len(pages) * 0.5))
    # Chrome repeats itself word for word (but for the page number); a label whose values
    # change from page to page ("Gamma [ 1.8 ]", "Gamma [ 2.2 ]") is content.
    running = {key for key, found in seen.items() if len(found) >= need
               and all(_repeats(copies[key][0], c) for c in copies[key])}
    first: dict[str, tuple[int, str]] = {}
    out = []
    for p, page in enumerate(pages):
        edges = set(_edge_indices(page))
        roles = []
        for i, line in enumerate(page.lines):
            if (p, i) in numbers:
                continue
            key = _key(line.text)
            if i in edges and key in running:
                if key not in first:
                    first[key] = (p, line.text)
                    roles.append((line, FLOAT))
                    continue
                if _repeats(first[key], (p, line.text)):
                    continue
            roles.append((line, BODY))
        out.append(roles)
    return out


def _geometry(lines: tuple[Line, ...]) -> tuple[dict[int, float], float, float]:
    """Typical line pitch per font size (a two-line headline has its own), left edge and right
    edge of a page's body text."""
    steps: dict[int, list[float]] = defaultdict(list)
    for a, b in itertools.pairwise(lines):
        if abs(a.size - b.size) < 0.6 and 0 < b.top - a.top < 3 * max(a.size, 1):
            steps[round(a.size)].append(b.top - a.top)
    # Few lines of a size (a headline) may hold a gap, not a pitch: trust no more than 1.5 em.
    pitch = {size: statistics.median(found) if len(found) >= 3 else min(min(found), 1.5 * size)
             for size, found in steps.items()}
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


def join_lines(prev: str, nxt: str, vocab: Vocabulary | None = None) -> tuple[str, str]:
    """How to glue a wrapped line onto the text before it: (chars to drop from ``prev``'s end,
    separator). A soft hyphen at the end goes; a hyphen after a letter goes only when the
    halves make one word by ``vocab`` ("com-" + "mander"), else it stays ("well-known",
    "al-Qalami"); any hyphen attached to the text before it joins without a space."""
    if prev.endswith("\u00ad"):
        return "\u00ad", ""
    if len(prev) >= 2 and prev[-1] in "-\u2010" and not prev[-2].isspace():
        halves = broken_word(prev, nxt)
        if halves is not None and vocab is not None and vocab.joins(*halves):
            return prev[-1], ""
        return "", ""
    return "", " "


class _Builder:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.parts: list[str] = []
        self.length = 0
        self.last = ""
        self.pending: list[str] = []  # running lines waiting for the paragraph to end

    def new_paragraph(self) -> None:
        if self.parts and self.parts[-1].endswith("\u00ad"):  # a break hyphen at a paragraph end
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        for text in self.pending:
            self._add("\n\n" + text)
        self.pending.clear()
        if self.length:
            self._add("\n\n")

    def continue_with(self, text: str) -> None:
        drop, sep = join_lines(self.last, text, self.vocab)
        if drop:
            self.parts[-1] = self.parts[-1][: -len(drop)]
            self.length -= len(drop)
        self._add(sep)

    def line(self, text: str) -> None:
        self._add(text)
        self.last = text

    def float(self, text: str) -> None:
        """A running line: at once when nothing precedes it, else after this paragraph."""
        if self.length:
            self.pending.append(text)
        else:
            self._add(text)

    def finish(self) -> str:
        self.new_paragraph()
        return "".join(self.parts).rstrip("\n")

    def _add(self, s: str) -> None:
        if s:
            self.parts.append(s)
            self.length += len(s)


def reflow(pages: list[Page]) -> tuple[str, tuple[int, ...]]:
    """Canonical text and the offset where each page begins in it."""
    b = _Builder(Vocabulary(ln.text for page in pages for ln in page.lines))
    starts: list[int] = []
    prev: Line | None = None  # the last body line written
    for planned in plan_lines(pages):
        body = tuple(ln for ln, role in planned if role == BODY)
        start_known = not body or not b.length
        if start_known:
            starts.append(b.length)
        if body:
            pitch, left, right = _geometry(body)
        i = 0
        for line, role in planned:
            if role == FLOAT:
                b.float(line.text)
                continue
            if i == 0:
                carry = (prev is not None and not prev.text.endswith(_TERMINAL)
                         and abs(prev.size - line.size) <= 0.6 and not _BULLET.match(line.text)
                         and line.x0 <= left + 2)
                if carry:
                    b.continue_with(line.text)
                else:
                    b.new_paragraph()
                if not start_known:
                    starts.append(b.length)
            elif starts_paragraph(body[i - 1], line, pitch.get(round(line.size), 0.0), left,
                                  right):
                b.new_paragraph()
            else:
                b.continue_with(line.text)
            b.line(line.text)
            prev = line
            i += 1
    return b.finish(), tuple(starts)
