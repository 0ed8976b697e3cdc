"""Files that hold many documents (a Telegram export, a web archive, an e-mail): checked whole
before anything is written, then stored in batches with progress, cancel and re-import.

A reader turns its file into a ``Container``: the items (documents, each perhaps with
attachments read later) and a key prefix under which items are remembered, so that importing a
newer export of the same channel adds only what is new and updates what changed. A reader
refuses a hostile file by raising ``ImportFailed`` before any item is stored.

Threading: ``import_container`` may run on a worker thread (short sessions, no Qt).
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from casefile.db.database import Database
from casefile.errors import CasefileError, ImportFailed
from casefile.importers.items import (
    Attachment,
    Container,
    Item,
    Options,
    plural,
    release,
)
from casefile.services import documents
from casefile.services.documents import NewDocument

log = logging.getLogger(__name__)
BATCH = 250  # items stored per transaction
CACHE_KIB = 64 * 1024
Progress = Callable[[int, int, str], None]


@dataclass
class _Tally:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    already: int = 0
    attachment_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _extract_attachment(att: Attachment, parent: NewDocument,
                        cancelled: Callable[[], bool] | None) -> NewDocument:
    """An attachment as a document; empty metadata taken from the item it came in."""
    from casefile.importers.reading import safe_extract

    data = att.load()
    doc = safe_extract(data, att.name, cancelled)
    fill = {f: getattr(parent, f) for f in ("outlet", "published", "url", "origin")
            if not getattr(doc, f)}
    if doc.title == att.name and parent.title:
        fill["title"] = f"{att.name} ({att.what} in “{parent.title[:80]}”)"
    return replace(doc, **fill, source_key=f"{parent.source_key}/{att.name}"[:200]
                   if parent.source_key else "")


def _read_attachments(item: Item, cancelled: Callable[[], bool] | None, tally: _Tally
                      ) -> list[NewDocument]:
    out = []
    for att in item.attachments:
        if cancelled is not None and cancelled():
            break
        try:
            out.append(_extract_attachment(att, item.doc, cancelled))
        except CasefileError as exc:
            tally.attachment_problems.append(f"{att.what} {att.name}: {exc}")
    return out


def import_container(db: Database, *, case_id: str, container: Container, file: str,
                     progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None):
    """Store a container's items: new ones added (with their attachments, linked to them),
    changed ones updated in place (highlights re-anchored), known ones left alone. Each
    batch is one transaction; a cancelled import keeps the batches stored (importing the file
    again adds the rest). Returns an ``ImportResult`` for the file."""
    try:
        return _import_items(db, case_id, container, file, progress, cancelled)
    finally:
        container.close()
        if isinstance(container.items, list):
            release(container.items)


def _import_items(db: Database, case_id: str, container: Container, file: str,
                  progress: Progress | None, cancelled: Callable[[], bool] | None):
    from casefile.importers.dupes import DuplicateFinder
    from casefile.importers.reading import ImportResult
    from casefile.shingles import shingle_hashes

    known = (documents.known_source_keys(db, case_id=case_id, prefix=container.key_prefix)
             if container.key_prefix else {})
    finder = DuplicateFinder(db, case_id) if container.duplicate_check else None
    tally = _Tally()
    items = container.items
    total = len(items)
    stopped = False
    name = Path(file).name
    for first in range(0, total, BATCH):
        if cancelled is not None and cancelled():
            stopped = True
            break
        if progress is not None:
            progress(first, total, f"{name}: {first:,} of {plural(total, container.unit)}")
        batch: list[tuple[NewDocument, list[NewDocument]]] = []
        for item in items[first:first + BATCH]:
            sha = hashlib.sha256(item.doc.original).hexdigest()
            seen = known.get(item.doc.source_key) if item.doc.source_key else None
            if seen is not None and (seen[1] == sha or not item.doc.text):
                tally.already += 1
                continue
            if seen is not None:
                _update(db, seen[0], item.doc, tally)
                continue
            attached = _read_attachments(item, cancelled, tally)
            if item.doc.text.strip():
                batch.append((item.doc, attached))
            elif attached:  # nothing but a photo: it is the document, with the item's details
                lead = replace(attached[0], source_key=item.doc.source_key,
                               title=item.doc.title if attached[0].title.endswith("”)")
                               else attached[0].title)
                batch.append((lead, attached[1:]))
        _store_batch(db, case_id, batch, tally, finder, shingle_hashes)
    if progress is not None:
        progress(total, total, "")
    if not tally.added and not tally.updated and not tally.already and not stopped:
        return ImportResult(file, error=f"{container.label} holds nothing Casefile can import"
                            + (f" ({'; '.join(container.notes)})" if container.notes else ""))
    return ImportResult(file, id=(tally.added or tally.updated or [None])[0],
                        warning=_warning(container, tally, stopped, total) or None,
                        summary=_summary(container, tally),
                        added=tuple(tally.added), updated=tuple(tally.updated),
                        already=tally.already)


def _update(db: Database, document_id: str, doc: NewDocument, tally: _Tally) -> None:
    try:
        documents.replace_text(db, document_id=document_id, doc=doc)
    except CasefileError as exc:
        tally.warnings.append(f"{doc.title[:60]}: {exc}")
        return
    tally.updated.append(document_id)


def _store_batch(db: Database, case_id: str, batch, tally: _Tally, finder, shingle_hashes
                 ) -> None:
    """One transaction for a batch of items and their attachments."""
    if not batch:
        return
    from casefile.db.models import new_id

    likes: list[str] = []
    leads = [(new_id(), lead, shingle_hashes(lead.text)) for lead, _ in batch]
    if finder is not None:  # before the write transaction: the finder reads (and refreshes)
        for (_, lead, _h), like in zip(leads, finder.likely_duplicates(leads), strict=True):
            if like is not None:
                likes.append(f"“{lead.title[:60]}” is probably the same article as "
                             f"“{like.title or like.id}”")
    rows: list[tuple[str, NewDocument, frozenset[int], str | None]] = []
    for (parent, lead, shingles), (_, attached) in zip(leads, batch, strict=True):
        rows.append((parent, lead, shingles, None))
        rows += [(new_id(), doc, shingle_hashes(doc.text), parent) for doc in attached]
    with db.write() as s:
        # the indexes a batch inserts into at random places (ids, hashes, fingerprints) outgrow
        # SQLite's default 2 MB page cache after a few thousand documents
        s.connection().exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
        documents.add_documents_in_session(s, case_id=case_id, docs=rows)
    tally.added += [r[0] for r in rows]
    tally.warnings += likes


def _summary(container: Container, tally: _Tally) -> str:
    parts = [f"{container.label}: {plural(len(tally.added), 'document')} added"]
    if tally.updated:
        parts.append(f"{plural(len(tally.updated), container.unit)} updated (changed since "
                     "the last import; highlights re-anchored)")
    if tally.already:
        parts.append(f"{plural(tally.already, container.unit)} already in the case")
    return ", ".join(parts)


def _warning(container: Container, tally: _Tally, stopped: bool, total: int) -> str:
    lines = []
    if stopped:
        lines.append(f"cancelled: {plural(total, container.unit)} in the file, the rest not "
                     "imported; import the file again to add them")
    lines += list(container.notes)
    problems = tally.attachment_problems
    if problems:
        lines.append(f"{len(problems):,} not imported: " + "; ".join(problems[:5])
                     + (" …" if len(problems) > 5 else ""))
    lines += tally.warnings[:5]
    return "; ".join(lines)


def read_container(path: Path, kind: str, options: Options,
                   cancelled: Callable[[], bool] | None = None) -> Container:
    """The container at ``path``, checked whole (``ImportFailed`` when refused)."""
    if kind == "telegram":
        from casefile.importers import telegram

        return telegram.read(path, per=options.per, username=options.username,
                             cancelled=cancelled)
    if kind == "warc":
        from casefile.importers import warc

        return warc.read(path)
    if kind in ("email", "outlook"):
        from casefile.importers import email_files

        return email_files.read(path, outlook=kind == "outlook")
    if kind == "page-files":
        raise ImportFailed("this folder holds the pictures and styles a browser saved with "
                           f"“{path.name[:-6]}”; import that page's .html file (nothing in the "
                           "folder is read)")
    raise ImportFailed("this is a folder; import the files in it, or a Telegram export folder "
                       "(one holding result.json or messages.html)")


def import_path(db: Database, *, case_id: str, path: Path, kind: str, options: Options,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None):
    """Read and store one container file; a refusal is the result's one-line error and
    nothing of the file is stored."""
    with _collector_paused():
        return _import_path(db, case_id=case_id, path=path, kind=kind, options=options,
                            progress=progress, cancelled=cancelled)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a container is read and stored: a 50,000-message
    export is millions of objects, and each full collection over them holds the interpreter
    for a third of a second — the window's thread included. Reference counting still frees
    everything; the collector resumes once the container is gone."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import_path(db: Database, *, case_id: str, path: Path, kind: str, options: Options,
                 progress: Progress | None, cancelled: Callable[[], bool] | None):
    from casefile.db.files import check_input_file
    from casefile.importers.reading import ImportResult

    try:
        if not path.is_dir():
            check_input_file(path)
        container = read_container(path, kind, options, cancelled)
    except CasefileError as exc:
        return ImportResult(str(path), error=str(exc))
    except (RecursionError, MemoryError):
        return ImportResult(str(path), error="the file is too large or nested too deeply to "
                                             "read; refused")
    except OSError as exc:
        from casefile.db.files import describe_os_error

        return ImportResult(str(path), error=f"cannot read {describe_os_error(exc, path)}")
    return import_container(db, case_id=case_id, container=container, file=str(path),
                            progress=progress, cancelled=cancelled)
