"""Qt models of the workspace over service records: documents (twins marked), claims (with
independent origins and verdicts), cases."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, Qt
from PySide6.QtGui import QColor

from casefile.doclabels import format_name, twin_endings
from casefile.services.records import CaseRecord, ClaimRecord, DocumentRecord
from casefile.vocab import with_stance
from ui.base.tables import (
    _ROOT,
    STANCE_COLORS,
    AnyIndex,
    IdRole,
    KeepEndRole,
    RecordTable,
    SortRole,
    SubtitleRole,
    date_sort_key,
    human_date,
)

log = logging.getLogger(__name__)


def as_read(rec: DocumentRecord, field: str, text: str) -> str:
    """``text`` (a document's ``field``), marked when the importer only guessed it."""
    return f"{text} (guess)" if rec.is_guess(field) else text


def published_text(rec: DocumentRecord) -> str:
    """The publication date as a reader says it, marked when the importer only guessed it."""
    if not rec.published:
        return "no date"
    return as_read(rec, "published", human_date(rec.published))


class DocumentsModel(RecordTable[DocumentRecord]):
    """Documents; twins (one title: a text, its PDF, its scan) say format and file name."""

    headers = ("Title", "Outlet", "Published", "✎")
    header_tips = {3: "Number of highlights"}

    def __init__(self, fetch: Callable[[], Sequence[DocumentRecord]], parent=None,
                 fetch_some: Callable[[list[str]], Sequence[DocumentRecord]] | None = None):
        super().__init__(fetch, parent, fetch_some)
        self.ends: dict[str, tuple[str, str]] = {}  # twins: (" (PNG · scan-1.png)", " (PNG)")

    def set_rows(self, rows: Sequence[DocumentRecord]) -> None:
        super().set_rows(rows)
        self._mark_twins()

    def patch(self, records: Sequence[DocumentRecord], deleted: Iterable[str] = ()) -> None:
        super().patch(records, deleted)
        self._mark_twins()

    def _mark_twins(self) -> None:
        ends = twin_endings((r.id, r.title or r.source_name, r.content_type, r.source_name)
                            for r in self.rows)
        changed, self.ends = ends != self.ends, ends
        if changed and self.rows:  # a new twin renames rows whose records did not change
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def cell(self, rec: DocumentRecord, column: int, role: int) -> Any:
        if role == KeepEndRole and column == 0:  # the whole ending, then a shorter one
            return self.ends.get(rec.id, ())
        if role == Qt.ItemDataRole.DisplayRole:
            title = (rec.title or rec.source_name) + self.ends.get(rec.id, ("",))[0]
            return (title, rec.outlet, rec.published, rec.highlights)[column]
        if role == SubtitleRole:
            bits = [rec.outlet or "outlet unknown", published_text(rec)]
            if rec.highlights:
                bits.append(f"{rec.highlights} highlight{'s' if rec.highlights != 1 else ''}")
            return " · ".join(bits)
        if role == SortRole:
            return (rec.title.casefold(), rec.outlet.casefold(), date_sort_key(rec.published),
                    rec.highlights)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{rec.title}\n{rec.outlet} · {published_text(rec)}\n"
                    f"{format_name(rec.content_type, rec.source_name)} · {rec.source_name} · "
                    f"{rec.chars:,} characters")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ClaimsModel(RecordTable[ClaimRecord]):
    """Claims with, per claim, how many independent origins support it (three outlets
    repeating one minister count once) and the credibility that suggests (never imposed)."""

    headers = ("Subject", "Kind", "Statement", "Date", "Place", "Origin", "Stance",
               "Cred.", "Ev.", "Indep.")
    header_tips = {7: "Credibility: 1 confirmed … 6 cannot be judged",
                   8: "Evidence: passages the claim rests on",
                   9: "Independent origins supporting the claim (outlets repeating one source "
                      "count once); the tooltip suggests a credibility grade"}

    _FIELDS = ("subject", "kind", "statement", "date", "place", "origin", "stance",
               "credibility", "evidence")
    EVIDENCE = 8
    INDEPENDENT = 9

    def __init__(self, fetch: Callable[[], Sequence[ClaimRecord]],
                 corroboration: Callable[[], dict[str, Any]] | None = None, parent=None,
                 fetch_some: Callable[[list[str]], Sequence[ClaimRecord]] | None = None, *,
                 accepted: Callable[[], dict[str, str]] | None = None):
        super().__init__(fetch, parent, fetch_some)
        self._corroboration = corroboration
        self._accepted = accepted
        self.corroboration: dict[str, Any] = {}
        self.accepted: dict[str, str] = {}  # claim id -> reason, for conflicts' verdicts
        self.refresher = None

    def refresh(self) -> None:
        """Rows now; independent-origin counts from a background job (they need the whole
        case's analysis, too slow for an edit on a large case), filled in when ready."""
        super().refresh()
        self.refresh_accepted()
        self.recount()

    def patch(self, records: Sequence[ClaimRecord], deleted: Iterable[str] = ()) -> None:
        super().patch(records, deleted)
        self.recount()

    def refresh_accepted(self) -> None:
        """Which claims a conflict's verdict accepted (after a resolution changed)."""
        was, self.accepted = self.accepted, (self._accepted() if self._accepted else {})
        if was != self.accepted and self.rows:  # a verdict marks rows that did not change
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 2))

    def recount(self) -> None:
        """Independent-origin counts again, in the background (any claim can change others')."""
        if self._corroboration is None:
            return
        if self.refresher is None:
            from ui.base.background import Refresher

            self.refresher = Refresher(self)
        self.refresher.request()

    def fetcher(self) -> Callable[[], dict[str, Any]]:
        return self._corroboration

    def show_data(self, corroboration: dict[str, Any]) -> None:
        if corroboration != self.corroboration:  # another claim can change this one's count
            self.corroboration = corroboration
            if self.rows:
                col = self.INDEPENDENT
                self.dataChanged.emit(self.index(0, col), self.index(len(self.rows) - 1, col))

    def show_error(self, message: str) -> None:
        log.warning("corroboration failed: %s", message)

    def cell(self, rec: ClaimRecord, column: int, role: int) -> Any:
        if column == self.INDEPENDENT:
            return self._independent(rec, role)
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            value = getattr(rec, self._FIELDS[column])  # only this column: views ask a lot
            if column == 3:
                return date_sort_key(value) if role == SortRole else human_date(value)
            if column == 8:
                return len(value)
            if column == 1:  # the kind says the stance too: the Stance column may be hidden
                value = with_stance(value, rec.stance)
            if column == 2 and role == Qt.ItemDataRole.DisplayRole and rec.id in self.accepted:
                return f"✓ {value}"
            return value.casefold() if role == SortRole and isinstance(value, str) else value
        if role == Qt.ItemDataRole.ForegroundRole and (
                column == 6 or (column == 1 and rec.stance != "asserts")):
            return QColor(STANCE_COLORS.get(rec.stance, "#000000"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and rec.id in self.accepted:
            return QColor("#1b5e20")  # accepted as a conflict's verdict
        if role == Qt.ItemDataRole.ToolTipRole:
            via = f" (via {len(rec.via)})" if rec.via else ""
            why = self.accepted.get(rec.id)
            return (f"{rec.statement}\n— {rec.origin or 'origin unknown'}{via}" + (
                "" if why is None else "\n✓ Accepted as the verdict of its conflict"
                + (f": {why}" if why else "")))
        return None

    def _independent(self, rec: ClaimRecord, role: int) -> Any:
        corr = self.corroboration.get(rec.id)
        if corr is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            return corr.independent_origins
        if role == Qt.ItemDataRole.ToolTipRole:
            grade = corr.suggested_credibility
            note = "" if grade == rec.credibility else f" (you graded it {rec.credibility})"
            return (f"{corr.independent_origins} independent origin(s). Suggested credibility "
                    f"{grade}{note}: {corr.why}")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CasesModel(QAbstractListModel):
    """Cases for the switcher combo box."""

    def __init__(self, fetch: Callable[[], Sequence[CaseRecord]], parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self.rows: list[CaseRecord] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = list(self._fetch())
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        rec = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return rec.title
        if role == IdRole:
            return rec.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{rec.documents} document(s), {rec.claims} claim(s)"
        return None

    def row_of(self, id_: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == id_), -1)
