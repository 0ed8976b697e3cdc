"""Cropped page images of highlights in PDFs and scans, for the report (PNG bytes; no Qt)."""

from __future__ import annotations

import logging

from casefile.db.database import Database
from casefile.exchange.caseview import CaseView
from casefile.layout import PageLayout, Rect
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
                page, box = region
                rect = crop_rect(view.layouts[doc_id], page, box, source.sizes[page])
                out[hid] = source.crop_png(page, rect, scale=SCALE)
        finally:
            source.close()
    return out


def crop_rect(layout: PageLayout, page: int, box: Rect, size: tuple[float, float]) -> Rect:
    """The part of the page to show for a passage covering ``box``: its lines with a margin
    that stops halfway to the line above and the line below (never cutting their letters in
    half), the first lines only of a passage taller than ``MAX_HEIGHT``, cut between lines."""
    x0, y0, x1, y1 = box
    width, height = size
    above, below, lines_inside = 0.0, height, []
    for i in layout.words_on(page):
        wx0, wy0, wx1, wy1 = layout.box(i)
        if wx1 < x0 - PAD or wx0 > x1 + PAD:
            continue  # another column
        middle = (wy0 + wy1) / 2
        if middle < y0:
            above = max(above, wy1)
        elif middle > y1:
            below = min(below, wy0)
        else:
            lines_inside.append((wy0, wy1))
    if y1 - y0 > MAX_HEIGHT:  # cut in the gap after the last line that fits
        fits = [b for a, b in lines_inside if b <= y0 + MAX_HEIGHT]
        y1 = max(fits) if fits else y0 + MAX_HEIGHT
        after = [a for a, _b in lines_inside if a >= y1]
        below = min(after) if after else below
    top = max(y0 - PAD, (above + y0) / 2) if above else y0 - PAD
    bottom = min(y1 + PAD, (y1 + below) / 2) if below < height else y1 + PAD
    return (max(0.0, x0 - PAD), max(0.0, min(top, y0)), min(width, x1 + PAD),
            min(height, max(bottom, y1)))
