"""SQLAlchemy 2.0 typed models for the whole case file (see DESIGN.md, domain model)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



# Tables kept by migrations but not modelled (the full-text index and its shadow tables).
UNMODELLED_PREFIXES = ("search_index",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: leave the unmodelled full-text tables out of model/migration comparisons."""
    return not (type_ in ("table", "index") and name and name.startswith(UNMODELLED_PREFIXES))


def new_id() -> str:
    """A fresh UUID string: ids must not collide when bundles from two laptops merge."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention alembic relies on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _Stamped:
    """Created/modified timestamps; ``updated_at`` decides which side wins a merge."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Case(_Stamped, Base):
    __tablename__ = "case"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")


class Document(_Stamped, Base):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_case_sha256", "case_id", "sha256"),
                      Index("ix_document_case_source_key", "case_id", "source_key"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str] = mapped_column(String(500), default="")
    outlet_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000), default="")
    published: Mapped[str] = mapped_column(String(16), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    content_type: Mapped[str] = mapped_column(String(100), default="text/plain")
    source_name: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    page_starts: Mapped[list[int]] = mapped_column(JSON, default=list)
    extractor: Mapped[str] = mapped_column(String(100), default="")
    extractor_version: Mapped[str] = mapped_column(String(100), default="")
    # metadata fields the importer inferred (e.g. "published" from a file date), until confirmed
    guessed: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # who the content comes from when not the outlet (a Telegram post's forwarded-from)
    origin_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    # the document this one came inside (a mail's attachment, a Telegram post's photo)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
    # where in a container it came from, stable across exports ("telegram:<chat>:<message>"),
    # so that importing a newer export adds only what is new
    source_key: Mapped[str] = mapped_column(String(200), default="", server_default="")

    original: Mapped[DocumentOriginal | None] = relationship(
        back_populates="document", cascade="all, delete-orphan", lazy="select"
    )


class DocumentOriginal(Base):
    """The bytes of the imported file, kept apart so listing documents never loads them."""

    __tablename__ = "document_original"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)

    document: Mapped[Document] = relationship(back_populates="original")


class DocumentLayout(Base):
    """Word boxes of a PDF or image mapped to text offsets (``casefile.layout``, compressed);
    ``ocr_confidence`` (0–100) is set when the words were read by OCR."""

    __tablename__ = "document_layout"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    words: Mapped[int] = mapped_column(Integer)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DocumentFingerprint(Base):
    """Sampled word-shingle hashes of a document's text (see ``casefile.shingles``): the
    duplicate check finds the same article by index lookups, never by reading every text."""

    __tablename__ = "document_fingerprint"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    hash: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False,
                                      index=True)


class FingerprintSource(Base):
    """The ``sha256`` of the original a document's fingerprint was taken from: a document whose
    original changed since (or that arrived by another path) is fingerprinted again."""

    __tablename__ = "document_fingerprint_source"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(64))


class Highlight(_Stamped, Base):
    __tablename__ = "highlight"
    __table_args__ = (CheckConstraint("start >= 0 AND start < \"end\"", name="span"),
                      Index("ix_highlight_document_span", "document_id", "start", "end"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # "exact" (placed where it was made), "moved", "fuzzy" (re-anchored), "orphan" (not placeable)
    anchor: Mapped[str] = mapped_column(String(10), default="exact")


class HighlightTag(Base):
    __tablename__ = "highlight_tag"

    highlight_id: Mapped[str] = mapped_column(
        ForeignKey("highlight.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[str] = mapped_column(
        ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Tag(_Stamped, Base):
    __tablename__ = "tag"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("tag.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")


class Entity(_Stamped, Base):
    __tablename__ = "entity"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    reliability: Mapped[str] = mapped_column(String(1), default="")

    aliases: Mapped[list[Alias]] = relationship(
        cascade="all, delete-orphan", order_by="Alias.created_at"
    )


class Alias(Base):
    """One spelling an entity was seen under, and where."""

    __tablename__ = "alias"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500), index=True)
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Claim(_Stamped, Base):
    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint("credibility BETWEEN 1 AND 6", name="credibility"),
        Index("ix_claim_subject_kind", "subject_id", "kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40), default="other")
    subject_id: Mapped[str] = mapped_column(ForeignKey("entity.id", ondelete="RESTRICT"))
    object_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    value: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str] = mapped_column(String(16), default="")
    place_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    stance: Mapped[str] = mapped_column(String(10), default="asserts")
    origin_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    # entity ids the claim travelled through between its origin and the reporting outlet
    via: Mapped[list[str]] = mapped_column(JSON, default=list)
    credibility: Mapped[int] = mapped_column(Integer, default=6)
    status: Mapped[str] = mapped_column(String(10), default="open")
    note: Mapped[str] = mapped_column(Text, default="")


class ClaimEvidence(Base):
    __tablename__ = "claim_evidence"

    claim_id: Mapped[str] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
    )
    highlight_id: Mapped[str] = mapped_column(
        ForeignKey("highlight.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class ClaimLink(_Stamped, Base):
    __tablename__ = "claim_link"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[str] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[str] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class ConflictResolution(_Stamped, Base):
    """The analyst's verdict on a conflict set (subject + kind): which claim they accept and why."""

    __tablename__ = "conflict_resolution"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[str] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    accepted_claim_id: Mapped[str | None] = mapped_column(
        ForeignKey("claim.id", ondelete="SET NULL")
    )
    # the claim ids the set held when resolved, so new claims re-open it visibly
    claim_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")


class SyncBaseline(Base):
    """What a record looked like when this database last exchanged it in a bundle.

    A merge compares the local and incoming versions against this hash to tell "changed here",
    "changed there" and "changed on both sides" apart.
    """

    __tablename__ = "sync_baseline"

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Hypothesis(_Stamped, Base):
    """One of the analyst's competing explanations (ACH column), optionally structured like a
    claim so that Casefile can suggest how each claim bears on it."""

    __tablename__ = "hypothesis"
    __table_args__ = (Index("ix_hypothesis_case_position", "case_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    statement: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    subject_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    value: Mapped[str] = mapped_column(Text, default="")
    # a partial date, or the first and last partial dates of a range
    date: Mapped[str] = mapped_column(String(16), default="")
    date_end: Mapped[str] = mapped_column(String(16), default="")
    place_id: Mapped[str | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    stance: Mapped[str] = mapped_column(String(10), default="asserts")


class AchPassage(_Stamped, Base):
    """A highlight the analyst put into the ACH matrix as evidence of its own (no claim)."""

    __tablename__ = "ach_passage"
    __table_args__ = (UniqueConstraint("case_id", "highlight_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    highlight_id: Mapped[str] = mapped_column(
        ForeignKey("highlight.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")


class HypothesisRating(_Stamped, Base):
    """The analyst's rating of one piece of evidence (a claim or a passage) against one
    hypothesis: CC, C, N, I, II or NA. Its id is derived from the cell (``rating_id``), so two
    laptops rating the same cell make the same record and a merge can tell both edited it."""

    __tablename__ = "hypothesis_rating"
    __table_args__ = (
        CheckConstraint("(claim_id IS NULL) <> (highlight_id IS NULL)", name="one_evidence"),
        CheckConstraint("rating IN ('CC', 'C', 'N', 'I', 'II', 'NA')", name="rating"),
        UniqueConstraint("hypothesis_id", "claim_id", name="uq_hypothesis_rating_claim"),
        UniqueConstraint("hypothesis_id", "highlight_id", name="uq_hypothesis_rating_highlight"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    hypothesis_id: Mapped[str] = mapped_column(
        ForeignKey("hypothesis.id", ondelete="CASCADE"), index=True
    )
    claim_id: Mapped[str | None] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE"), index=True
    )
    highlight_id: Mapped[str | None] = mapped_column(
        ForeignKey("highlight.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[str] = mapped_column(String(2))
    note: Mapped[str] = mapped_column(Text, default="")


_RATING_NAMESPACE = uuid.UUID("0b7e3a9c-5d2f-4c61-8e4a-7f1d2c3b4a59")


def rating_id(hypothesis_id: str, evidence_id: str) -> str:
    """The id of the rating of ``evidence_id`` (a claim or highlight id) against a hypothesis."""
    return str(uuid.uuid5(_RATING_NAMESPACE, f"{hypothesis_id}:{evidence_id}"))
