"""Re-importing a newer version: highlights follow their quote, fuzzy ones move, none is lost."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from casefile import importers
from casefile.anchoring import Anchorer, context
from casefile.services import documents, highlights
from casefile.services.consistency import consistency_problems
from tests.helpers import run_cli

MERIDIAN = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "meridian_wadi_sirr.html"


def _v2(tmp_path: Path) -> Path:
    """The same page, updated: a new first paragraph, an edited sentence, a removed one."""
    page = MERIDIAN.read_text(encoding="utf-8")
    page = page.replace(
        "<p>Interior Minister", "<p>Update, 5 August: the ministry has released a photograph of "
        "the site of the strike, which it says shows the remains of the house.</p>\n"
        "    <p>Interior Minister")
    page = page.replace("together with four of his guards", "together with five of his guards")
    page = page.replace("<p>Their father, Olim Vakhidov, a retired schoolteacher, declined to "
                        "comment.</p>", "")
    out = tmp_path / "meridian-v2.html"
    out.write_text(page, encoding="utf-8")
    return out


def _mark(db, doc_id: str, quote: str, nth: int = 0) -> str:
    text = documents.get_text(db, document_id=doc_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return highlights.create_highlight(db, document_id=doc_id, start=start,
                                       end=start + len(quote)).id


def test_reimport_places_moves_fuzzes_and_orphans(db, case_id, tmp_path):
    doc_id = importers.import_file(db, case_id=case_id, path=MERIDIAN).id
    title = _mark(db, doc_id, "Minister says militant")
    moved = _mark(db, doc_id, "was killed in an airstrike near Wadi Sirr on 3 August")
    fuzzy = _mark(db, doc_id, "he died in the strike together with four of his guards")
    orphan = _mark(db, doc_id, "Olim Vakhidov, a retired schoolteacher")
    second = _mark(db, doc_id, "Vakhidov", nth=2)  # "Vakhidov has been reported killed..."
    before = {h.id: h for h in highlights.list_highlights(db, document_id=doc_id)}

    res = importers.reimport_file(db, document_id=doc_id, path=_v2(tmp_path))

    assert set(res.placed) == {title, moved, second}
    assert res.fuzzy == (fuzzy,)
    assert res.orphans == (orphan,)
    text = documents.get_text(db, document_id=doc_id)
    after = {h.id: h for h in highlights.list_highlights(db, document_id=doc_id)}
    assert set(after) == set(before)  # nothing dropped
    assert after[title].anchor == "exact"
    assert after[moved].anchor == "moved" and after[moved].start > before[moved].start
    assert text[after[second].end:].startswith(" has been reported killed at least three")
    assert after[fuzzy].anchor == "fuzzy"
    assert text[after[fuzzy].start:after[fuzzy].end] == after[fuzzy].quote
    assert "five of his guards" in after[fuzzy].quote
    assert after[orphan].anchor == "orphan"
    assert after[orphan].quote == "Olim Vakhidov, a retired schoolteacher"
    for h in after.values():
        if h.anchor != "orphan":
            assert text[h.start:h.end] == h.quote
    assert consistency_problems(db) == []
    assert "photograph of the site" in text


def test_an_orphan_is_placed_again_when_its_passage_returns(db, case_id, tmp_path):
    doc_id = importers.import_file(db, case_id=case_id, path=MERIDIAN).id
    orphan = _mark(db, doc_id, "Olim Vakhidov, a retired schoolteacher")
    assert importers.reimport_file(db, document_id=doc_id, path=_v2(tmp_path)).orphans == (orphan,)
    back = importers.reimport_file(db, document_id=doc_id, path=MERIDIAN)
    assert back.placed == (orphan,) and back.orphans == ()
    h = highlights.get_highlight(db, highlight_id=orphan)
    assert documents.get_text(db, document_id=doc_id)[h.start:h.end] == h.quote


def test_a_failed_reimport_changes_nothing(db, case_id, tmp_path):
    import pytest

    from casefile.errors import ImportFailed

    doc_id = importers.import_file(db, case_id=case_id, path=MERIDIAN).id
    h = _mark(db, doc_id, "Abu Hafs al-Qalami")
    bad = tmp_path / "v2.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(ImportFailed):
        importers.reimport_file(db, document_id=doc_id, path=bad)
    assert documents.get_text(db, document_id=doc_id).count("Abu Hafs al-Qalami") == 1
    assert highlights.get_highlight(db, highlight_id=h).anchor == "exact"


def test_cli_reimport_reports_ids(cli_env, tmp_path):
    [res] = json.loads(run_cli("import", str(MERIDIAN), "--json", env=cli_env).stdout)
    gone = json.loads(run_cli("highlight", res["id"], "--quote", "a retired schoolteacher",
                              "--json", env=cli_env).stdout)["id"]
    kept = json.loads(run_cli("highlight", res["id"], "--quote", "Abu Hafs al-Qalami",
                              "--json", env=cli_env).stdout)["id"]
    out = json.loads(run_cli("reimport", res["id"], str(_v2(tmp_path)), "--json",
                             env=cli_env).stdout)
    assert out["id"] == res["id"]
    assert (out["placed"], out["fuzzy"], out["orphans"]) == ([kept], [], [gone])
    assert "photograph" in run_cli("text", res["id"], env=cli_env).stdout


WORDS = st.lists(st.sampled_from(["killed", "strike", "near", "Vakhidov", "said", "the", "in",
                                  "2017", "Wadi", "Sirr", "–", "“he”", "minister"]),
                 min_size=0, max_size=40).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(before=WORDS, quote=WORDS.filter(lambda q: len(q.strip()) >= 3), after=WORDS,
       ins_before=WORDS, ins_after=WORDS)
def test_inserting_text_elsewhere_keeps_a_unique_quote_in_place(before, quote, after,
                                                                ins_before, ins_after):
    old = f"{before} {quote} {after}"
    s = len(before) + 1
    e = s + len(quote)
    prefix, suffix = context(old, s, e)
    new = f"{ins_before}\n\n{before} {quote} {after}\n\n{ins_after}"
    p = Anchorer(new).place(quote=quote, prefix=prefix, suffix=suffix, old_start=s)
    assert p.start is not None and new[p.start:p.end].split() == quote.split()
    if new.count(quote.strip()) == 1:
        shift = len(ins_before) + 2
        assert (p.start, p.end) == (s + shift + len(quote) - len(quote.lstrip()),
                                    e + shift - (len(quote) - len(quote.rstrip())))


def test_typographic_and_spacing_changes_still_place_and_quote_follows_text():
    old = 'Intro.\n\nHe said "we will not believe it" until\nhe sees the body.'
    quote = '"we will not believe it" until\nhe sees'
    s = old.index(quote)
    prefix, suffix = context(old, s, s + len(quote))
    new = "Intro. He said “we will not believe it” until he sees the body."
    p = Anchorer(new).place(quote=quote, prefix=prefix, suffix=suffix, old_start=s)
    assert p.how == "moved"
    assert new[p.start:p.end] == "“we will not believe it” until he sees"


def test_repeated_quote_with_same_context_goes_to_the_nearest_occurrence():
    unit = "Officials said he was killed. "
    old = unit * 6
    s = old.index("killed", len(unit) * 4)
    prefix, suffix = context(old, s, s + 6)
    new = "Breaking. " + old
    p = Anchorer(new).place(quote="killed", prefix=prefix, suffix=suffix, old_start=s)
    assert p.start == s + len("Breaking. ")


def test_old_position_past_the_end_of_a_shorter_text():
    p = Anchorer("Short text about Wadi Sirr.").place(
        quote="Wadi Sir", prefix="x" * 32, suffix="", old_start=10_000)
    assert p.how == "moved" and p.start == 17
    p = Anchorer("Short text about Wadi Sirr.").place(
        quote="near Wadi Sirr in the north", prefix="", suffix="", old_start=10_000)
    assert p.how == "orphan"
