"""The article text among candidate extractions, chosen or merged by where they sit on the page.

The first candidate is trafilatura in its precision mode (measured best alone on the public
corpora, see ``bench/bench_extract.py``); the second is readability (trafilatura's port of
readability-lxml). Found on the page (``page_text``), their lines tell the classes of failure
apart:

- the second lies inside the first, which has more around it: unless that more is in the
  second's own element (its whole content) or in what the page marks as its article, the
  first took in neighbouring stories, teasers or navigation; what the second spans (from the
  headline) or holds is kept of the first, or the second itself when that is what remains;
- the two do not overlap: either the article goes on in a second container of the same kind
  after a pull-quote, an advertisement or a "related" box (both are kept, in page order), or
  one of them is another story: the one that starts closest after the headline is kept.

- the first lies inside the second, which reads more than twice as much: the first stopped
  early (at a layout table, a pull-quote), and the second is kept.

Otherwise the first is kept; when it is doubtful (short), the second if it reads more than
twice as much (trafilatura's own rule for its fallback), else a fast trafilatura referee
decides between the two — or gives its own reading, when that holds the first and up to half
as much again (the precision mode cut a short article). A first reading of ``LONG_WORDS`` or
more is kept without asking readability at all (``long_reading``).
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from functools import lru_cache
from typing import Any

from casefile.importers.page_meta import agrees
from casefile.importers.page_text import PageText, words_of
from casefile.importers.paragraphs import body_paragraphs
from casefile.importers.text import normalize_text

DOUBT_WORDS = 200
LONG_WORDS = 1500  # a first reading this long is not compared with readability's
INSIDE = 0.8    # share of the second's shingles found in the first: "inside"
APART = 0.2     # below this share either way: the two do not overlap
SPANS = 0.5     # the second must hold this share of the first's words to be trusted as a span
SAME = 0.05     # the first longer by less than this share: the same text
TIGHT = 0.7     # share of an element's words a candidate must hold to be its whole content
REF_MORE = 1.5  # the referee's reading holding the first and up to this much more is kept
LEAD_WORDS = 50  # a candidate shorter than this is not an article of its own
# its last resort may hand back a page's navigation as the "body": not an article
_CHROME = {"nav", "header", "footer", "aside", "menu"}
_WORD = re.compile(r"\w+")


def body_text(body: Any) -> str:
    """An extracted tree's paragraphs as the canonical text ("" for a page's chrome)."""
    if body is None or body.tag in _CHROME:
        return ""
    return normalize_text("\n\n".join(body_paragraphs(body)))


@lru_cache(maxsize=16)
def _words(text: str) -> tuple[str, ...]:
    """The text's words (a page's candidates are looked at several times)."""
    return tuple(words_of(text))


@lru_cache(maxsize=16)
def _shingles(text: str) -> frozenset[int]:
    """The text's runs of five words (hashed for this process only)."""
    w = _words(text)
    if len(w) < 5:
        return frozenset({hash(w)}) if w else frozenset()
    return frozenset(map(hash, zip(w, w[1:], w[2:], w[3:], w[4:], strict=False)))


def agreement(a: str, b: str) -> float:
    """Dice overlap of the two texts' word 5-shingles (0 when either is empty)."""
    sa, sb = _shingles(a), _shingles(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def doubtful(text: str) -> bool:
    return len(_words(text)) < DOUBT_WORDS


def long_reading(text: str) -> bool:
    """A reading this long is an article on its own: readability, the second opinion, is
    not asked (on 1,081 pages of four corpora the text was the same to 0.0006 of F1, and
    readability costs most on the longest pages)."""
    return len(_words(text)) >= LONG_WORDS


def readability(tree: Any) -> str:
    """readability's text of ``tree`` ("" when it finds nothing it can read)."""
    from trafilatura.external import try_readability

    try:
        return body_text(try_readability(deepcopy(tree)))
    except (ValueError, TypeError):
        return ""


class _Located:
    """A candidate's lines with their places on the page."""

    def __init__(self, text: str, page: PageText) -> None:
        self.text = text
        self.lines = [ln for ln in text.split("\n") if ln.strip()]
        self.spans = [page.span(ln) for ln in self.lines]
        known = [s for s in self.spans if s is not None]
        self.start = min(s[0] for s in known) if known else None
        self.end = max(s[2] for s in known) if known else None
        self.words = len(_words(text))
        self.page = page

    def container(self) -> Any:
        """The lowest element that holds most of the lines (None if none was found)."""
        counts: Counter[Any] = Counter()
        known = [s for s in self.spans if s is not None]
        for s in known:
            counts.update(self.page.element(s[1]).iterancestors())
        holding = [el for el, n in counts.items() if n >= 0.8 * len(known)]
        return max(holding, key=lambda el: sum(1 for _ in el.iterancestors()), default=None)

    def tight_container(self) -> Any:
        """``container()`` when these lines are most of its text (an article body, not a
        layout cell that also holds the teasers)."""
        el = self.container()
        if el is None:
            return None
        return el if self.words >= TIGHT * len(_WORD.findall(el.text_content())) else None

    def kept(self, lo: int, hi: int, inside: Any, shared: frozenset[int]) -> str:
        """The lines placed from ``lo`` to ``hi`` or inside the element ``inside`` or sharing
        runs of words with ``shared``, and those not placed that sit between two kept."""
        keep = [(s is not None and (lo <= s[1] <= hi or (inside is not None and any(
            el is inside for el in self.page.element(s[1]).iterancestors()))))
            or bool(_shingles(ln) & shared) for s, ln in zip(self.spans, self.lines, strict=True)]
        for i, s in enumerate(self.spans):
            if s is None and any(keep[:i]) and any(keep[i + 1:]):
                keep[i] = True
        return "\n".join(ln for ln, k in zip(self.lines, keep, strict=True) if k)


def _kind(el: Any) -> tuple[str, str]:
    return el.tag, " ".join(sorted((el.get("class") or "").split()))


def _headline_at(page: PageText, title: str) -> int | None:
    """Where the headline is: a heading that agrees with ``title``, else the title's words."""
    for at, text in page.headings:
        if agrees(" ".join(text.split()), title):
            return at
    found = page.span(title) if title else None
    return found[0] if found else None


def _says_article(el: Any) -> bool:
    """The page marks ``el`` (or an element around it) as its article."""
    return any(e.tag == "article" or e.get("itemprop") == "articleBody"
               for e in (el, *el.iterancestors()))


def choose(tree: Any, title: str, first: str, second: str) -> str:
    """The article text from ``first`` (trafilatura's) and ``second`` (readability's), by
    where their lines sit in ``tree`` relative to each other and to the headline ``title``."""
    if not second.strip() or second == first:
        return first
    if not first.strip():
        return second
    sa, sb = _shingles(first), _shingles(second)
    if not sa or not sb:
        return first
    common = len(sa & sb)
    second_inside, first_inside = common / len(sb), common / len(sa)
    apart = second_inside < APART and first_inside < APART
    wa, wb = len(_words(first)), len(_words(second))
    if first_inside >= INSIDE and wb > 2 * wa:
        return second  # the first stopped early (trafilatura's own rule for its fallback)
    if not apart and not (second_inside >= INSIDE and (1 + SAME) * wb < wa):
        return _doubt(tree, first, second)
    if not apart and wb < SPANS * wa:
        return first  # too little of the first to tell its article by
    page = PageText(tree)
    a, b = _Located(first, page), _Located(second, page)
    if a.start is None or b.start is None:
        return first
    headline = _headline_at(page, title)
    if not apart:  # the second inside the first, which has more around it
        ca, tight = a.container(), b.tight_container()
        if ca is None or ca is tight or _says_article(ca):
            return first  # the first's extra is in the second's own element: the article's
        lo = headline if headline is not None and headline < b.start else b.start
        kept = a.kept(lo, b.end, tight, _shingles(second))
        if not kept:
            return first
        return second if agreement(kept, second) >= 0.9 else kept
    # apart: the article in two containers of one kind, or another story
    ca, cb = a.container(), b.container()
    if ca is not None and cb is not None and ca is not cb and _kind(ca) == _kind(cb):
        parts = sorted((a, b), key=lambda c: c.start)
        return "\n\n".join(c.text for c in parts)
    if headline is not None:
        after = [c for c in (a, b) if c.start >= headline and c.words >= LEAD_WORDS]
        if after:
            return min(after, key=lambda c: c.start).text
    return _doubt(tree, first, second)


def _doubt(tree: Any, first: str, second: str) -> str:
    """``first``, unless it is short: then ``second`` when it reads more than twice as
    much (trafilatura's own rule for its fallback), else the referee's choice."""
    if not doubtful(first):
        return first
    if len(_words(second)) > 2 * len(_words(first)):
        return second
    return _referee(tree, first, second)


def _referee(tree: Any, first: str, second: str) -> str:
    """Of two doubtful readings, the one a fast trafilatura extraction agrees with more."""
    import trafilatura

    ref = trafilatura.bare_extraction(tree, fast=True, include_comments=False,
                                      include_tables=True, include_images=False,
                                      include_links=False, deduplicate=False)
    ref_text = body_text(ref.body) if ref is not None else ""
    sa, sr = _shingles(first), _shingles(ref_text)
    if sa and len(sa & sr) >= INSIDE * len(sa) and len(_words(first)) < len(_words(ref_text)) \
            <= REF_MORE * len(_words(first)):
        return ref_text  # the referee reads the first and a little more: precision cut it
    return second if agreement(second, ref_text) > agreement(first, ref_text) else first
