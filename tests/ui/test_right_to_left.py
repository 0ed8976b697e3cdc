"""Right-to-left articles: Arabic paragraphs read and align right to left in the reader; a
selection made with the mouse over an Arabic sentence holding a Latin name and digits maps to
the right code points; highlights are drawn over their own glyphs; and the report prints them
right to left."""

from __future__ import annotations

import unicodedata

import pdfplumber
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor

from casefile.exchange.caseview import load_view
from casefile.exchange.report import render_html
from casefile.services import claims, highlights
from casefile.services.claims import ClaimInput
from tests.ui.conftest import add_doc

ARABIC = ("وقال مصدر لوكالة Northern Ledger إن Gulmurod Khalimov غادر الموصل في عام 2017 "
          "مع 40 مقاتلا.")
TEXT = ("Tajik commander reported killed again\n\n"
        "أعلن وزير الداخلية أن غولمراد حليموف قُتل في غارة جوية.\n\n"
        f"{ARABIC}\n\n"
        "ولم تؤكد عائلته الخبر.\n\n"
        "The family did not confirm it.")


def _open(window, db, case_id) -> tuple[object, str]:
    doc = add_doc(db, case_id, TEXT, title="غارة جوية")
    window.controller.set_case(case_id)
    window.resize(1200, 800)
    window.show()
    window.open_document(doc)
    return doc, TEXT


def _x(view, cp: int) -> int:
    c = QTextCursor(view.document())
    c.setPosition(view.omap.to_utf16(cp))
    return view.cursorRect(c).center().x()


def _point(view, cp: int) -> QPoint:
    c = QTextCursor(view.document())
    c.setPosition(view.omap.to_utf16(cp))
    return view.cursorRect(c).center()


def test_arabic_paragraphs_align_right_and_english_left(window, db, case_id, qtbot):
    _open(window, db, case_id)
    view = window.reader.view
    qtbot.waitExposed(view)
    width = view.viewport().width()
    arabic_start = TEXT.index("ولم تؤكد")  # a short paragraph: its first letter at the right
    english_start = TEXT.index("The family")
    assert _x(view, arabic_start) > 0.8 * width
    assert _x(view, english_start) < 0.2 * width
    assert _x(view, 0) < 0.2 * width  # the English headline stays left


def test_mouse_selection_over_a_mixed_direction_sentence(window, db, case_id, qtbot):
    _open(window, db, case_id)
    view = window.reader.view
    qtbot.waitExposed(view)
    for phrase in ("Gulmurod Khalimov", "2017", "الموصل في عام", "لوكالة Northern Ledger إن"):
        a = TEXT.index(phrase)
        b = a + len(phrase)
        # press where the phrase starts (logically) and release where it ends, as a reader
        # drags over it, whichever way the glyphs run
        start, end = _point(view, a + 1), _point(view, b - 1)
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), end)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
        got = view.selected_range()
        assert got is not None and TEXT[got[0]:got[1]] == phrase, (phrase, got)


def test_highlight_is_drawn_over_its_own_glyphs(window, db, case_id, qtbot):
    doc, _ = _open(window, db, case_id)
    view = window.reader.view
    a = TEXT.index("حليموف")
    highlights.create_highlight(db, document_id=doc, start=a, end=a + len("حليموف"),
                                color="#00ff00")
    window.reader.clear()
    window.open_document(doc)
    qtbot.waitExposed(view)
    qtbot.wait(50)
    img = view.viewport().grab().toImage()
    y = _point(view, a + 2).y()
    green = [x for x in range(img.width())
             if QColor(img.pixel(x, y)).green() > 200 and QColor(img.pixel(x, y)).red() < 60]
    assert green, "the highlight is not drawn"
    right, left = _x(view, a), _x(view, a + len("حليموف"))  # right to left: starts on the right
    assert left < right
    assert left - 3 <= min(green) and max(green) <= right + 3


def test_report_prints_arabic_right_to_left(db, case_id, qapp, tmp_path):
    from ui.exchange.report_pdf import write_report_pdf

    doc = add_doc(db, case_id, TEXT, title="غارة جوية", outlet="صحيفة الفجر الشمالي")
    a = TEXT.index("أعلن")
    h = highlights.create_highlight(db, document_id=doc, start=a,
                                    end=TEXT.index(".", a) + 1)
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        statement="غولمراد حليموف قُتل في غارة جوية", kind="death", subject="Gulmurod Khalimov",
        place="وادي السر", evidence=(h.id,)))
    html = render_html(load_view(db, case_id=case_id), [])
    assert f'<blockquote dir="rtl">“{TEXT[a:TEXT.index(".", a) + 1]}”</blockquote>' in html
    assert '<div dir="rtl"><b>غولمراد حليموف قُتل في غارة جوية</b></div>' in html
    assert "in \u2068وادي السر\u2069" in html  # an Arabic place inside an English line
    out = tmp_path / "report.pdf"
    write_report_pdf(db, case_id=case_id, path=out)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
    # the text layer holds Arabic as shaped forms in visual order
    name = [w for w in words if unicodedata.normalize("NFKC", w["text"])[::-1] == "حليموف"]
    assert name, " ".join(w["text"] for w in words)
    line = [w for w in words if abs(w["top"] - name[0]["top"]) < 2]
    # the statement is set flush right, as a right-to-left paragraph
    assert max(w["x1"] for w in line) > 0.85 * page.width
    assert min(w["x0"] for w in line) > 0.3 * page.width
