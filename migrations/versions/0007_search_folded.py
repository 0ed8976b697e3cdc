"""search index: a folded (transliterated) shadow of every text, so one script finds another

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 06:00:00

``search_index`` gets a third column, ``folded``: the title and body as Latin search keys
(``casefile.translit.fold_text``, registered on every connection as ``search_fold()``), so
"Khalimov" finds "Халимова" and "Халимов" finds "Khalimov". FTS5 tables cannot gain a column:
the table and its triggers are made again and refilled from the rows already there. SQLite
only, like 0002.

The statements are this migration's own frozen copy (the current ones live in
``casefile.db.fts``): a later change to the index must not change what this step did.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
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
_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"


def _del(kind: str, id_: str) -> str:
    return (f"DELETE FROM search_index WHERE rowid IN (SELECT rowid FROM search_index_map "
            f"WHERE ref_id = {id_} AND kind = '{kind}'); DELETE FROM search_index_map "
            f"WHERE ref_id = {id_} AND kind = '{kind}';")


def _ins(kind: str, id_: str, case: str, title: str, body: str, folded: bool) -> str:
    cols, extra = (", folded", f", search_fold(coalesce({title}, '') || ' ' || "
                               f"coalesce({body}, ''))") if folded else ("", "")
    return (f"INSERT INTO search_index_map (kind, ref_id, case_id) VALUES ('{kind}', {id_}, "
            f"{case}); INSERT INTO search_index (rowid, title, body{cols}) VALUES "
            f"(last_insert_rowid(), coalesce({title}, ''), coalesce({body}, ''){extra});")


def _triggers(folded: bool) -> list[str]:
    out = []
    for kind, table, id_, case, title, body in SOURCES:
        new = [x.format(r="new") for x in (id_, case, title, body)]
        old_id = id_.format(r="old")
        out.append(f"CREATE TRIGGER search_index_{kind}_ai AFTER INSERT ON \"{table}\" BEGIN "
                   f"{_ins(kind, *new, folded)} END")
        out.append(f"CREATE TRIGGER search_index_{kind}_ad AFTER DELETE ON \"{table}\" BEGIN "
                   f"{_del(kind, old_id)} END")
        out.append(f"CREATE TRIGGER search_index_{kind}_au AFTER UPDATE OF {WATCHED[kind]} "
                   f"ON \"{table}\" BEGIN {_del(kind, old_id)} {_ins(kind, *new, folded)} END")
    return out


def _fill(folded: bool) -> list[str]:
    out = []
    for kind, table, id_, case, title, body in SOURCES:
        i, c, t, b = (x.format(r=f'"{table}"') for x in (id_, case, title, body))
        cols, extra = (", folded", f", search_fold(coalesce({t}, '') || ' ' || "
                                   f"coalesce({b}, ''))") if folded else ("", "")
        out.append(f"INSERT INTO search_index_map (kind, ref_id, case_id) "
                   f"SELECT '{kind}', {i}, {c} FROM \"{table}\"")
        out.append(f"INSERT INTO search_index (rowid, title, body{cols}) SELECT m.rowid, "
                   f"coalesce({t}, ''), coalesce({b}, ''){extra} FROM \"{table}\" JOIN "
                   f"search_index_map m ON m.ref_id = {i} AND m.kind = '{kind}'")
    return out


def _drop() -> None:
    for kind, *_ in SOURCES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_index_{kind}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DELETE FROM search_index_map")


def _make(folded: bool) -> None:
    columns = "title, body, folded" if folded else "title, body"
    op.execute(f"CREATE VIRTUAL TABLE search_index USING fts5({columns}, {_TOKENIZE})")
    for stmt in (*_fill(folded), *_triggers(folded)):
        op.execute(stmt)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    _make(folded=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    _make(folded=False)
