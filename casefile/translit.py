"""Scripts and transliteration: Latin keys for words in any script; which script a text uses."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from anyascii import anyascii

WORD = re.compile(r"\w+", re.UNICODE)
# Spellings of one sound that transliterations of one name disagree on (Russian Халимов is
# Khalimov, Tajik Ҳалимов is Halimov; Dzhuraev / Juraev): unified in search keys, longest first.
_ONE_SOUND = (("dzh", "j"), ("kh", "h"), ("zh", "j"), ("w", "v"))
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_RTL = frozenset({"ARABIC", "HEBREW", "SYRIAC", "THAANA", "NKO"})


@lru_cache(maxsize=131072)
def latin(word: str) -> str:
    """``word`` in lower-case ASCII letters and digits, transliterated from any script by
    anyascii ("Халимова" → "khalimova", "Rasúlzoda" → "rasulzoda"); apostrophes for soft and
    hard signs are dropped ("Ильич" → "ilich")."""
    if word.isascii():
        return _NOT_KEY.sub("", word.lower())
    return _NOT_KEY.sub("", anyascii(word).lower())


@lru_cache(maxsize=131072)
def key(word: str) -> str:
    """The search key of one word: ``latin`` with one-sound spellings unified, so every
    transliteration of a name meets ("Халимов", "Ҳалимов", "Khalimov", "Halimov" → "halimov")."""
    out = latin(word)
    for a, b in _ONE_SOUND:
        if a in out:
            out = out.replace(a, b)
    return out


def keys(text: str) -> list[str]:
    """The search keys of the words of ``text``, in order (words without a key left out)."""
    return [k for w in WORD.findall(text) if (k := key(w))]


def fold_text(text: str | None) -> str:
    """The folded shadow of ``text`` the search index holds beside it (registered in SQLite as
    ``search_fold()``): its words' keys separated by spaces."""
    return " ".join(keys(text)) if text else ""


_SPELLED = {"h": "(?:kh|h)", "j": "(?:dzh|zh|j)", "v": "[vw]"}
_NON_ASCII_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")


@lru_cache(maxsize=1024)
def _ascii_pattern(keys_: tuple[str, ...]) -> re.Pattern[str]:
    """Plain ASCII words whose search key starts with one of ``keys_`` (the one-sound
    spellings spelled out: "halimov" also matches "Khalimov")."""
    alts = ["".join(_SPELLED.get(ch, re.escape(ch)) for ch in k) for k in keys_]
    return re.compile(r"\b(?:" + "|".join(alts) + r")\w*", re.IGNORECASE)


def find_keyed(text: str, keys_: tuple[str, ...], *, ascii_too: bool = True
               ) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` whose search key starts with one of ``keys_``
    (code-point offsets, in order): "Халимова" and "Halimov" for "khalimov". Without
    ``ascii_too``, plain ASCII words are left out (the caller found those as typed)."""
    if not keys_:
        return []
    found = []
    if ascii_too or any(ch in _SPELLED for k in keys_ for ch in k):
        found = [(m.start(), m.end()) for m in _ascii_pattern(keys_).finditer(text)
                 if m.group().isascii() and key(m.group()).startswith(keys_)]
    if not text.isascii():
        found += [(m.start(), m.end()) for m in _NON_ASCII_WORD.finditer(text)
                  if key(m.group()).startswith(keys_)]
        found.sort()
    return found


@lru_cache(maxsize=8192)
def script_of_char(ch: str) -> str:
    """The script of a letter as Unicode names it ("LATIN", "CYRILLIC", "ARABIC", "CJK", …);
    "" for anything that is not a letter."""
    if not ch.isalpha():
        return ""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    return name.split(" ", 1)[0]


def scripts(text: str) -> Counter[str]:
    """How many letters of each script ``text`` holds."""
    return Counter(s for ch in text if (s := script_of_char(ch)))


def main_script(text: str) -> str:
    """The script most of ``text``'s letters are in ("" when it has none)."""
    counted = scripts(text)
    return counted.most_common(1)[0][0] if counted else ""


def is_rtl(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strong letter is Arabic, Hebrew, … (the
    Unicode bidi rule for a paragraph's direction)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def rtl_script(name: str) -> bool:
    return name in _RTL


_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter (Hebrew, Arabic, Syriac, Thaana, …)."""
    return _RTL_CHAR.search(text) is not None


def isolate(text: str) -> str:
    """``text`` between Unicode isolates (FSI … PDI) when it holds right-to-left letters, so
    that quoted in a sentence of another direction it neither reorders the words around it
    nor is reordered by them ("Opened “مقتل قائد” — 2 highlights")."""
    return f"\u2068{text}\u2069" if has_rtl(text) else text
