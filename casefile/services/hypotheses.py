"""Competing hypotheses (ACH): add, edit, reorder, delete; rate cells; accept suggestions; the
matrix with scores and sensitivity. One short session per call; plain data back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from casefile import dates
from casefile.analysis import ach
from casefile.analysis.ach_suggest import Hypothesis, same_hypothesis
from casefile.analysis.ach_suggest import versions as _versions
from casefile.analysis.facts import ClaimFact, Passage, load_facts
from casefile.bulk import bulk_allocation
from casefile.db.database import Database
from casefile.db.models import (
    AchPassage,
    Case,
    Claim,
    Document,
    Entity,
    HypothesisRating,
    rating_id,
    utcnow,
)
from casefile.db.models import Hypothesis as HypothesisRow
from casefile.errors import NotFound, ValidationError
from casefile.services.claims import _kind
from casefile.services.common import get_or_raise, require_choice, require_text
from casefile.services.entities import get_or_create_in_session
from casefile.services.highlights import require_highlight
from casefile.vocab import STANCES, guess_entity_kind


@dataclass(frozen=True)
class HypothesisInput:
    """A hypothesis as the analyst states it. Only ``statement`` is required; with a subject
    and a kind it is structured and Casefile suggests ratings. Entities are given by id, name
    or alias; an unknown name becomes a new entity (as for claims)."""

    statement: str
    subject: str = ""
    kind: str = ""
    object: str = ""
    value: str = ""
    date: str = ""
    date_end: str = ""
    place: str = ""
    stance: str = "asserts"
    note: str = ""


@dataclass(frozen=True)
class RatingRecord:
    hypothesis_id: str
    evidence_id: str  # a claim id, or the highlight id of a passage in the matrix
    rating: str | None  # None: no rating (in an undo record: clear the cell)
    note: str | None = None  # None when setting: keep the cell's note


@dataclass(frozen=True)
class PassageRecord:
    id: str
    case_id: str
    highlight_id: str
    note: str = ""


@dataclass(frozen=True)
class HypothesisSnapshot:
    """A deleted hypothesis with its ratings, for undo."""

    hypothesis: Hypothesis
    ratings: tuple[RatingRecord, ...]


@dataclass(frozen=True)
class PassageSnapshot:
    passage: PassageRecord
    ratings: tuple[RatingRecord, ...]


# -- hypotheses -------------------------------------------------------------------------------


def _record(s: Session, h: HypothesisRow) -> Hypothesis:
    ids = {x for x in (h.subject_id, h.object_id, h.place_id) if x}
    names = dict(s.execute(select(Entity.id, Entity.name).where(Entity.id.in_(ids))).all()) \
        if ids else {}
    return Hypothesis(
        h.id, h.statement, h.position, h.note, h.subject_id, names.get(h.subject_id, ""),
        h.kind, h.object_id, names.get(h.object_id, ""), h.value, h.date, h.date_end,
        h.place_id, names.get(h.place_id, ""), h.stance, h.case_id, h.updated_at)


def _entity(s: Session, case_id: str, name: str, kind: str) -> str | None:
    name = (name or "").strip()
    return get_or_create_in_session(s, case_id=case_id, name=name, kind=kind).id if name else None


def _apply(s: Session, h: HypothesisRow, data: HypothesisInput) -> None:
    h.statement = require_text(data.statement, "a hypothesis statement")
    h.kind = _kind(data.kind) if data.kind.strip() else ""
    for field in ("subject", "object"):  # a new name gets the claims' kind guess
        name = getattr(data, field)
        setattr(h, f"{field}_id", _entity(s, h.case_id, name, guess_entity_kind(
            name, field=field, claim_kind=h.kind)))
    h.place_id = _entity(s, h.case_id, data.place, "place")
    h.value = data.value.strip()
    h.date = dates.normalize(data.date)
    h.date_end = dates.normalize(data.date_end)
    if h.date_end and not h.date:
        raise ValidationError("a date range needs its first date too")
    if h.date_end:
        first, last = dates.parse_stored(h.date), dates.parse_stored(h.date_end)
        if first and last and last.span()[1] < first.span()[0]:
            raise ValidationError("the date range ends before it begins")
    h.stance = require_choice(data.stance or "asserts", STANCES, "stance")
    h.note = data.note or ""


def _next_position(s: Session, case_id: str) -> int:
    last = s.scalar(select(func.max(HypothesisRow.position))
                    .where(HypothesisRow.case_id == case_id))
    return 0 if last is None else last + 1


def add_hypothesis(db: Database, *, case_id: str, data: HypothesisInput,
                   position: int | None = None, id: str | None = None) -> Hypothesis:
    """Store a new hypothesis, last in the case's order unless ``position`` is given."""
    with db.write() as s:
        get_or_raise(s, Case, case_id, "case")
        h = HypothesisRow(case_id=case_id)
        if id:
            h.id = id
        _apply(s, h, data)
        if position is None:
            h.position = _next_position(s, case_id)
        else:
            _make_room(s, case_id, position)
            h.position = position
        s.add(h)
        s.flush()
        return _record(s, h)


def _make_room(s: Session, case_id: str, position: int) -> None:
    for row in s.scalars(select(HypothesisRow).where(HypothesisRow.case_id == case_id,
                                                     HypothesisRow.position >= position)):
        row.position += 1


def update_hypothesis(db: Database, *, hypothesis_id: str, data: HypothesisInput) -> Hypothesis:
    with db.write() as s:
        h = get_or_raise(s, HypothesisRow, hypothesis_id, "hypothesis")
        _apply(s, h, data)
        h.updated_at = utcnow()
        s.flush()
        return _record(s, h)


def as_input(h: Hypothesis) -> HypothesisInput:
    """A stored hypothesis as input (entities by id), for edits and undo."""
    return HypothesisInput(h.statement, h.subject_id or "", h.kind, h.object_id or "", h.value,
                           h.date, h.date_end, h.place_id or "", h.stance, h.note)


def get_hypothesis(db: Database, *, hypothesis_id: str) -> Hypothesis:
    with db.read() as s:
        return _record(s, get_or_raise(s, HypothesisRow, hypothesis_id, "hypothesis"))


def _list(s: Session, case_id: str) -> list[Hypothesis]:
    rows = s.scalars(select(HypothesisRow).where(HypothesisRow.case_id == case_id)
                     .order_by(HypothesisRow.position, HypothesisRow.id)).all()
    names = dict(s.execute(select(Entity.id, Entity.name).where(Entity.case_id == case_id)).all())
    return [Hypothesis(h.id, h.statement, h.position, h.note, h.subject_id,
                       names.get(h.subject_id, ""), h.kind, h.object_id,
                       names.get(h.object_id, ""), h.value, h.date, h.date_end, h.place_id,
                       names.get(h.place_id, ""), h.stance, h.case_id, h.updated_at)
            for h in rows]


def list_hypotheses(db: Database, *, case_id: str) -> list[Hypothesis]:
    """The case's hypotheses in the analyst's order."""
    with db.read() as s:
        return _list(s, case_id)


def reorder_hypotheses(db: Database, *, case_id: str, order: Sequence[str]) -> list[str]:
    """Put the case's hypotheses in ``order`` (every id once); returns the previous order."""
    with db.write() as s:
        rows = {h.id: h for h in s.scalars(select(HypothesisRow)
                                           .where(HypothesisRow.case_id == case_id))}
        if sorted(order) != sorted(rows):
            raise ValidationError("the new order must list each of the case's hypotheses once")
        before = [h.id for h in sorted(rows.values(), key=lambda h: (h.position, h.id))]
        for pos, hid in enumerate(order):
            if rows[hid].position != pos:
                rows[hid].position = pos
                rows[hid].updated_at = utcnow()
        return before


def move_hypothesis(db: Database, *, hypothesis_id: str, position: int) -> list[str]:
    """Move one hypothesis to ``position`` (0-based, clamped); returns the previous order."""
    h = get_hypothesis(db, hypothesis_id=hypothesis_id)
    order = [x.id for x in list_hypotheses(db, case_id=h.case_id)]
    order.remove(hypothesis_id)
    order.insert(max(0, min(position, len(order))), hypothesis_id)
    return reorder_hypotheses(db, case_id=h.case_id, order=order)


def _rating_records(rows: Iterable[HypothesisRating]) -> tuple[RatingRecord, ...]:
    return tuple(RatingRecord(r.hypothesis_id, r.claim_id or r.highlight_id, r.rating, r.note)
                 for r in rows)


def delete_hypothesis(db: Database, *, hypothesis_id: str) -> HypothesisSnapshot:
    """Delete a hypothesis and its ratings; the snapshot lets ``restore_hypothesis`` undo it."""
    with db.write() as s:
        h = get_or_raise(s, HypothesisRow, hypothesis_id, "hypothesis")
        snap = HypothesisSnapshot(_record(s, h), _rating_records(s.scalars(
            select(HypothesisRating).where(HypothesisRating.hypothesis_id == hypothesis_id))))
        s.delete(h)
        return snap


def restore_hypothesis(db: Database, *, snapshot: HypothesisSnapshot) -> Hypothesis:
    """Re-create a deleted hypothesis under its id and place, with the ratings whose evidence
    still exists."""
    h = snapshot.hypothesis
    rec = add_hypothesis(db, case_id=h.case_id, data=as_input(h), position=h.position, id=h.id)
    set_ratings(db, ratings=snapshot.ratings, missing_ok=True)
    return rec


_ENTITY_COLUMNS = ("subject_id", "object_id", "place_id")


def repoint_entity(s: Session, old_id: str, new_id: str) -> tuple[tuple[str, str], ...]:
    """Inside an entity merge: hypotheses naming ``old_id`` name ``new_id`` instead. Returns
    the (hypothesis id, column) pairs moved, for ``restore_entity_refs``."""
    refs: list[tuple[str, str]] = []
    for col in _ENTITY_COLUMNS:
        column = getattr(HypothesisRow, col)
        ids = list(s.scalars(select(HypothesisRow.id).where(column == old_id)))
        if ids:
            s.execute(update(HypothesisRow).where(column == old_id).values({col: new_id}))
            refs += [(hid, col) for hid in ids]
    return tuple(refs)


def restore_entity_refs(s: Session, refs: Iterable[tuple[str, str]], entity_id: str) -> None:
    """Undo of ``repoint_entity`` (inside the unmerge's transaction)."""
    for hid, col in refs:
        s.execute(update(HypothesisRow).where(HypothesisRow.id == hid).values({col: entity_id}))


# -- ratings ----------------------------------------------------------------------------------


def _evidence_column(s: Session, case_id: str, evidence_id: str) -> str:
    """"claim_id" or "highlight_id" for an evidence id of the case; refuses anything else."""
    claim = s.get(Claim, evidence_id)
    if claim is not None:
        if claim.case_id != case_id:
            raise ValidationError("that claim belongs to another case")
        return "claim_id"
    if s.scalar(select(AchPassage.id).where(AchPassage.case_id == case_id,
                                            AchPassage.highlight_id == evidence_id)):
        return "highlight_id"
    raise NotFound(f"no claim (or passage in the matrix) with id {evidence_id!r}")


def _rate(s: Session, hypothesis_id: str, evidence_id: str, rating: str | None,
          note: str | None) -> RatingRecord | None:
    h = get_or_raise(s, HypothesisRow, hypothesis_id, "hypothesis")
    column = _evidence_column(s, h.case_id, evidence_id)
    row = s.get(HypothesisRating, rating_id(hypothesis_id, evidence_id))
    previous = _rating_records([row])[0] if row is not None else None
    if rating is None:
        if row is not None:
            s.delete(row)
        return previous
    rating = require_choice(rating.strip().upper(), ach.RATINGS, "rating")
    if row is None:
        row = HypothesisRating(id=rating_id(hypothesis_id, evidence_id), case_id=h.case_id,
                               hypothesis_id=hypothesis_id, rating=rating, note=note or "",
                               **{column: evidence_id})
        s.add(row)
    elif row.rating != rating or (note is not None and note != row.note):
        row.rating = rating
        row.note = row.note if note is None else note
        row.updated_at = utcnow()
    s.flush()
    return previous


def rate(db: Database, *, hypothesis_id: str, evidence_id: str, rating: str | None,
         note: str | None = None) -> RatingRecord | None:
    """Set the analyst's rating of a claim (or matrix passage) against a hypothesis: one of
    CC, C, N, I, II, NA; ``None`` clears it (the cell shows Casefile's suggestion again).
    Returns the rating it replaced, for undo."""
    with db.write() as s:
        return _rate(s, hypothesis_id, evidence_id, rating, note)


def set_ratings(db: Database, *, ratings: Iterable[RatingRecord],
                missing_ok: bool = False) -> list[RatingRecord]:
    """Set many cells in one transaction (bulk accept, undo, restoring a snapshot); a record
    whose rating is None clears its cell. With ``missing_ok`` cells whose evidence was deleted
    meanwhile are skipped. Returns what the cells held before, for undo."""
    before = []
    with db.write() as s:
        for r in ratings:
            try:
                prev = _rate(s, r.hypothesis_id, r.evidence_id, r.rating, r.note)
            except NotFound:
                if not missing_ok:
                    raise
                continue
            before.append(prev or RatingRecord(r.hypothesis_id, r.evidence_id, None))
    return before


def accept_suggestions(db: Database, *, case_id: str, hypothesis_id: str | None = None,
                       evidence_ids: Sequence[str] | None = None,
                       all_claims: bool = False) -> list[RatingRecord]:
    """Make Casefile's pending suggestions the analyst's ratings: of one hypothesis, of some
    rows, or of the whole matrix. Cells the analyst rated are left alone. Returns what undo
    passes to ``set_ratings``."""
    m = matrix(db, case_id=case_id, all_claims=all_claims)
    wanted = set(evidence_ids) if evidence_ids is not None else None
    todo: list[RatingRecord] = []
    for row in m.rows:
        if wanted is not None and row.key not in wanted:
            continue
        for h, cell in zip(m.hypotheses, row.cells, strict=True):
            if cell.suggested and (hypothesis_id is None or h.id == hypothesis_id):
                todo.append(RatingRecord(h.id, row.key, cell.rating))
    return set_ratings(db, ratings=todo)


def list_ratings(db: Database, *, case_id: str) -> list[RatingRecord]:
    with db.read() as s:
        return list(_rating_records(s.scalars(
            select(HypothesisRating).where(HypothesisRating.case_id == case_id))))


# -- passages as evidence ---------------------------------------------------------------------


def add_passage(db: Database, *, highlight_id: str, note: str = "", id: str | None = None
                ) -> PassageRecord:
    """Put a highlight into the matrix as evidence of its own (no-op if it is already in)."""
    with db.write() as s:
        h = require_highlight(s, highlight_id)
        case_id = s.get(Document, h.document_id).case_id
        row = s.scalar(select(AchPassage).where(AchPassage.case_id == case_id,
                                                AchPassage.highlight_id == highlight_id))
        if row is None:
            row = AchPassage(case_id=case_id, highlight_id=highlight_id, note=note or "")
            if id:
                row.id = id
            s.add(row)
            s.flush()
        return PassageRecord(row.id, row.case_id, row.highlight_id, row.note)


def list_passages(db: Database, *, case_id: str) -> list[PassageRecord]:
    """The highlights put into the case's matrix as evidence of their own."""
    with db.read() as s:
        return [PassageRecord(p.id, p.case_id, p.highlight_id, p.note) for p in s.scalars(
            select(AchPassage).where(AchPassage.case_id == case_id))]


def remove_passage(db: Database, *, highlight_id: str) -> PassageSnapshot:
    """Take a passage out of the matrix (the highlight stays); undo with ``restore_passage``."""
    with db.write() as s:
        row = s.scalar(select(AchPassage).where(AchPassage.highlight_id == highlight_id))
        if row is None:
            raise NotFound("that passage is not in the matrix")
        snap = PassageSnapshot(
            PassageRecord(row.id, row.case_id, row.highlight_id, row.note),
            _rating_records(s.scalars(select(HypothesisRating).where(
                HypothesisRating.highlight_id == highlight_id))))
        for r in s.scalars(select(HypothesisRating)
                           .where(HypothesisRating.highlight_id == highlight_id)):
            s.delete(r)
        s.delete(row)
        return snap


def restore_passage(db: Database, *, snapshot: PassageSnapshot) -> PassageRecord:
    p = snapshot.passage
    rec = add_passage(db, highlight_id=p.highlight_id, note=p.note, id=p.id)
    set_ratings(db, ratings=snapshot.ratings, missing_ok=True)
    return rec


# -- the matrix -------------------------------------------------------------------------------

_RATINGS = """
SELECT hypothesis_id, claim_id, highlight_id, rating, note FROM hypothesis_rating
WHERE case_id = ?"""
_PASSAGES = """
SELECT h.id, h.quote, h.document_id, h.start, h."end", d.outlet_id, d.published
FROM ach_passage p JOIN highlight h ON h.id = p.highlight_id
JOIN document d ON d.id = h.document_id WHERE p.case_id = ?"""


def _passage_facts(s: Session, case_id: str, names: dict[str, str]) -> list[ClaimFact]:
    raw = s.connection().connection.driver_connection
    out = []
    for hid, quote, doc, start, end, outlet, published in raw.execute(_PASSAGES, (case_id,)):
        out.append(ClaimFact(hid, "", "", ach.PASSAGE_KIND, quote,
                             outlet_ids=(outlet,) if outlet else (),
                             outlets=(names.get(outlet, ""),) if outlet else (),
                             reported=published or "",
                             passages=(Passage(doc, start, end),)))
    return out


def matrix(db: Database, *, case_id: str, all_claims: bool = False,
           include_suggestions: bool = True) -> ach.Matrix:
    """The case's ACH matrix (see ``casefile.analysis.ach.case_matrix``): two short reads."""
    facts = load_facts(db, case_id=case_id)
    with db.read() as s:
        get_or_raise(s, Case, case_id, "case")
        hyps = _list(s, case_id)
        raw = s.connection().connection.driver_connection  # plain rows: thousands of cells
        rated = {(hid, cid or lid): (rating, note) for hid, cid, lid, rating, note
                 in raw.execute(_RATINGS, (case_id,))}
        reliability = dict(s.execute(select(Entity.id, Entity.reliability).where(
            Entity.case_id == case_id, Entity.reliability != "")).all())
        passages = _passage_facts(s, case_id, facts.names)
    with bulk_allocation():  # tens of thousands of cells
        return ach.case_matrix(hyps, facts.claims, passages=passages, ratings=rated,
                               reliability=reliability, kinds=facts.kinds, links=facts.links,
                               all_claims=all_claims, include_suggestions=include_suggestions)


# -- from the conflicts view ------------------------------------------------------------------


def drafts_from_conflict(db: Database, *, case_id: str, claim_ids: Sequence[str]
                         ) -> list[HypothesisInput]:
    """One hypothesis per competing version among the claims of a conflict set, minus those
    the case already has — for the analyst to review before adding."""
    facts = load_facts(db, case_id=case_id)
    wanted = set(claim_ids)
    members = [c for c in facts.claims if c.id in wanted]
    if not members:
        raise ValidationError("none of those claims belongs to this case")
    existing = list_hypotheses(db, case_id=case_id)
    out = []
    for draft in _versions(members):
        if not any(same_hypothesis(draft, h) for h in existing):
            out.append(as_input(draft))
            existing.append(replace(draft, id="draft"))
    return out


def add_from_conflict(db: Database, *, case_id: str, claim_ids: Sequence[str]
                      ) -> list[Hypothesis]:
    """Add the hypotheses ``drafts_from_conflict`` proposes; returns those added."""
    return [add_hypothesis(db, case_id=case_id, data=d)
            for d in drafts_from_conflict(db, case_id=case_id, claim_ids=claim_ids)]

