"""The page view: a document's pages as printed, with highlights over their words, selection
by word, zoom, find and page navigation. Offsets in and out are code points of the canonical
text (the layout maps them to word boxes); pages render lazily on ``PageRenderer``'s thread,
large ones in tiles covering only what is in view."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from casefile.layout import PageLayout, Rect
from casefile.textmatch import snap_to_words
from ui.workspace.pagemarks import highlight_rects, paint_marks
from ui.workspace.pagerender import PageRenderer

GAP = 12  # pixels between pages and around them
MIN_ZOOM, MAX_ZOOM = 0.2, 6.0
AHEAD = 3  # pages rendered beyond the viewport in the scroll direction
FLASH_MS = 900


@dataclass(frozen=True)
class PageHighlight:
    """What the page view needs of a highlight: where it is and how to colour it."""

    id: str
    start: int
    end: int
    color: str
    emphasis: bool = False


class PageView(QAbstractScrollArea):
    """Pages stacked vertically. ``selection_changed(start, end)`` (-1, -1 when cleared) and
    ``clicked(offset, ids)`` report what the analyst did, in canonical-text offsets."""

    selection_changed = Signal(int, int)
    clicked = Signal(int, tuple)  # offset under a plain click, highlight ids there
    page_changed = Signal(int)  # 0-based page at the top of the view
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pageView")
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.renderer: PageRenderer | None = None
        self.sizes: list[tuple[float, float]] = []
        self.layout_: PageLayout | None = None
        self.text = ""
        self.zoom = 1.0
        self.fit = "width"  # "width", "page" or "" (the zoom the analyst chose)
        self.describe: Callable[[list[str]], str] = lambda ids: ""
        self._tops: list[float] = []
        self._highlights: list[PageHighlight] = []
        self._rects: dict[int, list[tuple[Rect, QColor, bool, str]]] | None = None
        self._selection: tuple[int, int] | None = None
        self._anchor: int | None = None
        self._pressed = False
        self._dragged = False
        self._hits: list[int] = []
        self._hit_len = 0
        self._current_hit = -1
        self._flash: tuple[int, int] | None = None
        self._last_scroll = 0
        self._page = -1
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())

    # -- content --------------------------------------------------------------------------
    def set_document(self, renderer: PageRenderer | None, text: str,
                     layout: PageLayout | None = None) -> None:
        if self.renderer is not None and self.renderer is not renderer:
            self.renderer.ready.disconnect(self._page_ready)
        self.renderer = renderer
        self.sizes = list(renderer.source.sizes) if renderer is not None else []
        self.text = text
        self.layout_ = layout
        self._rects = None
        self._selection = self._anchor = None
        self._hits, self._current_hit, self._flash, self._page = [], -1, None, -1
        if renderer is not None:
            renderer.ready.connect(self._page_ready)
        self._relayout()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def set_layout(self, layout: PageLayout | None) -> None:
        """Word boxes arrived (or were rebuilt): selection and highlights become available."""
        self.layout_ = layout
        self._rects = None
        self.viewport().update()

    def set_highlights(self, items: Iterable[PageHighlight]) -> None:
        self._highlights = sorted(items, key=lambda h: (h.start, h.end))
        self._rects = None
        self.viewport().update()

    @property
    def has_words(self) -> bool:
        return self.layout_ is not None and len(self.layout_) > 0

    # -- geometry -------------------------------------------------------------------------
    def _relayout(self) -> None:
        if self.fit and self.sizes:
            vw = max(50, self.viewport().width() - 2 * GAP)
            maxw = max(w for w, _h in self.sizes)
            z = vw / maxw
            if self.fit == "page":
                maxh = max(h for _w, h in self.sizes)
                z = min(z, max(50, self.viewport().height() - 2 * GAP) / maxh)
            self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, z))
        y = float(GAP)
        self._tops = []
        for _w, h in self.sizes:
            self._tops.append(y)
            y += h * self.zoom + GAP
        total_h = int(y)
        total_w = int(max((w for w, _h in self.sizes), default=0) * self.zoom + 2 * GAP)
        vs, hs = self.verticalScrollBar(), self.horizontalScrollBar()
        vs.setRange(0, max(0, total_h - self.viewport().height()))
        vs.setPageStep(self.viewport().height())
        vs.setSingleStep(40)
        hs.setRange(0, max(0, total_w - self.viewport().width()))
        hs.setPageStep(self.viewport().width())
        hs.setSingleStep(40)

    def page_rect(self, page: int) -> QRectF:
        """Where page ``page`` is in viewport pixels."""
        w, h = self.sizes[page]
        total_w = max(self.viewport().width(),
                      max(pw for pw, _ph in self.sizes) * self.zoom + 2 * GAP)
        x = (total_w - w * self.zoom) / 2 - self.horizontalScrollBar().value()
        y = self._tops[page] - self.verticalScrollBar().value()
        return QRectF(x, y, w * self.zoom, h * self.zoom)

    def to_view(self, page: int, r: Rect) -> QRectF:
        pr = self.page_rect(page)
        z = self.zoom
        return QRectF(pr.x() + r[0] * z, pr.y() + r[1] * z, (r[2] - r[0]) * z,
                      (r[3] - r[1]) * z)

    def at(self, pos: QPointF) -> tuple[int, float, float] | None:
        """(page, x, y in points) under a viewport position, or None between pages."""
        if not self.sizes:
            return None
        y = pos.y() + self.verticalScrollBar().value()
        p = max(0, bisect_right(self._tops, y) - 1)
        pr = self.page_rect(p)
        if not pr.adjusted(-GAP / 2, -GAP / 2, GAP / 2, GAP / 2).contains(pos):
            return None
        return p, (pos.x() - pr.x()) / self.zoom, (pos.y() - pr.y()) / self.zoom

    def visible_pages(self) -> range:
        if not self.sizes:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect_right(self._tops, top) - 1)
        last = max(first, bisect_right(self._tops, bottom) - 1)
        return range(first, min(len(self.sizes), last + 1))

    def current_page(self) -> int:
        """The page filling the top half of the view (0-based)."""
        if not self.sizes:
            return 0
        mid = self.verticalScrollBar().value() + self.viewport().height() / 3
        return max(0, min(len(self.sizes) - 1, bisect_right(self._tops, mid) - 1))

    # -- navigation -----------------------------------------------------------------------
    def go_to_page(self, page: int) -> None:
        if self.sizes:
            page = max(0, min(len(self.sizes) - 1, page))
            self.verticalScrollBar().setValue(int(self._tops[page] - GAP))

    def set_fit(self, mode: str) -> None:
        """Fit "width" or "page"; the page in view stays in view."""
        page = self.current_page()
        self.fit = mode
        self._relayout()
        self.go_to_page(page)
        self.zoom_changed.emit(self.zoom)
        self.viewport().update()

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` pixels per point, keeping the point under ``anchor`` still."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        anchor = anchor or QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        here = self.at(anchor)
        self.fit = ""
        self.zoom = zoom
        self._relayout()
        if here is not None:
            p, x, y = here
            pr = self.page_rect(p)
            vs, hs = self.verticalScrollBar(), self.horizontalScrollBar()
            vs.setValue(int(vs.value() + pr.y() + y * zoom - anchor.y()))
            hs.setValue(int(hs.value() + pr.x() + x * zoom - anchor.x()))
        self.zoom_changed.emit(self.zoom)
        self.viewport().update()

    def top_offset(self) -> int | None:
        """The text offset of the first word in view (where the reader is), if known."""
        if not self.has_words:
            return None
        assert self.layout_ is not None
        for p in self.visible_pages():
            pr = self.page_rect(p)
            for i in self.layout_.words_on(p):
                r = self.to_view(p, self.layout_.box(i))
                if r.bottom() >= 0 and pr.height() > 0:
                    return self.layout_.start[i]
        return None

    def scroll_to_offset(self, offset: int, *, centre: bool = False) -> bool:
        """Scroll so the word at ``offset`` is at the top (or centre) of the view."""
        if not self.has_words:
            return False
        assert self.layout_ is not None
        i = self.layout_.word_index_at_offset(offset)
        if i is None:
            return False
        p = self.layout_.page[i]
        r = self.to_view(p, self.layout_.box(i))
        vs = self.verticalScrollBar()
        target = (r.center().y() - self.viewport().height() / 2) if centre else (r.top() - GAP)
        vs.setValue(int(vs.value() + target))
        hs = self.horizontalScrollBar()
        if r.left() < 0 or r.right() > self.viewport().width():
            hs.setValue(int(hs.value() + r.left() - GAP))
        return True

    def show_range(self, start: int, end: int, *, flash: bool = True) -> None:
        """Bring ``[start, end)`` into view (centred) and flash it."""
        self.scroll_to_offset(start, centre=True)
        if flash:
            self._flash = (start, end)
            self.viewport().update()
            QTimer.singleShot(FLASH_MS, self._end_flash)

    def _end_flash(self) -> None:
        self._flash = None
        self.viewport().update()

    @property
    def flashing(self) -> bool:
        return self._flash is not None

    # -- selection ------------------------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        return self._selection

    def set_selection(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (drawn over its words); an empty range clears it."""
        sel = (start, end) if end > start else None
        if sel != self._selection:
            self._selection = sel
            self.viewport().update()
            self.selection_changed.emit(*(sel or (-1, -1)))

    def _select_words(self, a: int, b: int) -> None:
        """Select word boxes ``a`` to ``b`` by the text view's rule (``snap_to_words``): the
        punctuation a box carries ("Mosul.", "August,") stays out of the quote."""
        assert self.layout_ is not None
        lo, hi = min(a, b), max(a, b)
        snapped = snap_to_words(self.text, self.layout_.start[lo], self.layout_.end[hi])
        self.set_selection(*(snapped or (0, 0)))

    def highlights_at(self, offset: int) -> list[str]:
        return [h.id for h in self._highlights if h.start <= offset < h.end]

    # -- find -----------------------------------------------------------------------------
    def set_search(self, needle: str) -> int:
        """Mark every hit of ``needle`` (case-insensitive); returns how many there are."""
        self._hits, self._hit_len, self._current_hit = [], len(needle), -1
        if needle:
            folded = self.text.casefold()
            same = len(folded) == len(self.text)
            hay = folded if same else self.text
            n = needle.casefold() if same else needle
            i = hay.find(n)
            while i >= 0:
                self._hits.append(i)
                i = hay.find(n, i + max(1, len(n)))
        self.viewport().update()
        return len(self._hits)

    def find_next(self, backward: bool = False) -> int:
        """Select and show the next (previous) hit; returns its 1-based number."""
        if not self._hits:
            return 0
        k = self._current_hit
        if k < 0:
            here = self._selection[0] if self._selection else (self.top_offset() or 0)
            after = [i for i, h in enumerate(self._hits) if h >= here]
            k = (after[0] if after else 0) if not backward else (
                (after[0] - 1) if after else len(self._hits) - 1)
        else:
            k = (k + (-1 if backward else 1)) % len(self._hits)
        self._current_hit = k % len(self._hits)
        start = self._hits[self._current_hit]
        self.set_selection(start, start + self._hit_len)
        self.show_range(start, start + self._hit_len, flash=False)
        return self._current_hit + 1

    # -- painting -------------------------------------------------------------------------
    def _highlight_rects(self) -> dict[int, list[tuple[Rect, QColor, bool, str]]]:
        if self._rects is None:
            self._rects = highlight_rects(self.layout_, self._highlights, self.text)
        return self._rects

    def paintEvent(self, e: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        p.fillRect(self.viewport().rect(), QColor("#8a9499"))
        if not self.sizes:
            p.end()
            return
        pages = self.visible_pages()
        scale = self.zoom * self.devicePixelRatioF()
        visible = self._visible_parts(pages, scale)
        self._request(pages, scale, visible)
        rects = self._highlight_rects()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for n in pages:
            pr = self.page_rect(n)
            hit = self.renderer.image(n) if self.renderer is not None else None
            why = self.renderer.unshowable.get(n) if self.renderer is not None else None
            if hit is None or why:
                p.fillRect(pr, QColor("white"))
                p.setPen(QColor("#b0bec5"))
                p.drawText(pr, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                           f"page {n + 1}" + (f"\n\n{why[:1].upper()}{why[1:]}." if why else ""))
            else:
                p.drawImage(pr, hit[1])
            if n in visible and self.renderer is not None:
                z = self.zoom
                for r, img in self.renderer.tiles(n, scale, visible[n]):
                    p.drawImage(QRectF(pr.x() + r.x() * z, pr.y() + r.y() * z, r.width() * z,
                                       r.height() * z), img)
            paint_marks(self, p, n, rects.get(n, ()))
        p.end()

    def _visible_parts(self, pages: range, scale: float) -> dict[int, QRectF]:
        """For each page too large to render whole at ``scale``: the part in view, in points
        (only that part is rendered sharp, in tiles)."""
        if self.renderer is None:
            return {}
        out = {}
        view = QRectF(self.viewport().rect())
        for n in pages:
            if self.renderer.tiled(n, scale):
                pr = self.page_rect(n)
                part = pr.intersected(view)
                if not part.isEmpty():
                    z = self.zoom
                    out[n] = QRectF((part.x() - pr.x()) / z, (part.y() - pr.y()) / z,
                                    part.width() / z, part.height() / z)
        return out

    def _request(self, pages: range, scale: float, visible: dict[int, QRectF]) -> None:
        if self.renderer is None or not pages:
            return
        down = self.verticalScrollBar().value() >= self._last_scroll
        n = len(self.sizes)
        after = range(pages.stop, min(n, pages.stop + AHEAD))
        before = range(max(0, pages.start - 1), pages.start)
        ahead = [*after, *before] if down else [*reversed(before), *after]
        self.renderer.request([*pages, *ahead], scale, visible)

    def _page_ready(self, page: int) -> None:
        if page in self.visible_pages():
            self.viewport().update()

    def _scrolled(self, value: int) -> None:
        self.viewport().update()
        page = self.current_page()
        if page != self._page:
            self._page = page
            self.page_changed.emit(page)
        QTimer.singleShot(0, lambda v=value: setattr(self, "_last_scroll", v))

    # -- events ---------------------------------------------------------------------------
    def resizeEvent(self, e) -> None:
        page = self.current_page()
        old_top = self._tops[page] if self._tops else 0
        offset = self.verticalScrollBar().value() - old_top
        old_zoom = self.zoom
        super().resizeEvent(e)
        self._relayout()
        if self._tops:
            self.verticalScrollBar().setValue(
                int(self._tops[page] + offset * self.zoom / max(old_zoom, 1e-6)))
        if abs(old_zoom - self.zoom) > 1e-6:
            self.zoom_changed.emit(self.zoom)

    def wheelEvent(self, e: QWheelEvent) -> None:
        if e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = e.angleDelta().y() / 120
            if steps:
                self.set_zoom(self.zoom * (1.1 ** steps), e.position())
            e.accept()
            return
        super().wheelEvent(e)

    def _word_under(self, pos: QPointF, nearest: bool) -> int | None:
        if self.layout_ is None:
            return None
        here = self.at(pos)
        if here is None:
            return None
        return self.layout_.word_at(*here, nearest=nearest)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton or self.layout_ is None:
            return super().mousePressEvent(e)
        self.setFocus()
        word = self._word_under(e.position(), nearest=True)
        if word is None:
            self.set_selection(0, 0)
            return
        if e.modifiers() & Qt.KeyboardModifier.ShiftModifier and self._anchor is not None:
            self._select_words(self._anchor, word)
            return
        self._anchor = word
        self._pressed, self._dragged = True, False
        self.set_selection(0, 0)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        over = self._word_under(e.position(), nearest=False)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor if over is not None
                                  else Qt.CursorShape.ArrowCursor)
        if self._pressed and self._anchor is not None:
            word = self._word_under(e.position(), nearest=True)
            if word is not None and (word != self._anchor or self._dragged):
                self._dragged = True
                self._select_words(self._anchor, word)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(e)
        was_drag = self._dragged
        self._pressed = self._dragged = False
        if was_drag or self.layout_ is None:
            return
        word = self._word_under(e.position(), nearest=False)
        if word is not None and self._selection is None:
            offset = self.layout_.start[word]
            self.clicked.emit(offset, tuple(self.highlights_at(offset)))

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        word = self._word_under(e.position(), nearest=False)
        if word is not None:
            self._anchor = word
            self._select_words(word, word)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.matches(QKeySequence.StandardKey.Copy) and self._selection:
            QGuiApplication.clipboard().setText(self.text[slice(*self._selection)])
            return
        vs = self.verticalScrollBar()
        keys = {Qt.Key.Key_Home: lambda: vs.setValue(0),
                Qt.Key.Key_End: lambda: vs.setValue(vs.maximum()),
                Qt.Key.Key_Space: lambda: vs.setValue(vs.value() + vs.pageStep() - 40)}
        if e.key() in keys and not e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            keys[e.key()]()
            return
        super().keyPressEvent(e)

    def viewportEvent(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            word = self._word_under(QPointF(e.pos()), False)
            ids = self.highlights_at(self.layout_.start[word]) if (
                word is not None and self.layout_ is not None) else []
            tip = self.describe(ids) if ids else ""
            if tip:
                QToolTip.showText(e.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(e)
