"""Word boxes of paged documents: the stored ones (``casefile.importers.layouts`` builds them
again from the original for documents imported without)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from casefile.db.database import Database
from casefile.db.models import Document, DocumentLayout
from casefile.layout import PageLayout, text_key


@dataclass(frozen=True)
class LayoutInfo:
    layout: PageLayout
    ocr_confidence: float | None = None


def get_layout(db: Database, *, document_id: str) -> LayoutInfo | None:
    """The stored word boxes of a document, or None when it has none, or none for its current
    text (a merge or an update changed the text since): then ``build_layout`` makes them."""
    with db.read() as s:
        row = s.execute(select(DocumentLayout.data, DocumentLayout.ocr_confidence, Document.text)
                        .join(Document, Document.id == DocumentLayout.document_id)
                        .where(DocumentLayout.document_id == document_id)).first()
    if row is None:
        return None
    layout = PageLayout.decode(row[0])
    if layout.text != text_key(row[2]):
        return None
    return LayoutInfo(layout, row[1])
