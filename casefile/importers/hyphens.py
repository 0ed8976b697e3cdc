"""Words broken by a hyphen at a line end: joined ("com-" + "mander") or kept as a compound
("well-" + "known"), decided by the document's own vocabulary, then by how common the joined
word is (wordfreq's word lists); the hyphen stays when in doubt."""

from __future__ import annotations

import gzip
import importlib.util
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

JOIN_ZIPF = 3.0  # the joined form must be at least this common (once per million words)
_TOKEN = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_HYPHENS = "-\u2010"
# Languages with a word list to try, by script; English first among Latin-script languages.
_LATIN = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "sv", "da", "nb", "fi", "cs",
          "sk", "sl", "ro", "hu", "id", "ms", "ca", "lt", "lv", "sh", "is", "fil", "vi")
_BY_SCRIPT = {"latin": _LATIN, "cyrillic": ("ru", "uk", "bg", "mk"), "arabic": ("ar", "fa", "ur"),
              "greek": ("el",), "hebrew": ("he",)}


def _script(word: str) -> str:
    ch = word[0]
    if ch < "\u0250":
        return "latin"
    if "\u0370" <= ch < "\u0400":
        return "greek"
    if "\u0400" <= ch < "\u0530":
        return "cyrillic"
    if "\u0590" <= ch < "\u0600":
        return "hebrew"
    if "\u0600" <= ch < "\u0780":
        return "arabic"
    return ""


@cache
def common_words(lang: str) -> frozenset[str]:
    """Words of ``lang`` at least ``JOIN_ZIPF`` common, from wordfreq's small list.

    Read straight from the package's data (the cBpack format wordfreq documents: a gzipped
    msgpack list, a header, then one list of words per centibel of frequency), because
    importing wordfreq itself costs more than half a second. Empty if the list is missing."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{lang}.msgpack.gz"
    if not path.is_file():
        return frozenset()
    import msgpack

    with gzip.open(path, "rb") as f:
        data = msgpack.load(f, raw=False)
    if not isinstance(data[0], dict) or data[0].get("format") != "cB":
        return frozenset()
    # bucket i holds words of frequency 10^(-i/100), Zipf 9 - i/100
    last = round((9 - JOIN_ZIPF) * 100)
    return frozenset(w for bucket in data[1:last + 2] for w in bucket)


class Vocabulary:
    """The words a document prints whole: inside its lines, never at a broken line end."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter()
        for line in lines:
            toks = _TOKEN.findall(line.casefold())
            if toks and line.rstrip()[-1:] in _HYPHENS + "\u00ad":
                toks.pop()  # "com-" at the end: half a word
            self.counts.update(toks)
        self._words: frozenset[str] | None = None

    def language_words(self) -> frozenset[str]:
        """The common words of the document's language (picked by its most frequent words)."""
        if self._words is None:
            top = [w for w, _ in self.counts.most_common(300) if "-" not in w][:100]
            scripts = Counter(_script(w) for w in top)
            langs = _BY_SCRIPT.get(scripts.most_common(1)[0][0], ()) if top else ()
            best, best_share = frozenset(), 0.0
            for lang in langs:
                words = common_words(lang)
                share = sum(w in words for w in top) / len(top)
                if share > best_share:
                    best, best_share = words, share
                if share >= 0.5:
                    break
            self._words = best
        return self._words

    def joins(self, head: str, tail: str) -> bool:
        """Whether ``head`` + hyphen at a line end + ``tail`` is one word broken in two."""
        joined = (head + tail).casefold()
        compound = f"{head}-{tail}".casefold()
        whole, hyphenated = self.counts[joined], self.counts[compound]
        if whole != hyphenated:
            return whole > hyphenated
        return joined in self.language_words()


def broken_word(prev: str, nxt: str) -> tuple[str, str] | None:
    """The two halves when ``prev`` ends in a letter and a hyphen and ``nxt`` begins with a
    lower-case letter (the only breaks that may be a word split in two), else None."""
    if len(prev) < 2 or prev[-1] not in _HYPHENS or not prev[-2].isalpha():
        return None
    if not nxt[:1].islower():
        return None
    head = re.search(r"[^\W\d_]+$", prev[:-1])
    tail = re.match(r"[^\W\d_]+", nxt)
    if head is None or tail is None:
        return None
    return head.group(), tail.group()
