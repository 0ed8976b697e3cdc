"""The article an analyst reads, where one extractor alone loses it: an article split by a
"related" box and an advertisement, neighbouring stories and navigation around it, a sidebar
longer than a short post, a photo page with a caption only, a page whose <title> never ends."""

from __future__ import annotations

from pathlib import Path

from casefile.importers.candidates import choose
from casefile.importers.html import extract_fields

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def fields(name: str) -> dict[str, str]:
    return extract_fields((PAGES / name).read_bytes())


def test_an_article_split_by_a_related_box_is_read_to_its_end():
    text = fields("article_in_two_parts.html")["text"]
    assert text.startswith("The ferry that links Ostrava Minor")
    assert "makes the trip about forty times a day in summer" in text
    # the second half, after the box, follows in order
    assert text.index("since 1961") < text.index("Sorvik said the authority had asked")
    assert text.endswith("as it did after the inspection last year.")
    assert "More from the Velna Courier" not in text
    assert "swimming pool" not in text and "Advertisement" not in text


def test_neighbouring_stories_and_navigation_are_left_out():
    text = fields("neighbouring_stories.html")["text"]
    assert "Harnby council voted on Thursday to close the town's only public swimming pool" in text
    assert text.rstrip().endswith("Back to top") or "pay for the roof." in text[-80:]
    for teaser in ("Harnby library wins national prize", "Villagers on the southern bank face",
                   "Two arrested after break-in", "More news from Harnby", "Classifieds",
                   "Weather: a wet weekend ahead"):
        assert teaser not in text


def test_the_post_under_the_headline_not_a_longer_sidebar():
    text = fields("story_beside_a_sidebar.html")["text"]
    assert text.startswith("For this week's Harnby Report I talked to the mayor")
    assert "We discussed the engineers' report" in text
    assert "Harnby Water Forum" not in text and "threshing machine" not in text


def test_a_photo_page_keeps_what_text_it_has_instead_of_being_refused():
    got = fields("photo_post.html")
    assert "Frost on the Velna" in got["text"]
    assert "Photos by\nEirik Dalen\nat the Harnby landing" in got["text"]


def test_a_title_that_never_ends_does_not_swallow_the_page():
    text = fields("unclosed_title.html")["text"]
    assert text.startswith("Grain prices fall for a third month")
    assert "several members would leave land unsown in the spring" in text
    assert "getElementById" not in text and "<img" not in text and "logo_242x90" not in text


def _paragraphs(n: int, start: int = 0) -> list[str]:
    return [f"Paragraph {i} of the harbour report says the ferry number {i} sailed late on "
            f"the {i}th day because the quay at Harnby was closed for repairs." for i in
            range(start, start + n)]


def _page(paragraphs: list[str]) -> object:
    from casefile.importers.html import parse

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return parse(f"<html><body><h1>Harbour report</h1><div>{body}</div></body></html>")


def test_a_reading_that_stopped_early_gives_way_to_the_one_that_holds_it_and_more():
    """trafilatura's fast reading holds the first third of what readability reads, all of it
    inside: it stopped early (at a layout table, a pull-quote), and the whole is kept."""
    whole = _paragraphs(30)
    first, second = "\n".join(whole[:10]), "\n".join(whole)
    assert choose(_page(whole), "Harbour report", first, second) == second


def test_a_short_reading_gives_way_to_one_more_than_twice_as_long():
    """A short reading (a teaser, a caption, the page's chrome) beside one that reads more
    than twice as much and overlaps it only in part: the longer, as trafilatura's own
    fallback decides."""
    whole = _paragraphs(12)
    first = "\n".join(["Home | Islands | Ferries | Contact", *whole[:2]])
    second = "\n".join(whole)
    # the page as the fast reading saw it: a referee reading it would side with the first
    assert choose(_page(first.split("\n")), "Harbour report", first, second) == second


def test_a_long_reading_is_kept_beside_one_that_holds_it_and_only_a_little_more():
    whole = _paragraphs(30)
    first, second = "\n".join(whole[:20]), "\n".join(whole[:24])
    assert choose(_page(whole), "Harbour report", first, second) == first


def test_a_short_reading_cut_by_precision_gives_way_to_the_referee_that_holds_it():
    """Two short readings that each hold part of the article: the fast referee reads the
    first and the rest of it (up to half as much again), and its reading is kept."""
    whole = _paragraphs(6)
    first, second = "\n".join(whole[:4]), "\n".join(whole[1:5])
    got = choose(_page(whole), "Harbour report", first, second)
    assert all(p in got for p in whole)


def test_a_long_article_is_not_read_a_second_time(monkeypatch):
    """Readability is the second opinion on a short or doubtful reading; a 1,500-word
    article is taken as trafilatura reads it, without paying for a second reading."""
    from casefile.importers import candidates

    def refuse(tree: object) -> str:
        raise AssertionError("readability asked about a long article")

    monkeypatch.setattr(candidates, "readability", refuse)
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(80))
    page = f"<html><head><title>Harbour report</title></head><body><article>{body}</article>"
    got = extract_fields(f"{page}</body></html>".encode())["text"]
    assert got.startswith("Paragraph 0 of the harbour report") and "Paragraph 79 " in got
