"""Highlights: passages of a document, with context for re-anchoring, tags and a note."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casefile.anchoring import CONTEXT, context
from casefile.db.database import Database
from casefile.db.models import (
    Claim,
    ClaimEvidence,
    Document,
    Highlight,
    HighlightTag,
    Tag,
    new_id,
    utcnow,
)
from casefile.errors import NotFound, ValidationError
from casefile.services.common import get_or_raise
from casefile.services.records import HighlightRecord, HighlightSnapshot
from casefile.services.tags import ensure_tag_path
from casefile.textmatch import find_loose


def tags_and_claims(s: Session, ids: list[str]
                    ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Tag ids and citing claim ids of each highlight (queried in chunks)."""
    tags: dict[str, list[str]] = defaultdict(list)
    claims: dict[str, list[str]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for hid, tid in s.execute(select(HighlightTag.highlight_id, HighlightTag.tag_id)
                                  .where(HighlightTag.highlight_id.in_(part))):
            tags[hid].append(tid)
        for hid, cid in s.execute(select(ClaimEvidence.highlight_id, ClaimEvidence.claim_id)
                                  .where(ClaimEvidence.highlight_id.in_(part))):
            claims[hid].append(cid)
    return tags, claims


def _records(s: Session, rows: list[Highlight], new: bool = False) -> list[HighlightRecord]:
    """Records of ``rows`` with their tags and citing claims (``new``: just made, untagged,
    cited by nothing — nothing to look up)."""
    tags, claims = (defaultdict(list), defaultdict(list)) if new else \
        tags_and_claims(s, [h.id for h in rows])
    return [HighlightRecord(h.id, h.document_id, h.start, h.end, h.quote, h.prefix, h.suffix,
                            h.color, h.note, h.anchor, tuple(tags[h.id]), tuple(claims[h.id]),
                            h.created_at, h.updated_at) for h in rows]


def highlight_row(text: str, *, document_id: str, start: int, end: int, color: str = "",
                  note: str = "", id: str | None = None, at: int = 0,
                  length: int | None = None) -> dict:
    """The columns of a new highlight on ``text[start:end]`` (checked; quote and context
    taken from the text), for the ORM or a bulk insert. ``text`` may be a window of the
    document's text starting at offset ``at``, of a text ``length`` long in all."""
    n = len(text) + at if length is None else length
    if not (0 <= start < end <= n):
        raise ValidationError(f"a highlight must lie inside the text (0–{n}); got {start}–{end}")
    quote = text[start - at:end - at]
    if not quote.strip():
        raise ValidationError("a highlight cannot be only white space")
    prefix, suffix = context(text, start - at, end - at)
    stamp = utcnow()
    return {"id": id or new_id(), "document_id": document_id, "start": start, "end": end,
            "quote": quote, "prefix": prefix, "suffix": suffix, "color": color or "",
            "note": note or "", "anchor": "exact", "created_at": stamp, "updated_at": stamp}


def create_highlight_in_session(s: Session, *, document_id: str, start: int, end: int,
                                color: str = "", note: str = "", tag_ids: tuple[str, ...] = (),
                                tag_paths: tuple[str, ...] = (), id: str | None = None
                                ) -> Highlight:
    # the passage and its context, not the whole text (a book is megabytes)
    at = max(0, start - CONTEXT)
    found = s.execute(select(Document.case_id, func.length(Document.text),
                             func.substr(Document.text, at + 1, max(0, end + CONTEXT - at)))
                      .where(Document.id == document_id)).one_or_none()
    if found is None:
        raise NotFound(f"no document with id {document_id!r}")
    case_id, length, window = found
    h = Highlight(**highlight_row(window or "", document_id=document_id, start=start, end=end,
                                  color=color, note=note, id=id, at=at, length=length))
    s.add(h)
    s.flush()
    tids = list(tag_ids) + [ensure_tag_path(s, case_id=case_id, path=p).id for p in tag_paths]
    for tid in dict.fromkeys(tids):
        tag = get_or_raise(s, Tag, tid, "tag")
        if tag.case_id != case_id:
            raise ValidationError("that tag belongs to another case")
        s.add(HighlightTag(highlight_id=h.id, tag_id=tid))
    s.flush()
    return h


def create_highlight(db: Database, *, document_id: str, start: int, end: int, color: str = "",
                     note: str = "", tag_ids: tuple[str, ...] = (),
                     tag_paths: tuple[str, ...] = (), id: str | None = None) -> HighlightRecord:
    """Highlight ``text[start:end]`` (code-point offsets) of a document."""
    with db.write() as s:
        h = create_highlight_in_session(s, document_id=document_id, start=start, end=end,
                                        color=color, note=note, tag_ids=tag_ids,
                                        tag_paths=tag_paths, id=id)
        return _records(s, [h])[0]


def highlight_passage(db: Database, *, document_id: str, start: int, end: int,
                      note: str = "", tag_paths: tuple[str, ...] = (), id: str | None = None
                      ) -> tuple[HighlightRecord, HighlightRecord | None]:
    """Highlight a passage, in one write: a passage that is already highlighted keeps its one
    highlight (the note, when given, replaces its note; the tags are added to its tags).
    Returns the highlight and, when it existed already, how it was before."""
    with db.write() as s:
        return highlight_passage_in_session(s, document_id=document_id, start=start, end=end,
                                            note=note, tag_paths=tag_paths, id=id)


def highlight_passage_in_session(s: Session, *, document_id: str, start: int, end: int,
                                 note: str = "", tag_paths: tuple[str, ...] = (),
                                 id: str | None = None
                                 ) -> tuple[HighlightRecord, HighlightRecord | None]:
    """``highlight_passage`` inside the caller's transaction (a claim made on a passage)."""
    h = _exact(s, document_id, start, end)
    if h is None:
        h = create_highlight_in_session(s, document_id=document_id, start=start, end=end,
                                        note=note, tag_paths=tag_paths, id=id)
        return _records(s, [h], new=not tag_paths)[0], None
    before = _records(s, [h])[0]
    if not note and not tag_paths:
        return before, before
    _edit(s, h, note=note or None, add_tag_paths=tag_paths)
    return _records(s, [h])[0], before


def locate_quote(db: Database, *, document_id: str, quote: str) -> tuple[int, int]:
    """Offsets of the first loose occurrence of ``quote`` in the document, or ``NotFound``."""
    with db.read() as s:
        doc = get_or_raise(s, Document, document_id, "document")
        span = find_loose(doc.text, quote)
        if span is None:
            short = quote if len(quote) < 60 else quote[:57] + "…"
            raise NotFound(f"the passage “{short}” is not in “{doc.title or doc.id}”")
        return span


def get_highlight(db: Database, *, highlight_id: str) -> HighlightRecord:
    with db.read() as s:
        return _records(s, [get_or_raise(s, Highlight, highlight_id, "highlight")])[0]


def find_exact(db: Database, *, document_id: str, start: int, end: int
               ) -> HighlightRecord | None:
    """The placed highlight covering exactly ``[start, end)`` of a document, if there is one:
    an action on a passage that is already highlighted must reuse it, never make a twin."""
    with db.read() as s:
        h = _exact(s, document_id, start, end)
        return _records(s, [h])[0] if h is not None else None


def _exact(s: Session, document_id: str, start: int, end: int) -> Highlight | None:
    return s.scalars(select(Highlight).where(
        Highlight.document_id == document_id, Highlight.start == start,
        Highlight.end == end, Highlight.anchor != "orphan")
        .order_by(Highlight.created_at).limit(1)).first()


def list_highlights(db: Database, *, document_id: str | None = None,
                    case_id: str | None = None, ids: list[str] | None = None
                    ) -> list[HighlightRecord]:
    """Highlights of one document, or of a whole case, in text order (only those of ``ids``
    when given — at most a few hundred)."""
    with db.read() as s:
        q = select(Highlight).order_by(Highlight.document_id, Highlight.start, Highlight.end)
        if ids is not None:
            q = q.where(Highlight.id.in_(ids))
        if document_id:
            q = q.where(Highlight.document_id == document_id)
        elif case_id:
            q = q.join(Document).where(Document.case_id == case_id)
        else:
            raise ValidationError("name a document or a case")
        return _records(s, list(s.scalars(q).all()))


def update_highlight(db: Database, *, highlight_id: str, note: str | None = None,
                     color: str | None = None, tag_ids: tuple[str, ...] | None = None,
                     add_tag_paths: tuple[str, ...] = ()) -> HighlightRecord:
    """Change a highlight's note, colour or (replacing them all) its tags; ``add_tag_paths``
    adds tags by path ("Events/Death"), creating the ones the case does not have."""
    with db.write() as s:
        h = get_or_raise(s, Highlight, highlight_id, "highlight")
        _edit(s, h, note=note, color=color, tag_ids=tag_ids, add_tag_paths=add_tag_paths)
        return _records(s, [h])[0]


def _edit(s: Session, h: Highlight, *, note: str | None = None, color: str | None = None,
          tag_ids: tuple[str, ...] | None = None, add_tag_paths: tuple[str, ...] = ()) -> None:
    if note is not None:
        h.note = note
    if color is not None:
        h.color = color
    if tag_ids is not None or add_tag_paths:
        case_id = s.get(Document, h.document_id).case_id
        current = list(s.scalars(select(HighlightTag.tag_id)
                                 .where(HighlightTag.highlight_id == h.id)))
        wanted = list(current if tag_ids is None else tag_ids)
        wanted += [ensure_tag_path(s, case_id=case_id, path=p).id for p in add_tag_paths]
        wanted = list(dict.fromkeys(wanted))
        if wanted != current:
            for tid in set(current) - set(wanted):
                s.execute(delete(HighlightTag).where(HighlightTag.highlight_id == h.id,
                                                     HighlightTag.tag_id == tid))
            for tid in wanted:
                if tid in current:
                    continue
                tag = get_or_raise(s, Tag, tid, "tag")
                if tag.case_id != case_id:
                    raise ValidationError("that tag belongs to another case")
                s.add(HighlightTag(highlight_id=h.id, tag_id=tid))
            h.updated_at = utcnow()
    s.flush()


def delete_highlight(db: Database, *, highlight_id: str) -> HighlightSnapshot:
    """Delete a highlight; the snapshot lets ``restore_highlight`` bring it back (undo)."""
    with db.write() as s:
        h = get_or_raise(s, Highlight, highlight_id, "highlight")
        rec = _records(s, [h])[0]
        evidence = tuple(s.execute(select(ClaimEvidence.claim_id, ClaimEvidence.position)
                                   .where(ClaimEvidence.highlight_id == h.id)).all())
        s.delete(h)
        return HighlightSnapshot(rec, evidence)


def restore_highlight(db: Database, *, snapshot: HighlightSnapshot) -> HighlightRecord:
    """Re-create a deleted highlight under its old id, with its tags and claim evidence."""
    r = snapshot.highlight
    with db.write() as s:
        if s.get(Highlight, r.id) is not None:
            raise ValidationError("that highlight exists already")
        if r.anchor != "orphan" and s.scalar(select(Highlight.id).where(
                Highlight.document_id == r.document_id, Highlight.start == r.start,
                Highlight.end == r.end, Highlight.anchor != "orphan").limit(1)):
            raise ValidationError("that passage has been highlighted again meanwhile "
                                  "(perhaps in another window)")
        get_or_raise(s, Document, r.document_id, "document")
        h = Highlight(id=r.id, document_id=r.document_id, start=r.start, end=r.end,
                      quote=r.quote, prefix=r.prefix, suffix=r.suffix, color=r.color,
                      note=r.note, anchor=r.anchor)
        s.add(h)
        s.flush()
        for tid in r.tag_ids:
            if s.get(Tag, tid) is not None:
                s.add(HighlightTag(highlight_id=h.id, tag_id=tid))
        for claim_id, pos in snapshot.evidence:
            if s.get(Claim, claim_id) is not None:
                s.add(ClaimEvidence(claim_id=claim_id, highlight_id=h.id, position=pos))
        s.flush()
        return _records(s, [h])[0]


def require_highlight(s: Session, highlight_id: str) -> Highlight:
    h = s.get(Highlight, highlight_id)
    if h is None:
        raise NotFound(f"no highlight with id {highlight_id!r}")
    return h
