"""Likely duplicates: the same article already in the case in another format."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from casefile.db.database import Database
from casefile.services import documents, fingerprints
from casefile.services.documents import NewDocument
from casefile.services.records import DocumentRecord
from casefile.shingles import overlap, shingle_hashes

VERIFY = 5  # the best proposals read in full; a case of near-copies costs no more


def _title_like(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and fuzz.token_set_ratio(a, b) >= 85


def _same(score: float, title: str, other_title: str) -> bool:
    return score >= 0.97 or (score >= 0.9 and _title_like(title, other_title))


def _close_in_length(a: int, b: int) -> bool:
    return bool(b) and 0.5 <= a / b <= 2.0


@dataclass(frozen=True)
class Earlier:
    """A document earlier in the same batch (not stored yet)."""

    id: str
    title: str
    content_type: str


class DuplicateFinder:
    """Compares new documents with a case's documents through their stored fingerprints
    (filled in for the case's documents on first use, then kept as documents are added)."""

    def __init__(self, db: Database, case_id: str) -> None:
        self.db, self.case_id = db, case_id
        self._refreshed = False

    def likely_duplicates(self, batch: list[tuple[str, NewDocument, frozenset[int]]]
                          ) -> list[DocumentRecord | Earlier | None]:
        """For each new document of ``batch``, given as (id, document, its text's
        ``shingle_hashes``), the case document or earlier document of the batch most likely
        to be the same article, or None.

        Same article: 90% of the shorter text's 5-word shingles appear in the other and the
        titles agree, or 97% appear whatever the titles say; lengths within a factor of two.
        Only the few case documents the fingerprint lookup proposes are read."""
        if not self._refreshed:
            fingerprints.refresh_case(self.db, case_id=self.case_id)
            self._refreshed = True
        proposed = fingerprints.candidates_many(
            self.db, case_id=self.case_id, texts=[(h, len(d.text)) for _, d, h in batch])
        out: list[DocumentRecord | Earlier | None] = []
        for k, ((_, doc, mine), matches) in enumerate(zip(batch, proposed, strict=True)):
            best: tuple[float, str | Earlier] | None = None
            for match in matches[:VERIFY]:
                score = overlap(mine, shingle_hashes(documents.get_text(
                    self.db, document_id=match.id)))
                if _same(score, doc.title, match.title) and (best is None or score > best[0]):
                    best = (score, match.id)
            for other_id, other, theirs in batch[:k]:
                if _close_in_length(len(doc.text), len(other.text)):
                    score = overlap(mine, theirs)
                    if _same(score, doc.title, other.title) and (best is None
                                                                 or score > best[0]):
                        best = (score, Earlier(other_id, other.title, other.content_type))
            if best is None or isinstance(best[1], Earlier):
                out.append(None if best is None else best[1])
            else:
                out.append(documents.get_document(self.db, document_id=best[1]))
        return out
