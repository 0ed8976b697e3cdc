"""Importing a bundle: a three-way merge against the sync baseline, all in one transaction.

For each incoming record: absent here → added; identical → unchanged; changed only on the
bundle's side (local still equals the baseline) → updated; changed only here (the bundle still
equals the baseline) → kept; changed on both sides, or never exchanged → a conflict, won by the
newer ``updated_at`` (ties by content hash, so both laptops pick the same winner), with the tag
and evidence sets of the two versions united. Records absent from the bundle are left alone.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import (
    Alias,
    Case,
    ClaimEvidence,
    Document,
    DocumentOriginal,
    Entity,
    Highlight,
    HighlightTag,
    SyncBaseline,
    Tag,
    utcnow,
)
from casefile.errors import NotFound, stop_if_cancelled
from casefile.exchange.bundle import Bundle, Progress, open_bundle
from casefile.exchange.casedata import (
    CASE,
    TYPES,
    RecordType,
    _chunks,
    collect_case,
    natural_key,
    parse_stamp,
    record_hash,
)
from casefile.services.tags import tag_cycles
from casefile.vocab import stated

_ID_NAMESPACE = uuid.UUID("6f1c9a52-3c1e-4d0b-9a53-2f4f0d6c2a11")
_LABELS = {"case": "title", "entities": "name", "documents": "title", "aliases": "name",
           "tags": "name", "highlights": "quote", "claims": "statement", "claim_links": "relation",
           "conflict_resolutions": "kind", "hypotheses": "statement", "ach_passages": "note",
           "hypothesis_ratings": "rating"}
_UNION_FIELDS = {"highlights": "tags", "claims": "evidence"}

log = logging.getLogger(__name__)


class SourceFiles(Protocol):
    """Where original files come from when records are written (a bundle, a sync pull)."""

    def source_bytes(self, sha: str) -> bytes: ...


@dataclass
class TypeReport:
    """What a merge did to one record type; lists of ids (conflicts: dicts with details)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.__dict__.items()}


@dataclass
class MergeReport:
    """The outcome of importing one bundle."""

    case_id: str
    bundle_case_id: str
    new_case: bool
    remapped_ids: int = 0
    types: dict[str, TypeReport] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new_case or any(t.added or t.updated or any(c["winner"] == "incoming"
                                                                for c in t.conflicts)
                                    for t in self.types.values())

    def as_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "bundle_case_id": self.bundle_case_id,
                "new_case": self.new_case, "remapped_ids": self.remapped_ids,
                "summary": {k: t.counts() for k, t in self.types.items()},
                "records": {k: dict(t.__dict__) for k, t in self.types.items()},
                "warnings": list(self.warnings)}


def import_bundle(db: Database, *, path: Path | str, into: str | None = None,
                  progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> MergeReport:
    """Check the bundle at ``path`` and merge it into the database in one transaction.

    Without ``into``: into the case with the bundle's id if it exists, else as a new case with
    the same ids. With ``into``: into that case. Raises ``BundleError`` (bundle refused),
    ``NotFound`` (no such case) or ``ImportCancelled`` (once ``cancelled()``, up to the
    commit) with the database untouched.
    """
    def step(done: int, total: int, what: str) -> None:
        stop_if_cancelled(cancelled)
        if progress is not None:
            progress(done, total, what)

    with open_bundle(path, progress=step) as bundle:
        stop_if_cancelled(cancelled)
        _backup_before_merge(db, bundle, into)
        with db.write() as s:
            report = merge_in_session(s, bundle, into=into)
            stop_if_cancelled(cancelled)  # rolls the merge back
            return report


def _backup_before_merge(db: Database, bundle: Bundle, into: str | None) -> None:
    """A merge into an existing case changes many records at once and cannot be undone from
    the window: take a verified backup first (a bundle that starts a new case needs none)."""
    from casefile.db import backup

    target = into or bundle.case["case"]["id"]
    with db.read() as s:
        exists = s.get(Case, target) is not None
    if exists:
        made = backup.make_backup(db.path, reason="before-merge")
        log.info("backed up %s to %s before merging a bundle", db.path, made.path)


def merge_in_session(s: Session, bundle: Bundle, *, into: str | None = None) -> MergeReport:
    s.execute(text("PRAGMA defer_foreign_keys = ON"))
    incoming = bundle.case
    bundle_case = incoming["case"]["id"]
    target = into or bundle_case
    if into is not None and s.get(Case, into) is None:
        raise NotFound(f"no case with id {into!r} to merge into")
    new_case = s.get(Case, target) is None
    report = MergeReport(case_id=target, bundle_case_id=bundle_case, new_case=new_case)
    # Ids another case of this database already uses get ids of their own, new case or not.
    incoming, report.remapped_ids = _remap_foreign_ids(s, incoming, target)
    if new_case:
        local: dict[str, Any] = {rt.key: [] for rt in TYPES}
        local["case"] = None
    else:
        local = collect_case(s, target)
        incoming = _align_natural_keys(incoming, local)
    baselines: dict[str, str] = {
        rid: h for rid, h in s.execute(select(SyncBaseline.record_id, SyncBaseline.content_hash)
                                       .where(SyncBaseline.case_id == target))}
    new_baselines: list[dict[str, Any]] = []
    final_texts: dict[str, str] = {d["id"]: d["text"] for d in local["documents"]}
    written_highlights: list[dict[str, Any]] = []

    types = [*TYPES] if into is not None and into != bundle_case else [CASE, *TYPES]
    for rt in types:
        tr = report.types.setdefault(rt.key, TypeReport())
        if rt is CASE:
            local_by_id = {local["case"]["id"]: local["case"]} if local["case"] else {}
            records = [incoming["case"]]
        else:
            local_by_id = {r["id"]: r for r in local[rt.key]}
            records = incoming[rt.key]
        adds: list[dict[str, Any]] = []
        updates: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        for rec in records:
            rid = rec["id"]
            hr = record_hash(rec)
            new_baselines.append({"case_id": target, "record_id": rid, "record_type": rt.key,
                                  "content_hash": hr, "synced_at": utcnow()})
            mine = local_by_id.get(rid)
            if mine is None:
                adds.append(rec)
                tr.added.append(rid)
                continue
            hl = record_hash(mine)
            base = baselines.get(rid)
            if hl == hr:
                tr.unchanged.append(rid)
            elif base == hr:
                tr.kept_local.append(rid)
            elif base == hl:
                updates.append((rec, mine))
                tr.updated.append(rid)
            else:
                theirs_wins = (rec[rt.stamp], hr) > (mine[rt.stamp], hl)
                merged = _union(rt, rec if theirs_wins else mine, mine if theirs_wins else rec)
                tr.conflicts.append({
                    "id": rid, "label": _label(rt, merged),
                    "winner": "incoming" if theirs_wins else "local",
                    "local_updated_at": mine[rt.stamp], "incoming_updated_at": rec[rt.stamp],
                    **_details(rt, mine, rec)})
                if record_hash(merged) != hl:
                    updates.append((merged, mine))
        write_records(s, rt, target, adds, updates, bundle)
        if rt.key == "documents":
            for rec in adds:
                final_texts[rec["id"]] = rec["text"]
            for rec, _ in updates:
                final_texts[rec["id"]] = rec["text"]
        if rt.key == "highlights":
            written_highlights = adds + [rec for rec, _ in updates]
    _orphan_misplaced(s, written_highlights, final_texts, report)
    break_tag_cycles(s, target, report.warnings)
    if new_baselines:
        stmt = sqlite_insert(SyncBaseline.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["case_id", "record_id"],
            set_={"content_hash": stmt.excluded.content_hash,
                  "record_type": stmt.excluded.record_type,
                  "synced_at": stmt.excluded.synced_at})
        s.connection().execute(stmt, new_baselines)
    return report


def _label(rt: RecordType, rec: dict[str, Any]) -> str:
    value = str(rec.get(_LABELS[rt.key], "") or "")
    if rt.key == "claims":  # a denial never reads like the claim it denies
        value = stated(value, rec.get("kind") or "", rec.get("stance") or "asserts")
    return value if len(value) <= 80 else value[:79] + "…"


def _details(rt: RecordType, mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """What an analyst needs to see of a conflict beyond its label: for a rating changed on
    both sides, the cell and both ratings."""
    if rt.key != "hypothesis_ratings":
        return {}
    return {"hypothesis_id": theirs["hypothesis_id"],
            "evidence_id": theirs["claim_id"] or theirs["highlight_id"],
            "local_rating": mine["rating"], "incoming_rating": theirs["rating"]}


def _align_natural_keys(incoming: dict[str, Any], local: dict[str, Any]) -> dict[str, Any]:
    """An incoming record with the natural key of a local one under another id (a cell rated
    on both laptops by a Casefile that named ratings differently) takes the local id, so the
    merge compares the two instead of adding a second rating of one cell."""
    out = incoming
    for rt in TYPES:
        if not rt.natural_key or not local.get(rt.key):
            continue
        mine = {natural_key(rt, r): r["id"] for r in local[rt.key]}
        recs = [r if mine.get(natural_key(rt, r), r["id"]) == r["id"]
                else {**r, "id": mine[natural_key(rt, r)]} for r in incoming[rt.key]]
        if any(a is not b for a, b in zip(recs, incoming[rt.key], strict=True)):
            out = {**out, rt.key: recs}
    return out


def _union(rt: RecordType, winner: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    fld = _UNION_FIELDS.get(rt.key)
    if fld is None:
        return winner
    merged = dict(winner)
    extra = [x for x in other[fld] if x not in winner[fld]]
    merged[fld] = sorted(winner[fld] + extra) if fld == "tags" else winner[fld] + extra
    return merged


def _row(rt: RecordType, rec: dict[str, Any], case_id: str) -> dict[str, Any]:
    row = {c: (parse_stamp(rec[c]) if c in rt.datetimes else rec[c] if c in rec
               else rt.optional[c]) for c in rt.columns}
    if rt.has_case_id:
        row["case_id"] = case_id
    return row


def write_records(s: Session, rt: RecordType, case_id: str, adds: list[dict[str, Any]],
                  updates: list[tuple[dict[str, Any], dict[str, Any] | None]],
                  bundle: Bundle | SourceFiles) -> None:
    """Insert ``adds`` and overwrite ``updates`` ((new, current) pairs) of one type, with
    their link sets and original files (``bundle.source_bytes(sha)``)."""
    model = rt.model
    conn = s.connection()
    if adds:
        conn.execute(insert(model.__table__), [_row(rt, r, case_id) for r in adds])
    if updates:
        s.execute(update(model), [_row(rt, r, case_id) for r, _ in updates])
    touched = adds + [r for r, _ in updates]
    if rt.key == "documents":
        replaced = [r for r, mine in updates if mine is None or mine["source"] != r["source"]]
        for part in _chunks([r["id"] for r in replaced]):
            s.execute(delete(DocumentOriginal).where(DocumentOriginal.document_id.in_(part)))
        for r in adds + replaced:
            if r["source"] is not None:
                conn.execute(insert(DocumentOriginal.__table__),
                             [{"document_id": r["id"], "data": bundle.source_bytes(r["source"])}])
    elif rt.key == "highlights":
        _replace_links(s, HighlightTag, HighlightTag.highlight_id, [r["id"] for r, _ in updates],
                       [{"highlight_id": r["id"], "tag_id": t} for r in touched for t in r["tags"]])
    elif rt.key == "claims":
        _replace_links(s, ClaimEvidence, ClaimEvidence.claim_id, [r["id"] for r, _ in updates],
                       [{"claim_id": r["id"], "highlight_id": h, "position": i}
                        for r in touched for i, h in enumerate(r["evidence"])])


def _replace_links(s: Session, model: type, key_col: Any, cleared: list[str],
                   rows: list[dict[str, Any]]) -> None:
    for part in _chunks(cleared):
        s.execute(delete(model).where(key_col.in_(part)))
    if rows:
        s.connection().execute(insert(model.__table__), rows)


def _orphan_misplaced(s: Session, highlights: list[dict[str, Any]], texts: dict[str, str],
                      report: MergeReport) -> None:
    """A highlight taken from the bundle whose document kept a different local text is marked
    orphan rather than pointing at the wrong words."""
    bad = [h for h in highlights
           if texts.get(h["document_id"], "")[h["start"]:h["end"]] != h["quote"]]
    if bad:
        s.execute(update(Highlight), [{"id": h["id"], "anchor": "orphan"} for h in bad])
        report.warnings += [f"highlight {h['id']} no longer matches its document's text here; "
                            "marked as orphan" for h in bad]


def break_tag_cycles(s: Session, case_id: str, warnings: list[str]) -> None:
    """Two honest edits can join into a cycle (A moved under B on one laptop, B under A on the
    other). Break each deterministically — the tag with the smallest id in it moves to the top
    level, so both laptops reach the same tree — and say so in the report."""
    rows = s.execute(select(Tag.id, Tag.parent_id, Tag.name).where(Tag.case_id == case_id)).all()
    names = {tid: name for tid, _parent, name in rows}
    for cycle in tag_cycles({tid: parent for tid, parent, _name in rows}):
        top = min(cycle)
        s.execute(update(Tag).where(Tag.id == top).values(parent_id=None))
        chain = " → ".join(f"“{names[t]}”" for t in cycle)
        warnings.append(f"the tags {chain} would each sit under the other after this "
                               f"merge; “{names[top]}” was moved to the top level")


def _foreign_ids(s: Session, incoming: dict[str, Any], case_id: str) -> set[str]:
    """Ids in the bundle that already belong to another case of this database."""
    found: set[str] = set()
    for rt in TYPES:
        ids = [r["id"] for r in incoming[rt.key]]
        for part in _chunks(ids):
            q = select(rt.model.id).where(rt.model.id.in_(part))
            if rt.key == "aliases":
                q = q.join(Entity, Entity.id == Alias.entity_id).where(Entity.case_id != case_id)
            elif rt.key == "highlights":
                q = q.join(Document, Document.id == Highlight.document_id).where(
                    Document.case_id != case_id)
            else:
                q = q.where(rt.model.case_id != case_id)
            found.update(s.scalars(q))
    return found


def _remap_foreign_ids(s: Session, incoming: dict[str, Any], case_id: str
                       ) -> tuple[dict[str, Any], int]:
    """Give ids that another case already uses a stable new id derived from the target case, so
    merging the same bundle into the same case twice still finds its records."""
    foreign = _foreign_ids(s, incoming, case_id)
    if not foreign:
        return incoming, 0
    new = {old: str(uuid.uuid5(_ID_NAMESPACE, f"{case_id}:{old}")) for old in foreign}
    out = dict(incoming)
    for rt in TYPES:
        recs = []
        for rec in incoming[rt.key]:
            r = dict(rec)
            r["id"] = new.get(r["id"], r["id"])
            for fld in rt.refs:
                if r.get(fld) is not None:
                    r[fld] = new.get(r[fld], r[fld])
            for fld in rt.list_refs:
                r[fld] = [new.get(x, x) for x in r[fld]]
            recs.append(r)
        out[rt.key] = recs
    return out, len(foreign)
