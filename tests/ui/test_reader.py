"""The reader draws highlights from an interval index, shows overlaps, finds, and describes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat

from casefile.services import highlights
from casefile.services.claims import ClaimInput
from tests.ui.conftest import add_doc
from ui.workspace.intervals import IntervalIndex, Span

TEXT = ("Temur Vakhidov was killed in an airstrike near Wadi Sirr on August 3, Interior Minister "
        "Anvar Rasulzoda said.\nTwo days later Rasulzoda said: I will not believe it until I see "
        "the body.\nOlim Vakhidov, his father, said the family would hold no funeral.")


def test_interval_index_cuts_overlaps_into_segments():
    idx = IntervalIndex([Span("a", 0, 10, "#ff0000"), Span("b", 5, 15, "#0000ff"),
                         Span("c", 20, 25, "#00ff00")])
    segs = [(s.start, s.end, s.ids) for s in idx.segments]
    assert segs == [(0, 5, ("a",)), (5, 10, ("a", "b")), (10, 15, ("b",)), (20, 25, ("c",))]
    assert idx.at(7) == ("a", "b") and idx.at(17) == ()
    assert [s.ids for s in idx.segments_in(12, 22)] == [("b",), ("c",)]


def formats_at(view, u16: int):
    block = view.document().findBlock(u16)
    rel = u16 - block.position()
    return [QTextCharFormat(f.format) for f in block.layout().formats()
            if f.start <= rel < f.start + f.length]


def open_doc(window, db, case_id, text=TEXT, **kw):
    doc = add_doc(db, case_id, text, **kw)
    window.controller.set_case(case_id)
    window.open_document(doc)
    return doc


def test_highlights_are_painted_and_overlaps_stand_out(window, db, case_id):
    doc = open_doc(window, db, case_id)
    a = TEXT.index("was killed")
    b = TEXT.index("Wadi Sirr") + len("Wadi Sirr")
    c = TEXT.index("airstrike")
    window.controller.create_highlight(doc, a, b)
    window.controller.create_highlight(doc, c, c + len("airstrike near Wadi Sirr on August 3"))
    view = window.reader.view
    assert len(view.extraSelections()) == 0  # highlights are not ExtraSelections
    [single] = formats_at(view, a + 1)
    [double] = formats_at(view, c + 2)
    assert single.background().color() != QColor("white")
    assert double.fontUnderline() and not single.fontUnderline()
    assert double.background().color().lightness() < single.background().color().lightness()
    assert formats_at(view, 2) == []


def test_claim_passages_use_claim_colour_and_tooltip_lists_claims(window, db, case_id):
    doc = open_doc(window, db, case_id)
    s = TEXT.index("I will not")
    e = s + len("I will not believe it until I see the body")
    window.controller.create_claim(
        ClaimInput(subject="Temur Vakhidov", kind="death", stance="doubts",
                   origin="Anvar Rasulzoda", origin_kind="person"), passage=(doc, s, e))
    view = window.reader.view
    [rec] = view.highlights_at(s + 3)
    tip = view.describe([rec])
    assert "Temur Vakhidov — death (doubted) — Anvar Rasulzoda" in tip
    h = window.controller.create_highlight(doc, TEXT.index("Olim"), TEXT.index("Olim") + 13)
    window.controller.update_highlight(h.id, note="father; not an official source")
    assert "not an official source" in view.describe([view.records[h.id]])


def test_find_marks_hits_and_steps_through_them(qtbot, window, db, case_id):
    open_doc(window, db, case_id)
    bar = window.reader.find_bar
    window.actions_.find.trigger()
    assert bar.isVisible()
    qtbot.keyClicks(bar.edit, "rasulzoda")
    assert bar.count.text() == "2 found"
    assert len(window.reader.view.extraSelections()) == 2
    bar._step(False)
    first = window.reader.view.selected_range()
    bar._step(False)
    second = window.reader.view.selected_range()
    assert TEXT[first[0]:first[1]] == "Rasulzoda" and second[0] > first[0]
    bar.close_bar()
    assert window.reader.view.extraSelections() == []


def test_page_starts_and_header(window, db, case_id):
    p2 = TEXT.index("Two days")
    open_doc(window, db, case_id, page_starts=(0, p2), title="Minister: Vakhidov killed")
    header = window.reader.header.text()
    assert "Minister: Vakhidov killed" in header and "2 pages" in header
    assert "Caspian Courier" in header and "5 August 2020" in header
    assert window.reader.view.page_starts == [p2]
    window.reader.view.viewport().repaint()  # the page line is drawn without errors


def test_large_document_highlights_are_indexed(window, db, case_id):
    text = ("Vakhidov was reported killed again. " * 3000)
    doc = add_doc(db, case_id, text)
    for i in range(0, 300):
        highlights.create_highlight(db, document_id=doc, start=i * 36, end=i * 36 + 20)
    window.controller.set_case(case_id)
    window.open_document(doc)
    view = window.reader.view
    assert len(view.index) == 300
    assert view.extraSelections() == []
    assert formats_at(view, 36 * 299 + 5)


def test_incremental_index_update_matches_a_full_rebuild():
    import random

    rnd = random.Random(7)
    spans = {}
    for i in range(300):
        a = rnd.randrange(0, 5000)
        spans[f"s{i}"] = Span(f"s{i}", a, a + rnd.randrange(1, 80), rnd.choice("abc"))
    idx = IntervalIndex(spans.values())
    for step in range(200):
        sid = f"s{rnd.randrange(0, 320)}"
        if rnd.random() < 0.3 and sid in spans:
            del spans[sid]
            idx.update([], [sid])
        else:
            a = rnd.randrange(0, 5000)
            spans[sid] = Span(sid, a, a + rnd.randrange(1, 80), rnd.choice("abc"))
            idx.update([spans[sid]], [])
        full = IntervalIndex(spans.values())
        for pos in range(0, 5100, 7):
            assert sorted(idx.at(pos)) == sorted(full.at(pos)), (step, pos)
