"""Qt models over passages (``casefile.services.passages.Passage``): a document's annotations in
reading order, and one tag's passages across the case."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from casefile.services.passages import Passage
from ui.base.tables import RecordTable, SortRole, SubtitleRole, date_sort_key, human_date


def _one_line(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def when(p: Passage) -> str:
    if not p.published:
        return ""
    return human_date(p.published) + (" (guess)" if p.published_guessed else "")


class PassagesModel(RecordTable[Passage]):
    """One row per passage. ``detail`` picks the second line: "source" (document · outlet ·
    date, for passages from many documents) or "annotation" (tags · note · claims)."""

    headers = ("Passage", "Document", "Outlet", "Published", "Note", "Tags")

    def __init__(self, detail: str = "source", parent=None):
        super().__init__(lambda: [], parent)
        self.detail = detail

    def subtitle(self, p: Passage) -> str:
        if self.detail == "source":
            return " · ".join(x for x in (p.document_title, p.outlet, when(p)) if x)
        bits = [", ".join(p.tags)] if p.tags else []
        if p.note:
            bits.append("note: " + _one_line(p.note, 80))
        if p.claim_ids:
            bits.append(f"{len(p.claim_ids)} claim{'s' if len(p.claim_ids) != 1 else ''}")
        if p.anchor == "orphan":
            bits.append("could not be placed in this version")
        return " · ".join(bits) or "highlight"

    def cell(self, p: Passage, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (_one_line(p.quote), p.document_title, p.outlet, when(p), _one_line(p.note),
                    ", ".join(p.tags))[column]
        if role == SubtitleRole and column == 0:
            return self.subtitle(p)
        if role == SortRole:
            return (p.quote.casefold(), p.document_title.casefold(), p.outlet.casefold(),
                    date_sort_key(p.published), p.note.casefold(), ", ".join(p.tags))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [p.quote, "", self.subtitle(p)]
            if p.note:
                lines += ["", "Note: " + p.note]
            return "\n".join(lines)
        return None
