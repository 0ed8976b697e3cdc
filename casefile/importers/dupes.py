"""Likely duplicates: the same article already in the case in another format."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from casefile.db.database import Database
from casefile.services import documents
from casefile.services.records import DocumentRecord

SHINGLE = 5
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> frozenset[int]:
    """Hashes of every run of ``k`` words (case-folded), the text's fingerprint."""
    words = _WORD.findall(text.casefold())
    if len(words) < k:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i:i + k])) for i in range(len(words) - k + 1))


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller fingerprint found in the larger (1.0: one text contains the other)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _title_like(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and fuzz.token_set_ratio(a, b) >= 85


class DuplicateFinder:
    """Compares new documents with a case's documents; fingerprints are cached per instance."""

    def __init__(self, db: Database, case_id: str) -> None:
        self.db, self.case_id = db, case_id
        self._cache: dict[str, frozenset[int]] = {}

    def likely_duplicate(self, *, text: str, title: str) -> DocumentRecord | None:
        """The case document most likely to be the same article, or None.

        Same article: 90% of the shorter text's 5-word shingles appear in the other and the
        titles agree, or 97% appear whatever the titles say; lengths within a factor of two.
        """
        mine = shingles(text)
        best: tuple[float, DocumentRecord] | None = None
        for rec in documents.list_documents(self.db, case_id=self.case_id):
            if not rec.chars or not 0.5 <= len(text) / rec.chars <= 2.0:
                continue
            if rec.id not in self._cache:
                self._cache[rec.id] = shingles(documents.get_text(self.db, document_id=rec.id))
            score = overlap(mine, self._cache[rec.id])
            same = score >= 0.97 or (score >= 0.9 and _title_like(title, rec.title))
            if same and (best is None or score > best[0]):
                best = (score, rec)
        return best[1] if best else None
