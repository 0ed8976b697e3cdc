"""Cropped page images of highlights in PDFs and scans, for the report (PNG bytes; no Qt)."""

from __future__ import annotations

import logging

from casefile.db.database import Database
from casefile.exchange.caseview import CaseView
from casefile.pages import PageSource
from casefile.services import documents

log = logging.getLogger(__name__)
PAD = 6.0  # points around the highlighted words
SCALE = 2.0  # pixels per point (144 dpi)
MAX_HEIGHT = 200.0  # points: a long passage shows its first lines


def evidence_crops(db: Database, view: CaseView) -> dict[str, bytes]:
    """PNG crops of the page region of every highlight that is a claim's evidence."""
    wanted: dict[str, list[str]] = {}
    for c in view.claims.values():
        for hid in c["evidence"]:
            if view.page_region(hid) is not None:
                wanted.setdefault(view.highlights[hid]["document_id"], []).append(hid)
    out: dict[str, bytes] = {}
    for doc_id, hids in wanted.items():
        doc = view.documents[doc_id]
        try:
            source = PageSource(documents.get_original(db, document_id=doc_id),
                                doc["content_type"])
        except Exception as exc:  # a damaged original: the quote still stands in the report
            log.warning("no page crops for %s: %s", doc_id, exc)
            continue
        try:
            for hid in dict.fromkeys(hids):
                region = view.page_region(hid)
                assert region is not None
                page, (x0, y0, x1, y1) = region
                width, height = source.sizes[page]
                rect = (max(0.0, x0 - PAD), max(0.0, y0 - PAD), min(width, x1 + PAD),
                        min(height, min(y1, y0 + MAX_HEIGHT) + PAD))
                out[hid] = source.crop_png(page, rect, scale=SCALE)
        finally:
            source.close()
    return out
