"""One import path for the CLI and the window: sniff, extract, store whole or not at all.

Threading: ``import_files`` and ``reimport_file`` may run on a worker thread; they take the
``Database`` (short sessions per call) and never touch Qt. PDFs and large web pages are parsed
in a child process with a time limit and a memory cap (see ``sandbox``).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from casefile.db.database import Database
from casefile.errors import CasefileError, stop_if_cancelled
from casefile.importers.reading import (  # noqa: F401 - the package's public names
    MAX_BYTES,
    SUPPORTED,
    ImportResult,
    extract,
    read_file,
    safe_extract,
)
from casefile.services import documents
from casefile.services.documents import NewDocument, ReplaceResult

log = logging.getLogger(__name__)


def import_file(db: Database, *, case_id: str, path: Path | str,
                cancelled: Callable[[], bool] | None = None,
                finder: object | None = None,
                page_progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import one file into a case. Never raises for a bad file: the result carries the error.

    The same bytes already in the case are not stored again (the result names the existing
    document, with a warning); the same article in another format is stored with a warning.
    """
    path = Path(path)
    try:
        data = read_file(path)
        sha = hashlib.sha256(data).hexdigest()
        if (dup := _same_bytes(db, case_id, path, sha)) is not None:
            return dup
        doc = safe_extract(data, path.name, cancelled, page_progress)
    except CasefileError as exc:
        return ImportResult(str(path), error=str(exc))
    return store(db, case_id=case_id, path=path, sha256=sha, doc=doc, finder=finder)


def _same_bytes(db: Database, case_id: str, path: Path, sha256: str) -> ImportResult | None:
    from casefile.importers.storing import already_imported

    dup = documents.find_by_sha256(db, case_id=case_id, sha256=sha256)
    return None if dup is None else already_imported(path, dup.id, dup.title)


def store(db: Database, *, case_id: str, path: Path, sha256: str, doc: NewDocument,
          finder: object | None = None, shingles: frozenset[int] | None = None
          ) -> ImportResult:
    """The storing half of an import: the same-bytes and same-article checks, then the
    document in one transaction (text, original, fingerprint, search index). ``shingles``:
    the text's ``shingle_hashes`` if a worker computed them."""
    from casefile.importers import storing
    from casefile.shingles import shingle_hashes

    if shingles is None:
        shingles = shingle_hashes(doc.text)
    return storing.store_batch(db, case_id=case_id, items=[(path, (sha256, doc, shingles))],
                               finder=finder)[0]


def import_files(db: Database, *, case_id: str, paths: Iterable[Path | str],
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 workers: int | None = None, options: object | None = None
                 ) -> list[ImportResult]:
    """Import files in order, containers (a Telegram export, a web archive, an e-mail: see
    ``containers``, with ``options``) after the other files; a failure never stops the rest.

    Larger batches are read and extracted in worker processes on every core (``pool``) while
    this process stores them in order, several per transaction when the workers are ahead
    (``storing``); ``workers=1`` keeps everything in this process.
    ``progress(done, total, name)`` is called before each file is stored; ``cancelled()`` is
    polled between files and while files are being read (in this process, a file being read
    in its child process then fails as "cancelled"; in workers, reading stops; nothing of an
    unfinished file is stored, and files not reached get no result).
    """
    from casefile.importers import containers, items, sniff

    paths = [Path(p) for p in paths]
    kinds = {p: sniff.container_kind(p) for p in paths}
    # a browser's "<name>_files" folder dropped with its page belongs to that page: left out
    given = {os.path.realpath(p) for p in paths}  # (never raises, unlike resolve on a loop)
    paths = [p for p in paths if kinds[p] != "page-files" or not any(
        os.path.realpath(p.with_name(p.name[:-6] + s)) in given for s in (".html", ".htm"))]
    boxes = [p for p in paths if kinds[p]]
    results = _import_plain(db, case_id=case_id, paths=[p for p in paths if not kinds[p]],
                            progress=progress, cancelled=cancelled,
                            workers=workers)
    opts = options if isinstance(options, items.Options) else items.Options()
    for box in boxes:
        if cancelled is not None and cancelled():
            break
        results.append(containers.import_path(db, case_id=case_id, path=box, kind=kinds[box],
                                              options=opts, progress=progress,
                                              cancelled=cancelled))
    order = {str(p): i for i, p in enumerate(paths)}
    return sorted(results, key=lambda r: order.get(r.file, len(order)))


def _import_plain(db: Database, *, case_id: str, paths: list[Path],
                  progress: Callable[[int, int, str], None] | None,
                  cancelled: Callable[[], bool] | None, workers: int | None
                  ) -> list[ImportResult]:
    """``import_files`` for ordinary files (one document each)."""
    from casefile.importers import pool, storing
    from casefile.importers.dupes import DuplicateFinder

    finder = DuplicateFinder(db, case_id)
    results: list[ImportResult] = []
    n = pool.workers_for(paths) if workers is None else min(workers, len(paths))
    if n > 1:
        for group in pool.extract_all(paths, workers=n, cancelled=cancelled,
                                      batch=storing.BATCH):
            items: list[tuple[Path, pool.Extracted]] = []
            for got in group:
                path = paths[len(results) + len(items)]
                if items and cancelled is not None and cancelled():
                    break
                if progress is not None:
                    progress(len(results) + len(items), len(paths), path.name)
                items.append((path, got))
            results += storing.store_batch(db, case_id=case_id, items=items, finder=finder)
            if len(items) < len(group):
                break
    else:
        for i, p in enumerate(paths):
            if cancelled is not None and cancelled():
                break
            pages = None
            if progress is not None:
                progress(i, len(paths), p.name)

                def pages(done: int, total: int, i=i, name=p.name) -> None:
                    progress(i, len(paths), f"{name}: page {min(done + 1, total)} of {total}")
            results.append(import_file(db, case_id=case_id, path=p, cancelled=cancelled,
                                       finder=finder, page_progress=pages))
    if progress is not None:
        progress(len(results), len(paths), "")
    return results


def reimport_file(db: Database, *, document_id: str, path: Path | str,
                  cancelled: Callable[[], bool] | None = None) -> ReplaceResult:
    """Replace a document's text with a newer version of the file and re-anchor its highlights.

    Raises ``ImportFailed`` (nothing changed) when the file cannot be read.
    """
    path = Path(path)
    data = read_file(path)
    doc = safe_extract(data, path.name, cancelled)
    stop_if_cancelled(cancelled)
    return documents.replace_text(db, document_id=document_id, doc=doc)
