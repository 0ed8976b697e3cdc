"""Timeline view: the canvas with its clock (event vs report date), zoom buttons, legend and
PNG/SVG export; a click on a claim opens its passage."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from casefile.analysis.timeline import EVENT, REPORTED, TimelineEntry
from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.services import analysis
from ui.analysis.export import view_bar
from ui.analysis.timeline_canvas import AXIS_H, TimelineCanvas
from ui.analysis.timeline_layout import Placed, place
from ui.base import filedialogs, plain
from ui.base import paths as save_paths
from ui.base.paths import suggested_path

LEGEND = ("<span style='color:#455a64'>■</span> asserts &nbsp; "
          "<span style='color:#455a64'>☒</span> denies &nbsp; "
          "<span style='color:#90a4ae'>▢</span> doubts &nbsp; "
          "<span style='color:#d32f2f'>▣</span> in a conflict &nbsp; "
          "<span style='color:#2e7d32'>✓</span> accepted &nbsp; dashed: “about”")


class TimelineView(QWidget):
    """Dated claims of a case on a time axis. ``clock`` is "event" or "reported"."""

    passageRequested = Signal(str, int, int)
    claimRequested = Signal(str)

    def __init__(self, db: Database, case_id: str, parent: QWidget | None = None, *,
                 load: bool = True):
        super().__init__(parent)
        self.db, self.case_id = db, case_id
        self.clock = EVENT
        self.canvas = TimelineCanvas(self)
        self.canvas.entryActivated.connect(self.activate)
        self.clock_box = QComboBox(self)
        self.clock_box.addItem("When it happened", EVENT)
        self.clock_box.addItem("When it was reported", REPORTED)
        self.clock_box.setToolTip("Place claims by the date of the event, or by the date the "
                                  "report was published")
        self.clock_box.currentIndexChanged.connect(
            lambda _i: self.set_clock(self.clock_box.currentData()))
        self.info = plain.label("", self)
        legend = QLabel(LEGEND, self)
        legend.setTextFormat(Qt.TextFormat.RichText)  # our own fixed text, never data
        bar = view_bar(self, what="timeline", zoom=self.canvas.zoom, fit=self.canvas.fit,
                       export=self._export, info=self.info, leading=(self.clock_box,))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar.insertWidget(bar.indexOf(self.info), legend)  # one row: room for the view
        lay.addLayout(bar)
        lay.addWidget(self.canvas, 1)
        self.entries: list[TimelineEntry] = []
        self.reload: Callable[[], None] | None = None  # set by a host that loads in background
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

    def fetcher(self) -> Callable[[], Placed]:
        """Load the entries and make them into marks (thread-safe: services and plain data)."""
        fetch = partial(analysis.timeline, self.db, case_id=self.case_id, by=self.clock)
        return lambda: place(fetch())

    def show_data(self, placed: Placed) -> None:
        self.entries = entries = placed.entries
        self.canvas.set_placed(placed)
        if not entries:
            self.info.setText("No dated claims yet: give a claim a date (or its document a "
                              "publication date) to see it here.")
            return
        n_conf = sum(1 for e in entries if e.conflict is not None)
        clock = "event date" if self.clock == EVENT else "report date"
        self.info.setText(f"{len(entries)} claims by {clock}; {n_conf} in conflict sets")

    def show_error(self, message: str) -> None:
        self.info.setText(message)

    @property
    def marks(self):
        return self.canvas.marks

    def activate(self, entry: TimelineEntry) -> None:
        """What a click does: open the claim and its first passage."""
        self.claimRequested.emit(entry.claim_id)
        if entry.passage is not None:
            p = entry.passage
            self.passageRequested.emit(p.document_id, p.start, p.end)

    # -- export ---------------------------------------------------------------------------
    def render_image(self, width: int = 1600) -> QImage:
        """The whole timeline (every lane, fitted to ``width``) as an image."""
        c = TimelineCanvas()
        c.resize(width, 400)
        c.set_entries(self.entries)
        c.resize(width, int(c.content_height() + AXIS_H + 4))
        c.fit()
        image = QImage(c.size(), QImage.Format.Format_ARGB32)
        image.fill(QColor(Qt.GlobalColor.white))
        p = QPainter(image)
        c.paint(p)
        p.end()
        c.deleteLater()
        return image

    def export(self, path: str) -> Path:
        """Write the whole timeline as PNG or SVG (by suffix), atomically, never onto the
        database's own files."""
        from casefile.db.files import atomic_write

        db_path = getattr(self.db, "path", None)
        svg = Path(path).suffix.lower() == ".svg"
        return atomic_write(path, lambda tmp: self._write_image(tmp, svg), db_path=db_path,
                            what="image")

    def _write_image(self, out: Path, svg: bool) -> None:
        if not svg:
            if not self.render_image().save(str(out), "PNG"):
                raise OSError(f"could not write {out}")
            return
        from PySide6.QtSvg import QSvgGenerator

        size = self.render_image().size()
        gen = QSvgGenerator()
        gen.setFileName(str(out))
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle("Casefile timeline")
        c = TimelineCanvas()
        c.resize(size)
        c.set_entries(self.entries)
        c.resize(QSize(size.width(), size.height()))
        c.fit()
        p = QPainter(gen)
        c.paint(p)
        p.end()
        c.deleteLater()

    def _export(self, fmt: str) -> None:
        path, _ = filedialogs.save_file_name(
            self, "Export timeline", str(suggested_path(f"timeline.{fmt}")),
            f"{fmt.upper()} (*.{fmt})")
        if not path:
            return
        try:
            self.export(path)
        except (OSError, CasefileError) as exc:
            plain.warning(self, "Export timeline", str(exc))
            return
        save_paths.remember(path)
        status = getattr(self.window(), "statusBar", None)
        if callable(status):
            status().showMessage(f"Timeline written to {path}", 6000)
