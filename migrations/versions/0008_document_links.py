"""document origin, parent and source key: what containers (Telegram, e-mail) bring

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 06:00:00

``origin_id``: who the content comes from when not the outlet (a forwarded Telegram post).
``parent_id``: the document this one came inside (a mail's attachment, a post's photo).
``source_key``: the item's place in its container ("telegram:<chat>:<message>"), so that a
newer export of the same channel adds only new messages.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


_COLUMNS = ("origin_id VARCHAR(36), ", "parent_id VARCHAR(36), ",
            "source_key VARCHAR(200) DEFAULT '' NOT NULL, ")
_FKS = ("CONSTRAINT fk_document_origin_id_entity FOREIGN KEY(origin_id) REFERENCES entity (id) "
        "ON DELETE SET NULL",
        "CONSTRAINT fk_document_parent_id_document FOREIGN KEY(parent_id) REFERENCES document "
        "(id) ON DELETE SET NULL")
_INDEXES = (("ix_document_origin_id", ["origin_id"]), ("ix_document_parent_id", ["parent_id"]),
            ("ix_document_case_source_key", ["case_id", "source_key"]))


def _rebuild_sqlite() -> None:
    """SQLite cannot add a named foreign key to a table: rebuild ``document`` with the new
    columns written into its definition. Done by hand rather than by alembic's batch mode,
    whose copy lists the old foreign keys in an order that varies between runs (and the
    schema check compares the stored SQL), and which drops the triggers on the table (the
    search index's); those and the indexes are put back as they were."""
    bind = op.get_bind()
    (sql,) = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document'").one()
    extras = [r[0] for r in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'document' AND type IN ('index', "
        "'trigger') AND sql IS NOT NULL ORDER BY type, name")]
    cols = [r[1] for r in bind.exec_driver_sql('PRAGMA table_info("document")')]
    at = sql.index("CONSTRAINT pk_document")
    body = sql[:at] + "".join(c + "\n\t" for c in _COLUMNS) + sql[at:]
    end = body.rindex(")")
    body = body[:end].rstrip() + "".join(", \n\t" + fk for fk in _FKS) + "\n" + body[end:]
    body = body.replace('CREATE TABLE "document"', "CREATE TABLE _document_new", 1).replace(
        "CREATE TABLE document", "CREATE TABLE _document_new", 1)
    op.execute(body)
    names = ", ".join(f'"{c}"' for c in cols)
    op.execute(f"INSERT INTO _document_new ({names}) SELECT {names} FROM document")
    op.execute("DROP TABLE document")
    op.execute("ALTER TABLE _document_new RENAME TO document")
    for stmt in extras:
        op.execute(stmt)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite()
    else:
        op.add_column("document", sa.Column("origin_id", sa.String(length=36), nullable=True))
        op.add_column("document", sa.Column("parent_id", sa.String(length=36), nullable=True))
        op.add_column("document", sa.Column("source_key", sa.String(length=200),
                                            nullable=False, server_default=""))
        op.create_foreign_key("fk_document_origin_id_entity", "document", "entity",
                              ["origin_id"], ["id"], ondelete="SET NULL")
        op.create_foreign_key("fk_document_parent_id_document", "document", "document",
                              ["parent_id"], ["id"], ondelete="SET NULL")
    for name, cols in _INDEXES:
        op.create_index(name, "document", cols, unique=False)


def downgrade() -> None:
    for name, _cols in _INDEXES:
        op.drop_index(name, table_name="document")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint("fk_document_parent_id_document", type_="foreignkey")
        batch_op.drop_constraint("fk_document_origin_id_entity", type_="foreignkey")
        batch_op.drop_column("source_key")
        batch_op.drop_column("parent_id")
        batch_op.drop_column("origin_id")
