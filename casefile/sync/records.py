"""A replica's records in the portable form: read by (type, id), written, deleted, and the
bookkeeping beside them (base copies, sent copies, changed records, conflicts)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, false, insert, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casefile.db.models import ClaimEvidence, HighlightTag, new_id, utcnow
from casefile.db.team import SyncBase, SyncConflict, SyncDirty, SyncSent
from casefile.exchange.casedata import (
    CASE,
    TYPE_BY_KEY,
    TYPES,
    among,
    canonical_json,
    fetch_records,
    in_case,
    natural_key,
)
from casefile.exchange.merge import SourceFiles, write_records

ORDER = (CASE, *TYPES)  # dependency order: creates in it, deletes against it
Key = tuple[str, str]
Record = dict[str, Any]


def text_of(rec: Record | None) -> str | None:
    return None if rec is None else canonical_json(rec).decode("utf-8")


def read(s: Session, keys: Iterable[Key]) -> dict[Key, Record]:
    """The local records with these (type, id) keys; absent ones are left out."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for kind, rid in keys:
        by_type[kind].append(rid)
    out: dict[Key, Record] = {}
    for kind, ids in by_type.items():
        for rec in fetch_records(s, TYPE_BY_KEY[kind], ids=ids):
            out[(kind, rec["id"])] = rec
    return out


def ids_in_case(s: Session, case_id: str, kind: str, ids: Iterable[str] | None = None
                ) -> set[str]:
    """Ids of the case's records of one type (among ``ids`` when given)."""
    rt = TYPE_BY_KEY[kind]
    q = in_case(rt, case_id, rt.model.id)
    if ids is None:
        return set(s.scalars(q))
    return set(s.scalars(q.where(among(rt.model.id, sorted(set(ids))))))


def present(s: Session, keys: Iterable[Key]) -> set[Key]:
    """Which of these records exist here."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for kind, rid in keys:
        by_type[kind].append(rid)
    out: set[Key] = set()
    for kind, ids in by_type.items():
        model = TYPE_BY_KEY[kind].model
        out.update((kind, rid) for rid in s.scalars(select(model.id).where(
            among(model.id, ids))))
    return out


@dataclass
class Written:
    """What a sync wrote here, by record type: for the window's notifier."""

    created: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    updated: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    deleted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def count(self) -> int:
        return sum(len(v) for d in (self.created, self.updated, self.deleted)
                   for v in d.values())

    def add(self, other: Written) -> None:
        for mine, theirs in ((self.created, other.created), (self.updated, other.updated),
                             (self.deleted, other.deleted)):
            for kind, ids in theirs.items():
                mine[kind].extend(ids)


def apply(s: Session, case_id: str, targets: dict[Key, Record | None],
          current: dict[Key, Record], files: SourceFiles) -> Written:
    """Make the local records equal ``targets`` (None: deleted): creates and updates in
    dependency order, then deletes in reverse. Foreign keys are checked at commit."""
    done = Written()
    for rt in ORDER:
        adds, updates = [], []
        for (kind, rid), rec in targets.items():
            if kind != rt.key or rec is None:
                continue
            mine = current.get((kind, rid))
            if mine is None:
                adds.append(rec)
                done.created[kind].append(rid)
            elif mine != rec:
                updates.append((rec, mine))
                done.updated[kind].append(rid)
        if adds or updates:
            write_records(s, rt, case_id, adds, updates, files)
    for rt in reversed(ORDER):
        gone = [rid for (kind, rid), rec in targets.items()
                if kind == rt.key and rec is None and (kind, rid) in current]
        if gone:
            s.execute(delete(rt.model).where(among(rt.model.id, gone)))
        done.deleted[rt.key].extend(gone)
    return done


def twins(s: Session, case_id: str, theirs: dict[Key, Record | None]) -> dict[Key, Key]:
    """Local records that are a pulled record under another id: the same natural key (one
    highlight put into the ACH matrix on two laptops; a record type allows one per key).
    {local key: pulled key}."""
    out: dict[Key, Key] = {}
    for rt in TYPES:
        if not rt.natural_key:
            continue
        pulled = {natural_key(rt, rec): key for key, rec in theirs.items()
                  if key[0] == rt.key and rec is not None}
        if not pulled:
            continue
        cols = [getattr(rt.model, f) for f in rt.natural_key]
        firsts = sorted({nk[0] for nk in pulled})
        for rid, *nk in s.execute(select(rt.model.id, *cols).where(
                rt.model.case_id == case_id, among(cols[0], firsts))):
            other = pulled.get(tuple(nk))
            if other is not None and other[1] != rid and theirs.get((rt.key, rid)) is None:
                out[(rt.key, rid)] = other
    return out


def referrers(s: Session, targets: set[Key]) -> set[Key]:
    """Local records that refer to any of ``targets`` (foreign keys and linked lists)."""
    out: set[Key] = set()
    ids_by_type: dict[str, list[str]] = defaultdict(list)
    for kind, rid in targets:
        ids_by_type[kind].append(rid)
    for rt in TYPES:
        for fld, target in rt.refs.items():
            if ids_by_type.get(target):
                col = getattr(rt.model, fld)
                out.update((rt.key, rid) for rid in s.scalars(
                    select(rt.model.id).where(among(col, ids_by_type[target]))))
    for owner, kind, col, target in (
            (HighlightTag.highlight_id, "highlights", HighlightTag.tag_id, "tags"),
            (ClaimEvidence.claim_id, "claims", ClaimEvidence.highlight_id, "highlights")):
        if ids_by_type.get(target):
            out.update((kind, rid) for rid in s.scalars(select(owner).where(
                among(col, ids_by_type[target]))))
    return out


# --- bookkeeping -------------------------------------------------------------------------------


def keyed(model: type, keys: Iterable[Key]) -> Any:
    """A filter on (type, record_id) keys: per type, its ids in one JSON parameter (the
    primary key's index serves it)."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for kind, rid in keys:
        by_type[kind].append(rid)
    if not by_type:
        return false()
    return or_(*(and_(model.type == kind, among(model.record_id, ids))
                 for kind, ids in by_type.items()))


def _load(s: Session, model: type, keys: Iterable[Key], case_id: str | None = None
          ) -> dict[Key, Record]:
    out: dict[Key, Record] = {}
    q = select(model.type, model.record_id, model.data).where(keyed(model, keys))
    if case_id is not None:
        q = q.where(model.case_id == case_id)
    for kind, rid, data in s.execute(q):
        out[(kind, rid)] = json.loads(data)
    return out


def bases(s: Session, keys: Iterable[Key], *, case_id: str | None = None) -> dict[Key, Record]:
    """The base copies of these records (of one case when given)."""
    return _load(s, SyncBase, keys, case_id)


def sent(s: Session, keys: Iterable[Key]) -> dict[Key, Record]:
    return _load(s, SyncSent, keys)


def base_keys(s: Session, case_id: str) -> set[Key]:
    return {(k, r) for k, r in s.execute(select(SyncBase.type, SyncBase.record_id)
                                         .where(SyncBase.case_id == case_id))}


def _upsert(s: Session, model: type, case_id: str, rows: dict[Key, Record]) -> None:
    if not rows:
        return
    stmt = sqlite_insert(model.__table__)
    stmt = stmt.on_conflict_do_update(index_elements=["type", "record_id"],
                                      set_={"data": stmt.excluded.data,
                                            "case_id": stmt.excluded.case_id})
    s.connection().execute(stmt, [{"type": k, "record_id": r, "case_id": case_id,
                                   "data": text_of(rec)} for (k, r), rec in rows.items()])


def _drop(s: Session, model: type, keys: Iterable[Key]) -> None:
    keys = list(keys)
    if keys:
        s.execute(delete(model).where(keyed(model, keys)))


def set_bases(s: Session, case_id: str, rows: dict[Key, Record | None]) -> None:
    """Record how the server has these records now (None: it deleted them)."""
    _upsert(s, SyncBase, case_id, {k: v for k, v in rows.items() if v is not None})
    _drop(s, SyncBase, [k for k, v in rows.items() if v is None])


def note_sent(s: Session, case_id: str, rows: dict[Key, Record | None]) -> None:
    _upsert(s, SyncSent, case_id, {k: v for k, v in rows.items() if v is not None})


def forget_sent(s: Session, case_id: str) -> None:
    s.execute(delete(SyncSent).where(SyncSent.case_id == case_id))


def forget_sent_keys(s: Session, keys: Iterable[Key]) -> None:
    _drop(s, SyncSent, keys)


def dirty_keys(s: Session, keys: Iterable[Key] | None = None) -> set[Key]:
    if keys is None:
        return {(k, r) for k, r in s.execute(select(SyncDirty.type, SyncDirty.record_id))}
    return {(k, r) for k, r in s.execute(select(SyncDirty.type, SyncDirty.record_id)
                                         .where(keyed(SyncDirty, keys)))}


def mark_dirty(s: Session, keys: Iterable[Key]) -> None:
    rows = [{"type": k, "record_id": r} for k, r in keys]
    if rows:
        s.connection().execute(sqlite_insert(SyncDirty.__table__).on_conflict_do_nothing(),
                               rows)


def clear_dirty(s: Session, keys: Iterable[Key]) -> None:
    _drop(s, SyncDirty, keys)


def mark_case_dirty(s: Session, case_id: str) -> int:
    """Every record of the case counts as changed (a case being shared for the first time)."""
    n = 0
    for rt in ORDER:
        ids = ids_in_case(s, case_id, rt.key)
        mark_dirty(s, ((rt.key, rid) for rid in ids))
        n += len(ids)
    return n


def open_conflicts(s: Session, keys: Iterable[Key] | None = None, *, case_id: str | None = None
                   ) -> dict[Key, set[str]]:
    q = select(SyncConflict.type, SyncConflict.record_id, SyncConflict.field)
    if case_id is not None:
        q = q.where(SyncConflict.case_id == case_id)
    out: dict[Key, set[str]] = defaultdict(set)
    if keys is None:
        for kind, rid, fld in s.execute(q):
            out[(kind, rid)].add(fld)
        return out
    for kind, rid, fld in s.execute(q.where(keyed(SyncConflict, keys))):
        out[(kind, rid)].add(fld)
    return out


def conflict_values(s: Session, keys: Iterable[Key], fld: str) -> dict[Key, tuple[Any, Any]]:
    """(mine, theirs) of the open conflicts on field ``fld`` of these records."""
    out: dict[Key, tuple[Any, Any]] = {}
    q = select(SyncConflict.type, SyncConflict.record_id, SyncConflict.mine,
               SyncConflict.theirs).where(SyncConflict.field == fld)
    for kind, rid, mine, theirs in s.execute(q.where(keyed(SyncConflict, keys))):
        out[(kind, rid)] = (mine, theirs)
    return out


def replace_conflicts(s: Session, case_id: str, found: dict[Key, dict[str, tuple[Any, Any]]],
                      merged: Iterable[Key]) -> None:
    """The conflicts of the ``merged`` records are now ``found`` (others are settled)."""
    _drop(s, SyncConflict, merged)
    rows = [{"id": new_id(), "case_id": case_id, "type": kind, "record_id": rid,
             "field": fld, "mine": mine, "theirs": theirs, "created_at": utcnow()}
            for (kind, rid), fields in found.items() for fld, (mine, theirs) in fields.items()]
    if rows:
        s.execute(insert(SyncConflict), rows)
