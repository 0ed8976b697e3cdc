"""The case report as PDF: the HTML report laid out by QTextDocument and printed by QPdfWriter.

A character no installed font can draw (an emoji on a machine without an emoji font) would print
as an empty box and reach the PDF's text layer as NUL; Qt's own font fallback draws what any
installed font covers, and the rest is written as a visible placeholder naming the character
("[slightly smiling face]"), searchable and copyable like the text around it.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
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


# Invisible joiners of emoji sequences: dropped with the characters they join.
_JOINERS = "\u200d\ufe0e\ufe0f"


def placeholder(ch: str) -> str:
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    return f"[{name.lower()}]"


def with_placeholders(text: str, drawable: Callable[[str], bool]) -> str:
    """``text`` with every visible character ``drawable`` rejects replaced by ``placeholder``
    (and the joiners and variation selectors next to it removed)."""
    missing = {ch for ch in set(text) if ord(ch) > 0x7F
               and unicodedata.category(ch)[0] not in "MCZ" and not drawable(ch)}
    if not missing:
        return text
    pattern = re.compile(f"[{_JOINERS}]*([{''.join(re.escape(c) for c in sorted(missing))}])"
                         f"[{_JOINERS}]*")
    return pattern.sub(lambda m: placeholder(m.group(1)), text)


@cache
def _fonts() -> tuple:
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    return tuple(f for f in (QRawFont.fromFont(QFont(family)) for family in
                             QFontDatabase.families()) if f.isValid())


@cache
def installed_fonts_draw(ch: str) -> bool:
    """Whether any installed font has a glyph for ``ch`` (Qt falls back to it by itself)."""
    return any(f.supportsCharacter(ord(ch)) for f in _fonts())


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
    html = with_placeholders(render_html(view, find_conflict_rows(db, view),
                                         timeline_src=TIMELINE_NAME,
                                         timeline_width=TIMELINE_WIDTH, crops=crops),
                             installed_fonts_draw)
    doc = QTextDocument()
    svg = with_placeholders(timeline_svg(view, width=TIMELINE_WIDTH), installed_fonts_draw)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(TIMELINE_NAME),
                    _svg_image(svg))
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
