"""A page's words in reading order, to find where an extracted line sits and in which element."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

_WORD = re.compile(r"\w+")
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math"})
_N = 4  # words per probe
# elements a page sets its headline in, besides h1 and h2: lower headings, and the class names
# older pages gave a styled span, div or cell ("headline", "contentheading", "news_story_title")
_HEAD_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_HEADISH = re.compile(r"head|title|titular", re.I)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


class PageText:
    """The words of a parsed page's body (case-folded, one space apart), each run of text with
    the element it belongs to. Places are character offsets into ``text``."""

    def __init__(self, tree: Any) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []  # where each run of text begins
        self._owners: list[Any] = []  # the element each run of text belongs to
        self._size = 0
        self.heads: list[tuple[int, Any]] = []  # (place, element) of anything headline-like
        body = tree.find(".//body")
        self._walk(body if body is not None else tree)
        self.text = "".join(self._parts)

    def _add(self, text: str | None, owner: Any) -> None:
        if text:
            found = words_of(text)
            if found:
                run = " " + " ".join(found)
                self._starts.append(self._size)
                self._owners.append(owner)
                self._parts.append(run)
                self._size += len(run)

    def _walk(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            return
        if tag in _HEAD_TAGS or _HEADISH.search(el.get("class") or ""):
            self.heads.append((self._size, el))
        self._add(el.text, el)
        for child in el:
            self._walk(child)
            self._add(child.tail, el)

    @property
    def headings(self) -> list[tuple[int, str]]:
        """(place, text) of the page's h1 and h2."""
        return [(at, " ".join(el.itertext())) for at, el in self.heads if el.tag in ("h1", "h2")]

    def span(self, text: str) -> tuple[int, int, int] | None:
        """Where ``text`` (a line) is on the page: the places of its first, middle and last
        four words, from the first of them found (None if none is, or the line is shorter)."""
        words = words_of(text)
        if len(words) < _N:
            return None
        probes = sorted({0, (len(words) - _N) // 2, len(words) - _N})
        start = self.text.find(" " + " ".join(words[probes[0]:probes[0] + _N]))
        found = []
        for i in probes:
            at = self.text.find(" " + " ".join(words[i:i + _N]), max(0, start))
            if at < 0:
                at = self.text.find(" " + " ".join(words[i:i + _N]))
            if at >= 0:
                found.append(at)
        if not found:
            return None
        found.sort()
        return found[0], found[len(found) // 2], found[-1]

    def element(self, place: int) -> Any:
        """The element holding the text at ``place``."""
        return self._owners[max(0, bisect_right(self._starts, place) - 1)]
