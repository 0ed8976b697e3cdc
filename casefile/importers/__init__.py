"""One import path for the CLI and the window: sniff, extract, store whole or not at all.

Threading: ``import_files`` and ``reimport_file`` may run on a worker thread; they take the
``Database`` (short sessions per call) and never touch Qt. PDFs and large web pages are parsed
in a child process with a time limit and a memory cap (see ``sandbox``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from casefile import limits
from casefile.db.database import Database
from casefile.db.files import check_input_file, describe_os_error
from casefile.errors import CasefileError, FileProblem, ImportFailed, stop_if_cancelled
from casefile.services import documents
from casefile.services.documents import NewDocument, ReplaceResult

log = logging.getLogger(__name__)
MAX_BYTES = limits.MAX_FILE_BYTES
SUPPORTED = ".html .htm .xhtml .pdf .docx .txt .md .png .jpg .jpeg .tif .tiff .webp"


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file: ``id`` on success, else ``error``; ``warning`` may accompany
    a success (a likely duplicate in another format, or the same bytes already imported, in
    which case ``id`` and ``duplicate_of`` both name the existing document)."""

    file: str
    id: str | None = None
    error: str | None = None
    warning: str | None = None
    duplicate_of: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_json(self) -> dict:
        out: dict = {"file": self.file}
        if self.id:
            out["id"] = self.id
        if self.error:
            out["error"] = self.error
        if self.warning:
            out["warning"] = self.warning
        if self.duplicate_of:
            out["duplicate_of"] = self.duplicate_of
        return out


def extract(data: bytes, name: str, *, cancelled: Callable[[], bool] | None = None,
            page_progress: Callable[[int, int], None] | None = None) -> NewDocument:
    """Turn a file's bytes into a document; raises ``ImportFailed`` with a readable reason.
    Metadata is cleaned like the text: no invisible format characters.

    ``page_progress(done, total)`` follows pages read by OCR (scans and images)."""
    from casefile.importers import sniff, text

    kind = sniff.sniff(data, name)
    if kind == sniff.PDF:
        from casefile.importers import pdf

        doc = pdf.extract(data, name, cancelled=cancelled, page_progress=page_progress)
    elif kind in sniff.IMAGES:
        from casefile.importers import ocr

        doc = ocr.extract(data, name, sniff.IMAGES[kind], cancelled=cancelled,
                          progress=page_progress)
    elif kind == sniff.HTML:
        from casefile.importers import html

        doc = html.extract(data, name, cancelled=cancelled)
    elif kind == sniff.DOCX:
        from casefile.importers import docx

        doc = docx.extract(data, name)
    else:
        doc = text.extract(data, name, markdown=kind == sniff.MARKDOWN)
    if (too_long := limits.text_too_long(doc.text, "its text")) is not None:
        raise ImportFailed(f"{too_long}; nothing was imported")
    return replace(doc, **{f: text.strip_invisible(getattr(doc, f))
                           for f in ("title", "author", "outlet", "url")})


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing anything too large to be an article, and anything that is not
    an ordinary file (a pipe would hang the import, ``/dev/zero`` would never end)."""
    try:
        path = check_input_file(path)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(f"the file is {size / 2**20:.0f} MB; Casefile imports files up to "
                               f"{MAX_BYTES // 2**20} MB")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileProblem as exc:
        raise ImportFailed(str(exc)) from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {describe_os_error(exc, path)}") from None
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"the file grew while it was read; Casefile imports files up to "
                           f"{MAX_BYTES // 2**20} MB")
    return data


def _safe_extract(data: bytes, name: str, cancelled: Callable[[], bool] | None,
                  page_progress: Callable[[int, int], None] | None = None) -> NewDocument:
    """``extract``, with any unexpected failure of a parser turned into ``ImportFailed``."""
    try:
        return extract(data, name, cancelled=cancelled, page_progress=page_progress)
    except CasefileError:
        raise
    except RecursionError:
        raise ImportFailed("the file is nested too deeply to read; refused") from None
    except MemoryError:
        raise ImportFailed("the file needs too much memory to read; refused") from None
    except Exception as exc:  # a parser bug must not stop the other files
        from casefile import failures

        logged = failures.log_unexpected(exc, where=f"reading {name}")
        raise ImportFailed(f"the file could not be read because of an unexpected error (the "
                           f"details were written to {logged})") from None


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
        doc = _safe_extract(data, path.name, cancelled, page_progress)
    except CasefileError as exc:
        return ImportResult(str(path), error=str(exc))
    return store(db, case_id=case_id, path=path, sha256=sha, doc=doc, finder=finder)


def _same_bytes(db: Database, case_id: str, path: Path, sha256: str) -> ImportResult | None:
    dup = documents.find_by_sha256(db, case_id=case_id, sha256=sha256)
    if dup is None:
        return None
    return ImportResult(str(path), id=dup.id, duplicate_of=dup.id,
                        warning=f"already imported as “{dup.title or dup.id}”")


def store(db: Database, *, case_id: str, path: Path, sha256: str, doc: NewDocument,
          finder: object | None = None, shingles: frozenset[int] | None = None
          ) -> ImportResult:
    """The storing half of an import: the same-bytes and same-article checks, then the
    document in one transaction (text, original, fingerprint, search index). ``shingles``:
    the text's ``shingle_hashes`` if a worker computed them."""
    from casefile.importers.dupes import DuplicateFinder
    from casefile.shingles import shingle_hashes

    try:
        if (dup := _same_bytes(db, case_id, path, sha256)) is not None:
            return dup
        if not isinstance(finder, DuplicateFinder):
            finder = DuplicateFinder(db, case_id)
        if shingles is None:
            shingles = shingle_hashes(doc.text)
        like = finder.likely_duplicate(text=doc.text, title=doc.title, shingles=shingles)
        rec = documents.add_document(db, case_id=case_id, doc=doc, shingles=shingles)
    except CasefileError as exc:
        return ImportResult(str(path), error=str(exc))
    warning = None
    if like is not None:
        warning = (f"probably the same article as “{like.title or like.id}” "
                   f"({like.content_type}, id {like.id})")
    return ImportResult(str(path), id=rec.id, warning=warning)


def import_files(db: Database, *, case_id: str, paths: Iterable[Path | str],
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 workers: int | None = None) -> list[ImportResult]:
    """Import files in order; each is atomic and a failure never stops the rest.

    Larger batches are read and extracted in worker processes on every core (``pool``) while
    this process stores them in order; ``workers=1`` keeps everything in this process.
    ``progress(done, total, name)`` is called before each file is stored; ``cancelled()`` is
    polled between files and while files are being read (in this process, a file being read
    in its child process then fails as "cancelled"; in workers, reading stops; nothing of an
    unfinished file is stored, and files not reached get no result).
    """
    from casefile.importers import pool
    from casefile.importers.dupes import DuplicateFinder

    paths = [Path(p) for p in paths]
    finder = DuplicateFinder(db, case_id)
    results: list[ImportResult] = []
    n = pool.workers_for(paths) if workers is None else min(workers, len(paths))
    if n > 1:
        for path, got in zip(paths, pool.extract_all(paths, workers=n, cancelled=cancelled),
                             strict=False):
            if progress is not None:
                progress(len(results), len(paths), path.name)
            if isinstance(got, str):
                results.append(ImportResult(str(path), error=got))
            else:
                sha, doc, shingles = got
                results.append(store(db, case_id=case_id, path=path, sha256=sha, doc=doc,
                                     finder=finder, shingles=shingles))
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
    doc = _safe_extract(data, path.name, cancelled)
    stop_if_cancelled(cancelled)
    return documents.replace_text(db, document_id=document_id, doc=doc)
