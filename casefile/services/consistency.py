"""The app's own consistency checks beyond SQLite's: offsets, quotes, cross-case references."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from casefile import dates
from casefile.db.database import Database
from casefile.db.models import Alias, Claim, ClaimEvidence, Document, Entity, Highlight, Tag
from casefile.services.tags import tag_cycles


def consistency_problems(db: Database) -> list[str]:
    """Readable descriptions of every inconsistency found; empty when the data is sound."""
    problems: list[str] = []
    with db.read() as s:
        for h, text in s.execute(select(Highlight, Document.text).join(Document)):
            if h.anchor == "orphan":
                continue  # not placeable, not drawn: its offsets point nowhere on purpose
            if not 0 <= h.start < h.end <= len(text):
                problems.append(f"highlight {h.id} lies outside its document ({h.start}–{h.end} "
                                f"of {len(text)})")
            elif text[h.start:h.end] != h.quote:
                problems.append(f"highlight {h.id} no longer matches its quote")
        doc_case = aliased(Document)
        for cid, hid in s.execute(
                select(Claim.id, Highlight.id)
                .join(ClaimEvidence, ClaimEvidence.claim_id == Claim.id)
                .join(Highlight, Highlight.id == ClaimEvidence.highlight_id)
                .join(doc_case, doc_case.id == Highlight.document_id)
                .where(doc_case.case_id != Claim.case_id)):
            problems.append(f"claim {cid} cites passage {hid} from another case")
        cases = dict(s.execute(select(Entity.id, Entity.case_id)).all())
        for c in s.scalars(select(Claim)):
            for role in ("subject_id", "object_id", "place_id", "origin_id"):
                eid = getattr(c, role)
                if eid and cases.get(eid) != c.case_id:
                    problems.append(f"claim {c.id} names an entity of another case as "
                                    f"{role.removesuffix('_id')}")
            for eid in c.via or ():
                if cases.get(eid) != c.case_id:
                    problems.append(f"claim {c.id} passes through an unknown entity {eid}")
        for cid, value in s.execute(select(Claim.id, Claim.date)):
            if not dates.is_canonical(value or ""):
                problems.append(f"claim {cid} has an unusable date {value!r}")
        for case_id, tag_parents in _tag_trees(s).items():
            for cycle in tag_cycles(tag_parents):
                problems.append(f"tags {', '.join(cycle)} of case {case_id} form a cycle")
        for d in s.scalars(select(Document)):
            if not dates.is_canonical(d.published or ""):
                problems.append(f"document {d.id} has an unusable publication date "
                                f"{d.published!r}")
            starts = d.page_starts or []
            if starts and (starts[0] != 0 or starts != sorted(starts)
                           or starts[-1] > len(d.text)):
                problems.append(f"document {d.id} has bad page offsets")
            if d.outlet_id and cases.get(d.outlet_id) != d.case_id:
                problems.append(f"document {d.id} has an outlet from another case")
        for a, doc_case_id, ent_case_id in s.execute(
                select(Alias, Document.case_id, Entity.case_id)
                .join(Entity, Entity.id == Alias.entity_id)
                .join(Document, Document.id == Alias.document_id)):
            if doc_case_id != ent_case_id:
                problems.append(f"alias {a.id} cites a document of another case")
    from casefile.db.fts import index_is_current

    if not index_is_current(db):
        problems.append("the search index is no longer kept in step with the data (its "
                        "triggers are missing); `casefile check --repair` rebuilds it")
    return problems


def _tag_trees(s) -> dict[str, dict[str, str | None]]:
    trees: dict[str, dict[str, str | None]] = {}
    for tid, parent, case_id in s.execute(select(Tag.id, Tag.parent_id, Tag.case_id)):
        trees.setdefault(case_id, {})[tid] = parent
    return trees
