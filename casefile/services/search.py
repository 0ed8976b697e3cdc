"""Full-text search across a case (the SQLite FTS5 index of ``casefile.db.fts``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from sqlalchemy import text

from casefile import translit
from casefile.db import fts
from casefile.db.database import Database
from casefile.doclabels import distinct_titles
from casefile.errors import ValidationError

_WORD = re.compile(r"\w+", re.UNICODE)
KINDS = fts.KINDS


@dataclass(frozen=True)
class SearchHit:
    """One matching record. ``type`` is document, highlight, claim, entity or alias.

    ``document_id``/``start``/``end`` point at the passage to open: for a document the first
    hit of the query in its text (``offsets`` lists every hit; words match as prefixes,
    ignoring case and, like the index, accents), for a highlight its span.
    ``entity_id`` is set for entity and alias hits."""

    type: str
    id: str
    snippet: str
    score: float
    document_id: str | None = None
    start: int | None = None
    end: int | None = None
    offsets: tuple[tuple[int, int], ...] = ()
    entity_id: str | None = None
    document: str = ""  # the document it is in (a claim: its first passage's), by title;
    # where titles collide, with format and file name: "Relatives … (PNG · scan-1.png)"


def fts_query(query: str, *, folded: bool = False) -> str:
    """The analyst's words as a safe FTS5 query: every word must occur (as a prefix); words in
    double quotes must occur as a phrase. ``folded``: the words' search keys, for the index's
    folded column (any script, any transliteration)."""
    parts = []
    for phrase, loose in re.findall(r'"([^"]*)"|(\S+)', query):
        words = _WORD.findall(phrase or loose)
        if folded:
            words = [k for w in words if (k := translit.key(w))]
        if not words:
            continue
        if phrase:
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"*' for w in words)
    if not parts:
        raise ValidationError("type a word to search for")
    return " AND ".join(parts)


_KIND_LIST = ", ".join(f"'{k}'" for k in KINDS)


@lru_cache(maxsize=4096)
def _base_char(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch


def strip_accents(text_: str) -> str:
    """``text_`` with each letter's accents dropped, one character for one (offsets hold),
    as FTS5's tokenizer folds them: "Rasúlzoda" matches "Rasulzoda"."""
    if text_.isascii():
        return text_
    return "".join(map(_base_char, text_))


def _find(pattern: re.Pattern[str], body: str, qkeys: tuple[str, ...] = ()
          ) -> list[tuple[int, int]]:
    """Hits of the query words in ``body``: as typed, else ignoring accents like the index;
    with ``qkeys`` (the query's search keys), also words in any script whose key starts with
    one of them ("Халимова" for "Khalimov")."""
    found = [(m.start(), m.end()) for m in pattern.finditer(body)]
    if not found and not body.isascii():
        found = [(m.start(), m.end()) for m in pattern.finditer(strip_accents(body))]
    if qkeys:
        found = sorted(set(found).union(translit.find_keyed(body, qkeys, ascii_too=False)))
    return found


def _term_pattern(query: str) -> re.Pattern[str]:
    words = sorted({strip_accents(w.casefold()) for w in _WORD.findall(query)}, key=len,
                   reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) + r"\w*" for w in words) + ")",
                      re.IGNORECASE)


def _snippet(body: str, spans: list[tuple[int, int]], width: int = 70) -> str:
    """Text around the first hit with every hit in the window marked [like this]."""
    if not spans:
        cut = body[: 2 * width]
        return " ".join(cut.split()) + ("…" if len(body) > len(cut) else "")
    a = max(0, spans[0][0] - width)
    b = min(len(body), spans[0][1] + width)
    if a:
        sp = body.find(" ", a)
        a = sp + 1 if 0 <= sp < spans[0][0] else a
    if b < len(body):
        sp = body.rfind(" ", spans[0][1], b)
        b = sp if sp > 0 else b
    out, pos = [], a
    for x, y in spans:
        if x < a or y > b:
            continue
        out += [body[pos:x], "[", body[x:y], "]"]
        pos = y
    out.append(body[pos:b])
    text_ = " ".join("".join(out).split())
    return ("…" if a else "") + text_ + ("…" if b < len(body) else "")


# Rank on the bare match (cheap: bm25 over the doclists), no snippet()/highlight() in SQL:
# SQLite would evaluate those for every matching row before sorting. Snippets and offsets are
# made in Python for the returned rows only. The words as typed are matched in title and body;
# then their search keys in the folded column (other scripts, other transliterations), ranked
# after every hit as typed.
_RANK = f"""
SELECT m.kind, m.ref_id, search_index.rowid, bm25(search_index, 2.0, 1.0, 1.0) AS score
FROM search_index JOIN search_index_map m ON m.id = search_index.rowid
WHERE search_index MATCH :q AND m.case_id = :case_id AND m.kind IN ({_KIND_LIST})
{{extra}} ORDER BY score LIMIT :limit
"""
_EXACT = text(_RANK.format(extra=""))


def _in(name: str, values: list) -> tuple[str, dict]:
    keys = [f"{name}{i}" for i in range(len(values))]
    return "(" + ", ".join(":" + k for k in keys) + ")", dict(zip(keys, values, strict=True))


def _ranked(s, query: str, case_id: str, limit: int) -> list:
    """(kind, id, rowid, score) best first: hits as typed, then hits of the folded keys only."""
    exact = "{title body} : (" + fts_query(query) + ")"
    rows = list(s.execute(_EXACT, {"q": exact, "case_id": case_id, "limit": limit}).all())
    try:
        folded = "folded : (" + fts_query(query, folded=True) + ")"
    except ValidationError:  # no word of the query has a Latin key (symbols only)
        return rows
    if len(rows) < limit:
        sql, params = _in("x", [r[2] for r in rows]) if rows else ("()", {})
        more = s.execute(text(_RANK.format(extra=f"AND search_index.rowid NOT IN {sql}")),
                         {"q": folded, "case_id": case_id, "limit": limit - len(rows),
                          **params}).all()
        rows += more
    return rows


def documents_matching(s, *, case_id: str, query: str) -> set[str]:
    """Ids of the case's documents the index finds for ``query`` (every word, in any script
    and transliteration), inside an open session: a quick first cut before a closer look."""
    try:
        rows = _ranked(s, query, case_id, 1_000_000)
    except ValidationError:
        return set()
    return {ref for kind, ref, *_ in rows if kind == "document"}


def search(db: Database, *, case_id: str, query: str, limit: int = 50,
           types: tuple[str, ...] = KINDS) -> list[SearchHit]:
    """Best matches first across document text and titles, highlight quotes and notes, claim
    statements, values and notes, entity names, descriptions and aliases. A word matches in any
    script and transliteration ("Khalimov" finds "Халимова"); hits as typed come first."""
    fts_query(query)  # refuses a query without words
    pattern = _term_pattern(query)
    qkeys = tuple(sorted({k for w in _WORD.findall(query) if (k := translit.key(w))}))
    hits: list[SearchHit] = []
    with db.read() as s:
        rows = _ranked(s, query, case_id, limit)
        rows = [r for r in rows if r[0] in types]
        if not rows:
            return []
        sql, params = _in("r", [r[2] for r in rows])
        bodies = {r[0]: (r[1], r[2]) for r in s.execute(text(
            f"SELECT rowid, title, body FROM search_index WHERE rowid IN {sql}"), params)}
        hl_ids = [r[1] for r in rows if r[0] == "highlight"]
        al_ids = [r[1] for r in rows if r[0] == "alias"]
        spans = {}
        if hl_ids:
            sql, params = _in("h", hl_ids)
            spans = {r[0]: r[1:] for r in s.execute(text(
                f'SELECT id, document_id, start, "end" FROM highlight WHERE id IN {sql}'),
                params)}
        owners = {}
        if al_ids:
            sql, params = _in("a", al_ids)
            owners = dict(s.execute(text(
                f"SELECT id, entity_id FROM alias WHERE id IN {sql}"), params).all())
        claim_ids = [r[1] for r in rows if r[0] == "claim"]
        claim_docs = _first_documents(s, claim_ids) if claim_ids else {}
        names = distinct_titles(s.execute(text(
            "SELECT id, title, content_type, source_name FROM document WHERE case_id = :c"),
            {"c": case_id}).all())
    for kind, ref, rowid, score in rows:
        title, body = bodies.get(rowid, ("", ""))
        found = _find(pattern, body, qkeys)
        snip = _snippet(body, found)
        if not found and title:
            snip = _snippet(title, _find(pattern, title, qkeys))
        if kind == "document":
            first = found[0] if found else (None, None)
            hits.append(SearchHit(kind, ref, snip, score, ref, first[0], first[1],
                                  tuple(found)))
        elif kind == "highlight" and ref in spans:
            did, a, b = spans[ref]
            hits.append(SearchHit(kind, ref, snip, score, did, a, b))
        elif kind == "alias":
            hits.append(SearchHit(kind, ref, snip, score, entity_id=owners.get(ref)))
        elif kind == "entity":
            hits.append(SearchHit(kind, ref, snip, score, entity_id=ref))
        else:
            hits.append(SearchHit(kind, ref, snip, score))
    return [replace(h, document=names.get(h.document_id or claim_docs.get(h.id, ""), ""))
            for h in hits]


def _first_documents(s, claim_ids: list[str]) -> dict[str, str]:
    """Claim id -> the document of its first passage (evidence position 0 first)."""
    sql, params = _in("c", claim_ids)
    out: dict[str, str] = {}
    for cid, did in s.execute(text(
            "SELECT e.claim_id, h.document_id FROM claim_evidence e "
            f"JOIN highlight h ON h.id = e.highlight_id WHERE e.claim_id IN {sql} "
            "ORDER BY e.claim_id, e.position"), params):
        out.setdefault(cid, did)
    return out
