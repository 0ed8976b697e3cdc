"""team case: the server's users, members, versions, records, files and audit log; each
replica's remote, versions, base copies, sent and changed records, sync conflicts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:00:00

Both databases get every table (one metadata). Dialect-specific steps:

- SQLite (a laptop): triggers on every synced table put the (type, id) of each written record
  into ``sync_dirty`` — only while some case is shared and the sync engine is not itself
  writing (``sync_muted``). Any write path is seen, another program's included.
- PostgreSQL (the server): row-level security on the case data (records, files, audit log),
  forced for the tables' owner too: a row is visible only to a member of its case, writable only
  by an owner or editor, and the audit log readable only by owners. The service names the
  acting user per transaction (``casefile.user_id``); a connection that names nobody sees
  nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# table, record type, id column; link tables mark the record they belong to
TRACKED = (
    ("case", "case", "id"),
    ("entity", "entities", "id"),
    ("document", "documents", "id"),
    ("document_original", "documents", "document_id"),
    ("alias", "aliases", "id"),
    ("tag", "tags", "id"),
    ("highlight", "highlights", "id"),
    ("highlight_tag", "highlights", "highlight_id"),
    ("claim", "claims", "id"),
    ("claim_evidence", "claims", "claim_id"),
    ("claim_link", "claim_links", "id"),
    ("conflict_resolution", "conflict_resolutions", "id"),
    ("hypothesis", "hypotheses", "id"),
    ("ach_passage", "ach_passages", "id"),
    ("hypothesis_rating", "hypothesis_ratings", "id"),
)
GUARD = "EXISTS (SELECT 1 FROM sync_case) AND NOT EXISTS (SELECT 1 FROM sync_muted)"

ROLES = ("owner", "editor", "viewer")
RLS_TABLES = ("team_record", "team_file", "team_change")
_ME = "nullif(current_setting('casefile.user_id', true), '')::integer"


def _member(roles: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{r}'" for r in roles)
    return (f"case_id IN (SELECT m.case_id FROM team_member m WHERE m.user_id = {_ME} "
            f"AND m.role IN ({listed}))")


def trigger_statements() -> list[str]:
    out = []
    for table, kind, col in TRACKED:
        for when, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            out.append(
                f'CREATE TRIGGER sync_dirty_{table}_{when[0].lower()} AFTER {when} ON "{table}" '
                f"WHEN {GUARD} BEGIN INSERT OR IGNORE INTO sync_dirty (type, record_id) "
                f"VALUES ('{kind}', {ref}.{col}); END")
    return out


def rls_statements() -> list[str]:
    out = []
    for table in RLS_TABLES:
        read = ("owner",) if table == "team_change" else ROLES
        out += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({_member(read)})",
            f"CREATE POLICY {table}_add ON {table} FOR INSERT "
            f"WITH CHECK ({_member(('owner', 'editor'))})",
            f"CREATE POLICY {table}_change ON {table} FOR UPDATE "
            f"USING ({_member(('owner', 'editor'))}) WITH CHECK ({_member(('owner', 'editor'))})",
            f"CREATE POLICY {table}_remove ON {table} FOR DELETE USING ({_member(('owner',))})",
        ]
    return out



def _stamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "team_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _stamp("created_at"), _stamp("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_user")),
        sa.UniqueConstraint("name", name=op.f("uq_team_user_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_team_user_token_hash")),
    )
    op.create_table(
        "team_case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _stamp("created_at"), _stamp("deleted_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_case")),
    )
    op.create_table(
        "team_member",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'editor', 'viewer')",
                           name=op.f("ck_team_member_role")),
        sa.ForeignKeyConstraint(["case_id"], ["team_case.id"],
                                name=op.f("fk_team_member_case_id_team_case"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["team_user.id"],
                                name=op.f("fk_team_member_user_id_team_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_team_member")),
    )
    with op.batch_alter_table("team_member") as b:
        b.create_index(b.f("ix_team_member_user_id"), ["user_id"], unique=False)
    op.create_table(
        "team_record",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["team_case.id"],
                                name=op.f("fk_team_record_case_id_team_case"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "type", "record_id", name=op.f("pk_team_record")),
    )
    with op.batch_alter_table("team_record") as b:
        b.create_index("ix_team_record_case_version", ["case_id", "version"], unique=False)
    op.create_table(
        "team_file",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _stamp("created_at"),
        sa.ForeignKeyConstraint(["case_id"], ["team_case.id"],
                                name=op.f("fk_team_file_case_id_team_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "sha256", name=op.f("pk_team_file")),
    )
    op.create_table(
        "team_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _stamp("at"),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("op", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["team_case.id"],
                                name=op.f("fk_team_change_case_id_team_case"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["team_user.id"],
                                name=op.f("fk_team_change_user_id_team_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_change")),
    )
    with op.batch_alter_table("team_change") as b:
        b.create_index(b.f("ix_team_change_case_id"), ["case_id"], unique=False)

    op.create_table(
        "sync_remote",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sync_remote")),
    )
    op.create_table(
        "sync_case",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("remote_url", sa.String(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _stamp("synced_at", nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_sync_case_case_id_case"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_sync_case")),
    )
    op.create_table(
        "sync_base",
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_sync_base_case_id_case"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("type", "record_id", name=op.f("pk_sync_base")),
    )
    with op.batch_alter_table("sync_base") as b:
        b.create_index(b.f("ix_sync_base_case_id"), ["case_id"], unique=False)
    op.create_table(
        "sync_sent",
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_sync_sent_case_id_case"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("type", "record_id", name=op.f("pk_sync_sent")),
    )
    with op.batch_alter_table("sync_sent") as b:
        b.create_index(b.f("ix_sync_sent_case_id"), ["case_id"], unique=False)
    op.create_table(
        "sync_dirty",
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("type", "record_id", name=op.f("pk_sync_dirty")),
    )
    op.create_table(
        "sync_muted",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_muted")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        _stamp("created_at"),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"],
                                name=op.f("fk_sync_conflict_case_id_case"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint("type", "record_id", "field", name="uq_sync_conflict_record_field"),
    )
    with op.batch_alter_table("sync_conflict") as b:
        b.create_index(b.f("ix_sync_conflict_case_id"), ["case_id"], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for stmt in trigger_statements():
            op.execute(stmt)
    elif dialect == "postgresql":
        for stmt in rls_statements():
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, _kind, _col in TRACKED:
            for w in "iud":
                op.execute(f"DROP TRIGGER IF EXISTS sync_dirty_{table}_{w}")
    for table in ("sync_conflict", "sync_muted", "sync_dirty", "sync_sent", "sync_base",
                  "sync_case", "sync_remote", "team_change", "team_file", "team_record",
                  "team_member", "team_case", "team_user"):
        op.drop_table(table)
