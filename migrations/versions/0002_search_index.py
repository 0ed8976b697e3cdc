"""full-text search index (FTS5) kept in step by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:00:00

``search_index`` (FTS5: title, body) holds one row per searchable record; ``search_index_map``
gives each row its record kind, id and case (the FTS rowid is the map's rowid). Triggers on
document, highlight, claim, entity and alias keep both in step; the upgrade fills them from the
rows already there. Neither table has a model (env.py leaves ``search_index*`` out of
comparisons).

Caution for later migrations: a batch ("move and copy") rebuild of one of the five tables drops
its triggers; re-run ``casefile.services.search.ensure_index`` (or these statements) afterwards.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

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
WATCHED = {
    "document": "title, text",
    "highlight": "quote, note",
    "claim": "kind, statement, value, note",
    "entity": "kind, name, description",
    "alias": "name",
}

CREATE = (
    "CREATE TABLE search_index_map (id INTEGER PRIMARY KEY, kind VARCHAR(20) NOT NULL, "
    "ref_id VARCHAR(36) NOT NULL, case_id VARCHAR(36))",
    "CREATE UNIQUE INDEX search_index_map_ref ON search_index_map (ref_id, kind)",
    "CREATE INDEX search_index_map_case ON search_index_map (case_id)",
    "CREATE VIRTUAL TABLE search_index USING fts5(title, body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
)


def _ins(kind: str, id_: str, case: str, title: str, body: str) -> str:
    return (f"INSERT INTO search_index_map (kind, ref_id, case_id) VALUES ('{kind}', {id_}, "
            f"{case}); INSERT INTO search_index (rowid, title, body) VALUES "
            f"(last_insert_rowid(), coalesce({title}, ''), coalesce({body}, ''));")


def _del(kind: str, id_: str) -> str:
    return (f"DELETE FROM search_index WHERE rowid IN (SELECT rowid FROM search_index_map "
            f"WHERE ref_id = {id_} AND kind = '{kind}'); DELETE FROM search_index_map "
            f"WHERE ref_id = {id_} AND kind = '{kind}';")


def trigger_statements() -> list[str]:
    """CREATE TRIGGER statements for every indexed table (also used to repair the index)."""
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
        out.append(f"INSERT INTO search_index (rowid, title, body) SELECT m.rowid, "
                   f"coalesce({t}, ''), coalesce({b}, '') FROM \"{table}\" JOIN "
                   f"search_index_map m ON m.ref_id = {i} AND m.kind = '{kind}'")
    return out


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":  # the server searches nothing (FTS5 is SQLite's)
        return
    for stmt in (*CREATE, *fill_statements(), *trigger_statements()):
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for kind, *_ in SOURCES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_index_{kind}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DROP TABLE IF EXISTS search_index_map")
