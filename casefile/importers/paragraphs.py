"""trafilatura's output tree to paragraphs, every piece of text read: an element's own text,
the text between its children (tails), and lines broken by ``<lb/>``."""

from __future__ import annotations

import re
from typing import Any

# Elements that make paragraphs of their own; anything else (hi, ref, del, span...) is inline.
BLOCKS = frozenset({"p", "head", "quote", "code", "list", "item", "table", "row", "cell",
                    "div", "section", "main", "doc", "body", "article", "blockquote", "pre",
                    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "tr", "td", "th"})
LINE_BREAKS = frozenset({"lb", "br"})
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def _tag(el: Any) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _lines(raw: str) -> str:
    """Inline text with white space runs collapsed, ``\\n`` kept between non-empty lines."""
    lines = (_WS.sub(" ", ln).strip() for ln in raw.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _raw(node: Any, parts: list[str]) -> None:
    """Every piece of text inside ``node`` (not its tail), a line break or block edge as \\n."""
    if node.text and _tag(node) not in LINE_BREAKS:
        parts.append(node.text)
    for child in node:
        if _tag(child) in LINE_BREAKS:
            parts.append("\n")
        elif _tag(child) in BLOCKS:
            parts.append("\n")
            _raw(child, parts)
            parts.append("\n")
        else:
            _raw(child, parts)
        if child.tail:
            parts.append(child.tail)


def inline_text(el: Any) -> str:
    """All text inside ``el`` as one paragraph (a line break as ``\\n``)."""
    parts: list[str] = []
    _raw(el, parts)
    return _lines("".join(parts))


def _has_blocks(el: Any) -> bool:
    return any(_tag(child) in BLOCKS for child in el)


def _container(el: Any, out: list[str]) -> None:
    """Paragraphs of an element holding blocks: runs of text and inline elements between the
    blocks (its own text, children's tails) are paragraphs too."""
    run: list[str] = []

    def flush() -> None:
        txt = _lines("".join(run))
        if txt:
            out.append(txt)
        run.clear()

    if el.text:
        run.append(el.text)
    for child in el:
        tag = _tag(child)
        if tag in BLOCKS:
            flush()
            _block(child, out)
        elif tag in LINE_BREAKS:
            run.append("\n")
        elif tag:
            _raw(child, run)
        if child.tail:
            run.append(child.tail)
    flush()


def _list(el: Any, out: list[str]) -> None:
    if el.text and el.text.strip():
        out.append(_lines(el.text))
    for child in el:
        if _tag(child) == "item":
            found: list[str] = []
            _block_content(child, found)
            # the item's own lines are its bullet; a nested list brings bullets of its own
            out.extend(p if p.startswith("• ") else "• " + p for p in found)
        elif _tag(child) in BLOCKS:
            _block(child, out)
        if child.tail and child.tail.strip():
            out.append(_lines(child.tail))


def _table(el: Any, out: list[str]) -> None:
    for row in el.iter("row"):
        cells = [inline_text(c).replace("\n", " ") for c in row if _tag(c) == "cell"]
        line = " | ".join(c for c in cells if c)
        if line:
            out.append(line)
    for node in el.iter():
        if node is not el and node.tail and node.tail.strip() and _tag(node) in ("row", "cell"):
            out.append(_lines(node.tail))


def _block_content(el: Any, out: list[str]) -> None:
    if _has_blocks(el):
        _container(el, out)
    else:
        txt = inline_text(el)
        if txt:
            out.append(txt)


def _block(el: Any, out: list[str]) -> None:
    tag = _tag(el)
    if tag == "list":
        _list(el, out)
    elif tag == "table":
        _table(el, out)
    else:
        _block_content(el, out)


def body_paragraphs(body: Any) -> list[str]:
    """trafilatura's output tree as paragraphs: headings, paragraphs, quotes, list items
    ("• "), table rows (cells joined by " | "), and any text between them."""
    out: list[str] = []
    _container(body, out)
    return out
