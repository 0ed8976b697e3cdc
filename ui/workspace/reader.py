"""The reader: a document's canonical text, its highlights, pages, find, hover and flash."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from casefile.services.records import DocumentRecord, HighlightRecord
from casefile.textmatch import snap_to_words
from casefile.translit import has_rtl
from ui.workspace.highlighter import CLAIM_COLOR, DEFAULT_COLOR, HighlightPainter
from ui.workspace.intervals import IntervalIndex, Span
from ui.workspace.models import as_read, published_text
from ui.workspace.offsets import OffsetMap

FLASH_MS = 900
MAX_LINE_CHARS = 84  # a comfortable line for reading long articles
MAX_HITS_DRAWN = 400


class ReaderView(QPlainTextEdit):
    """Read-only text with highlights drawn by ``HighlightPainter`` from an interval index.

    All public offsets are code points (the core's); conversion to UTF-16 happens here.
    """

    highlight_clicked = Signal(tuple)  # ids of the highlights under a plain click
    highlights_changed = Signal()  # records, colours or emphasis changed (the page view redraws)
    passage_shown = Signal(int, int)  # show_passage was asked for [start, end) (code points)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(14)
        self.omap = OffsetMap("")
        self.text = ""
        self.records: dict[str, HighlightRecord] = {}
        self.tag_colors: dict[str, str] = {}
        self.describe: Callable[[list[HighlightRecord]], str] = lambda recs: ""
        self.context_actions: list[QAction] = []
        self.index = IntervalIndex()
        self.painter = HighlightPainter(self.document(), self.index)
        self.page_starts: list[int] = []  # UTF-16
        self._flash: tuple[int, int] | None = None
        self._hits: list[int] = []  # code points
        self._hit_len = 0
        self._in_margins = False
        self.verticalScrollBar().valueChanged.connect(self._update_extra)

    # -- content --------------------------------------------------------------------------
    def load(self, text: str, records: Iterable[HighlightRecord],
             page_starts: Iterable[int] = ()) -> None:
        """Show ``text`` with its highlights; ``page_starts`` are code-point offsets."""
        self.omap = OffsetMap(text)
        self.text = text
        self.records = {r.id: r for r in records}
        self._hits = []
        self._flash = None
        self.page_starts = [self.omap.to_utf16(p) for p in page_starts if p > 0]
        self._rebuild_index()
        self.painter.clear_cache()
        # The painter stays attached: setPlainText formats every block synchronously, once.
        self._set_alignment(text)
        self.setPlainText(text)
        self._update_extra()
        self.highlights_changed.emit()

    def _set_alignment(self, text: str) -> None:
        """Each paragraph reads in its own direction, from its first strong letter (Qt's
        bidi does that); this aligns it to its own side: QPlainTextEdit honours no block
        formats, but lays out a right-to-left line of a justified text flush right. So a text
        with right-to-left paragraphs is justified (their last lines flush right, an English
        paragraph's flush left); any other text stays ragged left."""
        option = self.document().defaultTextOption()
        align = Qt.AlignmentFlag.AlignJustify if has_rtl(text) else Qt.AlignmentFlag.AlignLeft
        if option.alignment() != align:
            option.setAlignment(align)
            self.document().setDefaultTextOption(option)

    def color_of(self, r: HighlightRecord) -> str:
        if r.color:
            return r.color
        for t in r.tag_ids:
            if self.tag_colors.get(t):
                return self.tag_colors[t]
        return CLAIM_COLOR if r.claim_ids else DEFAULT_COLOR

    def _rebuild_index(self) -> None:
        to16 = self.omap.to_utf16
        self.index.rebuild(Span(r.id, to16(r.start), to16(r.end), self.color_of(r))
                           for r in self.records.values() if r.anchor != "orphan")

    def update_highlights(self, changed: Iterable[HighlightRecord], removed: Iterable[str]
                          ) -> None:
        """Apply a few changed or removed highlights and repaint only their blocks."""
        removed = [hid for hid in removed if self.records.pop(hid, None) is not None]
        changed = list(changed)
        for r in changed:
            self.records[r.id] = r
        to16 = self.omap.to_utf16
        stretch = self.index.update(
            [Span(r.id, to16(r.start), to16(r.end), self.color_of(r)) for r in changed
             if r.anchor != "orphan"],
            removed + [r.id for r in changed if r.anchor == "orphan"])
        if stretch is not None:
            self.painter.rehighlight_range(*stretch)
        self.highlights_changed.emit()

    def set_all_highlights(self, records: Iterable[HighlightRecord]) -> None:
        self.records = {r.id: r for r in records}
        self._rebuild_index()
        self.painter.clear_cache()
        self.painter.rehighlight()
        self.highlights_changed.emit()

    def set_emphasis(self, highlight_ids: Iterable[str]) -> None:
        """Draw these highlights bold (the passages of the selected claim)."""
        ids = set(highlight_ids)
        old = self.painter.emphasis
        if ids == old:
            return
        self.painter.emphasis = ids
        for hid in ids ^ old:
            r = self.records.get(hid)
            if r is not None:
                self.painter.rehighlight_range(self.omap.to_utf16(r.start),
                                               self.omap.to_utf16(r.end))
        self.highlights_changed.emit()

    # -- selection and navigation -----------------------------------------------------------
    def selected_range(self) -> tuple[int, int] | None:
        """The selection in code points, or None."""
        c = self.textCursor()
        if not c.hasSelection():
            return None
        a = self.omap.to_codepoint(c.selectionStart())
        b = self.omap.to_codepoint(c.selectionEnd())
        # A selection ending inside a surrogate pair takes the whole character.
        if self.omap.to_utf16(b) < c.selectionEnd():
            b += 1
        while a < b and self.text[a].isspace():  # white space at the ends is never meant
            a += 1
        while b > a and self.text[b - 1].isspace():
            b -= 1
        return (a, b) if b > a else None

    def select_range(self, start: int, end: int) -> None:
        c = self.textCursor()
        c.setPosition(self.omap.to_utf16(start))
        c.setPosition(self.omap.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)

    def highlights_at(self, cp: int) -> list[HighlightRecord]:
        ids = self.index.at(self.omap.to_utf16(cp))
        return [self.records[i] for i in ids if i in self.records]

    def show_passage(self, start: int, end: int, *, flash: bool = True) -> None:
        """Scroll so the passage is in view (centred) and flash it."""
        self.passage_shown.emit(start, end)
        a, b = self.omap.to_utf16(start), self.omap.to_utf16(end)
        c = self.textCursor()
        c.setPosition(min(b, self.document().characterCount() - 1))
        self.setTextCursor(c)
        c.setPosition(a)
        self.setTextCursor(c)
        self.centerCursor()
        if flash:
            self._flash = (a, b)
            self._update_extra()
            QTimer.singleShot(FLASH_MS, self._end_flash)

    def _end_flash(self) -> None:
        self._flash = None
        self._update_extra()

    def is_visible_range(self, start: int) -> bool:
        """Whether code point ``start`` is inside the viewport."""
        c = QTextCursor(self.document())
        c.setPosition(self.omap.to_utf16(start))
        r = self.cursorRect(c)
        return self.viewport().rect().contains(r.center())

    # -- find -----------------------------------------------------------------------------
    def set_search(self, needle: str) -> int:
        """Mark every hit of ``needle`` (case-insensitive); returns how many there are."""
        self._hits = []
        self._hit_len = len(needle)
        if needle:
            hay = self.text.casefold() if len(self.text.casefold()) == len(self.text) else None
            n = needle.casefold() if hay is not None else needle
            hay = hay if hay is not None else self.text
            i = hay.find(n)
            while i >= 0:
                self._hits.append(i)
                i = hay.find(n, i + max(1, len(n)))
        self._update_extra()
        return len(self._hits)

    def find_next(self, backward: bool = False) -> int:
        """Select the next (or previous) hit after the cursor; returns its 1-based number."""
        if not self._hits:
            return 0
        here = self.omap.to_codepoint(self.textCursor().selectionStart())
        if backward:
            before = [i for i, h in enumerate(self._hits) if h < here]
            k = before[-1] if before else len(self._hits) - 1
        else:
            after = [i for i, h in enumerate(self._hits) if h > here
                     or (h == here and not self.textCursor().hasSelection())]
            k = after[0] if after else 0
        self.select_range(self._hits[k], self._hits[k] + self._hit_len)
        self.ensureCursorVisible()
        return k + 1

    def _visible_span(self) -> tuple[int, int]:
        top = self.cursorForPosition(self.viewport().rect().topLeft()).position()
        bottom = self.cursorForPosition(self.viewport().rect().bottomRight()).position()
        return top, bottom

    def _update_extra(self) -> None:
        """ExtraSelections only for transient marks: search hits in view and the flash."""
        sels: list[QTextEdit.ExtraSelection] = []
        if self._hits:
            top, bottom = self._visible_span()
            lo, hi = self.omap.to_codepoint(top) - self._hit_len, self.omap.to_codepoint(bottom)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ffab40"))
            for h in self._hits:
                if lo <= h <= hi and len(sels) < MAX_HITS_DRAWN:
                    sels.append(self._extra(h, h + self._hit_len, fmt, codepoints=True))
        if self._flash is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ff7043"))
            fmt.setForeground(QColor("#ffffff"))
            sels.append(self._extra(*self._flash, fmt, codepoints=False))
        self.setExtraSelections(sels)

    def _extra(self, a: int, b: int, fmt: QTextCharFormat, *, codepoints: bool
               ) -> QTextEdit.ExtraSelection:
        if codepoints:
            a, b = self.omap.to_utf16(a), self.omap.to_utf16(b)
        sel = QTextEdit.ExtraSelection()
        c = QTextCursor(self.document())
        c.setPosition(a)
        c.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = c  # type: ignore[attr-defined]
        sel.format = fmt  # type: ignore[attr-defined]
        return sel

    @property
    def flashing(self) -> bool:
        return self._flash is not None

    # -- events ---------------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            pos = self.viewport().mapFrom(self, e.pos())
            u16 = self.cursorForPosition(pos).position()
            recs = self.highlights_at(self.omap.to_codepoint(u16))
            tip = self.describe(recs) if recs else ""
            if tip:
                QToolTip.showText(e.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def snap_selection(self) -> None:
        """Tidy a selection made with the mouse: trim stray spaces and punctuation, complete
        words cut at either end. Keyboard selections are left as made (extend on purpose)."""
        rng = self.selected_range()
        if rng is None:
            return
        snapped = snap_to_words(self.text, *rng)
        if snapped is None:
            self.select_range(rng[0], rng[0])
        elif snapped != rng:
            self.select_range(*snapped)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        super().mouseReleaseEvent(e)
        if e.button() == Qt.MouseButton.LeftButton and self.textCursor().hasSelection():
            self.snap_selection()
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            u16 = self.cursorForPosition(e.position().toPoint()).position()
            ids = tuple(r.id for r in self.highlights_at(self.omap.to_codepoint(u16)))
            self.highlight_clicked.emit(ids)

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = QMenu(self)
        for a in self.context_actions:
            menu.addAction(a)
        menu.addSeparator()
        copy = menu.addAction("Copy")
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setEnabled(self.textCursor().hasSelection())
        copy.triggered.connect(self.copy)
        menu.exec(e.globalPos())

    def resizeEvent(self, e) -> None:
        # Qt routes the viewport's resizes here too; margins are set from the widget's own
        # width before the base handler lays the text out for the viewport.
        self._keep_line_length()
        super().resizeEvent(e)

    def _keep_line_length(self) -> None:
        """Centre the text in a column of about ``MAX_LINE_CHARS`` characters: lines as wide
        as a 1920-pixel window are hard to read and to select from."""
        if self._in_margins:
            return
        fm = self.fontMetrics()
        column = int(fm.averageCharWidth() * MAX_LINE_CHARS + 2 * self.document().documentMargin())
        bar = self.verticalScrollBar().sizeHint().width()
        side = max(0, (self.width() - 2 * self.frameWidth() - bar - column) // 2)
        if self.viewportMargins().left() != side:
            self._in_margins = True  # changing margins resizes the viewport, which re-enters
            try:
                self.setViewportMargins(side, 0, side, 0)
            finally:
                self._in_margins = False

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        if not self.page_starts:
            return
        p = QPainter(self.viewport())
        pen = QPen(QColor("#90a4ae"))
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        offset = self.contentOffset()
        height = self.viewport().height()
        for n, pos in enumerate(self.page_starts, start=2):
            block = self.document().findBlock(pos)
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.bottom() < 0 or geo.top() > height:
                continue
            y = int(geo.top())
            p.drawLine(0, y, self.viewport().width(), y)
            p.drawText(QRect(self.viewport().width() - 70, y, 64, 16),
                       int(Qt.AlignmentFlag.AlignRight), f"page {n}")
        p.end()


class FindBar(QWidget):
    """Ctrl+F: a line edit with next/previous and a hit count."""

    def __init__(self, view: ReaderView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.edit = QLineEdit(placeholderText="Find in document")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("")
        prev, nxt, close = QToolButton(text="▲"), QToolButton(text="▼"), QToolButton(text="✕")
        prev.setToolTip("Previous (Shift+Enter)")
        nxt.setToolTip("Next (Enter)")
        close.setToolTip("Close (Esc)")
        for w in (QLabel("Find:"), self.edit, prev, nxt, self.count, close):
            lay.addWidget(w)
        lay.addStretch(1)
        self.edit.textChanged.connect(self._search)
        self.edit.returnPressed.connect(lambda: self._step(False))
        prev.clicked.connect(lambda: self._step(True))
        nxt.clicked.connect(lambda: self._step(False))
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        sel = self.view.selected_range()
        if sel and sel[1] - sel[0] < 80:
            self.edit.setText(self.view.text[sel[0]:sel[1]])
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.view.set_search("")
        self.hide()
        self.view.setFocus()

    def keyPressEvent(self, e) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.close_bar()
        elif e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                e.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self._step(True)
        else:
            super().keyPressEvent(e)

    def _search(self, text: str) -> None:
        n = self.view.set_search(text)
        self.count.setText(f"{n} found" if text else "")

    def _step(self, backward: bool) -> None:
        total = len(self.view._hits)
        k = self.view.find_next(backward)
        self.count.setText(f"{k} of {total}" if total else "not found")


class ReaderPane(QWidget):
    """Header, find bar and view for the open document; ``document_shown`` after each change."""

    document_shown = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document: DocumentRecord | None = None
        self.header = QLabel()
        self.header.setObjectName("readerHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setOpenExternalLinks(False)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view = ReaderView()
        self.find_bar = FindBar(self.view)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        lay.addWidget(self.find_bar)
        lay.addWidget(self.view, 1)

    def show_document(self, rec: DocumentRecord, text: str,
                      highlights: Iterable[HighlightRecord]) -> None:
        self.set_details(rec)
        self.view.load(text, highlights, rec.page_starts)
        self.document_shown.emit()

    def set_details(self, rec: DocumentRecord) -> None:
        """The header over the text: title, author, outlet, date (marked when guessed), URL."""
        self.document = rec
        bits = [html.escape(x) for x in (
            as_read(rec, "author", f"by {rec.author}") if rec.author else "",
            as_read(rec, "outlet", rec.outlet) if rec.outlet else "",
            f"forwarded from {rec.origin}" if rec.origin else "",
            published_text(rec) if rec.published else "",
            f"{rec.pages} pages" if rec.pages > 1 else "") if x]
        url = (f"<br><span style='color:#607d8b'>{html.escape(rec.url)}</span>"
               if rec.url else "")
        guess = " <i>(guess)</i>" if rec.is_guess("title") else ""
        self.header.setText(f"<b style='font-size:13pt'>{html.escape(rec.title)}</b>{guess}<br>"
                            f"{' · '.join(bits)}{url}")

    def clear(self) -> None:
        self.document = None
        self.header.setText("")
        self.view.load("", [])
        self.document_shown.emit()
