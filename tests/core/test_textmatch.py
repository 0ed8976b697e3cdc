"""Loose quote matching and re-anchoring."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.anchoring import context, reanchor
from casefile.textmatch import find_all_loose, find_loose, snap_to_words

TEXT = "The minister said: “He was killed.”\nOfficials – speaking   anonymously – agreed."


def test_typographic_quotes_and_dashes_match_ascii():
    start, end = find_loose(TEXT, '"He was killed."')
    assert TEXT[start:end] == "“He was killed.”"
    start, end = find_loose(TEXT, "Officials - speaking anonymously - agreed")
    assert TEXT[start:end] == "Officials – speaking   anonymously – agreed"


def test_white_space_runs_match_loosely_and_offsets_are_code_points():
    text = "𝔘nicode 🙂 first. He   was\nkilled."
    start, end = find_loose(text, "He was killed")
    assert text[start:end] == "He   was\nkilled"


def test_all_occurrences():
    assert len(find_all_loose("killed, killed and killed", "killed")) == 3
    assert find_loose("abc", "   ") is None


def test_reanchor_exact_moved_fuzzy_orphan():
    old = "Intro. Temur Vakhidov was reported killed in 2017 near Tal Hasan. End."
    s = old.index("reported killed")
    e = s + len("reported killed in 2017")
    prefix, suffix = context(old, s, e)
    quote = old[s:e]
    assert reanchor(old, quote=quote, prefix=prefix, suffix=suffix, old_start=s).how == "exact"
    moved = "A new first paragraph.\n\n" + old
    p = reanchor(moved, quote=quote, prefix=prefix, suffix=suffix, old_start=s)
    assert p.how == "moved" and moved[p.start:p.end] == quote
    edited = old.replace("reported killed in 2017", "reportedly killed in 2017")
    p = reanchor(edited, quote=quote, prefix=prefix, suffix=suffix, old_start=s)
    assert p.how == "fuzzy" and "killed in 2017" in edited[p.start:p.end]
    gone = "A completely different article about the weather in spring."
    assert reanchor(gone, quote=quote, prefix=prefix, suffix=suffix, old_start=s).how == "orphan"


def test_reanchor_prefers_the_occurrence_with_matching_context():
    text = "He was killed in 2015, they said. Later: he was killed in 2017, sources said."
    s = text.index("he was killed in 2017")
    quote = "was killed"
    prefix, suffix = context(text, s + 3, s + 13)
    new = "Update. " + text
    p = reanchor(new, quote=quote, prefix=prefix, suffix=suffix, old_start=0)
    assert new[p.end:p.end + 8] == " in 2017"


SNAP_TEXT = ("He said: “Vakhidov, had been killed” in al-Raqqa, the minister's aide "
             "(a colonel) said.")


@pytest.mark.parametrize(("sloppy", "tidy"), [
    (", had been killed", "had been killed"),
    (" “Vakhidov, ", "Vakhidov"),
    ("“Vakhidov, had been killed” ", "“Vakhidov, had been killed”"),
    ("Va", "Vakhidov"),
    ("al-Ra", "al-Raqqa"),
    ("'s aide ", "minister's aide"),
    ("e (a colonel) s", "aide (a colonel) said"),
])
def test_snap_to_words_trims_punctuation_and_completes_words(sloppy, tidy):
    a = SNAP_TEXT.index(sloppy)
    start, end = snap_to_words(SNAP_TEXT, a, a + len(sloppy))
    assert SNAP_TEXT[start:end] == tidy


def test_snap_to_words_refuses_only_punctuation():
    a = SNAP_TEXT.index(", had")
    assert snap_to_words(SNAP_TEXT, a, a + 2) is None


@given(st.text(min_size=1, max_size=60), st.data())
def test_snap_to_words_stays_inside_and_never_ends_on_space(text, data):
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    got = snap_to_words(text, a, b)
    if got is not None:
        s, e = got
        assert 0 <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
