"""Syncing a replica with the team server: share, join, sync (pull, merge, push), unshare.

The Zotero model: the server's case version only grows; a replica pulls what changed after the
version it last saw, merges it with its own changes (``merge3``: field by field against the base
copy), and pushes its changes saying which version they were based on; if the server moved on
meanwhile (HTTP 412), it pulls and merges again. No network call ever runs inside a database
transaction, and a failed sync leaves the local case as it was. Qt-free; each call returns what
it wrote here (``Written``) so a window can refresh just that.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import Case, DocumentOriginal, new_id, utcnow
from casefile.db.team import (
    SyncBase,
    SyncCase,
    SyncConflict,
    SyncMuted,
    SyncPush,
    SyncRemote,
)
from casefile.errors import NotFound, ValidationError
from casefile.exchange.casedata import TYPE_BY_KEY, among, references
from casefile.exchange.merge import break_tag_cycles, write_records
from casefile.sync import records
from casefile.sync.client import Client, ServerTooNew, SyncError, VersionMoved
from casefile.sync.merge3 import DELETED, merge_record
from casefile.sync.records import ORDER, Key, Record, Written

log = logging.getLogger(__name__)
MAX_ROUNDS = 30
CHUNK = 5000
UPLOAD_BYTES = 16 * 1024**2  # original files sent together up to about this size
REMOTE = "default"
Progress = Callable[[str], None]


class NotShared(ValidationError):
    """The local case is not a replica of a shared case."""


class _Moved(Exception):
    """Another program synced this database meanwhile: pull again."""


@dataclass
class SyncResult:
    case_id: str
    pushed: int = 0
    pulled: int = 0
    version: int = 0
    conflicts: int = 0
    held: int = 0  # changes kept back until their conflicts are resolved
    written: Written = field(default_factory=Written)

    def as_json(self) -> dict[str, Any]:
        return {"pushed": self.pushed, "pulled": self.pulled, "version": self.version,
                "conflicts": self.conflicts}


# --- the remote ---------------------------------------------------------------------------------


def set_remote(db: Database, *, url: str, token: str) -> str:
    """Check ``token`` with the server at ``url`` and keep both for this database; returns
    the user name the server knows the token by."""
    client = Client(url, token)
    user = client.me()
    client.close()
    with db.write() as s:
        row = s.get(SyncRemote, REMOTE)
        if row is None:
            s.add(SyncRemote(name=REMOTE, url=client.url, token=token))
        else:
            row.url, row.token = client.url, token
    return user


def remote_url(db: Database) -> str | None:
    with db.read() as s:
        row = s.get(SyncRemote, REMOTE)
        return row.url if row else None


def client_for(db: Database) -> Client:
    with db.read() as s:
        row = s.get(SyncRemote, REMOTE)
        if row is None:
            raise SyncError("no team server is set for this database: run casefile remote set "
                            "URL --token TOKEN (your admin gives you both)")
        return Client(row.url, row.token)


@dataclass(frozen=True)
class SharedCase:
    case_id: str
    title: str
    version: int
    synced_at: Any
    remote_url: str


def shared_cases(db: Database) -> list[SharedCase]:
    with db.read() as s:
        return [SharedCase(c.case_id, title, c.version, c.synced_at, c.remote_url)
                for c, title in s.execute(select(SyncCase, Case.title)
                                          .join(Case, Case.id == SyncCase.case_id))]


def is_shared(db: Database, case_id: str) -> bool:
    with db.read() as s:
        return s.get(SyncCase, case_id) is not None


def _version(db: Database, case_id: str) -> int:
    with db.read() as s:
        sc = s.get(SyncCase, case_id)
        if sc is None:
            raise NotShared(f"the case {case_id} is not shared (casefile share, or casefile join "
                            "for a teammate's case)")
        return sc.version


# --- share, join, unshare -----------------------------------------------------------------------


def share(db: Database, *, case_id: str, client: Client | None = None,
          progress: Progress | None = None) -> SyncResult:
    """Put a local case on the server (the user becomes its owner) and push all of it."""
    client = client or client_for(db)
    with db.read() as s:
        if s.get(Case, case_id) is None:
            raise NotFound(f"no case with id {case_id!r}")
        if s.get(SyncCase, case_id) is not None:
            raise ValidationError("this case is already shared; casefile sync sends its changes")
    client.share(case_id)
    with db.write() as s:
        s.add(SyncCase(case_id=case_id, remote_url=client.url, version=0))
        s.flush()
        records.mark_case_dirty(s, case_id)
    return sync(db, case_id=case_id, client=client, progress=progress)


def join(db: Database, *, case_id: str, client: Client | None = None,
         progress: Progress | None = None) -> SyncResult:
    """Pull a shared case whole into this database (it must not hold it yet)."""
    client = client or client_for(db)
    with db.read() as s:
        if s.get(SyncCase, case_id) is not None:
            raise ValidationError("this case is already here and shared; casefile sync brings "
                                  "its news")
        if s.get(Case, case_id) is not None:
            raise ValidationError("a case with this id is already in this database (it was "
                                  "shared from here?); use another database to join it")
    if progress:
        progress("downloading the case")
    pulled = client.pull(case_id, 0)
    result = SyncResult(case_id)
    with tempfile.TemporaryDirectory(prefix="casefile-join-") as tmp:
        files = _Downloads(client, case_id, Path(tmp))
        _prefetch(db, pulled, files, progress)
        result.written = _merge_pulled(db, case_id, 0, pulled, files, joining=client.url)
    result.pulled = result.written.count()
    result.version = int(pulled["version"])
    return result


def unshare(db: Database, *, case_id: str) -> None:
    """Make a replica a plain local case again (its data stays; nothing is sent)."""
    with db.write() as s:
        if s.get(SyncCase, case_id) is None:
            raise NotShared("this case is not shared")
        keys = records.base_keys(s, case_id)
        for model in (SyncBase, SyncConflict, SyncPush):
            s.execute(delete(model).where(model.case_id == case_id))
        s.execute(delete(SyncCase).where(SyncCase.case_id == case_id))
        records.forget_sent(s, case_id)
        records.clear_dirty(s, keys)


# --- sync ---------------------------------------------------------------------------------------


def sync(db: Database, *, case_id: str, client: Client | None = None,
         progress: Progress | None = None) -> SyncResult:
    """Pull what the server has that this replica lacks, merge, push local changes; repeat
    while the server moves on between the two. Returns counts and what was written here."""
    client = client or client_for(db)
    result = SyncResult(case_id)
    for _round in range(MAX_ROUNDS):
        since = _version(db, case_id)
        in_flight = _in_flight(db, case_id)
        pulled = client.pull(case_id, since, push=in_flight.push_id if in_flight else None)
        if in_flight is not None and _settle(db, case_id, in_flight, pulled.get("push")):
            continue  # the server had taken it: pull again from where that left the case
        version = int(pulled["version"])
        if pulled["changes"] or version != since:
            if progress and pulled["changes"]:
                progress(f"merging {len(pulled['changes'])} changes from the server")
            try:
                with tempfile.TemporaryDirectory(prefix="casefile-pull-") as tmp:
                    files = _Downloads(client, case_id, Path(tmp))
                    _prefetch(db, pulled, files, progress)
                    written = _merge_pulled(db, case_id, since, pulled, files)
            except _Moved:
                continue
            result.written.add(written)
            result.pulled += written.count()
        changes, held = _plan(db, case_id)
        result.held = held
        if not changes:
            break
        _upload_files(db, client, case_id, changes, progress)
        moved = False
        for first in range(0, len(changes), CHUNK):
            chunk = changes[first:first + CHUNK]
            if progress:
                progress(f"sending {first + len(chunk)} of {len(changes)} changes")
            push_id = _note_sent(db, case_id, chunk, version)
            try:
                answer = client.push(case_id, version, chunk, push_id)
            except VersionMoved:
                moved = True
                # a busy case: let the teammates' pushes through before trying again
                time.sleep(random.uniform(0, min(2.0, 0.05 * 2 ** _round)))
                break
            _record_pushed(db, case_id, version, chunk, int(answer["version"]))
            version = int(answer["version"])
            result.pushed += len(chunk)
        if not moved:
            break
    else:
        raise SyncError("the case kept changing on the server while this sync ran; sync again "
                        "in a moment (your work is kept here)")
    with db.read() as s:
        result.version = s.get(SyncCase, case_id).version
        result.conflicts = s.scalar(select(func.count()).select_from(SyncConflict)
                                    .where(SyncConflict.case_id == case_id))
    return result


class _Downloads:
    """Original files fetched from the server into a temporary folder, each checked against
    its SHA-256 (never trusted)."""

    def __init__(self, client: Client, case_id: str, folder: Path):
        self.client, self.case_id, self.folder = client, case_id, folder
        self.paths: dict[str, Path] = {}

    def fetch(self, shas: list[str], progress: Progress | None = None) -> None:
        wanted = [sha for sha in dict.fromkeys(shas) if sha not in self.paths]
        total = len(wanted)
        while wanted:
            got = self.client.get_files(self.case_id, wanted[:1000])
            if not got:
                raise SyncError("the team server is missing original files of this case; "
                                "nothing was changed here (tell the server's admin)")
            for sha, data in got:
                if hashlib.sha256(data).hexdigest() != sha:
                    raise SyncError("the server sent an original file that does not match its "
                                    "SHA-256; nothing was changed here")
                path = self.folder / sha
                path.write_bytes(data)
                self.paths[sha] = path
            wanted = [sha for sha in wanted if sha not in self.paths]
            if progress:
                progress(f"downloaded {total - len(wanted)} of {total} original files")

    def source_bytes(self, sha: str) -> bytes:
        if sha not in self.paths:
            self.fetch([sha])
        return self.paths[sha].read_bytes()


def _prefetch(db: Database, pulled: dict[str, Any], files: _Downloads,
              progress: Progress | None) -> None:
    """Download the originals of pulled documents this replica does not hold yet."""
    docs = {(c["type"], c["id"]): c["data"] for c in pulled["changes"]
            if c["type"] == "documents" and not c.get("deleted") and c["data"].get("source")}
    if not docs:
        return
    with db.read() as s:
        here = records.read(s, docs)
    files.fetch(sorted({d["source"] for k, d in docs.items()
                        if here.get(k) is None or here[k]["source"] != d["source"]}), progress)


def _check_known(changes: list[dict[str, Any]]) -> None:
    for c in changes:
        if c.get("type") not in TYPE_BY_KEY:
            raise ServerTooNew("the team server holds records this Casefile does not know "
                               f"({c.get('type')!r}): update Casefile to sync this case")


def _merge_pulled(db: Database, case_id: str, since: int, pulled: dict[str, Any],
                  files: _Downloads, *, joining: str | None = None) -> Written:
    """Merge pulled changes into the replica in one transaction (triggers muted: what the
    server already has is not a local change)."""
    _check_known(pulled["changes"])
    theirs: dict[Key, Record | None] = {
        (c["type"], c["id"]): None if c.get("deleted") else c["data"] for c in pulled["changes"]}
    with db.write() as s:
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        sc = s.get(SyncCase, case_id)
        if joining is None and (sc is None or sc.version != since):
            raise _Moved
        s.add(SyncMuted(id=1))
        s.flush()
        keys = set(theirs)
        mine = records.read(s, keys)
        bases = records.bases(s, keys)
        sent = records.sent(s, keys)
        dirty = records.dirty_keys(s, keys)
        opened = records.open_conflicts(s, keys)
        as_theirs, twins = _fold_twins(s, case_id, theirs, dirty)
        targets: dict[Key, Record | None] = {}
        found: dict[Key, dict[str, tuple[Any, Any]]] = {}
        for key, t in theirs.items():
            if key not in dirty and key not in opened:
                targets[key] = t
                continue
            base = sent[key] if key in sent and sent[key] == t else bases.get(key)
            merged = merge_record(key[0], base, as_theirs.get(key, mine.get(key)), t,
                                  open_fields=frozenset(opened.get(key, ())))
            targets[key] = merged.record
            if merged.conflicts:
                found[key] = merged.conflicts
        # a deletion made here stays the analyst's to decide while the server's record lives
        # on and the copy brought back here is untouched; once the analyst edits that copy the
        # edit stands instead (and merges), and a deletion on the server meets it as one
        for key, sides in records.conflict_values(s, keys, DELETED).items():
            if (sides[0] == "deleted here" and theirs[key] is not None
                    and targets.get(key) is not None and mine.get(key) == bases.get(key)):
                found.setdefault(key, {})[DELETED] = sides
        _keep_needed(s, mine, targets, found)
        restored = _restore_needed(s, targets, found)
        written = records.apply(s, case_id, targets, mine, files)
        for kind, rid in twins:
            written.deleted[kind].append(rid)
        if joining is not None:
            s.add(SyncCase(case_id=case_id, remote_url=joining, version=int(pulled["version"]),
                           synced_at=utcnow()))
        else:
            sc.version, sc.synced_at = int(pulled["version"]), utcnow()
        records.set_bases(s, case_id, theirs)
        records.clear_dirty(s, [k for k in keys if targets[k] == theirs[k]] + list(restored))
        records.mark_dirty(s, [k for k in keys if targets[k] != theirs[k]])
        records.forget_sent(s, case_id)
        records.replace_conflicts(s, case_id, found, keys | set(restored))
        s.execute(delete(SyncMuted))
        warnings: list[str] = []
        break_tag_cycles(s, case_id, warnings)
        for w in warnings:
            log.warning("%s", w)
    return written


def _fold_twins(s: Session, case_id: str, theirs: dict[Key, Record | None], dirty: set[Key]
                ) -> tuple[dict[Key, Record], list[Key]]:
    """Local records that are pulled ones under another id (the same highlight put into the
    ACH matrix here and by a teammate) become the pulled record: the local one goes (the
    server never had it), and its values are merged into the teammate's as this replica's
    side ({pulled key: local record under the pulled id}), so differing notes are a
    conflict, never a second passage."""
    twins = records.twins(s, case_id, theirs)
    if not twins:
        return {}, []
    here = records.read(s, twins)
    sent_before = records.bases(s, twins)
    as_theirs: dict[Key, Record] = {}
    for local, pulled in twins.items():
        as_theirs[pulled] = {**here[local], "id": pulled[1]}
        dirty.add(pulled)
        model = TYPE_BY_KEY[local[0]].model
        s.execute(delete(model).where(model.id == local[1]))
    # a twin the server already held (a server older than this check) goes there too
    records.clear_dirty(s, [k for k in twins if k not in sent_before])
    records.mark_dirty(s, [k for k in twins if k in sent_before])
    records.replace_conflicts(s, case_id, {}, twins)
    return as_theirs, list(twins)


def _keep_needed(s: Session, mine: dict[Key, Record], targets: dict[Key, Record | None],
                 found: dict[Key, dict[str, tuple[Any, Any]]]) -> None:
    """A record the server deleted that a record here still needs (a teammate deleted a
    document this replica just highlighted) stays, as a conflict: never silently lost."""
    dying = {k for k, t in targets.items() if t is None and k in mine}
    while dying:
        outside = records.referrers(s, dying) - set(targets)
        users = [(k, t) for k, t in targets.items() if t is not None]
        users += list(records.read(s, outside).items())
        needed = {ref for key, rec in users for ref in references(key[0], rec) if ref in dying}
        if not needed:
            return
        for key in needed:
            targets[key] = mine[key]
            found[key] = {DELETED: ("used here", "deleted on the server")}
        dying -= needed


def _restore_needed(s: Session, targets: dict[Key, Record | None],
                    found: dict[Key, dict[str, tuple[Any, Any]]]) -> dict[Key, Record]:
    """A record deleted here that a teammate's record needs (they highlighted a document
    deleted here) comes back from its base copy, as a conflict the analyst decides."""
    restored: dict[Key, Record] = {}
    while True:
        wanted = {ref for key, rec in targets.items() if rec is not None
                  for ref in references(key[0], rec) if ref not in targets}
        missing = wanted - records.present(s, wanted)
        if not missing:
            return restored
        bases = records.bases(s, missing)
        if set(missing) - set(bases):
            raise SyncError("the server sent records that refer to records it does not have; "
                            "nothing was changed here (tell the server's admin)")
        for key, rec in bases.items():
            targets[key] = rec
            restored[key] = rec
            found[key] = {DELETED: ("deleted here", "used on the server")}


def _plan(db: Database, case_id: str) -> tuple[list[dict[str, Any]], int]:
    """The changes to push (dependency order: creates and updates, then deletes) and how many
    are held back: records with open conflicts, and records that would refer to a record the
    server would not have."""
    with db.read() as s:
        dirty = records.dirty_keys(s)
        if not dirty:
            return [], 0
        here, bases = _dirty_in_case(s, case_id, dirty)
        elsewhere = _dirty_elsewhere(s, case_id, dirty - here - set(bases))
        mine = records.read(s, here)
        held = set(records.open_conflicts(s, case_id=case_id))
        server = records.base_keys(s, case_id)
    changes: dict[Key, Record | None] = {}
    stale = []
    for key in here | set(bases):
        m = mine.get(key)
        if m == bases.get(key):
            stale.append(key)
        else:
            changes[key] = m
    held &= set(changes)
    while True:
        avail = {k for k in server if k not in changes or changes[k] is not None or k in held}
        avail |= {k for k, v in changes.items() if v is not None and k not in held}
        more = {k for k, v in changes.items() if v is not None and k not in held
                and any(ref not in avail for ref in references(k[0], v))}
        # a deletion waits while a held record's server copy still refers to the record (a
        # highlight in conflict still tagged, there, with a tag deleted here)
        more |= {ref for k in held if k in bases for ref in references(k[0], bases[k])
                 if ref in changes and changes[ref] is None and ref not in held}
        if not more:
            break
        held |= more
    if stale or elsewhere:
        with db.write() as s:
            records.clear_dirty(s, stale + sorted(elsewhere))
    rank = {rt.key: i for i, rt in enumerate(ORDER)}
    depth = _tag_depths({k[1]: v for k, v in changes.items() if k[0] == "tags" and v})
    live = sorted((k for k, v in changes.items() if v is not None and k not in held),
                  key=lambda k: (rank[k[0]], depth.get(k[1], 0), k[1]))
    dead = sorted((k for k, v in changes.items() if v is None and k not in held),
                  key=lambda k: (-rank[k[0]], k[1]))
    out = [{"type": k[0], "id": k[1], "data": changes[k]} for k in live]
    out += [{"type": k[0], "id": k[1], "deleted": True} for k in dead]
    return out, len(held)


def _dirty_in_case(s: Session, case_id: str, dirty: set[Key]
                   ) -> tuple[set[Key], dict[Key, Record]]:
    """Of the changed records, those of the case that exist here, and the base copies of those
    of the case (deleted ones included)."""
    by_type: dict[str, list[str]] = {}
    for kind, rid in dirty:
        by_type.setdefault(kind, []).append(rid)
    here = {(kind, rid) for kind, ids in by_type.items()
            for rid in records.ids_in_case(s, case_id, kind, ids)}
    return here, records.bases(s, dirty, case_id=case_id)


def _dirty_elsewhere(s: Session, case_id: str, others: set[Key]) -> set[Key]:
    """Changed records that belong to no shared case (edits of a local-only case, made while
    some case was shared): nothing will ever send them, so they are forgotten."""
    for other in s.scalars(select(SyncCase.case_id).where(SyncCase.case_id != case_id)):
        if not others:
            break
        here, bases = _dirty_in_case(s, other, others)
        others = others - here - set(bases)
    return others


def _tag_depths(tags: dict[str, Record]) -> dict[str, int]:
    """How deep each pushed tag sits among the pushed tags (parents first)."""
    depth: dict[str, int] = {}
    for tid in tags:
        chain, node = [], tid
        while node in tags and node not in depth and node not in chain:
            chain.append(node)
            node = tags[node].get("parent_id")
        start = depth.get(node, -1) if node in depth else -1
        for n, t in enumerate(reversed(chain), start=start + 1):
            depth[t] = n
    return depth


def _upload_files(db: Database, client: Client, case_id: str, changes: list[dict[str, Any]],
                  progress: Progress | None) -> None:
    """Send the originals of pushed documents that the server does not have yet (each file
    once per case)."""
    by_sha = {c["data"]["source"]: c["id"] for c in changes
              if c["type"] == "documents" and "data" in c and c["data"].get("source")}
    if not by_sha:
        return
    missing = client.missing_files(case_id, sorted(by_sha))
    batch: list[tuple[str, bytes]] = []
    size = sent = 0
    for first in range(0, len(missing), 100):
        part = missing[first:first + 100]
        with db.read() as s:
            blobs = dict(s.execute(select(DocumentOriginal.document_id, DocumentOriginal.data)
                                   .where(among(DocumentOriginal.document_id,
                                                [by_sha[sha] for sha in part]))).all())
        for sha in part:
            if by_sha[sha] not in blobs:
                continue
            batch.append((sha, blobs[by_sha[sha]]))
            size += len(batch[-1][1])
            if size >= UPLOAD_BYTES:
                client.put_files(case_id, batch)
                sent += len(batch)
                batch, size = [], 0
                if progress:
                    progress(f"uploaded {sent} of {len(missing)} original files")
    if batch:
        client.put_files(case_id, batch)


def _as_rows(chunk: list[dict[str, Any]]) -> dict[Key, Record | None]:
    return {(c["type"], c["id"]): c.get("data") for c in chunk}


def _note_sent(db: Database, case_id: str, chunk: list[dict[str, Any]], base: int) -> str:
    """Keep what is about to be pushed, under a new push id (returned), until the answer is
    recorded."""
    push_id = new_id()
    with db.write() as s:
        records.note_sent(s, case_id, _as_rows(chunk))
        s.merge(SyncPush(case_id=case_id, push_id=push_id, base=base,
                         changes=json.dumps(chunk, separators=(",", ":"))))
    return push_id


def _in_flight(db: Database, case_id: str) -> SyncPush | None:
    """The push of the case whose answer never came (the connection dropped, the program was
    killed), if any."""
    with db.read() as s:
        row = s.get(SyncPush, case_id)
        if row is not None:
            s.expunge(row)
        return row


def _settle(db: Database, case_id: str, pushed: SyncPush, version: int | None) -> bool:
    """Record what the server says became of a push whose answer was lost: applied at
    ``version`` (True: the records it carried now have it as their base, as if the answer
    had come) or never applied (None: its records are still to be sent)."""
    if version is None:
        with db.write() as s:
            s.execute(delete(SyncPush).where(SyncPush.case_id == case_id,
                                              SyncPush.push_id == pushed.push_id))
        return False
    _record_pushed(db, case_id, pushed.base, json.loads(pushed.changes), int(version))
    return True


def _record_pushed(db: Database, case_id: str, base: int, chunk: list[dict[str, Any]],
                   version: int) -> None:
    """The server took the chunk at ``version``: it is the new base of those records, and
    each stays marked as changed only if it was edited again meanwhile."""
    rows = _as_rows(chunk)
    with db.write() as s:
        sc = s.get(SyncCase, case_id)
        if sc is None:
            return
        records.set_bases(s, case_id, rows)
        now = records.read(s, rows)
        records.clear_dirty(s, [k for k, v in rows.items() if now.get(k) == v])
        records.forget_sent_keys(s, rows)
        s.execute(delete(SyncPush).where(SyncPush.case_id == case_id))
        if sc.version == base:
            sc.version = version


# --- conflicts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRecord:
    id: str
    case_id: str
    type: str
    record_id: str
    field: str
    mine: Any
    theirs: Any
    label: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "record": {"type": self.type, "id": self.record_id,
                                          "label": self.label},
                "field": self.field, "mine": self.mine, "theirs": self.theirs,
                "case": self.case_id}


_LABEL = {"case": "title", "entities": "name", "documents": "title", "aliases": "name",
          "tags": "name", "highlights": "quote", "claims": "statement",
          "claim_links": "relation", "conflict_resolutions": "kind",
          "hypotheses": "statement", "ach_passages": "note", "hypothesis_ratings": "rating"}


def list_conflicts(db: Database, *, case_id: str | None = None) -> list[ConflictRecord]:
    with db.read() as s:
        q = select(SyncConflict).order_by(SyncConflict.created_at, SyncConflict.id)
        if case_id is not None:
            q = q.where(SyncConflict.case_id == case_id)
        rows = list(s.scalars(q))
        here = records.read(s, {(c.type, c.record_id) for c in rows})
        out = []
        for c in rows:
            rec = here.get((c.type, c.record_id)) or {}
            label = str(rec.get(_LABEL.get(c.type, "id"), "") or "")
            out.append(ConflictRecord(c.id, c.case_id, c.type, c.record_id, c.field, c.mine,
                                      c.theirs, label if len(label) <= 80 else label[:79] + "…"))
        return out


def resolve(db: Database, *, conflict_id: str, keep: str, value: Any = None) -> Written:
    """Settle a sync conflict: ``keep`` "mine" (this replica's value goes to the server at the
    next sync), "theirs" (the server's value is taken here) or "edit" (``value`` for both).
    Returns what was written here."""
    if keep not in ("mine", "theirs", "edit"):
        raise ValidationError("keep mine, theirs or edit")
    done = Written()
    with db.write() as s:
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            matches = list(s.scalars(select(SyncConflict).where(
                SyncConflict.id.startswith(conflict_id)))) if len(conflict_id) >= 4 else []
            if len(matches) != 1:
                raise NotFound(f"no sync conflict with id {conflict_id!r} (casefile sync "
                               "conflicts lists them)")
            c = matches[0]
        key = (c.type, c.record_id)
        rt = TYPE_BY_KEY[c.type]
        mine = records.read(s, [key]).get(key)
        if c.field == DELETED:
            deleted_here = c.mine == "deleted here"
            if (keep == "mine") == deleted_here and mine is not None:
                _delete_local(s, rt, c.record_id)
                done.deleted[c.type].append(c.record_id)
            elif keep == "edit":
                raise ValidationError("a record deleted on one side is kept or deleted: choose "
                                      "mine or theirs")
        elif mine is not None and keep != "mine":
            new = dict(mine)
            new[c.field] = c.theirs if keep == "theirs" else value
            new["updated_at"] = utcnow().isoformat(timespec="microseconds")
            base = records.bases(s, [key]).get(key)
            if keep == "theirs" and base is not None and {**new, "updated_at":
                                                           base.get("updated_at")} == base:
                new = base  # nothing of this replica's is left in it: the server's, as it is
            write_records(s, rt, c.case_id, [], [(new, mine)], _NoFiles())
            done.updated[c.type].append(c.record_id)
        if keep != "theirs" or c.field == DELETED:
            records.mark_dirty(s, [key])
        s.delete(c)
    return done


class _NoFiles:
    def source_bytes(self, sha: str) -> bytes:
        raise SyncError("this change needs an original file that is not here; sync first")


def _delete_local(s: Session, rt: Any, record_id: str) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        with s.begin_nested():
            s.execute(delete(rt.model).where(rt.model.id == record_id))
    except IntegrityError as exc:
        raise ValidationError("it is still used here (an entity that claims are about, say): "
                              "change or delete those records first") from exc


def pending_changes(db: Database, *, case_id: str) -> int:
    """How many records of the case changed here since the last sync (the window's sync
    indicator)."""
    with db.read() as s:
        if s.get(SyncCase, case_id) is None:
            return 0
        dirty = records.dirty_keys(s)
        if not dirty:
            return 0
        here, bases = _dirty_in_case(s, case_id, dirty)
        return len(here | set(bases))

