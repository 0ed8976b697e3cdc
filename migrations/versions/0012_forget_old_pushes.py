"""team case: pushes remembered 90 days, then forgotten (server)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 14:00:00

``team_push`` answers a push sent again after its answer was lost. A client asks about its one
push in flight at its next sync, so the rows are needed for days, not forever: each push now
forgets the case's pushes older than 90 days (an index on (case_id, at) finds them), under a
DELETE policy for the case's writers (row-level security, PostgreSQL). A laptop that comes back
after longer with an answer still missing sends its records again: the merge finds the server
already has them, and a field a teammate changed since is a sync conflict to settle.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_ME = "nullif(current_setting('casefile.user_id', true), '')::integer"
_WRITERS = (f"case_id IN (SELECT m.case_id FROM team_member m WHERE m.user_id = {_ME} "
            "AND m.role IN ('owner', 'editor'))")


def upgrade() -> None:
    op.create_index("ix_team_push_case_at", "team_push", ["case_id", "at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE POLICY team_push_forget ON team_push FOR DELETE USING ({_WRITERS})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY team_push_forget ON team_push")
    op.drop_index("ix_team_push_case_at", table_name="team_push")
