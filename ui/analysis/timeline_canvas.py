"""The timeline's canvas: lanes per subject on a time axis, painted directly (20,000 claims stay
smooth), fitted to the data on every load, with wheel/pinch/+/− zoom, drag to pan, and labels
that never overlap."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QToolTip, QWidget

from casefile.analysis.timeline import TimelineEntry
from ui.analysis.timeline_layout import (
    MIN_MARK_W,
    MONTHS,
    Mark,
    Placed,
    describe,
    measure,
    pack,
    place,
    ticks,
)
from ui.base import plain

KIND_COLORS = {"death": "#455a64", "location": "#2e7d32", "role": "#6a1b9a",
               "membership": "#8e24aa", "relationship": "#00838f", "travel": "#1565c0",
               "arrest": "#ef6c00", "statement": "#5d4037"}
OTHER_COLOR = "#607d8b"
CONFLICT = QColor("#d32f2f")
ACCEPTED = QColor("#2e7d32")  # the claim the analyst accepted as its conflict's verdict
ROW_H = 20.0
LANE_PAD = 6.0
AXIS_H = 26.0
MAX_PX_PER_DAY = 400.0
ZOOM_STEP = 1.25


def kind_color(kind: str) -> QColor:
    return QColor(KIND_COLORS.get(kind, OTHER_COLOR))


class TimelineCanvas(QWidget):
    """Paints ``marks``; ``day0`` is the day at the plot's left edge, ``ppd`` pixels per day.
    The view follows the data (fits it) until the analyst zooms or pans; "fit" returns to that.
    """

    entryActivated = Signal(object)  # TimelineEntry
    viewChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setMinimumSize(320, 140)
        self.marks: list[Mark] = []
        self.lanes: list[tuple[str, str]] = []
        self.day0 = 0.0
        self.ppd = 1.0
        self.following = True  # fit on every resize and load until the user zooms or pans
        self.scroll_y = 0.0
        self._lane_rows: list[int] = []
        self._lane_top: list[float] = []
        self._packed_for: tuple[float, int] | None = None
        self._drawn: list[tuple[QRectF, Mark]] = []
        self._press: QPointF | None = None
        self._press_view: tuple[float, float] = (0.0, 0.0)
        self._dragged = False
        self.vbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.vbar.valueChanged.connect(self._scrolled)
        self.vbar.hide()
        self._fm = QFontMetricsF(self.font())
        # derived from the entries once per load, not per paint (20,000 marks, 2,000 lanes)
        self._lane_name_w = 60.0
        self._span: tuple[float, float] | None = None
        self._lane_bounds: list[tuple[int, int]] = []

    # -- data -----------------------------------------------------------------------------
    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        """Show these entries and fit them all in view (a change of data re-fits)."""
        self.set_placed(place(entries))

    def set_placed(self, placed: Placed) -> None:
        """Show marks prepared by ``place`` (possibly on another thread) and fit them."""
        measure(placed, self._fm)
        self.marks, self.lanes = placed.marks, placed.lanes
        self._lane_name_w, self._span = placed.lane_name_w, placed.span
        self._lane_bounds = placed.lane_bounds
        self.scroll_y = 0.0
        self._packed_for = None  # new marks: pack them even at an unchanged zoom
        self.fit()

    # -- geometry -------------------------------------------------------------------------
    @property
    def label_w(self) -> float:
        return min(max(90.0, self._lane_name_w + 16), max(90.0, self.width() * 0.22))

    def plot_rect(self) -> QRectF:
        """Where marks are drawn: right of the lane names, above the axis."""
        right = self.width() - (self.vbar.width() if self.vbar.isVisible() else 0)
        return QRectF(self.label_w, 0, max(10.0, right - self.label_w), max(
            10.0, self.height() - AXIS_H))

    def x_of(self, day: float) -> float:
        return self.plot_rect().left() + (day - self.day0) * self.ppd

    def day_at(self, x: float) -> float:
        return self.day0 + (x - self.plot_rect().left()) / self.ppd

    def data_span(self) -> tuple[float, float]:
        if self._span is None:
            today = float(date.today().toordinal())
            return today - 365, today
        return self._span

    def fit(self) -> None:
        """Everything in view: the whole span across the plot width, with a margin."""
        lo, hi = self.data_span()
        span = max(hi - lo, 1.0)
        width = self.plot_rect().width()
        longest_label = max((m.text_w for m in self.marks if m.d1 >= hi - span * 0.02),
                            default=0.0)
        # room on the right for the last mark's label, within reason
        usable = max(40.0, width - min(longest_label + 12, width * 0.3) - 12)
        self.ppd = min(MAX_PX_PER_DAY, usable / span)
        self.day0 = lo - 12 / self.ppd
        self.following = True
        self._repack()
        self.update()
        self.viewChanged.emit()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom the time axis by ``factor`` keeping the day under ``anchor_x`` in place."""
        plot = self.plot_rect()
        x = plot.center().x() if anchor_x is None else anchor_x
        day = self.day_at(x)
        lo, hi = self.data_span()
        min_ppd = plot.width() / max((hi - lo) * 8, 30.0)
        self.ppd = min(MAX_PX_PER_DAY, max(min_ppd, self.ppd * factor))
        self.day0 = day - (x - plot.left()) / self.ppd
        self.following = False
        self._repack()
        self.update()
        self.viewChanged.emit()

    def pan(self, dx: float, dy: float = 0.0) -> None:
        self.day0 -= dx / self.ppd
        if dy:
            self.vbar.setValue(int(self.vbar.value() - dy))
        self.following = False
        self.update()
        self.viewChanged.emit()

    # -- packing: rows within a lane so marks and labels never overlap ---------------------
    def _repack(self) -> None:
        key = (round(self.ppd, 6), len(self.marks))
        if key != self._packed_for:
            self._packed_for = key
            self._pack()
        self._update_scroll()

    def _pack(self) -> None:
        self._lane_rows = pack(self.marks, len(self.lanes), self.ppd)
        top = 0.0
        self._lane_top = []
        for rows in self._lane_rows:
            self._lane_top.append(top)
            top += rows * ROW_H + 2 * LANE_PAD

    def content_height(self) -> float:
        if not self._lane_top:
            return 0.0
        return self._lane_top[-1] + self._lane_rows[-1] * ROW_H + 2 * LANE_PAD

    def _update_scroll(self) -> None:
        room = self.height() - AXIS_H
        extra = self.content_height() - room
        self.vbar.setVisible(extra > 0)
        self.vbar.setRange(0, max(0, math.ceil(extra)))
        self.vbar.setPageStep(max(1, int(room)))
        self.vbar.setGeometry(self.width() - self.vbar.sizeHint().width(), 0,
                              self.vbar.sizeHint().width(), max(10, int(room)))
        self.scroll_y = float(self.vbar.value())

    def _scrolled(self, value: int) -> None:
        self.scroll_y = float(value)
        self.update()

    def mark_rect(self, m: Mark) -> QRectF:
        """The mark's bar in widget coordinates (without its label)."""
        x0 = self.x_of(m.d0)
        w = max(MIN_MARK_W, (m.d1 - m.d0) * self.ppd)
        if w == MIN_MARK_W and (m.d1 - m.d0) * self.ppd < MIN_MARK_W:
            x0 -= (MIN_MARK_W - (m.d1 - m.d0) * self.ppd) / 2
        y = self._lane_top[m.lane] + LANE_PAD + m.row * ROW_H + 3 - self.scroll_y
        return QRectF(x0, y, w, ROW_H - 6)

    def label_rect(self, m: Mark) -> QRectF | None:
        if not m.labelled:
            return None
        r = self.mark_rect(m)
        return QRectF(r.right() + 4, r.top() - 2, m.text_w + 2, ROW_H - 2)

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        self.paint(p)
        p.end()

    def paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        plot = self.plot_rect()
        self._drawn = []
        lane_bg = (QColor("#ffffff"), QColor("#f5f7fa"))
        for lane, top in enumerate(self._lane_top):
            h = self._lane_rows[lane] * ROW_H + 2 * LANE_PAD
            y = top - self.scroll_y
            if y > plot.bottom() or y + h < 0:
                continue
            p.fillRect(QRectF(0, y, self.width(), h), lane_bg[lane % 2])
        self._paint_grid(p, plot)
        p.save()
        p.setClipRect(plot)
        first, last = self.day_at(plot.left() - 200), self.day_at(plot.right())
        for a, b in self._lane_bounds:
            top = self._lane_top[self.marks[a].lane] - self.scroll_y
            h = self._lane_rows[self.marks[a].lane] * ROW_H + 2 * LANE_PAD
            if top > plot.bottom() or top + h < plot.top():
                continue
            lo = bisect_left(self.marks, first - 3660, a, b, key=lambda m: m.d0)
            hi = bisect_right(self.marks, last, a, b, key=lambda m: m.d0)
            drawn_to: dict[int, float] = {}
            for m in self.marks[lo:hi]:
                if m.d1 < first:
                    continue
                r = self.mark_rect(m)
                if r.right() <= drawn_to.get(m.row, -1e9) and not m.labelled:
                    continue  # hidden under what is already drawn
                drawn_to[m.row] = max(drawn_to.get(m.row, -1e9), r.right())
                self._paint_mark(p, m, r)
                self._drawn.append((r, m))
        p.restore()
        self._paint_lane_names(p, plot)
        self._paint_axis(p, plot)

    def _paint_mark(self, p: QPainter, m: Mark, r: QRectF) -> None:
        e = m.entry
        color = kind_color(e.kind)
        fill = QColor(color)
        pen = QPen(color, 1.2)
        if e.stance == "denies":
            fill = QColor("#ffffff")
            pen.setWidthF(1.6)
        elif e.stance == "doubts":
            fill.setAlpha(60)
            pen.setStyle(Qt.PenStyle.DotLine)
        elif e.fuzzy or e.precision != "day":
            fill.setAlpha(140 if not e.fuzzy else 90)
        if e.fuzzy:
            pen.setStyle(Qt.PenStyle.DashLine)
        if e.conflict is not None or e.accepted:
            p.setPen(QPen(ACCEPTED if e.accepted else CONFLICT, 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 4, 4)
        p.setPen(pen)
        p.setBrush(QBrush(fill))
        p.drawRoundedRect(r, 3, 3)
        if e.stance == "denies":  # hatched: the event is said not to have happened
            p.setBrush(QBrush(color, Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(r, 3, 3)
        lr = self.label_rect(m)
        if lr is not None:
            p.setPen(QColor("#263238") if e.stance == "asserts" else color.darker(120))
            p.drawText(lr, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       m.text)

    def _ticks(self, plot: QRectF) -> list[tuple[float, str, bool]]:
        return ticks(self.day_at(plot.left()), self.day_at(plot.right()), self.ppd)

    def _paint_grid(self, p: QPainter, plot: QRectF) -> None:
        self._ticks_cache = self._ticks(plot)
        for day, _label, major in self._ticks_cache:
            x = self.x_of(day)
            if plot.left() <= x <= plot.right():
                p.setPen(QPen(QColor("#cfd8dc" if major else "#eceff1"), 1))
                p.drawLine(QPointF(x, 0), QPointF(x, plot.bottom()))

    def _paint_axis(self, p: QPainter, plot: QRectF) -> None:
        axis = QRectF(0, plot.bottom(), self.width(), AXIS_H)
        p.fillRect(axis, QColor("#eceff1"))
        p.setPen(QColor("#90a4ae"))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        right_edge = -1e9
        first_x = min((self.x_of(d) for d, _l, _m in self._ticks_cache
                       if self.x_of(d) >= plot.left() - 1), default=plot.right())
        start = date.fromordinal(max(1, int(self.day_at(plot.left()))))
        pinned = (str(start.year) if 365.25 * self.ppd < 700
                  else f"{MONTHS[start.month - 1]} {start.year}")
        w = self._fm.horizontalAdvance(pinned) + 6
        if first_x - plot.left() > w + 10:  # the span starts mid-year: say which year it is
            p.setPen(QColor("#263238"))
            p.drawText(QRectF(plot.left() + 3, plot.bottom() + 4, w, AXIS_H - 6),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), pinned)
            right_edge = plot.left() + w + 6
        for day, label, major in self._ticks_cache:
            x = self.x_of(day)
            if not (plot.left() - 1 <= x <= plot.right()):
                continue
            w = self._fm.horizontalAdvance(label) + 6
            if x + 3 < right_edge or x + w > plot.right() + 2:
                continue  # axis labels never overlap or leave the canvas
            p.setPen(QColor("#263238" if major else "#607d8b"))
            p.drawText(QRectF(x + 3, plot.bottom() + 4, w, AXIS_H - 6),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
            right_edge = x + w + 6

    def _paint_lane_names(self, p: QPainter, plot: QRectF) -> None:
        w = plot.left()
        p.fillRect(QRectF(0, 0, w, plot.bottom()), QColor("#fafafa"))
        p.setPen(QColor("#cfd8dc"))
        p.drawLine(QPointF(w, 0), QPointF(w, plot.bottom()))
        for lane, (_sid, name) in enumerate(self.lanes):
            y = self._lane_top[lane] - self.scroll_y if lane < len(self._lane_top) else 0
            h = self._lane_rows[lane] * ROW_H + 2 * LANE_PAD
            if y > plot.bottom() or y + h < 0:
                continue
            p.setPen(QColor("#263238"))
            shown = self._fm.elidedText(name, Qt.TextElideMode.ElideRight, w - 12)
            p.drawText(QRectF(6, y, w - 10, min(h, ROW_H + 2 * LANE_PAD)),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)

    # -- hit testing and events -----------------------------------------------------------
    def mark_at(self, pos: QPointF) -> Mark | None:
        for r, m in reversed(self._drawn):
            lr = self.label_rect(m)
            if r.adjusted(-2, -2, 2, 2).contains(pos) or (lr is not None and lr.contains(pos)):
                return m
        return None

    def lane_at(self, pos: QPointF) -> int | None:
        y = pos.y() + self.scroll_y
        for lane, top in enumerate(self._lane_top):
            if top <= y < top + self._lane_rows[lane] * ROW_H + 2 * LANE_PAD:
                return lane
        return None

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            pos = QPointF(e.pos())
            m = self.mark_at(pos)
            tip = None
            if m is not None:
                tip = describe(m.entry)
            elif pos.x() < self.plot_rect().left():
                lane = self.lane_at(pos)
                tip = self.lanes[lane][1] if lane is not None else None
            if tip:
                QToolTip.showText(e.globalPos(), plain.tooltip(tip), self)
            else:
                QToolTip.hideText()
            return True
        if (e.type() == QEvent.Type.NativeGesture and isinstance(e, QNativeGestureEvent)
                and e.gestureType() == Qt.NativeGestureType.ZoomNativeGesture):
            self.zoom(1.0 + e.value(), e.position().x())
            return True
        return super().event(e)

    def wheelEvent(self, e: QWheelEvent) -> None:
        delta = e.angleDelta()
        if e.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.vbar.isVisible():
            self.vbar.setValue(self.vbar.value() - delta.y() // 2)
        elif abs(delta.x()) > abs(delta.y()):
            self.pan(delta.x() / 2)
        elif delta.y():
            self.zoom(ZOOM_STEP ** (delta.y() / 120), e.position().x())
        e.accept()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self._press = e.position()
            self._press_view = (self.day0, float(self.vbar.value()))
            self._dragged = False
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._press is not None:
            d = e.position() - self._press
            if self._dragged or abs(d.x()) + abs(d.y()) > 4:
                self._dragged = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.day0 = self._press_view[0] - d.x() / self.ppd
                self.vbar.setValue(int(self._press_view[1] - d.y()))
                self.following = False
                self.update()
        else:
            over = self.mark_at(e.position()) is not None
            self.setCursor(Qt.CursorShape.PointingHandCursor if over
                           else Qt.CursorShape.OpenHandCursor)
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if self._dragged:
                self.viewChanged.emit()
            else:
                m = self.mark_at(e.position())
                if m is not None:
                    self.entryActivated.emit(m.entry)
            self._press = None
            self._dragged = False
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        super().mouseReleaseEvent(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        key = e.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self.fit()
        elif key == Qt.Key.Key_Left:
            self.pan(self.plot_rect().width() / 8)
        elif key == Qt.Key.Key_Right:
            self.pan(-self.plot_rect().width() / 8)
        else:
            super().keyPressEvent(e)

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        if self.following:
            self.fit()
        else:
            self._update_scroll()
