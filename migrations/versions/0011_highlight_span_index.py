"""highlights looked up by their span: one index on (document_id, start, end)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:30:00

A passage highlighted or claimed asks whether that exact span is highlighted already; the
reader lists a document's highlights in text order. Both searched the document's highlights
one by one (2,000 on a long report); the index on (document_id, start, "end") answers both
and replaces the one on document_id alone.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_highlight_document_span", "highlight", ["document_id", "start", "end"])
    op.drop_index("ix_highlight_document_id", table_name="highlight")


def downgrade() -> None:
    op.create_index("ix_highlight_document_id", "highlight", ["document_id"])
    op.drop_index("ix_highlight_document_span", table_name="highlight")
