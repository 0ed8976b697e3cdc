"""The headline a page shows above its article, for a page whose ``<title>`` names only the
site or a section ("The Times Leader", "Football365 News") or is missing: the nearest
headline-like element before the article's first line that speaks of what the article does."""

from __future__ import annotations

import re
from typing import Any

from casefile.importers.page_text import PageText
from casefile.importers.titles import SEPARATORS, hostname

_CONTENT = re.compile(r"\w{4,}")
_WORD = re.compile(r"\w+")
_NOT_ALNUM = re.compile(r"\W|_")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
LEAD_WORDS = 100  # the article's opening, which its headline speaks of
NEAR = 800        # at most this many characters of the page's words above the article
MIN_WORDS, MAX_WORDS = 3, 30  # fewer is a label ("Middle East", "Subscribe now!")
SENTENCE_WORDS = 10  # the article starts at its first line this long (not a dateline, a menu)
SHARED = 2  # words of four letters or more a headline shares with the article's opening
CLOSE = 200  # characters: a headline this close above the article needs no shared word
SITE_WORDS = 5    # a site's or a section's name is rarely longer ("Starpulse Entertainment News")


def _content(text: str) -> set[str]:
    return {w.casefold() for w in _CONTENT.findall(text)}


def _lead(text: str) -> set[str]:
    return _content(" ".join(text.split()[:LEAD_WORDS]))


def _dated(words: str) -> bool:
    """A dateline ("Thursday, January 17th, 2008"): a year, and two words or fewer besides
    the numbers."""
    return bool(_YEAR.search(words)) and len([w for w in _WORD.findall(words)
                                              if not any(c.isdigit() for c in w)]) <= 2


def names_site(title: str, names: tuple[str, ...]) -> bool:
    """``title`` is a few words, one of the site's names ("The Calgary Sun" for
    calgarysun.com), or holding the first word of one ("Football365 News" for
    "Football365.com - …")."""
    if len(title.split()) > SITE_WORDS:
        return False
    letters = _NOT_ALNUM.sub("", title.casefold()).removeprefix("the")
    for name in names:
        folded = name.casefold()
        first = _WORD.match(folded.strip())
        if (len(letters) >= 5 and letters in _NOT_ALNUM.sub("", folded)) or (
                first and len(first.group()) >= 5 and first.group() in letters):
            return True
    return False


def host(url: str) -> str:
    """The address's host without "www." (not its path: a slug repeats the headline)."""
    return hostname(url).removeprefix("www.")


def off_topic(title: str, text: str, names: tuple[str, ...] = ()) -> bool:
    """``title`` is missing, or names a site or section: a few words, not cut by a separator
    ("Headline | Site" is a headline's title), that are one of the site's ``names`` (its
    name, its address) or of which none of four letters or more is in the article's
    opening."""
    words = title.split()
    if not words:
        return True
    return (len(words) <= SITE_WORDS and not any(sep in title for sep in SEPARATORS)
            and (names_site(title, names) or not (_content(title) & _lead(text))))


def _short_text(el: Any) -> str:
    """The element's words, white space collapsed; "" past ``MAX_WORDS`` (a container holding
    the page is not read to its end)."""
    words: list[str] = []
    for piece in el.itertext():
        words.extend(piece.split())
        if len(words) > MAX_WORDS:
            return ""
    return " ".join(words)


def before(tree: Any, text: str, *, sure: bool = False) -> str:
    """The last headline-like element (h1–h4, or a class naming a head or title) at most
    ``NEAR`` characters before the article's first sentence placed on the page, that shares
    two words with the article's opening and is no dateline ("" when there is none). When
    the page's title is ``sure`` to be the site's name, two words and one shared word (or
    none, ``CLOSE`` above the article) will do."""
    page = PageText(tree)
    opening = (ln for ln in text.split("\n")[:40] if len(ln.split()) >= SENTENCE_WORDS)
    start = next((s[0] for s in map(page.span, opening) if s is not None), None)
    if start is None:
        return ""
    lead = _lead(text)
    found = ""
    for at, el in page.heads:
        if at > start:
            break
        if start - at > NEAR:
            continue
        words = _short_text(el)
        count, shared = len(words.split()), len(_content(words) & lead)
        if sure:  # the <title> is the site's name: any headline just above the article
            fits = count >= MIN_WORDS - 1 and (shared or start - at <= CLOSE)
        else:
            fits = count >= MIN_WORDS and shared >= SHARED
        if fits and not _dated(words):  # _short_text is "" past MAX_WORDS
            found = words
    return found
