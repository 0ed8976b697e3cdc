"""One import path for the CLI and the window: sniff, extract, store whole or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from casefile.db.database import Database
from casefile.errors import CasefileError, ImportFailed
from casefile.services import documents
from casefile.services.documents import NewDocument

MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file: ``id`` on success, else ``error``; ``warning`` may accompany
    a success (e.g. a likely duplicate in another format)."""

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


def extract(data: bytes, name: str) -> NewDocument:
    """Turn a file's bytes into a document; raises ``ImportFailed`` with a readable reason."""
    from casefile.importers import text

    if not data:
        raise ImportFailed("the file is empty")
    return text.extract(data, name)


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing anything too large to be an article."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(f"the file is {size / 2**20:.0f} MB; Casefile imports files up to "
                               f"{MAX_BYTES // 2**20} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed("no such file") from None
    except IsADirectoryError:
        raise ImportFailed("that is a folder, not a file") from None
    except PermissionError:
        raise ImportFailed("permission denied") from None


def import_file(db: Database, *, case_id: str, path: Path | str) -> ImportResult:
    """Import one file into a case. Never raises for a bad file: the result carries the error."""
    path = Path(path)
    try:
        data = read_file(path)
        dup = documents.find_by_sha256(db, case_id=case_id,
                                       sha256=hashlib.sha256(data).hexdigest())
        if dup is not None:
            return ImportResult(str(path), error=f"already imported as “{dup.title or dup.id}”",
                                duplicate_of=dup.id)
        doc = extract(data, path.name)
        rec = documents.add_document(db, case_id=case_id, doc=doc)
        return ImportResult(str(path), id=rec.id)
    except CasefileError as exc:
        return ImportResult(str(path), error=str(exc))


def import_files(db: Database, *, case_id: str, paths: Iterable[Path | str],
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[ImportResult]:
    """Import files one by one; each is atomic and a failure never stops the rest.

    ``progress(done, total, name)`` is called before each file; ``cancelled()`` is polled
    between files (a file in flight finishes or fails whole).
    """
    paths = list(paths)
    results = []
    for i, p in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(i, len(paths), Path(p).name)
        results.append(import_file(db, case_id=case_id, path=p))
    if progress is not None:
        progress(len(results), len(paths), "")
    return results
