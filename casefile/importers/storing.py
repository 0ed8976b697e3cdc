"""Storing extracted files: several documents in one transaction, each whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.db.database import Database
from casefile.db.models import new_id
from casefile.errors import CasefileError
from casefile.importers.dupes import DuplicateFinder
from casefile.services import documents
from casefile.services.documents import NewDocument

if TYPE_CHECKING:
    from casefile.importers.reading import ImportResult

BATCH = 16  # documents stored in one transaction at most

# (sha256 of the file, the document, its text's shingle hashes), or why it failed
Extracted = tuple[str, NewDocument, frozenset[int]] | str


def already_imported(path: Path, doc_id: str, title: str) -> ImportResult:
    from casefile.importers.reading import ImportResult

    return ImportResult(str(path), id=doc_id, duplicate_of=doc_id,
                        warning=f"already imported as “{title or doc_id}”")


def store_batch(db: Database, *, case_id: str, items: Sequence[tuple[Path, Extracted]],
                finder: object | None = None) -> list[ImportResult]:
    """One result per item, in order, the new documents stored in one transaction.

    The same bytes already in the case or earlier in the batch are not stored again (the
    result names that document); the same article in another format, in the case or earlier
    in the batch, is stored with a warning. If the transaction fails, nothing of it is kept and
    each file is stored alone, so that only the failing ones fail."""
    from casefile.importers.reading import ImportResult

    if not isinstance(finder, DuplicateFinder):
        finder = DuplicateFinder(db, case_id)
    try:
        known = {sha: (rec.id, rec.title) for sha, rec in documents.find_by_sha256s(
            db, case_id=case_id, sha256s=[g[0] for _, g in items if not isinstance(g, str)]
        ).items()}
        new: list[tuple[str, NewDocument, frozenset[int]]] = []
        for _, got in items:
            if not isinstance(got, str) and got[0] not in known:
                new.append((new_id(), got[1], got[2]))
                known[got[0]] = (new[-1][0], got[1].title)
        likes = dict(zip((i for i, _, _ in new), finder.likely_duplicates(new), strict=True))
        if new:
            ids, docs, shingles = zip(*new, strict=True)
            documents.add_documents(db, case_id=case_id, docs=docs, ids=ids, shingles=shingles)
    except CasefileError as exc:
        if len(items) == 1:
            return [ImportResult(str(items[0][0]), error=str(exc))]
        return [r for item in items
                for r in store_batch(db, case_id=case_id, items=[item], finder=finder)]
    results: list[ImportResult] = []
    for path, got in items:
        if isinstance(got, str):
            results.append(ImportResult(str(path), error=got))
            continue
        doc_id, title = known[got[0]]
        if doc_id not in likes:  # in the case already, or a copy of a file earlier in the batch
            results.append(already_imported(path, doc_id, title))
            continue
        like = likes.pop(doc_id)
        warning = None
        if like is not None:
            warning = (f"probably the same article as “{like.title or like.id}” "
                       f"({like.content_type}, id {like.id})")
        results.append(ImportResult(str(path), id=doc_id, warning=warning,
                                    note=got[1].note or None))
    return results
