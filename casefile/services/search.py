"""Full-text search across a case (SQLite FTS5 index kept in step by triggers)."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass

from sqlalchemy import text

from casefile import paths
from casefile.db.database import Database
from casefile.errors import ValidationError

_WORD = re.compile(r"\w+", re.UNICODE)
OPEN, CLOSE = "\x02", "\x03"  # highlight markers; never in extracted text
KINDS = ("document", "highlight", "claim", "entity", "alias")


@dataclass(frozen=True)
class SearchHit:
    """One matching record. ``type`` is document, highlight, claim, entity or alias.

    ``document_id``/``start``/``end`` point at the passage to open: for a document the first
    hit of the query in its text (``offsets`` lists every hit), for a highlight its span.
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


def fts_query(query: str) -> str:
    """The analyst's words as a safe FTS5 query: every word must occur (as a prefix); words in
    double quotes must occur as a phrase."""
    parts = []
    for phrase, loose in re.findall(r'"([^"]*)"|(\S+)', query):
        words = _WORD.findall(phrase or loose)
        if not words:
            continue
        if phrase:
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"*' for w in words)
    if not parts:
        raise ValidationError("type a word to search for")
    return " AND ".join(parts)


def _offsets(marked: str) -> tuple[tuple[int, int], ...]:
    """Offsets into the unmarked text of every OPEN…CLOSE run in ``marked``."""
    out = []
    shift = 0
    pos = 0
    while True:
        a = marked.find(OPEN, pos)
        if a < 0:
            break
        b = marked.find(CLOSE, a)
        if b < 0:
            break
        out.append((a - shift, b - shift - 1))
        shift += 2
        pos = b + 1
    return tuple(out)


_KIND_LIST = ", ".join(f"'{k}'" for k in KINDS)
# Rank first on the bare match (cheap), then build snippets and offsets for the top rows only:
# SQLite would otherwise evaluate snippet()/highlight() for every matching row before sorting.
_SQL = text(f"""
SELECT m.kind, m.ref_id,
       snippet(search_index, -1, '[', ']', '…', 12) AS snip,
       bm25(search_index, 2.0, 1.0) AS score,
       CASE WHEN m.kind = 'document'
            THEN highlight(search_index, 1, char({ord(OPEN)}), char({ord(CLOSE)})) END AS marked
FROM search_index JOIN search_index_map m ON m.id = search_index.rowid
WHERE search_index MATCH :q AND search_index.rowid IN (
    SELECT s.rowid FROM search_index s JOIN search_index_map m2 ON m2.id = s.rowid
    WHERE s.search_index MATCH :q AND m2.case_id = :case_id AND m2.kind IN ({_KIND_LIST})
    ORDER BY bm25(s.search_index, 2.0, 1.0) LIMIT :limit)
ORDER BY score
""")


def search(db: Database, *, case_id: str, query: str, limit: int = 50,
           types: tuple[str, ...] = KINDS) -> list[SearchHit]:
    """Best matches first across document text and titles, highlight quotes and notes, claim
    statements, values and notes, entity names, descriptions and aliases."""
    q = fts_query(query)
    hits: list[SearchHit] = []
    with db.read() as s:
        rows = s.execute(_SQL, {"q": q, "case_id": case_id, "limit": limit}).all()
        hl_ids = [r[1] for r in rows if r[0] == "highlight"]
        al_ids = [r[1] for r in rows if r[0] == "alias"]
        spans = {}
        if hl_ids:
            spans = {r[0]: r[1:] for r in s.execute(text(
                "SELECT id, document_id, start, \"end\" FROM highlight WHERE id IN "
                f"({', '.join(f':h{i}' for i in range(len(hl_ids)))})"),
                {f"h{i}": h for i, h in enumerate(hl_ids)})}
        owners = {}
        if al_ids:
            owners = dict(s.execute(text(
                "SELECT id, entity_id FROM alias WHERE id IN "
                f"({', '.join(f':a{i}' for i in range(len(al_ids)))})"),
                {f"a{i}": a for i, a in enumerate(al_ids)}).all())
    for kind, ref, snip, score, marked in rows:
        if kind not in types:
            continue
        snip = snip.replace("\n", " ")
        if kind == "document":
            offs = _offsets(marked or "")
            first = offs[0] if offs else (None, None)
            hits.append(SearchHit(kind, ref, snip, score, ref, first[0], first[1], offs))
        elif kind == "highlight" and ref in spans:
            did, a, b = spans[ref]
            hits.append(SearchHit(kind, ref, snip, score, did, a, b))
        elif kind == "alias":
            hits.append(SearchHit(kind, ref, snip, score, entity_id=owners.get(ref)))
        elif kind == "entity":
            hits.append(SearchHit(kind, ref, snip, score, entity_id=ref))
        else:
            hits.append(SearchHit(kind, ref, snip, score))
    return hits


def index_is_current(db: Database) -> bool:
    """Whether every indexed table still has its triggers (a later table rebuild drops them)."""
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'search_index_%'")}
        conn.rollback()
    return len(names) == 3 * len(KINDS)


def _migration():
    path = paths.migrations_dir() / "versions" / "0002_search_index.py"
    spec = importlib.util.spec_from_file_location("casefile_search_migration", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def rebuild_index(db: Database) -> None:
    """Re-create the triggers and refill the index from the tables (repair after a rebuild)."""
    mod = _migration()
    with db.write() as s:
        for kind in KINDS:
            for suffix in ("ai", "ad", "au"):
                s.execute(text(f"DROP TRIGGER IF EXISTS search_index_{kind}_{suffix}"))
        s.execute(text("DELETE FROM search_index"))
        s.execute(text("DELETE FROM search_index_map"))
        for stmt in (*mod.fill_statements(), *mod.trigger_statements()):
            s.execute(text(stmt))
