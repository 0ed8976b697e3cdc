"""A page's words in reading order, so that an extracted paragraph can be found on the page:
where it sits (before or after the headline, next to another) and in which element."""

from __future__ import annotations

import re
from bisect import bisect_right
from statistics import median
from typing import Any

_WORD = re.compile(r"\w+")
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math"})
_N = 4  # words per probe


class PageText:
    """The words of a parsed page's body (case-folded), each with the element it is in."""

    def __init__(self, tree: Any) -> None:
        self.words: list[str] = []
        self._starts: list[int] = []  # word index where each run of text begins
        self._owners: list[Any] = []  # the element each run of text belongs to
        self.headings: list[tuple[int, str]] = []  # (word index, text) of h1 and h2
        body = tree.find(".//body")
        self._walk(body if body is not None else tree)
        self._first: dict[tuple[str, ...], int] = {}
        w = self.words
        for i in range(len(w) - _N + 1):
            self._first.setdefault(tuple(w[i:i + _N]), i)

    def _add(self, text: str | None, owner: Any) -> None:
        if text:
            found = _WORD.findall(text.casefold())
            if found:
                self._starts.append(len(self.words))
                self._owners.append(owner)
                self.words.extend(found)

    def _walk(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            return
        if tag in ("h1", "h2"):
            self.headings.append((len(self.words), " ".join(el.itertext())))
        self._add(el.text, el)
        for child in el:
            self._walk(child)
            self._add(child.tail, el)

    def span(self, text: str) -> tuple[int, int, int] | None:
        """Where ``text`` (a line) is on the page: the first, median and last word index of
        its four-word runs found there, or None (nor a line of fewer words)."""
        words = _WORD.findall(text.casefold())
        found = sorted(p for i in range(len(words) - _N + 1)
                       if (p := self._first.get(tuple(words[i:i + _N]))) is not None)
        if not found:
            return None
        # a run also found elsewhere on the page (a teaser repeating the lead) is an outlier
        mid = int(median(found))
        near = [p for p in found if abs(p - mid) <= 4 * len(words)] or [mid]
        return near[0], mid, near[-1] + _N - 1

    def element(self, position: int) -> Any:
        """The element holding the word at ``position``."""
        return self._owners[max(0, bisect_right(self._starts, position) - 1)]
