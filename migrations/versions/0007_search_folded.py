"""search index: a folded (transliterated) shadow of every text, so one script finds another

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 06:00:00

``search_index`` gets a third column, ``folded``: the title and body as Latin search keys
(``casefile.translit.fold_text``, registered on every connection as ``search_fold()``), so
"Khalimov" finds "Халимова" and "Халимов" finds "Khalimov". FTS5 tables cannot gain a column:
the table and its triggers are made again and refilled from the rows already there (the
statements of 0002 with the extra column). SQLite only, like 0002.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _base():
    """Migration 0002 (its sources and statements are reused with the extra column)."""
    path = Path(__file__).with_name("0002_search_index.py")
    spec = importlib.util.spec_from_file_location("casefile_migration_0002", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


CREATE = ("CREATE VIRTUAL TABLE search_index USING fts5(title, body, folded, "
          "tokenize = 'unicode61 remove_diacritics 2')",)


def _ins(kind: str, id_: str, case: str, title: str, body: str) -> str:
    return (f"INSERT INTO search_index_map (kind, ref_id, case_id) VALUES ('{kind}', {id_}, "
            f"{case}); INSERT INTO search_index (rowid, title, body, folded) VALUES "
            f"(last_insert_rowid(), coalesce({title}, ''), coalesce({body}, ''), "
            f"search_fold(coalesce({title}, '') || ' ' || coalesce({body}, '')));")


def trigger_statements() -> list[str]:
    """CREATE TRIGGER statements for every indexed table (also used to repair the index)."""
    base = _base()
    out = []
    for kind, table, id_, case, title, body in base.SOURCES:
        new = [x.format(r="new") for x in (id_, case, title, body)]
        old_id = id_.format(r="old")
        delete = base._del(kind, old_id)
        out.append(f"CREATE TRIGGER search_index_{kind}_ai AFTER INSERT ON \"{table}\" BEGIN "
                   f"{_ins(kind, *new)} END")
        out.append(f"CREATE TRIGGER search_index_{kind}_ad AFTER DELETE ON \"{table}\" BEGIN "
                   f"{delete} END")
        out.append(f"CREATE TRIGGER search_index_{kind}_au AFTER UPDATE OF "
                   f"{base.WATCHED[kind]} ON \"{table}\" BEGIN {delete} {_ins(kind, *new)} END")
    return out


def fill_statements() -> list[str]:
    """Statements that index every existing row (the index must be empty first)."""
    out = []
    for kind, table, id_, case, title, body in _base().SOURCES:
        i, c, t, b = (x.format(r=f'"{table}"') for x in (id_, case, title, body))
        out.append(f"INSERT INTO search_index_map (kind, ref_id, case_id) "
                   f"SELECT '{kind}', {i}, {c} FROM \"{table}\"")
        out.append(f"INSERT INTO search_index (rowid, title, body, folded) SELECT m.rowid, "
                   f"coalesce({t}, ''), coalesce({b}, ''), "
                   f"search_fold(coalesce({t}, '') || ' ' || coalesce({b}, '')) FROM "
                   f"\"{table}\" JOIN search_index_map m ON m.ref_id = {i} AND m.kind = '{kind}'")
    return out


def _drop(base) -> None:
    for kind, *_ in base.SOURCES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_index_{kind}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DELETE FROM search_index_map")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop(_base())
    for stmt in (*CREATE, *fill_statements(), *trigger_statements()):
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    base = _base()
    _drop(base)
    for stmt in (base.CREATE[-1], *base.fill_statements(), *base.trigger_statements()):
        op.execute(stmt)
