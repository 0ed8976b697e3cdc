"""Word boxes built again for documents imported without them (PDFs imported before the page
view, documents arriving in bundles), from their stored original bytes."""

from __future__ import annotations

from collections.abc import Callable

from casefile.db.database import Database
from casefile.db.models import Document, DocumentLayout, DocumentOriginal
from casefile.errors import ImportFailed
from casefile.importers import ocr, pdf
from casefile.pages import PDF_TYPE, is_paged
from casefile.services.common import get_or_raise
from casefile.services.layouts import LayoutInfo


def build_layout(db: Database, *, document_id: str,
                 cancelled: Callable[[], bool] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> LayoutInfo | None:
    """Find the words of a PDF or image on its pages again, from its original bytes, map them
    to its current text and store them. Slow (a child process reads the file): call it off the
    GUI thread. None for a document without pages or without its original."""
    with db.read() as s:
        doc = get_or_raise(s, Document, document_id, "document")
        meta = (doc.content_type, doc.text, list(doc.page_starts or ()), doc.extractor)
        original = s.get(DocumentOriginal, document_id)
        data = original.data if original is not None else b""
    content_type, text, starts, extractor = meta
    if not data or not is_paged(content_type):
        return None
    if content_type == PDF_TYPE and extractor != ocr.EXTRACTOR:
        raw = pdf.extract_pages(data, cancelled=cancelled)
        info = LayoutInfo(pdf.word_layout(raw["pages"], text, starts))
    else:
        read = ocr.read(data, content_type, cancelled=cancelled, progress=progress)
        layout = ocr.layout_for(read, text, starts)
        info = LayoutInfo(layout, layout.mean_confidence())
    with db.write() as s:
        if s.get(Document, document_id) is None:
            raise ImportFailed("the document was deleted meanwhile")
        old = s.get(DocumentLayout, document_id)
        if old is not None:
            s.delete(old)
            s.flush()
        s.add(DocumentLayout(document_id=document_id, data=info.layout.encode(),
                             words=len(info.layout), ocr_confidence=info.ocr_confidence))
    return info
