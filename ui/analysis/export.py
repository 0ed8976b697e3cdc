"""Graphics helpers: PNG/SVG export of a scene, and the zoom/export bar over a view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QGraphicsScene,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from ui.base import filedialogs


def export_scene(scene: QGraphicsScene, path: str | Path, *, margin: float = 20.0,
                 db_path: Path | None = None) -> Path:
    """Write the whole scene to ``path``; the suffix picks the format (.png or .svg). Written
    atomically, never onto the database's own files (``db_path``)."""
    from casefile.db.files import atomic_write

    svg = Path(path).suffix.lower() == ".svg"
    return atomic_write(path, lambda p: _render(scene, p, svg, margin), db_path=db_path,
                        what="image")


def _render(scene: QGraphicsScene, path: Path, svg: bool, margin: float) -> None:
    rect = scene.itemsBoundingRect().adjusted(-margin, -margin, margin, margin)
    size = QSize(max(1, int(rect.width())), max(1, int(rect.height())))
    target = QRectF(0, 0, size.width(), size.height())
    if svg:
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(size)
        gen.setViewBox(target)
        gen.setTitle("Casefile")
        painter = QPainter(gen)
        scene.render(painter, target, rect)
        painter.end()
        return
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, target, rect)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def ask_and_export(parent, scene: QGraphicsScene, name: str, fmt: str) -> Path | None:
    """Ask where to save ``scene`` as ``fmt`` ("png" or "svg") and write it there."""

    from casefile.errors import CasefileError
    from ui.base import paths as save_paths

    path, _ = filedialogs.save_file_name(
        parent, f"Export {name}", str(save_paths.suggested_path(f"{name}.{fmt}")),
        f"{fmt.upper()} (*.{fmt})")
    if not path:
        return None
    db = getattr(parent.window(), "db", None) if parent is not None else None
    try:
        written = export_scene(scene, path, db_path=getattr(db, "path", None))
    except (OSError, CasefileError) as exc:
        from ui.base.plain import warning

        warning(parent, f"Export {name}", str(exc))
        return None
    save_paths.remember(written)
    status = getattr(parent.window(), "statusBar", None)
    if callable(status):
        status().showMessage(f"The {name} was written to {written}", 6000)
    return written


def view_bar(owner: QWidget, *, what: str, zoom: Callable[[float], None],
             fit: Callable[[], None], export: Callable[[str], None], info: QLabel,
             leading: Sequence[QWidget] = ()) -> QHBoxLayout:
    """The bar over a zoomable view: (leading widgets) − + Fit, a wrapping info line, and
    PNG/SVG export of ``what`` ("timeline", "graph")."""
    bar = QHBoxLayout()
    bar.setContentsMargins(0, 0, 0, 0)
    for w in leading:
        bar.addWidget(w)
    for text, tip, slot in (("−", "Zoom out (−, wheel)", lambda: zoom(0.8)),
                            ("+", "Zoom in (+, wheel)", lambda: zoom(1.25)),
                            ("Fit", "Show everything (0)", fit)):
        b = QToolButton(owner)
        b.setText(text)
        b.setToolTip(tip)
        b.clicked.connect(lambda _c=False, slot=slot: slot())
        bar.addWidget(b)
    info.setWordWrap(True)  # never wider than the dock
    bar.addWidget(info, 1)
    for fmt, kind in (("png", "a PNG image"), ("svg", "an SVG drawing")):
        b = QPushButton(f"{fmt.upper()}…", owner)
        b.setToolTip(f"Export the whole {what} as {kind}")
        b.clicked.connect(lambda _c=False, fmt=fmt: export(fmt))
        bar.addWidget(b)
    return bar
