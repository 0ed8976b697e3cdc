"""team case: pushes remembered by the id their client chose (server), the push on its way
(replica)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00

``team_push``: a push whose answer was lost and that is sent again is answered from here, not
applied twice; a client that never saw the answer asks by the id. Row-level security as on
the case's other tables (PostgreSQL). ``sync_push``: the replica's push in flight.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ME = "nullif(current_setting('casefile.user_id', true), '')::integer"


def _member(*roles: str) -> str:
    listed = ", ".join(f"'{r}'" for r in roles)
    return (f"case_id IN (SELECT m.case_id FROM team_member m WHERE m.user_id = {_ME} "
            f"AND m.role IN ({listed}))")


def upgrade() -> None:
    op.create_table(
        "team_push",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("push_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["team_case.id"],
                                name=op.f("fk_team_push_case_id_team_case"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["team_user.id"],
                                name=op.f("fk_team_push_user_id_team_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("case_id", "push_id", name=op.f("pk_team_push")),
    )
    op.create_table(
        "sync_push",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("push_id", sa.String(length=36), nullable=False),
        sa.Column("base", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_sync_push_case_id_case"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_sync_push")),
    )
    if op.get_bind().dialect.name == "postgresql":
        writers = _member("owner", "editor")
        for stmt in (
            "ALTER TABLE team_push ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE team_push FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY team_push_read ON team_push FOR SELECT "
            f"USING ({_member('owner', 'editor', 'viewer')})",
            f"CREATE POLICY team_push_add ON team_push FOR INSERT WITH CHECK ({writers})",
        ):
            op.execute(stmt)


def downgrade() -> None:
    op.drop_table("sync_push")
    op.drop_table("team_push")
