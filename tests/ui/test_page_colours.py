"""A highlight looks the same on the page as in the text: its own colour, also while it is
still selected (a blue wash over yellow used to read as a green highlight)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from casefile import importers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

PHRASE = "killed in an airstrike near Wadi Sirr"
LEAD = f"The minister said that Temur Vakhidov was {PHRASE} on 3 August, the family was told."


def _ground(img, rect) -> QColor:
    """The commonest colour inside ``rect``: the highlight's paper, not its letters."""
    r = rect.toAlignedRect().adjusted(1, 1, -1, -1)
    seen = Counter(img.pixel(x, y) for x in range(r.left(), r.right())
                   for y in range(r.top(), r.bottom()))
    return QColor.fromRgb(seen.most_common(1)[0][0])


def _close(a: QColor, b: QColor, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in ((a.red(), b.red()), (a.green(), b.green()),
                                                    (a.blue(), b.blue())))


def test_a_fresh_highlight_shows_its_text_view_colour_on_the_page(qtbot, window, db, case_id,
                                                                  tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(article_pdf([LEAD, *filler_paragraphs(8)], title="Minister's claim"))
    res = importers.import_file(db, case_id=case_id, path=path)
    window.controller.set_case(case_id)
    window.resize(1400, 900)
    window.open_document(res.id)
    pages = window.pages
    qtbot.waitUntil(lambda: pages.view.has_words)
    text = window.reader.view.text
    start = text.index(PHRASE)
    window.reader.view.select_range(start, start + len(PHRASE))
    pages.view.set_selection(start, start + len(PHRASE))
    window.actions_.highlight.trigger()  # H: highlighted, and still selected
    [rec] = window.reader.view.records.values()
    want = QColor(window.reader.view.color_of(rec))
    view = pages.view
    view.show_range(start, start + len(PHRASE))
    qtbot.waitUntil(lambda: view._flash is None, timeout=5000)
    qtbot.waitUntil(lambda: view.renderer is not None
                    and view.renderer.image(view.layout_.page[
                        view.layout_.word_index_at_offset(start)]) is not None, timeout=10000)
    QApplication.processEvents()
    img = view.viewport().grab().toImage()
    lay = view.layout_
    [(page, box)] = lay.rects(start, start + len(PHRASE))
    got = _ground(img, view.to_view(page, box))
    assert _close(got, want), (got.name(), want.name())
    assert view._selection is not None  # it is still selected: framed, not washed over
