"""The app's own consistency checks beyond SQLite's: offsets, quotes, cross-case references."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from casefile.db.database import Database
from casefile.db.models import Alias, Claim, ClaimEvidence, Document, Entity, Highlight


def consistency_problems(db: Database) -> list[str]:
    """Readable descriptions of every inconsistency found; empty when the data is sound."""
    problems: list[str] = []
    with db.read() as s:
        for h, text in s.execute(select(Highlight, Document.text).join(Document)):
            if not 0 <= h.start < h.end <= len(text):
                problems.append(f"highlight {h.id} lies outside its document ({h.start}–{h.end} "
                                f"of {len(text)})")
            elif h.anchor != "orphan" and text[h.start:h.end] != h.quote:
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
        for d in s.scalars(select(Document)):
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
    from casefile.services.search import index_is_current

    if not index_is_current(db):
        problems.append("the search index is no longer kept in step with the data (its "
                        "triggers are missing); `casefile check --repair` rebuilds it")
    return problems
