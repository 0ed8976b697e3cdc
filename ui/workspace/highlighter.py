"""Draws highlights per text block from an interval index (no ExtraSelections per highlight)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ui.workspace.intervals import IntervalIndex, Segment

DEFAULT_COLOR = "#fff176"  # a passage with neither tag nor claim
CLAIM_COLOR = "#90caf9"  # a passage that is evidence for a claim
EMPHASIS_INK = "#0b2545"  # text of the selected claim's passages


def blend(colors: tuple[str, ...]) -> QColor:
    """The mean of the colours, darkened a step for each extra layer so overlaps show."""
    qs = [QColor(c) if QColor.isValidColorName(c) else QColor(DEFAULT_COLOR) for c in colors]
    n = len(qs)
    c = QColor(sum(q.red() for q in qs) // n, sum(q.green() for q in qs) // n,
               sum(q.blue() for q in qs) // n)
    return c.darker(100 + 18 * (n - 1)) if n > 1 else c


class HighlightPainter(QSyntaxHighlighter):
    """Formats each block from ``index`` (UTF-16 positions, as QTextDocument counts)."""

    def __init__(self, document: QTextDocument, index: IntervalIndex):
        super().__init__(document)
        self.index = index
        self._formats: dict[tuple[tuple[str, ...], bool], QTextCharFormat] = {}
        self.emphasis: set[str] = set()  # highlight ids of the selected claim, drawn darker

    def _format(self, seg: Segment) -> QTextCharFormat:
        emph = bool(self.emphasis.intersection(seg.ids))
        key = (seg.colors, emph)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(blend(seg.colors))
            if seg.depth > 1:
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor("#37474f"))
            if emph:  # never bold: a heavier font would reflow the text under the reader's eyes
                fmt.setBackground(blend(seg.colors).darker(125))
                fmt.setForeground(QColor(EMPHASIS_INK))
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(EMPHASIS_INK))
            self._formats[key] = fmt
        return fmt

    def clear_cache(self) -> None:
        self._formats.clear()

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        start = block.position()
        end = start + block.length()
        for seg in self.index.segments_in(start, end):
            a = max(seg.start, start)
            b = min(seg.end, end)
            self.setFormat(a - start, b - a, self._format(seg))

    def rehighlight_range(self, start: int, end: int) -> None:
        """Re-run only the blocks that ``[start, end)`` (UTF-16) touches."""
        doc = self.document()
        block = doc.findBlock(start)
        while block.isValid() and block.position() <= end:
            self.rehighlightBlock(block)
            block = block.next()
