"""Likely duplicates: the same article already in the case in another format."""

from __future__ import annotations

from rapidfuzz import fuzz

from casefile.db.database import Database
from casefile.services import documents, fingerprints
from casefile.services.records import DocumentRecord
from casefile.shingles import overlap, shingle_hashes

VERIFY = 5  # the best proposals read in full; a case of near-copies costs no more


def _title_like(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and fuzz.token_set_ratio(a, b) >= 85


class DuplicateFinder:
    """Compares new documents with a case's documents through their stored fingerprints
    (filled in for the case's documents on first use, then kept as documents are added)."""

    def __init__(self, db: Database, case_id: str) -> None:
        self.db, self.case_id = db, case_id
        self._refreshed = False

    def likely_duplicate(self, *, text: str, title: str, shingles: frozenset[int] | None = None
                         ) -> DocumentRecord | None:
        """The case document most likely to be the same article, or None.

        Same article: 90% of the shorter text's 5-word shingles appear in the other and the
        titles agree, or 97% appear whatever the titles say; lengths within a factor of two.
        Only the few documents the fingerprint lookup proposes are read. ``shingles``: the
        text's ``shingle_hashes``, when already computed."""
        if not self._refreshed:
            fingerprints.refresh_case(self.db, case_id=self.case_id)
            self._refreshed = True
        mine = shingle_hashes(text) if shingles is None else shingles
        best: tuple[float, str] | None = None
        for match in fingerprints.candidates(self.db, case_id=self.case_id, hashes=mine,
                                             chars=len(text))[:VERIFY]:
            score = overlap(mine, shingle_hashes(documents.get_text(self.db,
                                                                    document_id=match.id)))
            same = score >= 0.97 or (score >= 0.9 and _title_like(title, match.title))
            if same and (best is None or score > best[0]):
                best = (score, match.id)
        return documents.get_document(self.db, document_id=best[1]) if best else None
