"""Where a person's names occur in a text: any script, Russian/Tajik case endings, and the family
name alone once the full name was seen."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from casefile import translit
from casefile.analysis import names

_FAMILY = re.compile(r"(?:ov|ev|yov|in|yn|zoda|zade)$")
# Russian case endings of -ов/-ев/-ин family names (and the Tajik object marker -ро), as the
# search keys spell them: Халимова, Халимову, Халимовым, Халимове, Халимовой, Халимовом,
# Халимовро. Plurals (Халимовых: the family) are left out.
_CASE_END = re.compile(r"(?<=ov|ev|in|yn)(?:a|u|ym|om|e|oy|oi|oj|ro|y)$")
_GAP = re.compile(r"[\s\u00a0]+")


@lru_cache(maxsize=131072)
def word_key(word: str) -> str:
    """A word's key for name matching: its search key without a case ending
    ("Халимову" → "halimov", "Khalimova" → "halimov")."""
    return _CASE_END.sub("", translit.key(word))


@lru_cache(maxsize=131072)
def _frame(word: str) -> str:
    """The consonant frame of a word written without vowels (Arabic script), else ""."""
    if translit.script_of_char(word[:1]) != "ARABIC":
        return ""
    toks = names.tokens(word)
    return names.skeleton(toks[0]) if toks else ""


def _same(word: str, part: str) -> bool:
    """Whether a word of the text is ``part`` of a name, in any script or case."""
    if word_key(word) == word_key(part):
        return True
    frame = _frame(word)
    if not frame or len(frame) < 3:
        return False
    toks = names.tokens(part)
    return bool(toks) and names.skeleton(toks[0]) == frame


def _parts(spelling: str) -> list[str]:
    return [w for w in translit.WORD.findall(spelling) if translit.key(w)]


def _joins(spelling: str) -> list[re.Pattern[str]]:
    """What may stand between the parts of a spelling: any white space where it has some,
    else what it has ("al-Qalami")."""
    spans = [m for m in translit.WORD.finditer(spelling) if translit.key(m.group())]
    out = []
    for x, y in itertools.pairwise(spans):
        gap = spelling[x.end():y.start()]
        out.append(_GAP if not gap.strip() else re.compile(re.escape(gap.strip())))
    return out


def family_name(spelling: str) -> str:
    """The family name of a full name: the part with a family ending, else the last part."""
    parts = _parts(spelling)
    if len(parts) < 2:
        return ""
    return next((p for p in parts if _FAMILY.search(word_key(p))), parts[-1])


def find(text: str, spellings: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, spelling)`` of every occurrence in ``text`` of a spelling: its words in
    order with only white space between, each word in any script and case ending; then, where
    a full name of two or more words was found, its family name alone when the nearest full
    name of that family before it is this one (not a relative's: "Бехруз Халимов").
    Code-point offsets, in text order."""
    words = [(m.start(), m.end(), m.group()) for m in translit.WORD.finditer(text)]
    taken: set[int] = set()
    out: list[tuple[int, int, str]] = []
    families: dict[str, tuple[str, list[int]]] = {}
    for spelling in sorted(spellings, key=lambda s: -len(_parts(s))):
        parts = _parts(spelling)
        if not parts:
            continue
        n = len(parts)
        joins = _joins(spelling)
        first = word_key(parts[0])
        for i in range(len(words) - n + 1):
            if any(i + k in taken for k in range(n)):
                continue
            if word_key(words[i][2]) != first and not _same(words[i][2], parts[0]):
                continue  # (the cheap test first: most words are no name)
            if all(_same(words[i + k][2], parts[k]) for k in range(1, n)) and all(
                    joins[k - 1].fullmatch(text[words[i + k - 1][1]:words[i + k][0]])
                    for k in range(1, n)):
                taken.update(range(i, i + n))
                out.append((words[i][0], words[i + n - 1][1], spelling))
                if n >= 2 and (fam := family_name(spelling)):
                    families.setdefault(fam, (spelling, []))[1].append(i)
    for fam, (spelling, ours) in families.items():
        others = []  # full names of other members of the family ("Behruz Khalimov")
        lone = []
        for i, (a, _b, w) in enumerate(words):
            if i in taken or not w[:1].isupper() or not _same(w, fam):
                continue
            after_name = i and words[i - 1][2][:1].isupper() and _GAP.fullmatch(
                text[words[i - 1][1]:a])
            (others if after_name else lone).append(i)
        for i in lone:
            mine = max((j for j in ours if j < i), default=-1)
            if mine >= 0 and mine > max((j for j in others if j < i), default=-1):
                taken.add(i)
                out.append((words[i][0], words[i][1], spelling))
    out.sort()
    return out
