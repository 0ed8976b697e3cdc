"""Document fingerprints: stored with each document, looked up to find the same article.

The rows are derived data (see ``casefile.shingles``): ``store_in_session`` writes them when a
document is added or replaced, and ``refresh_case`` fills in any the case lacks or that are
out of date (documents that came by another path, such as a bundle merge).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import Document
from casefile.shingles import MIN_SAMPLED, SAMPLE, fingerprint, sampled, shingle_hashes

CHUNK = 500  # SQL parameters per statement


@dataclass(frozen=True)
class Match:
    """A case document whose fingerprint shares ``share`` of the smaller one with the text."""

    id: str
    title: str
    chars: int
    share: float


def _raw(s: Session):
    """The session's plain sqlite3 connection: the fingerprint statements carry a hundred
    parameters each, and compiling them through the ORM every time costs more than running
    them."""
    return s.connection().connection.driver_connection


def store_in_session(s: Session, *, document_id: str, text: str, sha256: str,
                     shingles: frozenset[int] | None = None) -> None:
    """(Re)write a document's fingerprint inside the caller's transaction (``shingles``: the
    text's ``shingle_hashes``, when already computed)."""
    raw = _raw(s)
    raw.execute("DELETE FROM document_fingerprint WHERE document_id = ?", (document_id,))
    hashes = shingle_hashes(text) if shingles is None else shingles
    raw.executemany("INSERT INTO document_fingerprint (document_id, hash) VALUES (?, ?)",
                    [(document_id, h) for h in fingerprint(hashes)])
    raw.execute("INSERT INTO document_fingerprint_source (document_id, sha256) VALUES (?, ?) "
                "ON CONFLICT (document_id) DO UPDATE SET sha256 = excluded.sha256",
                (document_id, sha256))


def store_new_in_session(s: Session, items: list[tuple[str, str, frozenset[int]]]) -> None:
    """Write the fingerprints of new documents, given as (document id, sha256 of the
    original, the text's ``shingle_hashes``), inside the caller's transaction."""
    raw = _raw(s)
    raw.executemany("INSERT INTO document_fingerprint (document_id, hash) VALUES (?, ?)",
                    [(doc_id, h) for doc_id, _, hashes in items for h in fingerprint(hashes)])
    raw.executemany("INSERT INTO document_fingerprint_source (document_id, sha256) "
                    "VALUES (?, ?)", [(doc_id, sha) for doc_id, sha, _ in items])


def refresh_case(db: Database, *, case_id: str) -> int:
    """Fingerprint the case's documents that have none, or one of another original; returns
    how many were (re)done. One indexed pass over the case's documents when none are."""
    with db.read() as s:
        stale = [r[0] for r in _raw(s).execute(
            "SELECT d.id FROM document d "
            "LEFT JOIN document_fingerprint_source f ON f.document_id = d.id "
            "WHERE d.case_id = ? AND (f.sha256 IS NULL OR f.sha256 != d.sha256)", (case_id,))]
    for i in range(0, len(stale), 100):
        with db.write() as s:
            for doc_id, text, sha in s.execute(select(Document.id, Document.text, Document.sha256)
                                               .where(Document.id.in_(stale[i:i + 100]))):
                store_in_session(s, document_id=doc_id, text=text or "", sha256=sha)
    return len(stale)


def candidates(db: Database, *, case_id: str, hashes: frozenset[int], chars: int,
               min_share: float = 0.6) -> list[Match]:
    """Case documents whose fingerprints share at least ``min_share`` of the smaller one with
    ``hashes`` (a text's ``shingle_hashes``) and whose length is within a factor of two of
    ``chars``; best first. Index lookups only: the cost does not grow with the case."""
    return candidates_many(db, case_id=case_id, texts=[(hashes, chars)], min_share=min_share)[0]


def candidates_many(db: Database, *, case_id: str, texts: list[tuple[frozenset[int], int]],
                    min_share: float = 0.6) -> list[list[Match]]:
    """``candidates`` of several texts, each given as (``shingle_hashes``, length), from one
    lookup of all their fingerprints (an import batch)."""
    mines = [fingerprint(hashes) for hashes, _ in texts]
    postings: dict[int, list[str]] = {}
    probe = list(frozenset().union(*mines))
    with db.read() as s:
        raw = _raw(s)
        for i in range(0, len(probe), CHUNK):  # by the hash index alone; the case comes next
            part = probe[i:i + CHUNK]
            for h, doc_id in raw.execute(f"SELECT hash, document_id FROM document_fingerprint "
                                         f"WHERE hash IN ({','.join('?' * len(part))})", part):
                postings.setdefault(h, []).append(doc_id)
        counts: list[Counter[str]] = []
        for mine in mines:
            # A document sharing only boilerplate (an outlet's footer) cannot reach the share:
            # its fingerprint, at least half this one's size by the length rule, needs more.
            need = min_share * len(mine) / 2.5
            matches: Counter[str] = Counter()
            for h in mine & postings.keys():
                matches.update(postings[h])
            counts.append(Counter({d: n for d, n in matches.items() if n >= need}))
        found = list(frozenset().union(*counts))
        docs: dict[str, tuple[str, int]] = {}
        stats: dict[str, tuple[int, int]] = {}
        for i in range(0, len(found), CHUNK):
            part = found[i:i + CHUNK]
            marks = ",".join("?" * len(part))
            docs.update({d: (title, length or 0) for d, title, length in raw.execute(
                f"SELECT id, title, length(text) FROM document WHERE id IN ({marks}) "
                "AND case_id = ?", (*part, case_id))})
            stats.update({d: (n, k) for d, n, k in raw.execute(
                f"SELECT document_id, count(*), sum(hash % {SAMPLE} = 0) FROM "
                f"document_fingerprint WHERE document_id IN ({marks}) GROUP BY document_id",
                part)})
    return [_matches(hashes, mine, chars, matches, docs, stats, min_share)
            for (hashes, chars), mine, matches in zip(texts, mines, counts, strict=True)]


def _matches(hashes: frozenset[int], mine: frozenset[int], chars: int, matches: Counter[str],
             docs: dict[str, tuple[str, int]], stats: dict[str, tuple[int, int]],
             min_share: float) -> list[Match]:
    mine_sampled = len(sampled(mine))  # the fingerprint holds every sampled hash
    mine_full = mine_sampled < MIN_SAMPLED
    out = []
    for doc_id, n in matches.items():
        if doc_id not in docs:
            continue  # another case's
        title, length = docs[doc_id]
        if not length or not 0.5 <= chars / length <= 2.0:
            continue
        stored, stored_sampled = stats.get(doc_id, (0, 0))
        if mine_full and stored_sampled < MIN_SAMPLED:  # both texts stored every shingle
            size = min(len(hashes), stored)
        else:  # the match counted sampled shingles on both sides
            size = min(mine_sampled, stored_sampled)
        share = n / size if size else 0.0
        if share >= min_share:
            out.append(Match(doc_id, title, length, share))
    out.sort(key=lambda m: -m.share)
    return out
