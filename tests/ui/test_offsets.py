"""Code points (the core) vs UTF-16 units (Qt) at the reader boundary, outside the BMP."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from casefile.services import highlights
from tests.ui.conftest import add_doc
from ui.workspace.offsets import OffsetMap


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@given(st.text(alphabet=st.sampled_from("ab 😀𝔘é\n")))
def test_offset_map_round_trips(text):
    m = OffsetMap(text)
    assert m.length_u16 == utf16_len(text)
    for cp in range(len(text) + 1):
        u16 = utf16_len(text[:cp])
        assert m.to_utf16(cp) == u16
        assert m.to_codepoint(u16) == cp


def test_position_inside_a_surrogate_pair_rounds_down():
    m = OffsetMap("a😀b")
    assert m.to_codepoint(2) == 1  # low surrogate of 😀 → the emoji's start


TEXT = "😀 Report from 𝔘: Temur Vakhidov 🚀 was killed near Wadi Sirr, the minister said."


def test_selection_after_astral_characters_highlights_the_right_words(window, db, case_id):
    doc = add_doc(db, case_id, TEXT)
    window.controller.set_case(case_id)
    window.open_document(doc)
    start = TEXT.index("was killed")
    end = start + len("was killed near Wadi Sirr")
    view = window.reader.view
    view.select_range(start, end)
    # Qt counts three extra units for the three astral characters before the passage.
    assert view.textCursor().selectionStart() == start + 3
    assert view.textCursor().selectedText() == "was killed near Wadi Sirr"
    assert view.selected_range() == (start, end)
    rec = window.annotator.highlight()
    assert rec is not None
    stored = highlights.get_highlight(db, highlight_id=rec.id)
    assert stored.quote == "was killed near Wadi Sirr"
    assert (stored.start, stored.end) == (start, end)
    assert [r.id for r in view.highlights_at(start + 1)] == [rec.id]
    assert view.highlights_at(start - 2) == []


def test_selecting_an_astral_character_takes_it_whole(window, db, case_id):
    doc = add_doc(db, case_id, TEXT)
    window.controller.set_case(case_id)
    window.open_document(doc)
    view = window.reader.view
    c = view.textCursor()
    c.setPosition(TEXT.index("𝔘") + 1)  # UTF-16: after "😀" (2 units) ... start of 𝔘
    c.setPosition(TEXT.index("𝔘") + 2, c.MoveMode.KeepAnchor)  # half of 𝔘
    view.setTextCursor(c)
    a, b = view.selected_range()
    assert TEXT[a:b] == "𝔘"
