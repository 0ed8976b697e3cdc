"""The portable form of one case: record types, canonical JSON dicts, content hashes."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from casefile.db.models import (
    AchPassage,
    Alias,
    Case,
    Claim,
    ClaimEvidence,
    ClaimLink,
    ConflictResolution,
    Document,
    DocumentOriginal,
    Entity,
    Highlight,
    HighlightTag,
    Hypothesis,
    HypothesisRating,
    Tag,
)
from casefile.errors import NotFound

CASE_FORMAT = "casefile-case"


@dataclass(frozen=True)
class RecordType:
    """One list in case.json: which model it maps to and how its fields refer to others.

    ``refs`` maps a field to the record list its id(s) must be found in; ``list_refs`` are fields
    holding a list of such ids. ``stamp`` is the field that decides which side wins a merge.
    ``natural_key``: fields that identify a record besides its id (one rating per cell), unique
    in a bundle; a merge treats a record with the same natural key as the same record.
    """

    key: str
    model: type
    columns: tuple[str, ...]
    datetimes: tuple[str, ...] = ("created_at", "updated_at")
    refs: dict[str, str] = field(default_factory=dict)
    list_refs: dict[str, str] = field(default_factory=dict)
    stamp: str = "updated_at"
    has_case_id: bool = True
    natural_key: tuple[str, ...] = ()
    # columns written only when they differ from this default (added after format version 1,
    # so that records without them hash, and merge, exactly as before)
    optional: dict[str, Any] = field(default_factory=dict)


_STAMPS = ("created_at", "updated_at")

CASE = RecordType("case", Case, ("id", "title", "summary", *_STAMPS), has_case_id=False)
# Dependency order: a record only refers to lists before it (tags and the via list aside).
TYPES: tuple[RecordType, ...] = (
    RecordType("entities", Entity,
               ("id", "kind", "name", "description", "reliability", *_STAMPS)),
    RecordType("documents", Document,
               ("id", "title", "author", "outlet_id", "url", "published", "imported_at",
                "content_type", "source_name", "sha256", "text", "page_starts", "extractor",
                "extractor_version", "guessed", "origin_id", "parent_id", "source_key",
                *_STAMPS),
               datetimes=("imported_at", *_STAMPS),
               refs={"outlet_id": "entities", "origin_id": "entities",
                     "parent_id": "documents"},
               optional={"guessed": [], "origin_id": None, "parent_id": None,
                         "source_key": ""}),
    RecordType("aliases", Alias, ("id", "entity_id", "name", "document_id", "created_at"),
               datetimes=("created_at",), refs={"entity_id": "entities",
                                                "document_id": "documents"},
               stamp="created_at", has_case_id=False),
    RecordType("tags", Tag, ("id", "parent_id", "name", "color", "description", *_STAMPS),
               refs={"parent_id": "tags"}),
    RecordType("highlights", Highlight,
               ("id", "document_id", "start", "end", "quote", "prefix", "suffix", "color",
                "note", "anchor", *_STAMPS),
               refs={"document_id": "documents"}, list_refs={"tags": "tags"},
               has_case_id=False),
    RecordType("claims", Claim,
               ("id", "statement", "kind", "subject_id", "object_id", "value", "date",
                "place_id", "stance", "origin_id", "via", "credibility", "status", "note",
                *_STAMPS),
               refs={"subject_id": "entities", "object_id": "entities", "place_id": "entities",
                     "origin_id": "entities"},
               list_refs={"via": "entities", "evidence": "highlights"}),
    RecordType("claim_links", ClaimLink,
               ("id", "source_id", "target_id", "relation", "note", *_STAMPS),
               refs={"source_id": "claims", "target_id": "claims"}),
    RecordType("conflict_resolutions", ConflictResolution,
               ("id", "subject_id", "kind", "accepted_claim_id", "claim_ids", "reason",
                *_STAMPS),
               refs={"subject_id": "entities", "accepted_claim_id": "claims"},
               list_refs={"claim_ids": "claims"}),
    # format version 2: competing hypotheses (ACH)
    RecordType("hypotheses", Hypothesis,
               ("id", "position", "statement", "note", "subject_id", "kind", "object_id",
                "value", "date", "date_end", "place_id", "stance", *_STAMPS),
               refs={"subject_id": "entities", "object_id": "entities", "place_id": "entities"}),
    RecordType("ach_passages", AchPassage, ("id", "highlight_id", "note", *_STAMPS),
               refs={"highlight_id": "highlights"}, natural_key=("highlight_id",)),
    RecordType("hypothesis_ratings", HypothesisRating,
               ("id", "hypothesis_id", "claim_id", "highlight_id", "rating", "note", *_STAMPS),
               refs={"hypothesis_id": "hypotheses", "claim_id": "claims",
                     "highlight_id": "highlights"},
               natural_key=("hypothesis_id", "claim_id", "highlight_id")),
)
# Lists case.json gained after format version 1: a bundle written before them has none.
LATER_LISTS = ("hypotheses", "ach_passages", "hypothesis_ratings")
TYPE_BY_KEY = {t.key: t for t in (CASE, *TYPES)}
# Fields of case.json records that are not columns of the model (stored in link tables).
EXTRA_FIELDS = {"documents": ("source",), "highlights": ("tags",), "claims": ("evidence",)}


# Link sets kept in link tables with foreign keys: a missing target would break a replica.
LINKED_LISTS = {"highlights": {"tags": "tags"}, "claims": {"evidence": "highlights"}}


def references(kind: str, rec: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(record type, id) of every record ``rec`` needs to exist: its foreign keys and linked
    lists (not the loose id lists such as ``via``)."""
    rt = TYPE_BY_KEY[kind]
    for fld, target in rt.refs.items():
        if rec.get(fld):
            yield target, rec[fld]
    for fld, target in LINKED_LISTS.get(kind, {}).items():
        for ref in rec.get(fld) or ():
            yield target, ref


def stamp_text(value: datetime | None) -> str | None:
    """The one text form of a timestamp in case.json (naive UTC, microseconds always)."""
    return None if value is None else value.isoformat(timespec="microseconds")


def parse_stamp(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def canonical_json(value: Any) -> bytes:
    """Stable serialisation: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    """SHA-256 of a record's canonical JSON: what SyncBaseline stores."""
    return hashlib.sha256(canonical_json(record)).hexdigest()


def _row_dict(rt: RecordType, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in rt.columns:
        v = getattr(row, col)
        if col in rt.datetimes:
            v = stamp_text(v)
        elif col in ("page_starts", "via", "claim_ids", "guessed"):
            v = list(v or [])
        if col in rt.optional and v == rt.optional[col]:
            continue
        out[col] = v
    return out


def among(col: Any, ids: Iterable[str]) -> Any:
    """``col IN ids`` with the ids bound as one JSON text that SQLite reads with json_each: a
    list of thousands costs one parameter, not a compiled expansion of each value."""
    each = func.json_each(json.dumps(list(ids))).table_valued("value")
    return col.in_(select(each.c.value))


def _chunks(ids: list[str], size: int = 900) -> Iterable[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def collect_case(s: Session, case_id: str) -> dict[str, Any]:
    """Every record of the case as case.json holds it (without the ``format`` header).

    Lists are sorted by id so that two exports of the same data are byte-identical.
    Documents carry ``source``: the SHA-256 of their original bytes, or None.
    """
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case with id {case_id!r}")
    out: dict[str, Any] = {"case": _row_dict(CASE, case)}
    for rt in TYPES:
        out[rt.key] = fetch_records(s, rt, case_id=case_id)
    return out


def fetch_records(s: Session, rt: RecordType, *, case_id: str | None = None,
                  ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Records of one type in their portable form (link sets folded in), sorted by id: those
    of a case, or those with the given ids (whatever their case)."""
    cols = [getattr(rt.model, c) for c in rt.columns]
    if ids is not None:
        rows = [row for part in _chunks(sorted(set(ids)), 50_000)
                for row in s.execute(select(*cols).where(among(rt.model.id, part)))]
        rows.sort(key=lambda r: r.id)
    else:
        rows = list(s.execute(in_case(rt, case_id, *cols).order_by(rt.model.id)))
    records = [_row_dict(rt, row) for row in rows]
    _fold_links(s, rt, records)
    return records


def in_case(rt: RecordType, case_id: str | None, *cols: Any) -> Select:
    """SELECT ``cols`` of the records of one type that belong to the case (aliases through
    their entity, highlights through their document)."""
    q = select(*cols)
    if rt.key == "aliases":
        return q.join(Entity, Entity.id == Alias.entity_id).where(Entity.case_id == case_id)
    if rt.key == "highlights":
        return q.join(Document, Document.id == Highlight.document_id).where(
            Document.case_id == case_id)
    if rt is CASE:
        return q.where(Case.id == case_id)
    return q.where(rt.model.case_id == case_id)


def _fold_links(s: Session, rt: RecordType, records: list[dict[str, Any]]) -> None:
    """Add the fields kept in link tables: a document's ``source``, a highlight's ``tags``, a
    claim's ``evidence`` (in order)."""
    ids = [r["id"] for r in records]
    if rt.key == "documents":
        sources = source_hashes(s, ids)
        for d in records:
            d["source"] = sources.get(d["id"])
    elif rt.key == "highlights":
        tags: dict[str, list[str]] = defaultdict(list)
        for part in _chunks(ids, 50_000):
            for hid, tid in s.execute(select(HighlightTag.highlight_id, HighlightTag.tag_id)
                                      .where(among(HighlightTag.highlight_id, part))):
                tags[hid].append(tid)
        for h in records:
            h["tags"] = sorted(tags.get(h["id"], ()))
    elif rt.key == "claims":
        evidence: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for part in _chunks(ids, 50_000):
            for cid, hid, pos in s.execute(
                    select(ClaimEvidence.claim_id, ClaimEvidence.highlight_id,
                           ClaimEvidence.position).where(among(ClaimEvidence.claim_id, part))):
                evidence[cid].append((pos, hid))
        for c in records:
            c["evidence"] = [hid for _pos, hid in sorted(evidence.get(c["id"], ()))]


def source_hashes(s: Session, doc_ids: list[str]) -> dict[str, str]:
    """SHA-256 of each document's original bytes, computed in SQL-sized chunks."""
    out: dict[str, str] = {}
    for part in _chunks(doc_ids, 200):
        for did, data in s.execute(select(DocumentOriginal.document_id, DocumentOriginal.data)
                                   .where(DocumentOriginal.document_id.in_(part))):
            out[did] = hashlib.sha256(data).hexdigest()
    return out


def fill_later_lists(case: dict[str, Any]) -> dict[str, Any]:
    """An older case.json brought to the current shape: the lists it predates, empty."""
    for key in LATER_LISTS:
        case.setdefault(key, [])
    return case


def natural_key(rt: RecordType, rec: dict[str, Any]) -> tuple | None:
    return tuple(rec[f] for f in rt.natural_key) if rt.natural_key else None


def to_changes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A case.json (or any part of it) as the change list a push to the team server carries:
    ``{type, id, data}`` per record, the case first, in dependency order. A deletion is
    ``{type, id, deleted: true}``."""
    return [{"type": rt.key, "id": rec["id"], "data": rec} for rt, rec in iter_records(data)
            if rec is not None]


def from_changes(changes: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The records of a change list in case.json's shape (the case record None when absent),
    and the (type, id) of the deletions."""
    out: dict[str, Any] = {"case": None, **{rt.key: [] for rt in TYPES}}
    deleted = []
    for ch in changes:
        if ch.get("deleted") is True:
            deleted.append((ch["type"], ch["id"]))
        elif ch["type"] == CASE.key:
            out["case"] = ch["data"]
        else:
            out[ch["type"]].append(ch["data"])
    return out, deleted


def iter_records(data: dict[str, Any]) -> Iterable[tuple[RecordType, dict[str, Any]]]:
    """Every (type, record) of a case dict, the case record first."""
    if data.get("case") is not None:
        yield CASE, data["case"]
    for rt in TYPES:
        for rec in data.get(rt.key, ()):
            yield rt, rec
