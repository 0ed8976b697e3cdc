"""Page-view selections follow the text view's rule (``snap_to_words``): a quote taken from the
page never ends in the punctuation its last word box carries."""

from __future__ import annotations

from PySide6.QtCore import Qt

from casefile.services import highlights
from tests.ui import test_page_highlights as page_case
from tests.ui.test_page_highlights import LEAD, _word_centre

# the page-highlight tests' fixtures: a generated PDF opened on its pages in the window
pdf_path, opened = page_case.pdf_path, page_case.opened


def _drag(qtbot, view, start: int, end: int) -> None:
    vp = view.viewport()
    a, b = _word_centre(view, start), _word_centre(view, end - 1)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def test_a_drag_to_a_word_before_a_comma_stores_the_quote_without_it(opened, qtbot):
    window, doc = opened
    view = window.pages.view
    text = window.reader.view.text
    start = text.index("Temur Vakhidov")
    end = text.index("3 August,") + len("3 August")
    _drag(qtbot, view, start, end)
    assert view.selected_range() == (start, end)
    assert window.reader.view.selected_range() == (start, end)
    qtbot.keyClick(view, Qt.Key.Key_H)
    [h] = highlights.list_highlights(window.db, document_id=doc)
    assert h.quote == text[start:end] and h.quote.endswith("3 August")


def test_a_sentence_selected_on_the_page_ends_at_its_last_word(opened, qtbot):
    window, _doc = opened
    view = window.pages.view
    text = window.reader.view.text
    last = LEAD.rsplit(" ", 1)[1]  # "told." as the page's word box has it
    start = text.index("and that the family")
    end = text.index(last, start) + len(last)
    _drag(qtbot, view, start, end)
    sel = view.selected_range()
    assert text[slice(*sel)] == "and that the family had been told"


def test_a_double_click_on_a_word_with_a_comma_selects_the_word(opened, qtbot):
    window, _doc = opened
    view = window.pages.view
    text = window.reader.view.text
    start = text.index("August,")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_word_centre(view, start))
    assert text[slice(*view.selected_range())] == "August"
