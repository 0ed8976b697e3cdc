"""Passages as an analyst looks them up: by tag across the case (coded segments), counts per
tag, and everything annotated in one document in reading order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from casefile.db.database import Database
from casefile.db.models import (
    Claim,
    ClaimEvidence,
    Document,
    Entity,
    Highlight,
    HighlightTag,
    Tag,
)
from casefile.errors import NotFound
from casefile.services.highlights import tags_and_claims
from casefile.services.tags import SEP, list_tags


@dataclass(frozen=True)
class Passage:
    """One highlighted passage with where it comes from (document, outlet, date)."""

    highlight_id: str
    document_id: str
    document_title: str
    outlet: str
    published: str
    published_guessed: bool
    start: int
    end: int
    quote: str
    note: str
    tags: tuple[str, ...]  # paths
    claim_ids: tuple[str, ...]
    anchor: str = "exact"

    @property
    def id(self) -> str:
        return self.highlight_id


def _tag_ids(db: Database, case_id: str, tag: str, with_subtags: bool
             ) -> tuple[set[str], dict[str, str]]:
    """The ids a tag reference (path, name of a unique tag, or id) covers, and every tag's
    path."""
    tags = list_tags(db, case_id=case_id)
    paths = {t.id: t.path for t in tags}
    want = tag.strip().strip(SEP)
    hit = [t for t in tags if t.id == want or t.path.casefold() == want.casefold()]
    if not hit:
        hit = [t for t in tags if t.name.casefold() == want.casefold()]
        if len(hit) > 1:
            raise NotFound(f"several tags are called {tag!r}: "
                           + ", ".join(sorted(t.path for t in hit)) + "; give the whole path")
    if not hit:
        raise NotFound(f"no tag {tag!r} in this case")
    root = hit[0]
    if not with_subtags:
        return {root.id}, paths
    prefix = root.path.casefold() + SEP
    return {t.id for t in tags if t.id == root.id or t.path.casefold().startswith(prefix)}, paths


def _passages(db: Database, where, paths: dict[str, str]) -> list[Passage]:
    with db.read() as s:
        rows = s.execute(
            select(Highlight.id, Highlight.document_id, Highlight.start, Highlight.end,
                   Highlight.quote, Highlight.note, Highlight.anchor, Document.title,
                   Document.published, Document.guessed, Entity.name)
            .join(Document, Document.id == Highlight.document_id)
            .outerjoin(Entity, Entity.id == Document.outlet_id)
            .where(where)
            .order_by(Document.published, Document.title, Highlight.document_id,
                      Highlight.start, Highlight.end)).all()
        tags, claims = tags_and_claims(s, [r[0] for r in rows])
    return [Passage(hid, did, title, outlet or "", published, "published" in (guessed or ()),
                    start, end, quote, note, tuple(sorted(paths.get(t, t) for t in tags[hid])),
                    tuple(claims[hid]), anchor)
            for hid, did, start, end, quote, note, anchor, title, published, guessed, outlet
            in rows]


def by_tag(db: Database, *, case_id: str, tag: str, with_subtags: bool = True
           ) -> list[Passage]:
    """Every passage coded with ``tag`` (a path like "Events/Death", an id, or a name only one
    tag has) — and with its sub-tags unless ``with_subtags`` is False — oldest report first."""
    ids, paths = _tag_ids(db, case_id, tag, with_subtags)
    tagged = select(HighlightTag.highlight_id).where(HighlightTag.tag_id.in_(ids))
    return _passages(db, Highlight.id.in_(tagged) & (Document.case_id == case_id), paths)


def in_document(db: Database, *, document_id: str) -> list[Passage]:
    """Every highlight of one document in reading order, with its tags, note and claims."""
    with db.read() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise NotFound(f"no document with id {document_id!r}")
        case_id = doc.case_id
    paths = {t.id: t.path for t in list_tags(db, case_id=case_id)}
    return _passages(db, Highlight.document_id == document_id, paths)


@dataclass(frozen=True)
class TagCount:
    own: int  # passages coded with this very tag
    total: int  # with its sub-tags (a passage counted once)


def tag_counts(db: Database, *, case_id: str) -> dict[str, TagCount]:
    """Passages per tag id, own and including sub-tags, for the codebook."""
    with db.read() as s:
        tags = dict(s.execute(select(Tag.id, Tag.parent_id).where(Tag.case_id == case_id)).all())
        pairs = s.execute(select(HighlightTag.tag_id, HighlightTag.highlight_id)
                          .join(Tag, Tag.id == HighlightTag.tag_id)
                          .where(Tag.case_id == case_id)).all()
    own: dict[str, set[str]] = defaultdict(set)
    total: dict[str, set[str]] = defaultdict(set)
    for tid, hid in pairs:
        own[tid].add(hid)
        seen: set[str] = set()
        cur: str | None = tid
        while cur is not None and cur not in seen:  # up the tree; a cycle cannot hang it
            seen.add(cur)
            total[cur].add(hid)
            cur = tags.get(cur)
    return {tid: TagCount(len(own.get(tid, ())), len(total.get(tid, ()))) for tid in tags}


def claims_citing(db: Database, *, highlight_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each highlight, the (claim id, statement) pairs that cite it."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with db.read() as s:
        for i in range(0, len(highlight_ids), 500):
            part = highlight_ids[i:i + 500]
            for hid, cid, statement in s.execute(
                    select(ClaimEvidence.highlight_id, Claim.id, Claim.statement)
                    .join(Claim, Claim.id == ClaimEvidence.claim_id)
                    .where(ClaimEvidence.highlight_id.in_(part))):
                out[hid].append((cid, statement))
    return out
