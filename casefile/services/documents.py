"""Documents: store an imported text with its original bytes, list, edit metadata, replace text."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from casefile import dates, limits
from casefile.anchoring import Anchorer, context
from casefile.db.database import Database
from casefile.db.models import (
    Case,
    Document,
    DocumentLayout,
    DocumentOriginal,
    Entity,
    Highlight,
    utcnow,
)
from casefile.errors import ValidationError
from casefile.services import fingerprints
from casefile.services.common import get_or_raise
from casefile.services.records import DocumentRecord


@dataclass(frozen=True)
class NewDocument:
    """What an importer hands over: canonical text, metadata and the original bytes."""

    text: str
    original: bytes
    content_type: str
    title: str = ""
    author: str = ""
    outlet: str = ""
    url: str = ""
    published: str = ""
    source_name: str = ""
    page_starts: tuple[int, ...] = ()
    extractor: str = ""
    extractor_version: str = ""
    layout: bytes = b""  # casefile.layout.PageLayout, encoded (PDFs and scans)
    ocr_confidence: float | None = None  # mean word confidence when read by OCR
    guessed: tuple[str, ...] = ()  # metadata fields inferred, not read (shown as guesses)
    note: str = ""  # what the import should tell (e.g. the OCR languages); not stored
    origin: str = ""  # who the content comes from, when not the outlet (forwarded-from)
    source_key: str = ""  # its place in a container, stable across exports (see models)


GUESSABLE = ("title", "author", "outlet", "url", "published")


def _store_layout(s: Session, document_id: str, doc: NewDocument) -> None:
    """Replace a document's word boxes with the new version's (none: the row goes)."""
    old = s.get(DocumentLayout, document_id)
    if old is not None:
        s.delete(old)
        s.flush()
    if doc.layout:
        from casefile.layout import PageLayout

        words = len(PageLayout.decode(doc.layout))
        s.add(DocumentLayout(document_id=document_id, data=doc.layout, words=words,
                             ocr_confidence=doc.ocr_confidence))


def _record(doc: Document | SimpleNamespace, outlet: str = "", highlights: int = 0,
            chars: int | None = None, ocr: float | None = None, origin: str = ""
            ) -> DocumentRecord:
    return DocumentRecord(
        id=doc.id, case_id=doc.case_id, title=doc.title, author=doc.author,
        outlet_id=doc.outlet_id, outlet=outlet, url=doc.url, published=doc.published,
        imported_at=doc.imported_at, updated_at=doc.updated_at, content_type=doc.content_type,
        source_name=doc.source_name, sha256=doc.sha256,
        chars=len(doc.text or "") if chars is None else chars,
        page_starts=tuple(doc.page_starts or ()), extractor=doc.extractor,
        extractor_version=doc.extractor_version, highlights=highlights, ocr_confidence=ocr,
        guessed=tuple(doc.guessed or ()), origin_id=doc.origin_id, origin=origin,
        parent_id=doc.parent_id, source_key=doc.source_key or "",
    )


def _outlet(session: Session, case_id: str, name: str, kind: str = "organization"
            ) -> Entity | None:
    """The entity for an outlet (or origin) name, by name or alias, created as ``kind`` if
    new."""
    from casefile.services.entities import find_entity_in_session

    name = (name or "").strip()[:500]
    if not name:
        return None
    ent = find_entity_in_session(session, case_id, name)
    if ent is None:
        ent = Entity(case_id=case_id, kind=kind, name=name)
        session.add(ent)
        session.flush()
    return ent


def _check_pages(text: str, page_starts: tuple[int, ...]) -> list[int]:
    starts = list(page_starts)
    if starts and (starts[0] != 0 or starts != sorted(starts) or starts[-1] > len(text)):
        raise ValidationError("page offsets must start at 0, rise, and stay inside the text")
    return starts


def _published(value: str) -> str:
    try:
        return dates.normalize(value)
    except ValidationError:
        return ""


def add_document(db: Database, *, case_id: str, doc: NewDocument, id: str | None = None,
                 shingles: frozenset[int] | None = None) -> DocumentRecord:
    """Store one imported document whole (text, metadata, original, fingerprint) in one
    transaction; ``shingles`` are the text's ``shingle_hashes`` if already computed."""
    with db.write() as s:
        return add_document_in_session(s, case_id=case_id, doc=doc, id=id, shingles=shingles)


def _columns(case_id: str, doc: NewDocument) -> dict:
    """A new document's row (without its id and outlet); ``ValidationError`` when the
    document is inconsistent."""
    return dict(
        case_id=case_id, title=doc.title.strip()[:1000], author=doc.author.strip()[:500],
        url=doc.url.strip()[:2000], published=_published(doc.published),
        content_type=doc.content_type, source_name=doc.source_name[:500],
        sha256=hashlib.sha256(doc.original).hexdigest(), text=doc.text,
        page_starts=_check_pages(doc.text, doc.page_starts), extractor=doc.extractor,
        extractor_version=doc.extractor_version, source_key=doc.source_key[:200],
        guessed=[f for f in GUESSABLE if f in doc.guessed and getattr(doc, f)])


def add_document_in_session(s: Session, *, case_id: str, doc: NewDocument, id: str | None = None,
                            shingles: frozenset[int] | None = None,
                            parent_id: str | None = None) -> DocumentRecord:
    """``add_document`` inside a caller's transaction (bundle import, sample case, containers);
    ``parent_id``: the document this one came inside (a mail for its attachment)."""
    get_or_raise(s, Case, case_id, "case")
    if (too_long := limits.text_too_long(doc.text, "the document's text")) is not None:
        raise ValidationError(too_long)
    outlet = _outlet(s, case_id, doc.outlet)
    origin = _outlet(s, case_id, doc.origin, kind=_origin_kind(doc.origin))
    row = Document(**_columns(case_id, doc), outlet_id=outlet.id if outlet else None,
                   origin_id=origin.id if origin else None, parent_id=parent_id)
    if id:
        row.id = id
    row.original = DocumentOriginal(data=doc.original)
    s.add(row)
    s.flush()
    _store_layout(s, row.id, doc)
    fingerprints.store_in_session(s, document_id=row.id, text=row.text, sha256=row.sha256,
                                  shingles=shingles)
    return _record(row, outlet.name if outlet else "", ocr=doc.ocr_confidence,
                   origin=origin.name if origin else "")


def add_documents(db: Database, *, case_id: str, docs: Sequence[NewDocument],
                  ids: Sequence[str], shingles: Sequence[frozenset[int]]) -> list[DocumentRecord]:
    """Store several imported documents in one transaction, each whole as ``add_document``
    stores one, with bulk inserts (an import batch); all are stored or none. ``shingles``:
    each text's ``shingle_hashes``. Raises ``ValidationError`` before writing anything when a
    document is inconsistent."""
    with db.write() as s:
        return add_documents_in_session(
            s, case_id=case_id,
            docs=[(i, d, h, None) for i, d, h in zip(ids, docs, shingles, strict=True)])


def add_documents_in_session(s: Session, *, case_id: str,
                             docs: Sequence[tuple[str, NewDocument, frozenset[int], str | None]]
                             ) -> list[DocumentRecord]:
    """Many documents in the caller's transaction with few statements (an import batch, a
    Telegram export's thousands of messages): ``docs`` holds (new id, document, its
    ``shingle_hashes``, parent id or None). Stores what ``add_document_in_session`` stores,
    through bulk inserts rather than the ORM."""
    rows = [_columns(case_id, doc) | {"id": i, "parent_id": parent}
            for i, doc, _h, parent in docs]
    get_or_raise(s, Case, case_id, "case")
    entities: dict[tuple[str, str], Entity | None] = {}

    def entity(name: str, kind: str) -> Entity | None:
        key = (name.strip()[:500], kind)
        if key not in entities:
            entities[key] = _outlet(s, case_id, key[0], kind=kind)
        return entities[key]

    now = utcnow()
    names = []
    for row, (_i, doc, _h, _p) in zip(rows, docs, strict=True):
        outlet = entity(doc.outlet, "organization")
        origin = entity(doc.origin, _origin_kind(doc.origin)) if doc.origin.strip() else None
        row.update(outlet_id=outlet.id if outlet else None,
                   origin_id=origin.id if origin else None,
                   imported_at=now, created_at=now, updated_at=now)
        names.append((outlet.name if outlet else "", origin.name if origin else ""))
    s.execute(insert(Document), rows)
    s.execute(insert(DocumentOriginal),
              [{"document_id": i, "data": d.original} for i, d, _h, _p in docs])
    for i, doc, _h, _p in docs:
        if doc.layout:
            _store_layout(s, i, doc)
    fingerprints.store_new_in_session(
        s, [(r["id"], r["sha256"], h) for r, (_i, _d, h, _p) in zip(rows, docs, strict=True)])
    return [_record(SimpleNamespace(**row), outlet, ocr=doc.ocr_confidence, origin=origin)
            for row, (_i, doc, _h, _p), (outlet, origin) in zip(rows, docs, names, strict=True)]


def _origin_kind(name: str) -> str:
    from casefile.vocab import guess_entity_kind

    return guess_entity_kind(name, field="origin") if name.strip() else "organization"


def list_documents(db: Database, *, case_id: str, ids: list[str] | None = None
                   ) -> list[DocumentRecord]:
    """Documents of a case (or just those of ``ids``, at most a few hundred), newest
    publication first, with outlet names and highlight counts."""
    from casefile.services import quick

    with db.read() as s:
        return quick.list_documents(s.connection().connection.driver_connection, case_id, ids)


def get_document(db: Database, *, document_id: str) -> DocumentRecord:
    with db.read() as s:
        doc = get_or_raise(s, Document, document_id, "document")
        outlet = s.get(Entity, doc.outlet_id) if doc.outlet_id else None
        n = s.scalar(select(func.count()).select_from(Highlight)
                     .where(Highlight.document_id == document_id))
        ocr = s.scalar(select(DocumentLayout.ocr_confidence)
                       .where(DocumentLayout.document_id == document_id))
        origin = s.get(Entity, doc.origin_id) if doc.origin_id else None
        return _record(doc, outlet.name if outlet else "", n or 0, ocr=ocr,
                       origin=origin.name if origin else "")


@dataclass(frozen=True)
class LinkedDocument:
    id: str
    title: str
    content_type: str


@dataclass(frozen=True)
class DocumentLinks:
    """The document a document came inside (a mail, a Telegram post) and those that came
    inside it (attachments, photos), in the order they were imported."""

    parent: LinkedDocument | None
    children: tuple[LinkedDocument, ...]


def get_links(db: Database, *, document_id: str) -> DocumentLinks:
    with db.read() as s:
        doc = get_or_raise(s, Document, document_id, "document")
        cols = (Document.id, Document.title, Document.content_type)
        parent = None
        if doc.parent_id:
            row = s.execute(select(*cols).where(Document.id == doc.parent_id)).first()
            parent = LinkedDocument(*row) if row else None
        kids = s.execute(select(*cols).where(Document.parent_id == document_id)
                         .order_by(Document.imported_at, Document.id)).all()
        return DocumentLinks(parent, tuple(LinkedDocument(*r) for r in kids))


def known_source_keys(db: Database, *, case_id: str, prefix: str) -> dict[str, tuple[str, str]]:
    """Documents of a case whose ``source_key`` starts with ``prefix``: key → (id, sha256)."""
    with db.read() as s:
        rows = s.execute(select(Document.source_key, Document.id, Document.sha256)
                         .where(Document.case_id == case_id, Document.source_key >= prefix,
                                Document.source_key < prefix + "\U0010ffff"))
        return {k: (i, h) for k, i, h in rows}


def get_text(db: Database, *, document_id: str) -> str:
    """The canonical text, exactly as highlight offsets count it (code points)."""
    with db.read() as s:
        return get_or_raise(s, Document, document_id, "document").text


def get_original(db: Database, *, document_id: str) -> bytes:
    with db.read() as s:
        orig = s.get(DocumentOriginal, document_id)
        if orig is None:
            get_or_raise(s, Document, document_id, "document")
            return b""
        return orig.data


def find_by_sha256(db: Database, *, case_id: str, sha256: str) -> DocumentRecord | None:
    return find_by_sha256s(db, case_id=case_id, sha256s=[sha256]).get(sha256)


def find_by_sha256s(db: Database, *, case_id: str, sha256s: Sequence[str]
                    ) -> dict[str, DocumentRecord]:
    """The case's documents whose originals have these hashes, by hash (one query)."""
    out: dict[str, DocumentRecord] = {}
    with db.read() as s:
        for i in range(0, len(sha256s), 500):
            for doc in s.scalars(select(Document).where(
                    Document.case_id == case_id, Document.sha256.in_(sha256s[i:i + 500]))):
                out.setdefault(doc.sha256, _record(doc))
    return out


def update_document(db: Database, *, document_id: str, title: str | None = None,
                    author: str | None = None, outlet: str | None = None, url: str | None = None,
                    published: str | None = None, confirm: tuple[str, ...] = (),
                    guessed: tuple[str, ...] | None = None) -> DocumentRecord:
    """Edit metadata; ``published`` accepts any partial date form. A field the analyst sets
    (or names in ``confirm``) is no longer a guess; ``guessed`` replaces the list outright
    (undo puts back what the importer had guessed)."""
    with db.write() as s:
        doc = get_or_raise(s, Document, document_id, "document")
        given = {"title": title, "author": author, "outlet": outlet, "url": url,
                 "published": published}
        unknown = set(confirm) - set(GUESSABLE)
        if unknown:
            raise ValidationError(f"cannot confirm {', '.join(sorted(unknown))}; fields are "
                                  + ", ".join(GUESSABLE))
        settled = set(confirm) | {k for k, v in given.items() if v is not None}
        if guessed is not None:
            doc.guessed = [f for f in GUESSABLE if f in guessed]
        elif settled & set(doc.guessed or ()):
            doc.guessed = [f for f in doc.guessed if f not in settled]
        if title is not None:
            doc.title = title.strip()
        if author is not None:
            doc.author = author.strip()
        if url is not None:
            doc.url = url.strip()
        if published is not None:
            doc.published = dates.normalize(published)
        ent = None
        if outlet is not None:
            ent = _outlet(s, doc.case_id, outlet)
            doc.outlet_id = ent.id if ent else None
        elif doc.outlet_id:
            ent = s.get(Entity, doc.outlet_id)
        s.flush()
        return _record(doc, ent.name if ent else "")


def delete_document(db: Database, *, document_id: str, backup_first: bool = True) -> None:
    """Delete a document with its highlights (claims keep their statements but lose that
    evidence). It cannot be undone, so a verified backup is taken first."""
    with db.read() as s:
        get_or_raise(s, Document, document_id, "document")
    if backup_first:
        from casefile.db import backup

        backup.make_backup(db.path, reason="before-delete")
    with db.write() as s:
        s.delete(get_or_raise(s, Document, document_id, "document"))


@dataclass(frozen=True)
class ReplaceResult:
    document: DocumentRecord
    placed: tuple[str, ...]
    fuzzy: tuple[str, ...]
    orphans: tuple[str, ...]


def replace_text(db: Database, *, document_id: str, doc: NewDocument) -> ReplaceResult:
    """Swap in a newer version of a document and re-anchor every highlight on it.

    Highlights that cannot be placed keep their quote and become orphans (anchor "orphan",
    offsets clamped into the new text, which the reader does not draw); nothing is dropped.
    """
    if not doc.text.strip():
        raise ValidationError("the new version holds no text; the document was left as it was")
    if (too_long := limits.text_too_long(doc.text, "the new version's text")) is not None:
        raise ValidationError(f"{too_long}; the document was left as it was")
    anchorer = Anchorer(doc.text)
    with db.write() as s:
        row = get_or_raise(s, Document, document_id, "document")
        placed, fuzzy, orphans = [], [], []
        rows = s.scalars(select(Highlight).where(Highlight.document_id == document_id)
                         .order_by(Highlight.start, Highlight.id)).all()
        for h in rows:
            p = anchorer.place(quote=h.quote, prefix=h.prefix, suffix=h.suffix,
                               old_start=h.start)
            if p.start is None or p.end is None:
                # Keep the quote and the old context so a later version can place it again.
                orphans.append(h.id)
                h.anchor = "orphan"
                h.end = max(1, min(h.end, len(doc.text)))
                h.start = max(0, min(h.start, h.end - 1))
                continue
            # The quote becomes the text it now covers (loose and fuzzy matches differ).
            h.start, h.end = p.start, p.end
            h.quote = doc.text[p.start:p.end]
            h.prefix, h.suffix = context(doc.text, p.start, p.end)
            h.anchor = p.how
            (fuzzy if p.how == "fuzzy" else placed).append(h.id)
        row.text = doc.text
        row.page_starts = _check_pages(doc.text, doc.page_starts)
        row.sha256 = hashlib.sha256(doc.original).hexdigest()
        row.content_type = doc.content_type
        row.extractor, row.extractor_version = doc.extractor, doc.extractor_version
        row.source_name = doc.source_name or row.source_name
        guessed = set(row.guessed or ())

        def takes(field: str) -> bool:
            """A newer file's value replaces ours, but a guess never replaces a real value."""
            if not getattr(doc, field).strip():
                return False
            if field in doc.guessed and field not in guessed and (
                    row.outlet_id if field == "outlet" else getattr(row, field)):
                return False
            (guessed.add if field in doc.guessed else guessed.discard)(field)
            return True

        for field in ("title", "author", "url"):
            if takes(field):
                setattr(row, field, getattr(doc, field).strip())
        if takes("outlet"):
            ent = _outlet(s, row.case_id, doc.outlet)
            row.outlet_id = ent.id if ent else row.outlet_id
        if takes("published"):
            row.published = _published(doc.published) or row.published
        row.guessed = [f for f in GUESSABLE if f in guessed]
        row.imported_at = utcnow()
        if row.original is None:
            row.original = DocumentOriginal(data=doc.original)
        else:
            row.original.data = doc.original
        _store_layout(s, row.id, doc)
        s.flush()
        fingerprints.store_in_session(s, document_id=row.id, text=row.text, sha256=row.sha256)
        outlet = s.get(Entity, row.outlet_id) if row.outlet_id else None
        return ReplaceResult(_record(row, outlet.name if outlet else "", ocr=doc.ocr_confidence),
                             tuple(placed),
                             tuple(fuzzy), tuple(orphans))
