"""document.guessed: metadata fields the importer inferred rather than read

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:00:00

A PDF's file-creation date is not its publication date. When an importer has nothing better it
may still offer such a value, but it records the field name here; the window shows it as a
guess until the analyst confirms or corrects it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("guessed", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("guessed")
