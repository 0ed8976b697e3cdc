"""The headline a page shows above its article, for a page whose ``<title>`` names only the
site or a section ("The Times Leader", "Football365 News") or is missing: the nearest
headline-like element before the article's first line that speaks of what the article does."""

from __future__ import annotations

import re
from typing import Any

from casefile.importers.page_text import PageText
from casefile.importers.titles import SEPARATORS

_CONTENT = re.compile(r"\w{4,}")
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
LEAD_WORDS = 100  # the article's opening, which its headline speaks of
NEAR = 800        # at most this many characters of the page's words above the article
MIN_WORDS, MAX_WORDS = 3, 30  # fewer is a label ("Middle East", "Subscribe now!")
SENTENCE_WORDS = 10  # the article starts at its first line this long (not a dateline, a menu)
SHARED = 2  # words of four letters or more a headline shares with the article's opening
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


def off_topic(title: str, text: str) -> bool:
    """``title`` is missing, or names a site or section: a few words, not cut by a separator
    ("Headline | Site" is a headline's title), none of four letters or more found in the
    article's opening."""
    words = title.split()
    if not words:
        return True
    return (len(words) <= SITE_WORDS and not any(sep in title for sep in SEPARATORS)
            and not (_content(title) & _lead(text)))


def before(tree: Any, text: str) -> str:
    """The last headline-like element (h1–h4, or a class naming a head or title) at most
    ``NEAR`` characters before the article's first sentence placed on the page, that shares
    two words with the article's opening and is no dateline ("" when there is none)."""
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
        words = " ".join(" ".join(el.itertext()).split())
        if (MIN_WORDS <= len(words.split()) <= MAX_WORDS and not _dated(words)
                and len(_content(words) & lead) >= SHARED):
            found = words
    return found
