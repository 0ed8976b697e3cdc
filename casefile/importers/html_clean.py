"""The parsed page made to say what a reader sees before extraction: hidden nodes out, the text
of formulas (MathML) and of drawings (SVG ``<text>``) in as plain text."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from casefile.importers.page_text import words_of

_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!\s*"
                           r"important\s*)?(?:;|$)", re.I)
# aria-hidden on these is decoration inside a line of text (a drop capital, an icon), which a
# reader sees: only larger hidden elements are dropped
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "i", "kbd", "mark",
                     "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "var"})
_WS = re.compile(r"\s+")
TEASER_WORDS = 8  # a shorter text cut with an ellipsis is not told from a teaser's own words
MAX_TEASERS = 20  # more is a listing of stories, each cut short: none is the article
# the elements prepare() may drop or rewrite (the rest are left as they are)
_MAY_CHANGE = (".//*[@hidden or @style or @aria-hidden or contains(name(), 'math') or "
               "contains(name(), 'svg')]")


def _hidden(el: Any) -> bool:
    if el.get("hidden") is not None and el.get("hidden") != "until-found":
        return True  # "until-found" content is shown by the browser's find
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return el.get("aria-hidden", "").strip().lower() == "true" and el.tag not in _INLINE


def _local(el: Any) -> str:
    """The tag without a namespace ("{...}math", "m:math" and "math" alike)."""
    return el.tag.rpartition("}")[2].rpartition(":")[2] if isinstance(el.tag, str) else ""


def _math_text(el: Any) -> str:
    """What a formula shows, read from its tokens (the TeX annotation is not shown)."""
    parts: list[str] = []
    for node in el.iter():
        if _local(node) in ("annotation", "annotation-xml"):
            continue
        if node.text and not any(_local(a) in ("annotation", "annotation-xml")
                                 for a in node.iterancestors()):
            parts.append(node.text.strip())
    return _WS.sub(" ", "".join(parts)).strip()


def _replace(el: Any, tag: str, text: str) -> None:
    new = etree.Element(tag)
    new.text = text
    new.tail = el.tail
    el.getparent().replace(el, new)


def _teasers(body: Any) -> list[tuple[Any, list[str]]]:
    """Shown text cut short with an ellipsis ("… more"): its node and its whole words."""
    found = []
    for node in body.xpath(".//text()[contains(., '...') or contains(., '…')]"):
        head = node.rstrip()
        if not head.endswith(("...", "…")):
            continue
        words = words_of(head)[:-1]  # the last word may be cut
        owner = node.getparent().getparent() if node.is_tail else node.getparent()
        if len(words) >= TEASER_WORDS and owner is not None and not any(
                _hidden(a) for a in (owner, *owner.iterancestors())):
            found.append((node, words))
    return found[:MAX_TEASERS]


def _shown_in_full(el: Any, teasers: list[tuple[Any, list[str]]]) -> bool:
    """``el`` holds the whole of a teaser shown elsewhere on the page (a collapsed "more"):
    the teaser is emptied and ``el`` kept as shown."""
    words = words_of(el.text_content())
    joined = f" {' '.join(words)} "
    for i, (node, start) in enumerate(teasers):
        if len(words) > len(start) and f" {' '.join(start)} " in joined:
            del teasers[i]
            parent = node.getparent()
            if node.is_tail:
                parent.tail = ""
            else:
                parent.text = ""
            for name in ("hidden", "style", "aria-hidden"):
                el.attrib.pop(name, None)
            return True
    return False


def prepare(tree: Any) -> None:
    """Drop hidden nodes (``hidden``, inline ``display:none`` or ``visibility:hidden``,
    ``aria-hidden`` blocks) unless one is the whole of a teaser the page shows cut short;
    turn ``<math>`` into its text and an ``<svg>`` holding ``<text>`` into a paragraph of
    it, where trafilatura would drop both whole."""
    body = tree.find(".//body")
    if body is None:
        return
    teasers: list[tuple[Any, list[str]]] | None = None
    for el in body.xpath(_MAY_CHANGE):
        if next(el.iterancestors("body"), None) is not body:
            continue  # inside a subtree already dropped or replaced
        if _hidden(el):
            if teasers is None:
                teasers = _teasers(body)
            if not teasers or not _shown_in_full(el, teasers):
                el.drop_tree()
            continue
        name = _local(el)
        if name == "math":
            text = _math_text(el)
            if text:
                _replace(el, "span", text)
        elif name == "svg":
            lines = [_WS.sub(" ", t.xpath("string()")).strip()
                     for t in el.iter() if _local(t) == "text"]
            lines = [ln for ln in lines if ln]
            if lines:
                _replace(el, "p", "\n".join(lines))
