"""Word boxes cut in part: the letters of a right-to-left word start at its right edge, and
punctuation read with a word is narrow (page-view highlights and report crops)."""

from __future__ import annotations

from casefile.layout import PageLayout


def _one_word(text: str) -> PageLayout:
    lay = PageLayout([(600.0, 800.0)])
    lay.add(0, 0, len(text), (100.0, 50.0, 200.0, 62.0))
    return lay


def test_part_of_an_arabic_word_is_on_its_right():
    word = "حليموف"
    [(page, (x0, _y0, x1, _y1))] = _one_word(word).rects(0, 3, word)
    assert page == 0 and (x0, x1) == (150.0, 200.0)  # the first three letters: right half
    [(_p, (x0, _y0, x1, _y1))] = _one_word(word).rects(3, 6, word)
    assert (x0, x1) == (100.0, 150.0)


def test_trailing_punctuation_is_narrow():
    word = "Вахидове,"
    [(_p, (x0, _y0, x1, _y1))] = _one_word(word).rects(0, 8, word)
    assert x0 == 100.0 and x1 > 194.0  # the letters reach almost to the box's end
    [(_p, (x0, _y0, x1, _y1))] = _one_word(word).rects(0, 8)  # without the text: by count
    assert round(x1, 1) == 188.9
