"""Item delegates: two-line rows (a title and a grey line of details) for narrow side lists."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from casefile.vocab import with_stance
from ui.base.tables import STANCE_COLORS, KeepEndRole, RecordRole, SubtitleRole, human_date

PAD = 4
DRAWN_ROWS = 400  # rows kept drawn (a few screens of a list)


def elide_keeping_end(fm: QFontMetrics, text: str, ends: tuple[str, ...], width: int) -> str:
    """``text`` elided to ``width`` pixels, keeping whole the first of ``ends`` (its ending,
    then shorter forms of it: what tells two documents of one title apart) that leaves a
    few letters of the rest readable."""
    if not ends or not text.endswith(ends[0]) or fm.horizontalAdvance(text) <= width:
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
    base = text[:-len(ends[0])]
    for end in ends:
        room = width - fm.horizontalAdvance(end)
        if room >= fm.horizontalAdvance("Tajik f…"):
            return fm.elidedText(base, Qt.TextElideMode.ElideRight, room) + end
    return fm.elidedText(base + ends[-1], Qt.TextElideMode.ElideMiddle, width)


class TwoLineDelegate(QStyledItemDelegate):
    """Title in bold on the first line, ``SubtitleRole`` in grey below, both elided to the
    width: a narrow list still shows whole words, and the tooltip has everything."""

    # whether ``lines`` reads the option the model fills in (its display text); a delegate
    # that reads its record itself skips that (a claims list repaints every row per edit)
    reads_model_option = True

    @staticmethod
    def row_height(font: QFont) -> int:
        return 2 * QFontMetrics(font).height() + 3 * PAD

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(120, self.row_height(option.font))

    def lines(self, opt: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> tuple[str, str, QColor | None]:
        """The title, the second line and its colour (None: the palette's grey)."""
        return opt.text, index.data(SubtitleRole) or "", None

    def paint(self, p: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        if self.reads_model_option:
            self.initStyleOption(opt, index)
        title, sub, sub_color = self.lines(opt, index)
        ends = tuple(index.data(KeepEndRole) or ())
        # A row looks the same until its texts, size or state change; an edit that adds a row
        # repaints every visible row, so each is drawn once into a pixmap and then copied.
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        key = (title, sub, sub_color.rgba() if sub_color else None, ends, opt.rect.size(),
               opt.state.value, opt.features.value, dpr, opt.font.key())
        pix = self._drawn.get(key)
        if pix is None:
            pix = QPixmap(opt.rect.size() * dpr)
            pix.setDevicePixelRatio(dpr)
            pix.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pix)
            opt.rect = QRect(QPoint(0, 0), opt.rect.size())
            self._draw(painter, opt, title, sub, sub_color, ends)
            painter.end()
            if len(self._drawn) >= DRAWN_ROWS:
                self._drawn.pop(next(iter(self._drawn)))
            self._drawn[key] = pix
        p.drawPixmap(option.rect.topLeft(), pix)

    @functools.cached_property
    def _drawn(self) -> dict[tuple, QPixmap]:
        return {}

    def _draw(self, p: QPainter, opt: QStyleOptionViewItem, title: str, sub: str,
              sub_color: QColor | None, ends: tuple[str, ...]) -> None:
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, p, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        r = opt.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        bold = QFont(opt.font)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(opt.palette.color(role))
        fm = QFontMetrics(bold)
        line1 = QRect(r.left(), r.top(), r.width(), fm.height())
        p.drawText(line1, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   elide_keeping_end(fm, title, ends, r.width()))
        p.setFont(opt.font)
        fm2 = QFontMetrics(opt.font)
        if not selected:
            p.setPen(sub_color or opt.palette.color(QPalette.ColorRole.PlaceholderText))
        line2 = QRect(r.left(), line1.bottom() + PAD, r.width(), fm2.height())
        p.drawText(line2, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   fm2.elidedText(sub, Qt.TextElideMode.ElideRight, r.width()))


class ClaimLinesDelegate(TwoLineDelegate):
    """A claim in a narrow case file: "subject · kind · date" (✓ when accepted in a conflict),
    the kind in the words every view and export uses for its stance ("death (denied)"), then
    the statement, coloured by the stance when it is not an assertion."""

    reads_model_option = False

    @staticmethod
    def texts(rec, accepted: bool) -> tuple[str, str]:
        when = human_date(rec.date) if rec.date else "no date"
        what = with_stance(rec.kind, rec.stance)
        title = " · ".join(x for x in (rec.subject or "(no subject)", what, when) if x)
        return ("✓ " if accepted else "") + title, rec.statement

    def lines(self, opt: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> tuple[str, str, QColor | None]:
        rec = index.data(RecordRole)
        if rec is None:
            return super().lines(opt, index)
        model = index.model()
        source = getattr(model, "sourceModel", lambda: model)()
        accepted = rec.id in getattr(source, "accepted", {})
        title, sub = self.texts(rec, accepted)
        color = QColor(STANCE_COLORS[rec.stance]) if rec.stance in ("denies", "doubts") \
            else None
        return title, sub, color


class RowLinesDelegate(TwoLineDelegate):
    """Two lines made by ``lines(row)`` from the row object a model gives under ``role``."""

    def __init__(self, lines: Callable[[Any], tuple[str, str]], role: int, parent=None):
        super().__init__(parent)
        self._lines, self._role = lines, role

    def lines(self, opt: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> tuple[str, str, QColor | None]:
        row = index.data(self._role)
        if row is None:
            return super().lines(opt, index)
        title, sub = self._lines(row)
        return title, sub, None
