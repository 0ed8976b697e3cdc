"""Timeline view: one lane per subject, spans for month/year dates, fuzzy "about" dates,
conflicts marked, event-date vs report-date clocks, click to open the passage, PNG/SVG export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.timeline import EVENT, REPORTED, TimelineEntry, lanes
from casefile.db.database import Database
from casefile.services import analysis
from ui.analysis.export import ClickView, ask_and_export, export_scene

DAY_PX = 0.6
MIN_DAY_PX = 0.12
LANE_H = 46.0
LABEL_W = 180.0
MIN_W = 6.0
SPAN_MIN_W = 12.0
NORMAL = QColor("#2f6db5")
CONFLICT = QColor("#c0392b")


class _EntryItem(QGraphicsRectItem):
    """One claim on the axis; carries its entry for clicks and tests."""

    def __init__(self, entry: TimelineEntry, rect: QRectF):
        super().__init__(rect)
        self.entry = entry
        self.payload = entry
        color = CONFLICT if entry.conflict is not None else NORMAL
        fill = QColor(color)
        fill.setAlpha(70 if entry.fuzzy else 170 if entry.precision != "day" else 230)
        self.setBrush(QBrush(fill))
        pen = QPen(color, 2 if entry.conflict is not None else 1)
        if entry.fuzzy:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        when = entry.date or "no event date"
        self.setToolTip(f"{entry.statement}\n{entry.kind} · {when} · reported "
                        f"{entry.reported or '?'}"
                        + ("\nIn a conflict set" if entry.conflict is not None else ""))
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class TimelineView(QWidget):
    """Dated claims of a case on a time axis. ``clock`` is "event" or "reported"."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, case_id: str, parent: QWidget | None = None, *,
                 load: bool = True):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        self.clock = EVENT
        self.scene = QGraphicsScene(self)
        self.view = ClickView(self.scene, self)
        self.view.itemClicked.connect(self._clicked)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.clock_box = QComboBox(self)
        self.clock_box.addItem("When it happened", EVENT)
        self.clock_box.addItem("When it was reported", REPORTED)
        self.clock_box.currentIndexChanged.connect(
            lambda _i: self.set_clock(self.clock_box.currentData()))
        self.info = QLabel("", self)
        png = QPushButton("Export PNG…", self)
        png.clicked.connect(lambda: self._export("png"))
        svg = QPushButton("Export SVG…", self)
        svg.clicked.connect(lambda: self._export("svg"))
        bar = QHBoxLayout()
        bar.addWidget(self.clock_box)
        bar.addWidget(self.info, 1)
        bar.addWidget(png)
        bar.addWidget(svg)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.view)
        self.items: list[_EntryItem] = []
        self.entries: list[TimelineEntry] = []
        self.reload: Callable[[], None] | None = None  # set by a host that loads in background
        self._laid_out_for = 0
        if load:
            self.refresh()

    def set_clock(self, clock: str) -> None:
        if clock != self.clock:
            self.clock = clock
            idx = self.clock_box.findData(clock)
            if idx != self.clock_box.currentIndex():
                self.clock_box.setCurrentIndex(idx)
            (self.reload or self.refresh)()

    def refresh(self) -> None:
        """Load and draw now, on this thread (the window loads in the background instead)."""
        self.show_data(self.fetcher()())

    def fetcher(self) -> Callable[[], list[TimelineEntry]]:
        return partial(analysis.timeline, self.db, case_id=self.case_id, by=self.clock)

    def show_data(self, entries: list[TimelineEntry]) -> None:
        self.entries = entries
        self.layout_entries()

    def show_error(self, message: str) -> None:
        self.info.setText(message)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        QTimer.singleShot(0, self._fit_width)  # the viewport is resized after this event

    def _fit_width(self) -> None:
        if self.entries and abs(self.view.viewport().width() - self._laid_out_for) > 40:
            self.layout_entries()

    def layout_entries(self) -> None:
        """Draw ``self.entries``, scaled so the whole span fits the view when it can."""
        entries = self.entries
        self._laid_out_for = self.view.viewport().width()
        self.scene.clear()
        self.items = []
        if not entries:
            self.info.setText("No dated claims yet.")
            return
        first = min(e.start for e in entries)
        last = max(e.end for e in entries)
        origin = date(first.year, 1, 1)
        end = date(last.year + 1, 1, 1)
        # Fit the whole span in the view when it is wide enough, never denser than MIN_DAY_PX.
        room = self.view.viewport().width() - LABEL_W - 24
        day_px = max(MIN_DAY_PX, min(DAY_PX, room / max(1, (end - origin).days)))

        def x(d: date) -> float:
            return LABEL_W + (d - origin).days * day_px

        rows = lanes(entries)
        lane_of = {sid: i for i, (sid, _n) in enumerate(rows)}
        height = LANE_H * len(rows) + 30
        grid = QPen(QColor("#dddddd"))
        for year in range(origin.year, end.year + 1):
            gx = x(date(year, 1, 1))
            self.scene.addLine(gx, 0, gx, height, grid)
            label = self.scene.addSimpleText(str(year))
            label.setPos(gx + 2, height - 18)
        for i, (_sid, name) in enumerate(rows):
            t = QGraphicsSimpleTextItem(name)
            t.setPos(4, i * LANE_H + 12)
            self.scene.addItem(t)
            self.scene.addLine(0, (i + 1) * LANE_H, x(end), (i + 1) * LANE_H, grid)
        stack: dict[tuple[int, int], int] = {}
        for e in entries:
            lane = lane_of[e.subject_id]
            x0, x1 = x(e.start), x(e.end) + day_px
            min_w = MIN_W if e.end == e.start else SPAN_MIN_W  # a month stays wider than a day
            if x1 - x0 < min_w:
                x0, x1 = (x0 + x1) / 2 - min_w / 2, (x0 + x1) / 2 + min_w / 2
            slot = stack.get((lane, int(x0 // 6)), 0)
            stack[(lane, int(x0 // 6))] = slot + 1
            y = lane * LANE_H + 6 + (slot % 4) * 8
            item = _EntryItem(e, QRectF(x0, y, x1 - x0, 14))
            self.scene.addItem(item)
            self.items.append(item)
        n_conf = sum(1 for e in entries if e.conflict is not None)
        clock = "event date" if self.clock == EVENT else "report date"
        self.info.setText(f"{len(entries)} claims by {clock}; {n_conf} in conflict sets")

    def entry_at(self, item) -> TimelineEntry | None:
        return item.entry if isinstance(item, _EntryItem) else None

    def _clicked(self, item) -> None:
        entry = self.entry_at(item)
        if entry is not None:
            self.activate(entry)

    def activate(self, entry: TimelineEntry) -> None:
        """What a click does: open the claim and its first passage."""
        self.claimRequested.emit(entry.claim_id)
        if entry.passage is not None:
            p = entry.passage
            self.passageRequested.emit(p.document_id, p.start, p.end)

    def export(self, path: str) -> None:
        export_scene(self.scene, path)

    def _export(self, fmt: str) -> None:
        ask_and_export(self, self.scene, "timeline", fmt)
