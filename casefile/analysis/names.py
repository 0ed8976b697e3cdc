"""Name folding (diacritics, Cyrillic, transliteration variants) and duplicate-entity candidates."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, permutations

from rapidfuzz.fuzz import ratio

from casefile import translit

# Particles that do not identify anyone on their own.
STOP_TOKENS = frozenset({"al", "el", "ad", "an", "ar", "as", "at", "ash", "az", "ibn", "bin",
                         "bint", "abu", "abd", "the", "of", "de", "van", "von", "mr", "dr"})
# Patronymic/family suffixes that vary between Russian and Tajik forms (Vakhidov / Vakhidzoda).
# Not "-zod": it ends given names (Sherzod, Behzod, Farzod).
_SUFFIXES = ("zoda", "zade", "ova", "eva", "ov", "ev", "i")
# Words that tell a father from his son; two names that differ in one are two people.
_GENERATIONS = frozenset({"jr", "sr", "junior", "senior", "ii", "iii", "iv"})
# Vowels that transliterations (or a language's own form) of one name write differently
# (Temur / Timur / Temir, Gulmurod / Gulmurad / Gulmorod, Khudoiberdiev / Khudoyberdiyev);
# other vowel changes make another name (Nazarov / Nazirov, Kamolov / Komilov).
_ONE_VOWEL = frozenset({frozenset("ei"), frozenset("iy"), frozenset("ey"), frozenset("oa"),
                        frozenset("ou"), frozenset("iu")})
# A family name's feminine form (Rajabova, Valieva, Nazarova): a woman of the family, not him
_FEMININE = re.compile(r"(?:ova|eva|ina|owa|ewa)$")
# Russian case endings after a family name's -ov/-ev/-in (Назарову, Назаровым, о Назарове)
_CASE_END = re.compile(r"(?<=[oe]v|in)(?:u|ym|om|e)$")
# Consonant spellings that transliterate one sound (Tajik f is often written p: Sharifov /
# Sharipov).
_DIGRAPHS = (("dzh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("zh", "j"), ("dz", "z"),
             ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"), ("x", "h"), ("c", "k"), ("p", "f"))
_VOWELS = set("aeiouy")
# A pair scoring this much is shown as likely one person (below it: worth a look).
LIKELY = 0.85
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


# German transliteration (Chalimow, Jusupow, Tschernow): known by its family-name endings
_GERMAN_END = re.compile(r"(?:ow|owa|ew|ewa|owitsch)$")
_GERMAN = (("tsch", "\0"), ("sch", "sh"), ("ch", "kh"), ("\0", "ch"), ("j", "y"), ("w", "v"))


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def script_note(a: str, b: str) -> str:
    """" (Cyrillic transliterated)" when one name is in another script than the other."""
    sa, sb = translit.main_script(a), translit.main_script(b)
    if sa == sb or not sa or not sb:
        return ""
    other = sb if sa == "LATIN" else sa
    return " (Cyrillic transliterated)" if other == "CYRILLIC" else \
        f" ({other.title()} script transliterated)"


_ALEF = "اأإآ"
_LONG = {"و": "u", "ي": "i", "ى": "i"}


def _abjad(name: str) -> str:
    """An Arabic-script name's letters read as a Latin spelling would have them: the family
    ending -وف as -ov, و and ي after the first letter (long vowels there) as u and i, an
    initial alef as the vowel it carries ("حليموف" → "hlimov", "واحيدوف" → "vhidov",
    "أوميد" → "umid", "إسكندر" → "askndr")."""
    lead = ""
    if name[:1] in _ALEF:
        lead = _LONG.get(name[1:2], "a")
        name = name[2:] if name[1:2] in _LONG else name[1:]
    word = translit.latin(name)
    if word.endswith("wf"):
        word = word[:-2] + "ov"
    elif word.endswith("yyf"):  # -ييف, the -iev of Khudoiberdiev
        word = word[:-3] + "iev"
    if not lead:
        lead, word = word[:1].replace("w", "v"), word[1:]
    return lead + word.replace("w", "u").replace("y", "i")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case Latin without diacritics, any script transliterated (anyascii): "Темур" ->
    "temur", "حليموف" -> "hlimov"; German spellings read as English ones ("Chalimow" ->
    "khalimov")."""
    words = []
    for w in _TOKEN.findall(text.replace("'", "").replace("’", "").replace("ʼ", "")):
        out = translit.latin(w)
        script = translit.script_of_char(w[0])
        if script == "ARABIC":
            out = _abjad(w)
        elif script == "CYRILLIC" and len(out) > 6:
            out = _CASE_END.sub("", out)
        if out:
            words.append(out)
    if any(_GERMAN_END.search(w) for w in words):
        for a, b in _GERMAN:
            words = [w.replace(a, b) for w in words]
    return " ".join(words)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Folded tokens without particles ("Abu Hafs al-Qalami" -> ["hafs", "qalami"])."""
    toks = fold(text).split()
    kept = tuple(t for t in toks if t not in STOP_TOKENS)
    return kept or tuple(toks)


def stem(token: str) -> str:
    """A token without a family-name suffix, when enough is left ("vakhidzoda" -> "vakhid")."""
    for suf in _SUFFIXES:
        if token.endswith(suf) and len(token) - len(suf) >= 3:
            return token[: -len(suf)]
    return token


@lru_cache(maxsize=65536)
def _spelled(token: str) -> str:
    """A token without its family suffix, one-sound spellings unified, vowels kept."""
    token = stem(token)
    for a, b in _DIGRAPHS:
        token = token.replace(a, b)
    return token


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A phonetic key: first letter, then consonants with one-sound spellings unified and
    doubled letters collapsed ("temur"/"timur" -> "tmr", "vakhidov"/"vahidov" -> "vhd")."""
    token = stem(token)
    for a, b in _DIGRAPHS:
        token = token.replace(a, b)
    if not token:
        return ""
    first = "a" if token[0] in _VOWELS else token[0]
    rest = [ch for ch in token[1:] if ch not in _VOWELS]
    out = [first]
    for ch in rest:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class NameEntry:
    """One entity as the candidate finder sees it: its names (canonical first) and kind."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Candidate:
    """Two entities that may be one: ``a`` is the older (suggested keeper)."""

    a_id: str
    a: str
    b_id: str
    b: str
    score: float
    reason: str


@lru_cache(maxsize=262144)
def _token_score(x: str, y: str) -> float:
    if x == y:
        return 1.0
    if skeleton(x) == skeleton(y):
        # one consonant frame; vowels far apart mean two names (Kamolov / Komilov, Nazarov /
        # Nazirov), vowels one sound apart one name (Temur / Timur); a script without short
        # vowels (Arabic) leaves some out
        sx, sy = _spelled(x), _spelled(y)
        vx, vy = _vowels(sx), _vowels(sy)
        if len(vx) == len(vy) and all(p == q or frozenset((p, q)) in _ONE_VOWEL
                                      for p, q in zip(vx, vy, strict=True)):
            return 0.95
        short, long_ = sorted((vx, vy), key=len)
        if len(short) < len(long_) and _subsequence(short, long_):
            return 0.95  # vowels left out, as abjads and quick spellings do
        return 0.8 if ratio(sx, sy) >= 75 else 0.75
    if x.startswith(y) or y.startswith(x):
        return 0.8 if min(len(x), len(y)) >= 4 else 0.4
    if len(x) == len(y) >= 4 and block_key(x) == block_key(y) and sorted(x) == sorted(y):
        return 0.9  # the same letters, two of them swapped: Behruz / Behzur
    return ratio(x, y) / 100.0


def _vowels(token: str) -> str:
    """The vowels of a token, y read as i and a vowel written twice as one (Sayidov)."""
    token = re.sub(r"([aeiou])\1", r"\1", token.replace("y", "i"))
    return "".join(ch for ch in token if ch in _VOWELS)


def _subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def _feminine(token: str) -> bool:
    return bool(_FEMININE.search(token))


def _suffixed(token: str) -> bool:
    return stem(token) != token


def _align(short: tuple[str, ...], long_: tuple[str, ...]) -> tuple[list[float], list[int]]:
    """Best one-to-one pairing of the tokens of ``short`` with those of ``long_``."""
    table = [[_token_score(t, u) for u in long_] for t in short]
    if len(long_) <= 5:
        best = max(permutations(range(len(long_)), len(short)),
                   key=lambda p: sum(table[i][j] for i, j in enumerate(p)))
        return [table[i][j] for i, j in enumerate(best)], list(best)
    used: set[int] = set()
    scores, order = [], []
    for row in table:
        j = max((j for j in range(len(long_)) if j not in used), key=lambda j: row[j])
        used.add(j)
        scores.append(row[j])
        order.append(j)
    return scores, order


def name_score(a: str, b: str) -> tuple[float, str]:
    """How alike two names are (0–1) and why."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0, ""
    cyr = script_note(a, b)
    if fa == fb:
        return 0.99, f"same name once folded{cyr}: “{a}” = “{b}”"
    ta, tb = tokens(a), tokens(b)
    ga, gb = set(ta) & _GENERATIONS, set(tb) & _GENERATIONS
    ta = tuple(t for t in ta if t not in _GENERATIONS) or ta
    tb = tuple(t for t in tb if t not in _GENERATIONS) or tb
    if ga != gb:
        return 0.5, f"one name marks a generation the other does not (father and son?): " \
                    f"“{a}” / “{b}”"
    if sorted(ta) == sorted(tb):
        return 0.97, f"reordered given/family names: “{a}” = “{b}”"
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    scores, order = _align(short, long_)
    extra = len(long_) - len(short)
    mean = sum(scores) / (len(scores) + 0.5 * extra)
    reordered = order != sorted(order)
    pairs = list(zip(short, (long_[j] for j in order), strict=True))
    if any(_feminine(t) != _feminine(u) and stem(t) != t and stem(u) != u for t, u in pairs) \
            and all(t == u or _feminine(t) != _feminine(u) for t, u in pairs):
        return 0.5, f"one family name is the feminine form of the other (relatives?): " \
                    f"“{a}” / “{b}”"
    if reordered and any(_suffixed(t) != _suffixed(long_[j]) for t, j in zip(short, order,
                                                                             strict=True)):
        # Dilshod Qurbonov / Qurbon Dilshodov: one's given name is the other's family name
        return 0.5, f"a given name of one is the family name of the other (father and son?): " \
                    f"“{a}” / “{b}”"
    if min(scores) >= 0.9:
        return 0.9 + 0.05 * mean - 0.02 * extra, \
            f"{_variant(a, b, scores, extra, reordered)}{cyr}: “{a}” ≈ “{b}”"
    if len(short) >= 2 and max(scores) >= 0.95 and min(scores) < 0.6:
        # one name part is the same, another plainly differs: a relative, not a variant
        return 0.45 + 0.1 * mean, f"share a name part but differ in another (relatives?): " \
                                     f"“{a}” / “{b}”"
    return 0.85 * mean, f"similar spelling{cyr}: “{a}” ~ “{b}”"


# The ends of a web address that say nothing of whom it names ("DW.COM" is DW).
WEB_PARTS = frozenset({"www", "com", "org", "net", "info", "co", "uk", "ru", "tj", "uz", "kg",
                       "kz", "de", "fr", "tv", "io", "eu", "me", "news", "am", "fm"})
_WEB = re.compile(r"(?:^|\b)(?:https?://)?(?:www\.)?[^\s/]+\.[a-z]{2,6}/?$", re.IGNORECASE)


def _variant(a: str, b: str, scores: list[float], extra: int, reordered: bool) -> str:
    """Why two names whose every part matches are one: spelled alike (a transliteration, or
    a letter or two apart), one inside the other, or a name and its web address."""
    what = "transliteration variant" if min(scores) >= 0.95 else "spelling variant"
    if extra:
        long_ = a if len(tokens(a)) > len(tokens(b)) else b
        rest = set(tokens(long_)) - set(tokens(b if long_ is a else a))
        if rest and rest <= WEB_PARTS and _WEB.search(long_.strip()):
            return "same name with a web suffix"
        if min(scores) == 1.0:
            return "one name is part of the other"
        return f"{what} of part of the name"
    return what + (" with reordered names" if reordered else "")


@lru_cache(maxsize=65536)
def block_key(token: str) -> str:
    """The blocking key of a name token: its skeleton's first letter, then its other letters
    sorted, so spellings with letters transposed meet ("behruz"/"behzur" -> "bhrz")."""
    sk = skeleton(token)
    return sk[:1] + "".join(sorted(sk[1:]))


def _keys(entry: NameEntry) -> set[str]:
    keys = set()
    for n in entry.names:
        for t in tokens(n):
            key = block_key(t)
            if len(key) >= 2:
                keys.add(key)
    return keys


def pair_score(x: NameEntry, y: NameEntry) -> tuple[float, str]:
    """The best score over all name pairs of two entities, and its reason."""
    best, why = 0.0, ""
    for i, na in enumerate(x.names):
        for j, nb in enumerate(y.names):
            sc, reason = name_score(na, nb)
            if i or j:
                sc -= 0.005  # a match on the canonical names explains itself best
                if sc > best:
                    owner = x if i else y
                    reason += f" (alias of {owner.name})"
            if sc > best:
                best, why = sc, reason
    return best, why


def candidates(entries: Sequence[NameEntry], *, threshold: float = 0.45,
               max_block: int = 400, rare_block: int = 12) -> list[Candidate]:
    """Likely duplicates, best first.

    Blocking keeps this far from n² comparisons: entities are compared only within a kind and
    only when their folded name tokens share phonetic keys (``block_key``: letter order
    aside, so transposed spellings meet) — at least two keys, or every key of
    the shorter name, or one key that few entities have (a family name shared by a handful of
    relatives). One common given name alone ("Temur") does not make a pair. Blocks larger than
    ``max_block`` are ignored."""
    keys = [_keys(e) for e in entries]
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for idx, e in enumerate(entries):
        for k in keys[idx]:
            blocks[(e.kind, k)].append(idx)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    rare: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:
            continue
        small = len(members) <= rare_block
        for pair in combinations(members, 2):
            shared[pair] += 1
            if small:
                rare.add(pair)
    out = []
    for (i, j), n in shared.items():
        if n < 2 and n < min(len(keys[i]), len(keys[j])) and (i, j) not in rare:
            continue
        x, y = entries[i], entries[j]
        sc, why = pair_score(x, y)
        if sc >= threshold:
            out.append(Candidate(x.id, x.name, y.id, y.name, round(sc, 3), why))
    out.sort(key=lambda c: (-c.score, c.a.casefold(), c.b.casefold()))
    return out




def best_matches(name: str, entries: Iterable[NameEntry], *, limit: int = 5
                 ) -> list[tuple[float, NameEntry]]:
    """Entities whose names are most like ``name`` (for "did you mean")."""
    scored = [(max(name_score(name, n)[0] for n in e.names), e) for e in entries]
    scored.sort(key=lambda p: -p[0])
    return [p for p in scored[:limit] if p[0] > 0.5]


def spelled_in(text: str, entries: Iterable[NameEntry], *, kinds: tuple[str, ...] = ()
               ) -> tuple[NameEntry, str] | None:
    """The entity one of whose spellings (name or alias) ``text`` contains as whole words,
    and that spelling: the longest spelling found wins (the most specific: "Temur Vakhidov"
    over "Vakhidov"); a spelling two entities share says nothing and is skipped. ``kinds``
    limits the entities considered (all when empty)."""
    owners: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, str] = {}
    by_id: dict[str, NameEntry] = {}
    for e in entries:
        if kinds and e.kind not in kinds:
            continue
        by_id[e.id] = e
        for n in e.names:
            key = " ".join(n.split()).casefold()
            if len(key) >= 3:
                owners[key].add(e.id)
                spellings.setdefault(key, n)
    haystack = " ".join(text.split()).casefold()
    for key in sorted(owners, key=lambda k: (-len(k), k)):
        if len(owners[key]) == 1 and re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)",
                                               haystack):
            return by_id[next(iter(owners[key]))], spellings[key]
    return None
