"""competing hypotheses (ACH): hypotheses, passages added as evidence, ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00

Three new tables, nothing else touched: ``hypothesis`` (a case's competing explanations, in
order, optionally structured like a claim), ``ach_passage`` (highlights put into the matrix as
evidence of their own) and ``hypothesis_rating`` (one rating per hypothesis and claim or
passage). None of them is indexed for search, so no trigger needs rebuilding.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False)]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def _indexes(table: str, columns: tuple[str, ...]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for col in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{col}"), [col], unique=False)


def upgrade() -> None:
    op.create_table(
        "hypothesis",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=36), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("date", sa.String(length=16), nullable=False),
        sa.Column("date_end", sa.String(length=16), nullable=False),
        sa.Column("place_id", sa.String(length=36), nullable=True),
        sa.Column("stance", sa.String(length=10), nullable=False),
        *_stamps(),
        _fk("hypothesis", "case_id", "case", "CASCADE"),
        _fk("hypothesis", "subject_id", "entity", "SET NULL"),
        _fk("hypothesis", "object_id", "entity", "SET NULL"),
        _fk("hypothesis", "place_id", "entity", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hypothesis")),
    )
    _indexes("hypothesis", ("case_id", "subject_id", "object_id", "place_id"))
    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.create_index("ix_hypothesis_case_position", ["case_id", "position"],
                              unique=False)

    op.create_table(
        "ach_passage",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("highlight_id", sa.String(length=36), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        _fk("ach_passage", "case_id", "case", "CASCADE"),
        _fk("ach_passage", "highlight_id", "highlight", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ach_passage")),
        sa.UniqueConstraint("case_id", "highlight_id", name=op.f("uq_ach_passage_case_id")),
    )
    _indexes("ach_passage", ("case_id", "highlight_id"))

    op.create_table(
        "hypothesis_rating",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("hypothesis_id", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("highlight_id", sa.String(length=36), nullable=True),
        sa.Column("rating", sa.String(length=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("(claim_id IS NULL) <> (highlight_id IS NULL)",
                           name=op.f("ck_hypothesis_rating_one_evidence")),
        sa.CheckConstraint("rating IN ('CC', 'C', 'N', 'I', 'II', 'NA')",
                           name=op.f("ck_hypothesis_rating_rating")),
        _fk("hypothesis_rating", "case_id", "case", "CASCADE"),
        _fk("hypothesis_rating", "hypothesis_id", "hypothesis", "CASCADE"),
        _fk("hypothesis_rating", "claim_id", "claim", "CASCADE"),
        _fk("hypothesis_rating", "highlight_id", "highlight", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hypothesis_rating")),
        sa.UniqueConstraint("hypothesis_id", "claim_id", name="uq_hypothesis_rating_claim"),
        sa.UniqueConstraint("hypothesis_id", "highlight_id",
                            name="uq_hypothesis_rating_highlight"),
    )
    _indexes("hypothesis_rating", ("case_id", "hypothesis_id", "claim_id", "highlight_id"))


def downgrade() -> None:
    op.drop_table("hypothesis_rating")
    op.drop_table("ach_passage")
    op.drop_table("hypothesis")
