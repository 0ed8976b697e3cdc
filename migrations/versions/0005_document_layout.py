"""word boxes of paged documents (PDF, scans) mapped to text offsets; OCR confidence

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 15:40:00

One row per PDF or image document: the compressed ``casefile.layout.PageLayout`` (page sizes,
word boxes and their canonical-text offsets), how many words it holds, and for documents read
by OCR the mean word confidence (NULL for a text-layer PDF). Existing PDFs get their row on
first open in the page view, from their stored original bytes (``services.layouts``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_layout",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_layout_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_layout")),
    )


def downgrade() -> None:
    op.drop_table("document_layout")
