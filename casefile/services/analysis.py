"""Analysis use cases: conflict sets, corroboration, timelines and the graph of one case."""

from __future__ import annotations

from dataclasses import dataclass

from casefile.analysis import conflicts as _conflicts
from casefile.analysis import corroboration as _corr
from casefile.analysis import graph as _graph
from casefile.analysis import timeline as _timeline
from casefile.analysis.conflicts import ConflictSet
from casefile.analysis.corroboration import Corroboration
from casefile.analysis.facts import CaseFacts, ClaimFact, load_facts
from casefile.analysis.graph import Graph
from casefile.analysis.timeline import TimelineEntry
from casefile.bulk import bulk_allocation
from casefile.db.database import Database


@dataclass(frozen=True)
class ConflictView:
    """A conflict set with its members as plain facts (for the conflicts panel)."""

    set: ConflictSet
    members: tuple[ClaimFact, ...]


def _sets(facts: CaseFacts) -> list[ConflictSet]:
    with bulk_allocation():
        return _conflicts.find_conflicts(facts.claims, links=facts.links,
                                         resolutions=facts.resolutions)


def list_conflicts(db: Database, *, case_id: str, include_resolved: bool = True
                   ) -> list[ConflictView]:
    """Conflict sets of the case, open ones first, each with its member claims."""
    facts = load_facts(db, case_id=case_id)
    by_id = {c.id: c for c in facts.claims}
    return [ConflictView(s, tuple(by_id[c] for c in s.claim_ids)) for s in _sets(facts)
            if include_resolved or not s.resolved]


def corroboration(db: Database, *, case_id: str) -> dict[str, Corroboration]:
    """claim id -> independent origins and a suggested (never imposed) credibility grade."""
    facts = load_facts(db, case_id=case_id)
    return _corr.corroborate(facts.claims, links=facts.links, conflicts=_sets(facts))


def timeline(db: Database, *, case_id: str, by: str = _timeline.EVENT) -> list[TimelineEntry]:
    """Dated claims ordered by event date (``by="event"``) or report date (``"reported"``)."""
    facts = load_facts(db, case_id=case_id)
    conflicting = _conflicts.conflicting_claim_ids(
        [s for s in _sets(facts) if not s.resolved])
    accepted = {r.accepted_claim_id for r in facts.resolutions if r.accepted_claim_id}
    return _timeline.build_timeline(facts.claims, by=by, conflicts=conflicting,
                                    accepted=accepted)


def relationship_graph(db: Database, *, case_id: str, iterations: int = 120) -> Graph:
    """Nodes, labelled edges and a layout for relationship, membership and role claims."""
    facts = load_facts(db, case_id=case_id)
    nodes, edges = _graph.build_graph(facts.claims, kinds=facts.kinds)
    return _graph.layout(nodes, edges, iterations=iterations)


def claim_facts(db: Database, *, case_id: str) -> list[ClaimFact]:
    return load_facts(db, case_id=case_id).claims
