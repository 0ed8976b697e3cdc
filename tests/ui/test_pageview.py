"""The page view renders only pages near the viewport into a bounded cache, zooms and navigates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casefile.pages import PageSource
from ui.workspace.pagerender import PageRenderer
from ui.workspace.pageview import PageView

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return article_pdf(filler_paragraphs(160), title="A long monitoring digest")


@pytest.fixture
def view(qtbot, long_pdf):
    v = PageView()
    qtbot.addWidget(v)
    v.resize(700, 600)
    v.show()
    renderer = PageRenderer(PageSource(long_pdf, "application/pdf"),
                            cache_bytes=12 * 2**20)
    v.set_document(renderer, "")
    yield v
    renderer.close()


def test_renders_pages_near_the_viewport_only_and_keeps_the_cache_bounded(qtbot, view):
    n = len(view.sizes)
    assert n >= 15
    qtbot.waitUntil(lambda: view.renderer.image(0) is not None)
    qtbot.waitUntil(lambda: view.renderer.image(1) is not None)  # rendered ahead
    assert view.renderer.image(n - 1) is None  # far pages are not rendered
    for page in range(0, n, 2):
        view.go_to_page(page)
        view.repaint()
        qtbot.waitUntil(lambda p=page: view.renderer.image(p) is not None)
    assert view.renderer.cached_bytes <= 12 * 2**20
    assert view.renderer.image(0) is None  # dropped, oldest first


def test_fit_width_fit_page_and_ctrl_wheel_zoom(qtbot, view):
    assert view.page_rect(0).width() == pytest.approx(view.viewport().width() - 24, abs=1)
    view.set_fit("page")
    assert view.page_rect(0).height() <= view.viewport().height()
    before = view.zoom
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    ev = QWheelEvent(QPointF(100, 100), QPointF(100, 100), QPoint(0, 0), QPoint(0, 240),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(ev)
    assert view.zoom == pytest.approx(before * 1.21, rel=1e-3)
    assert view.fit == ""


def test_page_box_follows_scrolling(qtbot, view):
    seen = []
    view.page_changed.connect(seen.append)
    view.go_to_page(7)
    assert view.current_page() == 7 and seen[-1] == 7
