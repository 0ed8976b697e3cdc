"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 12:53:44.773789
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case")),
    )
    op.create_table(
        "entity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_entity_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity")),
    )
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_case_id"), ["case_id"], unique=False)

    op.create_table(
        "sync_baseline",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_sync_baseline_case_id_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "record_id", name=op.f("pk_sync_baseline")),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("color", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_tag_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["tag.id"], name=op.f("fk_tag_parent_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
    )
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tag_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("object_id", sa.String(length=36), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("date", sa.String(length=16), nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=True),
        sa.Column("stance", sa.String(length=10), nullable=False),
        sa.Column("origin_id", sa.String(length=36), nullable=True),
        sa.Column("via", sa.JSON(), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("credibility BETWEEN 1 AND 6", name=op.f("ck_claim_credibility")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_claim_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["entity.id"],
            name=op.f("fk_claim_object_id_entity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["origin_id"],
            ["entity.id"],
            name=op.f("fk_claim_origin_id_entity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["entity.id"], name=op.f("fk_claim_place_id_entity"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["entity.id"],
            name=op.f("fk_claim_subject_id_entity"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_object_id"), ["object_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_origin_id"), ["origin_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_place_id"), ["place_id"], unique=False)
        batch_op.create_index("ix_claim_subject_kind", ["subject_id", "kind"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("author", sa.String(length=500), nullable=False),
        sa.Column("outlet_id", sa.String(length=36), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("published", sa.String(length=16), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page_starts", sa.JSON(), nullable=False),
        sa.Column("extractor", sa.String(length=100), nullable=False),
        sa.Column("extractor_version", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_document_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"],
            ["entity.id"],
            name=op.f("fk_document_outlet_id_entity"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_document_case_sha256", ["case_id", "sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_outlet_id"), ["outlet_id"], unique=False)

    op.create_table(
        "alias",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_alias_document_id_document"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_alias_entity_id_entity"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alias")),
    )
    with op.batch_alter_table("alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alias_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alias_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alias_name"), ["name"], unique=False)

    op.create_table(
        "claim_link",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_claim_link_case_id_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["claim.id"],
            name=op.f("fk_claim_link_source_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["claim.id"],
            name=op.f("fk_claim_link_target_id_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_link")),
    )
    with op.batch_alter_table("claim_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_link_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_link_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_link_target_id"), ["target_id"], unique=False)

    op.create_table(
        "conflict_resolution",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("accepted_claim_id", sa.String(length=36), nullable=True),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["accepted_claim_id"],
            ["claim.id"],
            name=op.f("fk_conflict_resolution_accepted_claim_id_claim"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
            name=op.f("fk_conflict_resolution_case_id_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["entity.id"],
            name=op.f("fk_conflict_resolution_subject_id_entity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_resolution")),
    )
    with op.batch_alter_table("conflict_resolution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflict_resolution_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conflict_resolution_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "document_original",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_original_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_original")),
    )
    op.create_table(
        "highlight",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("suffix", sa.Text(), nullable=False),
        sa.Column("color", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("anchor", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_highlight_span")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_highlight_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_highlight")),
    )
    with op.batch_alter_table("highlight", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_highlight_document_id"), ["document_id"], unique=False)

    op.create_table(
        "claim_evidence",
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("highlight_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_claim_evidence_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["highlight_id"],
            ["highlight.id"],
            name=op.f("fk_claim_evidence_highlight_id_highlight"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", "highlight_id", name=op.f("pk_claim_evidence")),
    )
    with op.batch_alter_table("claim_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_evidence_highlight_id"), ["highlight_id"], unique=False
        )

    op.create_table(
        "highlight_tag",
        sa.Column("highlight_id", sa.String(length=36), nullable=False),
        sa.Column("tag_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["highlight_id"],
            ["highlight.id"],
            name=op.f("fk_highlight_tag_highlight_id_highlight"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_highlight_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("highlight_id", "tag_id", name=op.f("pk_highlight_tag")),
    )
    with op.batch_alter_table("highlight_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_highlight_tag_tag_id"), ["tag_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("highlight_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_highlight_tag_tag_id"))

    op.drop_table("highlight_tag")
    with op.batch_alter_table("claim_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_evidence_highlight_id"))

    op.drop_table("claim_evidence")
    with op.batch_alter_table("highlight", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_highlight_document_id"))

    op.drop_table("highlight")
    op.drop_table("document_original")
    with op.batch_alter_table("conflict_resolution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_resolution_subject_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_resolution_case_id"))

    op.drop_table("conflict_resolution")
    with op.batch_alter_table("claim_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_link_target_id"))
        batch_op.drop_index(batch_op.f("ix_claim_link_source_id"))
        batch_op.drop_index(batch_op.f("ix_claim_link_case_id"))

    op.drop_table("claim_link")
    with op.batch_alter_table("alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alias_name"))
        batch_op.drop_index(batch_op.f("ix_alias_entity_id"))
        batch_op.drop_index(batch_op.f("ix_alias_document_id"))

    op.drop_table("alias")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_outlet_id"))
        batch_op.drop_index("ix_document_case_sha256")
        batch_op.drop_index(batch_op.f("ix_document_case_id"))

    op.drop_table("document")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_subject_kind")
        batch_op.drop_index(batch_op.f("ix_claim_place_id"))
        batch_op.drop_index(batch_op.f("ix_claim_origin_id"))
        batch_op.drop_index(batch_op.f("ix_claim_object_id"))
        batch_op.drop_index(batch_op.f("ix_claim_case_id"))

    op.drop_table("claim")
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_parent_id"))
        batch_op.drop_index(batch_op.f("ix_tag_case_id"))

    op.drop_table("tag")
    op.drop_table("sync_baseline")
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_case_id"))

    op.drop_table("entity")
    op.drop_table("case")
