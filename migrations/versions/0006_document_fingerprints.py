"""document fingerprints: sampled shingle hashes for the duplicate check

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 16:00:00

``document_fingerprint`` holds a few hashed word shingles per document, indexed by hash, so
the check "is this article already in the case?" costs the same at any case size.
``document_fingerprint_source`` records which original each was taken from. Both are derived
data: they start empty and are filled for existing documents the first time a file is
imported into their case.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_fingerprint",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("hash", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_fingerprint_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "hash", name=op.f("pk_document_fingerprint")),
    )
    with op.batch_alter_table("document_fingerprint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_fingerprint_hash"), ["hash"], unique=False)
    op.create_table(
        "document_fingerprint_source",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_fingerprint_source_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_fingerprint_source")),
    )


def downgrade() -> None:
    op.drop_table("document_fingerprint_source")
    with op.batch_alter_table("document_fingerprint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_fingerprint_hash"))
    op.drop_table("document_fingerprint")
