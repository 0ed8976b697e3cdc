"""Plain data returned by services: frozen dataclasses, never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CaseRecord:
    id: str
    title: str
    summary: str
    created_at: datetime
    updated_at: datetime
    documents: int = 0
    claims: int = 0


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    case_id: str
    title: str
    author: str
    outlet_id: str | None
    outlet: str
    url: str
    published: str
    imported_at: datetime
    updated_at: datetime
    content_type: str
    source_name: str
    sha256: str
    chars: int
    page_starts: tuple[int, ...]
    extractor: str
    extractor_version: str
    highlights: int = 0
    ocr_confidence: float | None = None  # mean word confidence (0–100) when read by OCR
    guessed: tuple[str, ...] = ()  # fields the importer inferred; shown as guesses
    origin_id: str | None = None  # who the content comes from (a forwarded post's source)
    origin: str = ""
    parent_id: str | None = None  # the document it came inside (a mail, a Telegram post)
    source_key: str = ""

    def is_guess(self, field: str) -> bool:
        return field in self.guessed

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    @property
    def ocr(self) -> bool:
        return self.ocr_confidence is not None


@dataclass(frozen=True)
class HighlightRecord:
    id: str
    document_id: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    color: str
    note: str
    anchor: str
    tag_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class TagRecord:
    id: str
    case_id: str
    parent_id: str | None
    name: str
    color: str
    description: str
    path: str = ""


@dataclass(frozen=True)
class AliasRecord:
    id: str
    entity_id: str
    name: str
    document_id: str | None


@dataclass(frozen=True)
class EntityRecord:
    id: str
    case_id: str
    kind: str
    name: str
    description: str
    reliability: str
    aliases: tuple[AliasRecord, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    case_id: str
    statement: str
    kind: str
    subject_id: str
    subject: str
    object_id: str | None
    object: str
    value: str
    date: str
    place_id: str | None
    place: str
    stance: str
    origin_id: str | None
    origin: str
    via: tuple[str, ...]
    credibility: int
    status: str
    note: str
    evidence: tuple[str, ...]
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LinkRecord:
    id: str
    case_id: str
    source_id: str
    target_id: str
    relation: str
    note: str


@dataclass(frozen=True)
class HighlightSnapshot:
    """Everything a deleted highlight took with it, so undo restores it under the same id."""

    highlight: HighlightRecord
    evidence: tuple[tuple[str, int], ...] = field(default=())  # (claim_id, position)


@dataclass(frozen=True)
class ClaimSnapshot:
    """A deleted claim with its links, so undo restores it under the same id."""

    claim: ClaimRecord
    links: tuple[LinkRecord, ...] = ()
