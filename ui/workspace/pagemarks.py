"""What the page view draws over a page: highlights (multiplied like ink on paper), the selected
claim's frame, OCR words it was unsure of, find hits, the selection and the flash."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QRegion

from casefile.importers.ocr_engine import LOW_CONFIDENCE
from casefile.layout import PageLayout, Rect

if TYPE_CHECKING:
    from ui.workspace.pageview import PageHighlight, PageView

DEFAULT = "#fff176"
SELECTION = QColor(51, 136, 255, 90)
SELECTION_EDGE = QColor("#1e88e5")  # the text view's selection colour
HIT = QColor("#ff9100")
FLASH = QColor("#ff3d00")
LOW_CONF = QColor("#e65100")  # dotted underline of a word OCR was unsure of
LOW_CONF_TINT = QColor(255, 145, 0, 40)
Marks = dict[int, list[tuple[Rect, QColor, bool, str]]]


def highlight_rects(layout: PageLayout | None, items: Iterable[PageHighlight], text: str = ""
                    ) -> Marks:
    """Per page: (rectangle in points, colour, emphasised, highlight id) of every highlight
    (``text``: the document's, to cut words in part where their letters are)."""
    out: Marks = {}
    if layout is None:
        return out
    for h in items:
        color = QColor(h.color if QColor.isValidColorName(h.color) else DEFAULT)
        for page, r in layout.rects(h.start, h.end, text):
            out.setdefault(page, []).append((r, color, h.emphasis, h.id))
    return out


def _spans(view: PageView, layout: PageLayout, page: int, spans) -> list:
    return [view.to_view(page, r) for a, b in spans for pg, r in layout.rects(a, b, view.text)
            if pg == page]


def paint_selection(p: QPainter, selected: list[QRectF], highlighted: list[QRectF]) -> None:
    """The selection: tinted where the page is bare, framed everywhere. A highlight under it
    keeps its own colour, as in the text view (a blue wash over yellow read as a green
    highlight)."""
    boxes = [r.adjusted(-1, -1, 1, 1) for r in selected]
    bare = QRegion()
    for r in boxes:
        bare |= QRegion(r.toAlignedRect())
    for r in highlighted:
        bare -= QRegion(r.toAlignedRect())
    p.save()
    p.setClipRegion(bare)
    for r in boxes:
        p.fillRect(r, SELECTION)
    p.restore()
    p.setPen(QPen(SELECTION_EDGE, 1.5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for r in boxes:
        p.drawRect(r)


def paint_marks(view: PageView, p: QPainter, page: int, rects) -> None:
    """Draw one page's marks; ``rects`` are that page's entries of ``highlight_rects``."""
    p.save()
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    for r, color, _emph, _hid in rects:
        p.fillRect(view.to_view(page, r), color)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    for r, color, emph, _hid in rects:
        if emph:
            p.setPen(QPen(color.darker(170), 2))
            p.drawRect(view.to_view(page, r).adjusted(-1, -1, 1, 1))
    lay = view.layout_
    if lay is not None:
        pen = QPen(LOW_CONF, max(1.0, view.zoom))
        pen.setStyle(Qt.PenStyle.DotLine)
        p.setPen(pen)
        words = lay.words_on(page)
        for i in words:
            if 0 <= lay.conf[i] < LOW_CONFIDENCE:
                r = view.to_view(page, lay.box(i))
                p.fillRect(r, LOW_CONF_TINT)
                p.drawLine(r.bottomLeft() + QPointF(0, 2), r.bottomRight() + QPointF(0, 2))
        n = view._hit_len
        if view._hits and words:
            lo, hi = lay.start[words[0]], lay.end[words[-1]]
            p.setPen(QPen(HIT, 2))
            for r in _spans(view, lay, page, [(h, h + n) for h in view._hits
                                              if lo - n <= h <= hi]):
                p.drawRect(r.adjusted(-1, -1, 1, 1))
        if view._selection is not None:
            paint_selection(p, _spans(view, lay, page, [view._selection]),
                            [view.to_view(page, r) for r, _c, _e, _h in rects])
        if view._flash is not None:
            p.setPen(QPen(FLASH, 3))
            for r in _spans(view, lay, page, [view._flash]):
                p.drawRect(r.adjusted(-3, -3, 3, 3))
    p.restore()
