"""Reading one file: its bytes within the limits, the extractor its kind needs, and what an
import says about it (``ImportResult``). Shared by the import path (``casefile.importers``),
the worker processes (``pool``) and the containers, which import nothing from the package."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from casefile import limits
from casefile.db.files import check_input_file, describe_os_error
from casefile.errors import CasefileError, FileProblem, ImportFailed
from casefile.services.documents import NewDocument

log = logging.getLogger(__name__)
MAX_BYTES = limits.MAX_FILE_BYTES
SUPPORTED = (".html .htm .xhtml .mht .mhtml .warc .warc.gz .eml .msg .json .zip .pdf .docx .txt "
             ".md .png .jpg .jpeg .tif .tiff .webp")


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file: ``id`` on success, else ``error``; ``warning`` may accompany
    a success (a likely duplicate in another format, or the same bytes already imported, in
    which case ``id`` and ``duplicate_of`` both name the existing document); ``note`` says how
    it was read when that matters (a scan's OCR languages, a model to install)."""

    file: str
    id: str | None = None
    error: str | None = None
    warning: str | None = None
    duplicate_of: str | None = None
    note: str | None = None
    # a container (Telegram export, web archive, e-mail): what it added and found
    summary: str = ""
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    already: int = 0

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
        if self.note:
            out["note"] = self.note
        if self.summary:
            out.update(summary=self.summary, documents=list(self.added),
                       updated=list(self.updated), already=self.already)
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
    elif kind == sniff.MHTML:
        from casefile.importers import mhtml

        doc = mhtml.extract(data, name, cancelled=cancelled)
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


def safe_extract(data: bytes, name: str, cancelled: Callable[[], bool] | None,
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
