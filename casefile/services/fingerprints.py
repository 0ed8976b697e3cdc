"""Document fingerprints: stored with each document, looked up to find the same article.

The rows are derived data (see ``casefile.shingles``): ``store_in_session`` writes them when a
document is added or replaced, and ``refresh_case`` fills in any the case lacks or that are
out of date (documents that came by another path, such as a bundle merge).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, delete, func, insert, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import Document, DocumentFingerprint, FingerprintSource
from casefile.shingles import MIN_SAMPLED, SAMPLE, fingerprint, sampled, shingle_hashes

CHUNK = 500  # SQL parameters per statement


@dataclass(frozen=True)
class Match:
    """A case document whose fingerprint shares ``share`` of the smaller one with the text."""

    id: str
    title: str
    chars: int
    share: float


def store_in_session(s: Session, *, document_id: str, text: str, sha256: str,
                     shingles: frozenset[int] | None = None) -> None:
    """(Re)write a document's fingerprint inside the caller's transaction (``shingles``: the
    text's ``shingle_hashes``, when already computed)."""
    conn = s.connection()
    conn.execute(delete(DocumentFingerprint).where(DocumentFingerprint.document_id == document_id))
    hashes = shingle_hashes(text) if shingles is None else shingles
    rows = [{"document_id": document_id, "hash": h} for h in fingerprint(hashes)]
    if rows:
        conn.execute(insert(DocumentFingerprint.__table__), rows)
    stmt = sqlite_insert(FingerprintSource.__table__).values(document_id=document_id,
                                                             sha256=sha256)
    conn.execute(stmt.on_conflict_do_update(index_elements=["document_id"],
                                            set_={"sha256": stmt.excluded.sha256}))


def refresh_case(db: Database, *, case_id: str) -> int:
    """Fingerprint the case's documents that have none, or one of another original; returns
    how many were (re)done. One indexed pass over the case's documents when none are."""
    with db.read() as s:
        stale = s.scalars(
            select(Document.id).outerjoin(FingerprintSource,
                                          FingerprintSource.document_id == Document.id)
            .where(Document.case_id == case_id,
                   or_(FingerprintSource.sha256.is_(None),
                       FingerprintSource.sha256 != Document.sha256))).all()
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
    mine = fingerprint(hashes)
    mine_sampled = len(sampled(hashes))
    mine_full = mine_sampled < MIN_SAMPLED
    matches: Counter[str] = Counter()
    # A document sharing only boilerplate (an outlet's footer) cannot reach the share: its
    # fingerprint, at least half this one's size by the length rule, needs more matches.
    need = min_share * len(mine) / 2.5
    with db.read() as s:
        probe = list(mine)
        for i in range(0, len(probe), CHUNK):  # by the hash index alone; the case comes next
            q = (select(DocumentFingerprint.document_id, func.count())
                 .where(DocumentFingerprint.hash.in_(probe[i:i + CHUNK]))
                 .group_by(DocumentFingerprint.document_id))
            if len(probe) <= CHUNK:  # one statement counts everything: filter in SQL
                q = q.having(func.count() >= need)
            matches.update(dict(s.execute(q).all()))
        docs = {}
        found = [d for d, n in matches.items() if n >= need]
        for i in range(0, len(found), CHUNK):
            docs.update({d: (title, length or 0) for d, title, length in s.execute(
                select(Document.id, Document.title, func.length(Document.text))
                .where(Document.id.in_(found[i:i + CHUNK]), Document.case_id == case_id))})
        ids = list(docs)
        stats = {}
        for i in range(0, len(ids), CHUNK):
            stats.update({d: (n, k) for d, n, k in s.execute(
                select(DocumentFingerprint.document_id, func.count(),
                       func.sum(case((DocumentFingerprint.hash % SAMPLE == 0, 1), else_=0)))
                .where(DocumentFingerprint.document_id.in_(ids[i:i + CHUNK]))
                .group_by(DocumentFingerprint.document_id))})
    out = []
    for doc_id, (title, length) in docs.items():
        n = matches[doc_id]
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
