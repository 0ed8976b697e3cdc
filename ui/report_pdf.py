"""The case report as PDF: the HTML report laid out by QTextDocument and printed by QPdfWriter."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from casefile.db.database import Database
from casefile.exchange.caseview import load_view
from casefile.exchange.report import find_conflict_rows, render_html, timeline_svg

TIMELINE_NAME = "casefile-timeline.png"
TIMELINE_WIDTH = 640


def ensure_gui_app() -> object:
    """A Q(Gui)Application for painting; offscreen when there is no display (CLI, servers)."""
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication([sys.argv[0] if sys.argv else "casefile"])
    return app


def _svg_image(svg: str, scale: float = 2.0):
    from PySide6.QtCore import QByteArray, QRectF, QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    image = QImage(QSize(int(size.width() * scale), int(size.height() * scale)),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    return image


def write_report_pdf(db: Database, *, case_id: str, path: Path | str) -> None:
    """Write the report of a case as an A4 PDF. Must run on the thread owning the Qt app (or
    with none yet: one is created, offscreen without a display)."""
    ensure_gui_app()
    from PySide6.QtCore import QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    from casefile.exchange.crops import evidence_crops
    from casefile.exchange.report import crop_width

    view = load_view(db, case_id=case_id)
    pngs = evidence_crops(db, view)
    crops = {hid: (f"casefile-crop-{hid}.png", min(TIMELINE_WIDTH, crop_width(png)))
             for hid, png in pngs.items()}
    html = render_html(view, find_conflict_rows(db, view), timeline_src=TIMELINE_NAME,
                       timeline_width=TIMELINE_WIDTH, crops=crops)
    doc = QTextDocument()
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(TIMELINE_NAME),
                    _svg_image(timeline_svg(view, width=TIMELINE_WIDTH)))
    for hid, png in pngs.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(crops[hid][0]),
                        QImage.fromData(png, "PNG"))
    doc.setHtml(html)
    writer = QPdfWriter(str(path))
    writer.setTitle(view.case["title"])
    writer.setCreator("Casefile")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    # Lay the document out on the printable width (in 96-dpi layout pixels) so tables can use
    # the full width and the timeline image fits the page instead of running off its edge.
    area = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    doc.setPageSize(QSizeF(area.width() * 96 / 72, area.height() * 96 / 72))
    doc.print_(writer)
