"""What a write changed: record kinds and ids, recorded by per-connection triggers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

CREATED, UPDATED, DELETED = "created", "updated", "deleted"

# table -> (kind, id column, parent column, op when a row of the table is inserted/deleted).
# Link rows (a highlight's tags, a claim's evidence, an entity's spellings) change their owner:
# their inserts and deletes are updates of the record named by the id column.
WATCHED: dict[str, tuple[str, str, str | None, bool]] = {
    "case": ("cases", "id", None, False),
    "document": ("documents", "id", "case_id", False),
    "highlight": ("highlights", "id", "document_id", False),
    "highlight_tag": ("highlights", "highlight_id", "tag_id", True),
    "tag": ("tags", "id", "parent_id", False),
    "entity": ("entities", "id", "case_id", False),
    "alias": ("entities", "entity_id", "id", True),
    "claim": ("claims", "id", "subject_id", False),
    "claim_evidence": ("claims", "claim_id", "highlight_id", True),
    "claim_link": ("claim_links", "id", "source_id", False),
    "conflict_resolution": ("resolutions", "id", "subject_id", False),
    "hypothesis": ("hypotheses", "id", None, False),
    "ach_passage": ("ach_passages", "id", "highlight_id", False),
    "hypothesis_rating": ("ratings", "id", "hypothesis_id", False),
}
KINDS = frozenset(k for k, *_ in WATCHED.values())
LOG_TABLE = "cf_changes"


def trigger_statements() -> list[str]:
    """DDL run on every new connection: a TEMP table and TEMP triggers that note each row a
    transaction inserts, updates or deletes. TEMP objects belong to the one connection and roll
    back with its transaction, so a write reads exactly its own changes before it commits —
    whatever path wrote them (services, bulk inserts, merges, cascades)."""
    out = [f"CREATE TEMP TABLE IF NOT EXISTS {LOG_TABLE} (kind TEXT NOT NULL, ref TEXT, "
           "op TEXT NOT NULL, parent TEXT)"]
    for table, (kind, id_col, parent_col, link) in WATCHED.items():
        for event, row, op in (("INSERT", "new", CREATED), ("UPDATE", "new", UPDATED),
                               ("DELETE", "old", DELETED)):
            if link:
                op = UPDATED
            parent = f'{row}."{parent_col}"' if parent_col else "NULL"
            out.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS cf_{table}_{event[0].lower()} AFTER {event} "
                f'ON main."{table}" BEGIN INSERT INTO {LOG_TABLE} VALUES '
                f"('{kind}', {row}.\"{id_col}\", '{op}', {parent}); END")
    return out


def install(dbapi_conn: Any) -> None:
    """Create the change log and its triggers on a freshly opened SQLite connection (a file
    without Casefile's tables yet — opening a new database — gets them on its next connection)."""
    cur = dbapi_conn.cursor()
    try:
        have = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not set(WATCHED) <= have:
            return
        for stmt in trigger_statements():
            cur.execute(stmt)
    finally:
        cur.close()


def drain(conn: Any) -> Changes:
    """The changes noted on this connection's open transaction, and the log emptied."""
    try:
        rows = conn.exec_driver_sql(f"SELECT kind, ref, op, parent FROM {LOG_TABLE}").all()
    except Exception:  # a connection opened before the tables existed has no log
        return Changes()
    if rows:
        conn.exec_driver_sql(f"DELETE FROM {LOG_TABLE}")
    return Changes.from_rows(rows)


@dataclass(frozen=True)
class Changes:
    """Which records a change created, updated or deleted, by kind ("claims", "highlights"…).

    ``parents`` holds, per kind, the ids the changed rows point to (a highlight's document, a
    tag link's tag, a claim's subject) so that a view can refresh just the rows that show them.
    ``reload`` names kinds whose changes are not known one by one (another program's commit,
    a case switch): views showing them reload them whole. ``source`` says who wrote them when
    a writer labelled itself (``Recorder.labelled``: "sync" for a teammate's changes pulled in),
    else "". ``known`` holds records as the change left them, when the writer had them at hand
    ({(kind, id): record}; see ``with_known``): a view may show those instead of reading them
    again. Empty changes are false."""

    created: Mapping[str, frozenset[str]] = field(default_factory=dict)
    updated: Mapping[str, frozenset[str]] = field(default_factory=dict)
    deleted: Mapping[str, frozenset[str]] = field(default_factory=dict)
    parents: Mapping[str, frozenset[str]] = field(default_factory=dict)
    reload: frozenset[str] = frozenset()
    source: str = ""
    known: Mapping[tuple[str, str], Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str | None, str, str | None]]) -> Changes:
        """Fold logged rows in order: created then deleted is nothing; deleted then created
        (a restore under the same id) is an update; created then updated stays created."""
        state: dict[tuple[str, str], str] = {}
        parents: dict[str, set[str]] = {}
        for kind, ref, op, parent in rows:
            if parent:
                parents.setdefault(kind, set()).add(parent)
            if ref is None:
                continue
            key = (kind, ref)
            was = state.get(key)
            if was is None:
                state[key] = op
            elif was == CREATED and op == DELETED:
                state[key] = "gone"
            elif was in (DELETED, "gone") and op == CREATED:
                state[key] = UPDATED if was == DELETED else CREATED
            elif op == DELETED:
                state[key] = DELETED
        by_op: dict[str, dict[str, set[str]]] = {CREATED: {}, UPDATED: {}, DELETED: {}}
        for (kind, ref), op in state.items():
            if op != "gone":
                by_op[op].setdefault(kind, set()).add(ref)
        return cls.of(created=by_op[CREATED], updated=by_op[UPDATED],
                      deleted=by_op[DELETED], parents=parents)

    @classmethod
    def of(cls, *, created: Mapping[str, Iterable[str]] | None = None,
           updated: Mapping[str, Iterable[str]] | None = None,
           deleted: Mapping[str, Iterable[str]] | None = None,
           parents: Mapping[str, Iterable[str]] | None = None,
           reload: Iterable[str] = ()) -> Changes:
        def freeze(m: Mapping[str, Iterable[str]] | None) -> Mapping[str, frozenset[str]]:
            return MappingProxyType({k: frozenset(v) for k, v in (m or {}).items() if v})
        return cls(freeze(created), freeze(updated), freeze(deleted), freeze(parents),
                   frozenset(reload))

    @classmethod
    def all(cls) -> Changes:
        """Reload everything (another program changed the case, or the case was switched)."""
        return cls(reload=KINDS)

    @property
    def everything(self) -> bool:
        return self.reload >= KINDS

    def reloads(self, kind: str) -> bool:
        """Whether views of ``kind`` must reload it whole (its changes are not itemised)."""
        return kind in self.reload

    @property
    def kinds(self) -> frozenset[str]:
        return (frozenset(self.created) | frozenset(self.updated) | frozenset(self.deleted)
                | self.reload)

    def __contains__(self, kind: object) -> bool:
        return kind in self.kinds

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.reload)

    def ids(self, kind: str) -> frozenset[str]:
        """Every id of ``kind`` created, updated or deleted."""
        return (self.created.get(kind, frozenset()) | self.updated.get(kind, frozenset())
                | self.deleted.get(kind, frozenset()))

    def live_ids(self, kind: str) -> frozenset[str]:
        """Ids of ``kind`` that still exist (created or updated)."""
        return self.created.get(kind, frozenset()) | self.updated.get(kind, frozenset())

    def parent_ids(self, kind: str) -> frozenset[str]:
        return self.parents.get(kind, frozenset())

    def with_known(self, kind: str, records: Iterable[Any]) -> Changes:
        """These changes, with ``records`` of ``kind`` (objects with an ``id``) as they now
        are. Only records this change created or updated are kept: anything else would be a
        guess."""
        live = self.live_ids(kind)
        add = {(kind, r.id): r for r in records if r.id in live}
        return replace(self, known=MappingProxyType({**self.known, **add})) if add else self

    def known_records(self, kind: str, ids: Iterable[str]) -> list[Any] | None:
        """The known records of ``ids`` (as ``with_known`` gave them), or None unless every
        one of them is known."""
        out = [self.known.get((kind, i)) for i in ids]
        return None if any(r is None for r in out) else out

    def touches(self, kinds: Iterable[str]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def __or__(self, other: Changes) -> Changes:
        """Both changes in one; known records are dropped (one may have outdated the other's)."""
        if not other:
            return self
        if not self:
            return other
        rows: list[tuple[str, str | None, str, str | None]] = []
        for ch in (self, other):
            for op, m in ((DELETED, ch.deleted), (CREATED, ch.created), (UPDATED, ch.updated)):
                rows.extend((k, ref, op, None) for k, ids in m.items() for ref in ids)
            rows.extend((k, None, UPDATED, p) for k, ps in ch.parents.items() for p in ps)
        folded = Changes.from_rows(rows)
        return Changes(folded.created, folded.updated, folded.deleted, folded.parents,
                       self.reload | other.reload,
                       self.source if self.source == other.source else "")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {op: {k: sorted(v) for k, v in m.items()}
                               for op, m in (("created", self.created), ("updated", self.updated),
                                             ("deleted", self.deleted)) if m}
        if self.reload:
            out["reload"] = sorted(self.reload)
        return out


class Recorder:
    """Where committed changes go: to the innermost ``capture()`` open on the committing
    thread, else to every listener (the window's notifier). Listeners are called on the
    committing thread; a listener on another thread's objects must hand the changes over."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._listeners: list[Callable[[Changes], None]] = []

    def listen(self, fn: Callable[[Changes], None]) -> None:
        self._listeners.append(fn)

    def unlisten(self, fn: Callable[[Changes], None]) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    @contextmanager
    def capture(self) -> Iterator[Capture]:
        """Collect what the writes made on this thread inside the block changed, instead of
        telling the listeners: the caller publishes them once (an undo step, say)."""
        stack: list[Capture] = self._local.__dict__.setdefault("stack", [])
        cap = Capture()
        stack.append(cap)
        try:
            yield cap
        finally:
            stack.pop()

    @contextmanager
    def batch(self) -> Iterator[Capture]:
        """Tell the listeners once, at the end, what all the writes inside the block changed
        (many small writes that are one action for the user)."""
        with self.capture() as cap:
            yield cap
        self.committed(cap.changes)

    @contextmanager
    def labelled(self, source: str) -> Iterator[None]:
        """Mark what the writes on this thread inside the block change as coming from
        ``source`` (a sync pulling teammates' edits, say), so listeners can tell."""
        before = getattr(self._local, "source", "")
        self._local.source = source
        try:
            yield
        finally:
            self._local.source = before

    def committed(self, changes: Changes) -> None:
        if not changes:
            return
        source = getattr(self._local, "source", "")
        if source and not changes.source:
            changes = replace(changes, source=source)
        stack = getattr(self._local, "stack", None)
        if stack:
            stack[-1].add(changes)
            return
        for fn in list(self._listeners):
            fn(changes)


class Capture:
    """The changes collected by one ``capture()`` block."""

    def __init__(self) -> None:
        self.changes = Changes()

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes
