"""The article text among candidate extractions, chosen by agreement.

The first candidate is trafilatura in its precision mode (measured best alone on the public
corpora, see ``bench/bench_extract.py``). When it is doubtful — fewer than ``DOUBT_WORDS`` words,
where extractors most often stopped early at a pull-quote or box, or took a neighbouring teaser
— readability (trafilatura's own port of readability-lxml) reads the page too, and the one of
the two that agrees better with a third opinion (trafilatura without its fallbacks) is kept.
Extra candidates run only then, so most pages cost one extraction.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from casefile.importers.paragraphs import body_paragraphs
from casefile.importers.text import normalize_text
from casefile.shingles import shingle_hashes

DOUBT_WORDS = 200
# its last resort may hand back a page's navigation as the "body": not an article
_CHROME = {"nav", "header", "footer", "aside", "menu"}
_WORD = re.compile(r"\w+")


def body_text(body: Any) -> str:
    """An extracted tree's paragraphs as the canonical text ("" for a page's chrome)."""
    if body is None or body.tag in _CHROME:
        return ""
    return normalize_text("\n\n".join(body_paragraphs(body)))


def agreement(a: str, b: str) -> float:
    """Dice overlap of the two texts' word 5-shingles (0 when either is empty)."""
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def doubtful(text: str) -> bool:
    return len(_WORD.findall(text)) < DOUBT_WORDS


def second_opinion(tree: Any, first: str) -> str:
    """``first``, or readability's text of ``tree`` when a referee extraction agrees with it
    better."""
    import trafilatura
    from trafilatura.external import try_readability

    try:
        other = body_text(try_readability(deepcopy(tree)))
    except (ValueError, TypeError):  # readability found nothing it could read
        other = ""
    if not other.strip() or other == first:
        return first
    if not first.strip():
        return other
    ref = trafilatura.bare_extraction(tree, fast=True, include_comments=False,
                                      include_tables=True, include_images=False,
                                      include_links=False, deduplicate=False)
    ref_text = body_text(ref.body) if ref is not None else ""
    return other if agreement(other, ref_text) > agreement(first, ref_text) else first
