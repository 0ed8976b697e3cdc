"""Positions other tools wrote, turned into offsets of our text, whichever way they counted.

REFI-QDA says positions count characters of the plain text; tools disagree on what a character
is. QualCoder writes its .txt with a UTF-8 BOM but counts without it; ATLAS.ti counts a CR LF
line end as one character; .NET tools count UTF-16 units. ``Placer`` tries each reading and
keeps the one under which most selections quote the text their ``name`` gives; with no names
to judge by, the standard's reading (code points of the file, BOM dropped) stands. A selection
whose quote is not at its position is re-anchored by its quote as the reimport path does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from casefile.anchoring import Anchorer
from casefile.exchange.refi import xml_text

BOM = "\ufeff"


def clean_text(raw: str) -> tuple[str, bool]:
    """(text without a leading BOM and with LF line ends, whether there was a BOM)."""
    had_bom = raw.startswith(BOM)
    if had_bom:
        raw = raw[1:]
    return raw.replace("\r\n", "\n").replace("\r", "\n"), had_bom


def _collapse(text: str) -> str:
    return " ".join(xml_text(text).split())


def quotes(name: str | None, quote: str) -> bool | None:
    """Whether a selection's ``name`` is ``quote`` (None: the name tells nothing). A name that
    ends in "..." or "…" is a cut quote and only its beginning is compared."""
    n = (name or "").strip()
    if not n:
        return None
    if n.endswith(("...", "…")):
        stem = _collapse(n.rstrip(".…"))
        return _collapse(quote).startswith(stem) if stem else None
    return _collapse(quote) == _collapse(n)


def full_quote(name: str | None) -> bool:
    n = (name or "").strip()
    return bool(n) and not n.endswith(("...", "…"))


@dataclass(frozen=True)
class Placed:
    """Where a selection landed: offsets, or None with the reason."""

    start: int | None
    end: int | None
    note: str = ""


class Placer:
    """Maps the positions of one source's selections onto its cleaned text."""

    def __init__(self, raw: str):
        self.text, self.had_bom = clean_text(raw)
        body = raw[1:] if self.had_bom else raw
        self._crlf = [i for i in range(len(body) - 1) if body[i] == "\r" and body[i + 1] == "\n"]
        astral = [i for i, ch in enumerate(body) if ord(ch) > 0xFFFF]
        self._astral_units = [a + k for k, a in enumerate(astral)]  # UTF-16 index of each
        self._anchorer: Anchorer | None = None

    def _from_file(self, p: int) -> int:
        """A code-point position in the file (CR LF as two) → position in the cleaned text."""
        return p - bisect.bisect_left(self._crlf, p)

    def _from_utf16(self, u: int) -> int:
        return u - bisect.bisect_left(self._astral_units, u)

    def readings(self) -> list[tuple[str, Callable[[int], int]]]:
        out: list[tuple[str, Callable[[int], int]]] = [("code points", self._from_file)]
        if self._crlf:
            out.append(("line ends as one", lambda p: p))
        if self.had_bom:
            out.append(("BOM counted", lambda p: self._from_file(p - 1)))
        if self._astral_units:
            out.append(("UTF-16 units", lambda p: self._from_file(self._from_utf16(p))))
        return out

    def choose(self, selections: list[tuple[int, int, str | None]]
               ) -> tuple[str, Callable[[int], int]]:
        """The reading under which most selections quote their names (ties: the first)."""
        readings = self.readings()
        if len(readings) == 1:
            return readings[0]
        best, best_score = readings[0], -1
        for reading in readings:
            fn = reading[1]
            score = 0
            for s, e, name in selections:
                a, b = fn(s), fn(e)
                if 0 <= a < b <= len(self.text) and quotes(name, self.text[a:b]):
                    score += 1
            if score > best_score:
                best, best_score = reading, score
        return best

    def place(self, start: int, end: int, name: str | None,
              reading: Callable[[int], int]) -> Placed:
        """Offsets in the cleaned text for one selection, re-anchored by its quote if needed."""
        a, b = reading(start), reading(end)
        inside = 0 <= a < b <= len(self.text)
        if inside and quotes(name, self.text[a:b]) is not False:
            if not self.text[a:b].strip():
                return Placed(None, None, "it covers only white space")
            return Placed(a, b)
        where = "outside the text" if not inside else "not at its position"
        found, narrowed = self._by_quote(name, a, f"its quote was {where}")
        if found is not None:
            return found
        if inside:
            return Placed(a, b, "its stored quote differs from the text at its position; "
                                "kept at the position")
        return Placed(None, None, f"its position {start}–{end} lies outside the text "
                                  f"({len(self.text)} characters)" + narrowed)

    def place_by_quote(self, name: str | None, why: str) -> Placed:
        """A selection without usable positions (``why``), placed by its quote if it can be."""
        found, narrowed = self._by_quote(name, 0, why)
        return found or Placed(None, None, why + narrowed)

    def _by_quote(self, name: str | None, near: int, why: str) -> tuple[Placed | None, str]:
        """The selection re-anchored by its quote (a full one), else None and a remark when
        the search was kept near ``near`` only."""
        if not full_quote(name):
            return None, ""
        if self._anchorer is None:
            self._anchorer = Anchorer(self.text)
        before = self._anchorer.narrowed
        p = self._anchorer.place(quote=name or "", prefix="", suffix="",
                                 old_start=max(0, min(near, len(self.text))))
        if p.start is not None and p.end is not None:
            how = "found by its quote" if p.how != "fuzzy" else \
                "found by a close match of its quote (check it)"
            return Placed(p.start, p.end, f"{why}; {how}"), ""
        if self._anchorer.narrowed > before:
            return None, ("; its quote was sought near that position only (so many passages "
                          "are missing that searching the whole text for each would take "
                          "minutes)")
        return None, ""
