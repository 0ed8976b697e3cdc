"""The full-text search index (SQLite FTS5) as the current schema has it: its triggers, how to
fill it, whether it is whole, and how to rebuild it.

``search_index`` (FTS5: title, body, folded) holds one row per searchable record;
``search_index_map`` gives each row its record kind, id and case (the FTS rowid is the map's
rowid). ``folded`` is the title and body as Latin search keys (``casefile.translit.fold_text``,
registered on every connection as ``search_fold()``), so one script finds another. Triggers on
document, highlight, claim, entity and alias keep both in step.

Migrations keep frozen copies of what they create; these are the definitions of the head
schema, which repairing and rebuilding the index use (a table rebuilt by a later migration
loses its triggers; ``rebuild_index`` puts them back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from casefile.db.session import Database

# kind, table, id expression, case expression, title expression, body expression
SOURCES = (
    ("document", "document", "{r}.id", "{r}.case_id", "{r}.title", "{r}.text"),
    ("highlight", "highlight", "{r}.id",
     "(SELECT case_id FROM document WHERE document.id = {r}.document_id)",
     "''", "{r}.quote || char(10) || {r}.note"),
    ("claim", "claim", "{r}.id", "{r}.case_id", "{r}.kind",
     "{r}.statement || char(10) || {r}.value || char(10) || {r}.note"),
    ("entity", "entity", "{r}.id", "{r}.case_id", "{r}.kind",
     "{r}.name || char(10) || {r}.description"),
    ("alias", "alias", "{r}.id",
     "(SELECT case_id FROM entity WHERE entity.id = {r}.entity_id)", "'alias'", "{r}.name"),
)
KINDS = tuple(kind for kind, *_ in SOURCES)
# the columns whose change re-indexes a row
WATCHED = {
    "document": "title, text",
    "highlight": "quote, note",
    "claim": "kind, statement, value, note",
    "entity": "kind, name, description",
    "alias": "name",
}


def _ins(kind: str, id_: str, case: str, title: str, body: str) -> str:
    return (f"INSERT INTO search_index_map (kind, ref_id, case_id) VALUES ('{kind}', {id_}, "
            f"{case}); INSERT INTO search_index (rowid, title, body, folded) VALUES "
            f"(last_insert_rowid(), coalesce({title}, ''), coalesce({body}, ''), "
            f"search_fold(coalesce({title}, '') || ' ' || coalesce({body}, '')));")


def _del(kind: str, id_: str) -> str:
    return (f"DELETE FROM search_index WHERE rowid IN (SELECT rowid FROM search_index_map "
            f"WHERE ref_id = {id_} AND kind = '{kind}'); DELETE FROM search_index_map "
            f"WHERE ref_id = {id_} AND kind = '{kind}';")


def trigger_statements() -> list[str]:
    """CREATE TRIGGER statements for every indexed table."""
    out = []
    for kind, table, id_, case, title, body in SOURCES:
        new = [x.format(r="new") for x in (id_, case, title, body)]
        old_id = id_.format(r="old")
        out.append(f"CREATE TRIGGER search_index_{kind}_ai AFTER INSERT ON \"{table}\" BEGIN "
                   f"{_ins(kind, *new)} END")
        out.append(f"CREATE TRIGGER search_index_{kind}_ad AFTER DELETE ON \"{table}\" BEGIN "
                   f"{_del(kind, old_id)} END")
        out.append(f"CREATE TRIGGER search_index_{kind}_au AFTER UPDATE OF {WATCHED[kind]} "
                   f"ON \"{table}\" BEGIN {_del(kind, old_id)} {_ins(kind, *new)} END")
    return out


def fill_statements() -> list[str]:
    """Statements that index every existing row (the index must be empty first)."""
    out = []
    for kind, table, id_, case, title, body in SOURCES:
        i, c, t, b = (x.format(r=f'"{table}"') for x in (id_, case, title, body))
        out.append(f"INSERT INTO search_index_map (kind, ref_id, case_id) "
                   f"SELECT '{kind}', {i}, {c} FROM \"{table}\"")
        out.append(f"INSERT INTO search_index (rowid, title, body, folded) SELECT m.rowid, "
                   f"coalesce({t}, ''), coalesce({b}, ''), "
                   f"search_fold(coalesce({t}, '') || ' ' || coalesce({b}, '')) FROM "
                   f"\"{table}\" JOIN search_index_map m ON m.ref_id = {i} AND m.kind = '{kind}'")
    return out


def index_is_current(db: Database) -> bool:
    """Whether every indexed table still has its triggers (a later table rebuild drops them)."""
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'search_index_%'")}
        conn.rollback()
    return len(names) == 3 * len(KINDS)


def rebuild_index(db: Database) -> None:
    """Re-create the triggers and refill the index from the tables (repair after a rebuild)."""
    with db.write() as s:
        for kind in KINDS:
            for suffix in ("ai", "ad", "au"):
                s.execute(text(f"DROP TRIGGER IF EXISTS search_index_{kind}_{suffix}"))
        s.execute(text("DELETE FROM search_index"))
        s.execute(text("DELETE FROM search_index_map"))
        for stmt in (*fill_statements(), *trigger_statements()):
            s.execute(text(stmt))
