"""trafilatura's output tree to paragraphs, every piece of text read: an element's own text,
the text between its children (tails), and lines broken by ``<lb/>``."""

from __future__ import annotations

import re
from typing import Any

# Elements that make paragraphs of their own; anything else (hi, ref, del, span...) is inline.
BLOCKS = frozenset({"p", "head", "quote", "list", "item", "table", "row", "cell",
                    "div", "section", "main", "doc", "body", "article", "blockquote", "pre",
                    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "tr", "td", "th"})
LINE_BREAKS = frozenset({"lb", "br"})
# Inline elements that sit inside a word's run of text; any other element (a tag trafilatura
# passes through from the page, such as a citation's author group) ends in a space, as in
# trafilatura's own text output.
_INLINE = frozenset({"hi", "ref", "del", "a", "b", "i", "em", "strong", "span", "sub", "sup",
                     "small", "u", "s", "mark", "abbr", "cite", "font", "q", "code", "tt", "kbd",
                     "var", "time", "bdi", "bdo", "ins", "basefont", "wbr"})
_CELLS = frozenset({"cell", "td", "th"})
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def _tag(el: Any) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _is_block(el: Any) -> bool:
    """A paragraph-making element; ``code`` is one only when it holds blocks (a listing that
    trafilatura wrapped around a page's markup), else it is inline ("<code>import</code>ing")."""
    tag = _tag(el)
    return tag in BLOCKS or (tag == "code" and any(_is_block(c) for c in el))


def _lines(raw: str) -> str:
    """Inline text with white space runs collapsed, ``\\n`` kept between non-empty lines."""
    if "\n" not in raw:
        return _WS.sub(" ", raw).strip()
    return "\n".join(filter(None, (_WS.sub(" ", ln).strip() for ln in raw.split("\n"))))


def _raw(node: Any, parts: list[str]) -> None:
    """Every piece of text inside ``node`` (not its tail), a line break or block edge as \\n."""
    if node.text and _tag(node) not in LINE_BREAKS:
        parts.append(node.text)
    for child in node:
        if _tag(child) in LINE_BREAKS:
            parts.append("\n")
        elif _is_block(child):
            parts.append("\n")
            _raw(child, parts)
            parts.append("\n")
        else:
            _raw(child, parts)
            if _tag(child) not in _INLINE:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def inline_text(el: Any) -> str:
    """All text inside ``el`` as one paragraph (a line break as ``\\n``)."""
    parts: list[str] = []
    _raw(el, parts)
    return _lines("".join(parts))


def _has_blocks(el: Any) -> bool:
    return any(_is_block(child) for child in el)


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
        if _is_block(child):
            flush()
            _block(child, out)
        elif tag in LINE_BREAKS:
            run.append("\n")
        elif tag:
            _raw(child, run)
            if tag not in _INLINE:
                run.append(" ")
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
        elif _is_block(child):
            _block(child, out)
        if child.tail and child.tail.strip():
            out.append(_lines(child.tail))


def _rows(el: Any) -> list[Any]:
    """The table's own rows (not those of a table nested in a cell)."""
    return [r for r in el.iter("row", "tr") if next(r.iterancestors("table"), None) is el]


def _lays_out(rows: list[Any]) -> bool:
    """The table of these rows lays out a page (readability hands back old pages' layout
    tables): a cell holds a table or two blocks or more, which a table of data does not."""
    for row in rows:
        for cell in row:
            if _tag(cell) in _CELLS and (cell.find(".//table") is not None
                                         or sum(map(_is_block, cell)) >= 2):
                return True
    return False


def _table(el: Any, out: list[str]) -> None:
    """One paragraph per row, cells joined by " | " (trafilatura's row/cell, or the page's own
    tr/td/th it sometimes passes through); a nested table is read inside its cell. A table
    that lays out a page is read as the paragraphs its cells hold."""
    rows = _rows(el)
    if _lays_out(rows):
        _container(el, out)
        return
    for row in rows:
        cells = [inline_text(c).replace("\n", " ") for c in row if _tag(c) in _CELLS]
        line = " | ".join(c for c in cells if c)
        if line:
            out.append(line)
        tails = [c.tail for c in row if c.tail and c.tail.strip()]
        if row.tail and row.tail.strip():
            tails.append(row.tail)
        out.extend(_lines(t) for t in tails)


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
