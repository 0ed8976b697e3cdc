"""On the page: words selected with the mouse become highlights with the text view's offsets,
highlights are drawn over their words, and switching views keeps the place."""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QPoint, Qt

from casefile import importers
from casefile.services import highlights
from ui.workspace.pagepane import text_top_offset

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

PHRASE = "killed in an airstrike near Wadi Sirr"
LEAD = (f"Interior Minister Anvar Rasulzoda said that Temur Vakhidov was {PHRASE} on 3 August, "
        "and that the family had been told.")


@pytest.fixture
def pdf_path(tmp_path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(article_pdf([LEAD, *filler_paragraphs(40)], title="Minister's claim"))
    return path


@pytest.fixture
def opened(window, db, case_id, pdf_path, qtbot):
    res = importers.import_file(db, case_id=case_id, path=pdf_path)
    assert res.ok, res.error
    window.controller.set_case(case_id)
    window.open_document(res.id)
    pages = window.pages
    assert pages.active  # a PDF opens on its pages
    qtbot.waitUntil(lambda: pages.view.has_words)
    return window, res.id


def _word_centre(view, start: int) -> QPoint:
    lay = view.layout_
    i = lay.word_index_at_offset(start)
    return view.to_view(lay.page[i], lay.box(i)).center().toPoint()


def _word_boxes(path: Path, words: list[str]) -> list[tuple[float, float, float, float]]:
    """pdfplumber's own boxes of a run of words on page 1 (independent of Casefile)."""
    with pdfplumber.open(path) as pdf:
        got = pdf.pages[0].extract_words()
    texts = [w["text"] for w in got]
    for i in range(len(texts)):
        if texts[i:i + len(words)] == words:
            return [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in got[i:i + len(words)]]
    raise AssertionError(f"{words} not on page 1")


def test_dragging_over_words_and_pressing_h_makes_the_text_views_highlight(opened, qtbot):
    window, doc = opened
    view = window.pages.view
    text = window.reader.view.text
    start = text.index(PHRASE)
    end = start + len(PHRASE)
    a = _word_centre(view, start)
    b = _word_centre(view, end - 1)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, QPoint((a.x() + b.x()) // 2, a.y()))
    qtbot.mouseMove(vp, b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)
    assert view.selected_range() == (start, end)
    assert window.reader.view.selected_range() == (start, end)  # the text view agrees
    qtbot.keyClick(view, Qt.Key.Key_H)
    [h] = highlights.list_highlights(window.db, document_id=doc)
    assert (h.start, h.end, h.quote) == (start, end, PHRASE)


def test_double_click_selects_a_word_and_shift_click_extends(opened, qtbot):
    window, _doc = opened
    view = window.pages.view
    text = window.reader.view.text
    start = text.index("Temur")
    vp = view.viewport()
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=_word_centre(view, start))
    assert view.selected_range() == (start, start + len("Temur"))
    end = text.index("Vakhidov", start) + len("Vakhidov")
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     pos=_word_centre(view, end - 1))
    assert view.selected_range() == (start, end)


def test_a_highlight_made_in_the_text_view_is_drawn_over_its_words(opened, qtbot, pdf_path):
    window, doc = opened
    window.pages.set_mode("text")
    text = window.reader.view.text
    start = text.index(PHRASE)
    window.reader.view.select_range(start, start + len(PHRASE))
    window.annotator.highlight()
    window.pages.set_mode("page")
    drawn = window.pages.view._highlight_rects()[0]
    [h] = highlights.list_highlights(window.db, document_id=doc)
    assert {hid for *_rest, hid in drawn} == {h.id}
    lines: dict[int, list] = {}
    for box in _word_boxes(pdf_path, PHRASE.split()):
        lines.setdefault(round(box[1]), []).append(box)
    expected = [(min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs),
                 max(b[3] for b in bs)) for _top, bs in sorted(lines.items())]
    got = [r for r, *_rest in drawn]
    assert len(got) == len(expected)  # one rectangle per line the phrase runs over
    for r, e in zip(got, expected, strict=True):
        assert r == pytest.approx(e, abs=0.5)


def test_switching_views_keeps_the_place(opened, qtbot):
    window, _doc = opened
    pages = window.pages
    pages.view.go_to_page(3)
    here = pages.view.top_offset()
    assert pages.view.layout_.page_of_offset(here) == 3
    pages.set_mode("text")
    top = text_top_offset(window.reader.view)
    assert abs(top - here) < 200  # the same lines open at the top
    pages.set_mode("page")
    qtbot.wait(10)
    assert pages.view.current_page() == 3


def test_find_on_the_page_selects_and_shows_each_hit(opened, qtbot):
    window, _doc = opened
    window.actions_.find.trigger()
    bar = window.reader.find_bar
    assert bar.view is window.pages.view
    bar.edit.setText("Wadi Sirr")
    hits = window.pages.view._hits
    assert len(hits) >= 2
    bar._step(False)
    bar._step(False)
    sel = window.pages.view.selected_range()
    assert sel == (hits[1], hits[1] + len("Wadi Sirr"))
    assert window.reader.view.selected_range() == sel  # H would highlight exactly this
    lay = window.pages.view.layout_
    assert lay.page_of_offset(sel[0]) in window.pages.view.visible_pages()


def test_an_older_pdf_gets_its_word_boxes_on_first_open(window, db, case_id, pdf_path, qtbot):
    from sqlalchemy import delete

    from casefile.db.models import DocumentLayout

    res = importers.import_file(db, case_id=case_id, path=pdf_path)
    with db.write() as s:  # as imported before the page view existed
        s.execute(delete(DocumentLayout))
    window.controller.set_case(case_id)
    window.open_document(res.id)
    assert not window.pages.view.has_words
    assert "Finding the words" in window.pages.bar.note.text()
    qtbot.waitUntil(lambda: window.pages.view.has_words, timeout=60000)
    assert window.pages.bar.note.isHidden()


def test_a_screenshot_read_by_ocr_is_annotated_on_its_page(window, db, case_id, tmp_path,
                                                             qtbot):
    from scangen import screenshot_png

    data, _used = screenshot_png(["Rasulzoda said he would not believe it until he saw the "
                                  "body with his own eyes, according to the agency."])
    path = tmp_path / "post.png"
    path.write_bytes(data)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    window.controller.set_case(case_id)
    window.open_document(res.id)
    pages = window.pages
    assert pages.active and len(pages.view.sizes) == 1
    assert pages.view.has_words  # boxes came with the import
    assert "Read by OCR" in pages.bar.note.text()
    text = window.reader.view.text
    start = text.index("believe")
    qtbot.mouseDClick(pages.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=_word_centre(pages.view, start))
    qtbot.keyClick(pages.view, Qt.Key.Key_H)
    [h] = highlights.list_highlights(db, document_id=res.id)
    assert h.quote == "believe"
