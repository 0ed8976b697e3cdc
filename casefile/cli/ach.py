"""CLI: competing hypotheses (``casefile hypothesis …``) and the ACH matrix (``casefile ach``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from casefile.cli.util import (
    add_case_option,
    add_json_option,
    case_for,
    db_for,
    lazy_modules,
    print_json,
)
from casefile.cli.util import print_table as table
from casefile.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from casefile.analysis.ach import Matrix
    from casefile.db.database import Database
    from casefile.services.hypotheses import Hypothesis

analysis, hypotheses, identity = lazy_modules(
    "casefile.services.analysis", "casefile.services.hypotheses", "casefile.services.identity")
RATINGS = ("CC", "C", "N", "I", "II", "NA")  # as casefile.analysis.ach (checked by a test)

_FIELDS = ("subject", "kind", "object", "value", "date", "date_end", "place", "stance", "note")


def _fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--subject", help="who or what it is about (id, name or alias)")
    p.add_argument("--kind", help="the kind of fact, as for claims (death, location, …)")
    p.add_argument("--object", help="the other entity, for relationships, roles, …")
    p.add_argument("--value", help="a literal value (a role, a cause, …)")
    p.add_argument("--date", help="when (2020, August 2020, 3 Aug 2020, ~2017)")
    p.add_argument("--date-end", dest="date_end", help="the end of a date range")
    p.add_argument("--place", help="where (id, name or alias)")
    p.add_argument("--stance", choices=("asserts", "denies", "doubts"))
    p.add_argument("--note")


def register(sub: argparse._SubParsersAction) -> None:
    p_h = sub.add_parser("hypothesis", help="competing hypotheses and their ratings (ACH)")
    h_sub = p_h.add_subparsers(dest="hypothesis_command", metavar="ACTION", required=True)

    p = h_sub.add_parser("add", help="add a hypothesis (structured: --subject and --kind)")
    add_case_option(p)
    p.add_argument("statement")
    _fields(p)
    add_json_option(p)
    p.set_defaults(func=cmd_add)

    p = h_sub.add_parser("edit", help="change a hypothesis (only the fields given)")
    add_case_option(p)
    p.add_argument("hypothesis", metavar="HYP_ID")
    p.add_argument("--statement")
    _fields(p)
    add_json_option(p)
    p.set_defaults(func=cmd_edit)

    p = h_sub.add_parser("list", help="the case's hypotheses in order")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_list)

    p = h_sub.add_parser("delete", help="delete a hypothesis and its ratings")
    add_case_option(p)
    p.add_argument("hypothesis", metavar="HYP_ID")
    p.set_defaults(func=cmd_delete)

    p = h_sub.add_parser("move", help="move a hypothesis to a position (1 = first)")
    add_case_option(p)
    p.add_argument("hypothesis", metavar="HYP_ID")
    p.add_argument("position", type=int)
    p.set_defaults(func=cmd_move)

    p = h_sub.add_parser("rate", help="rate a claim (or matrix passage) against a hypothesis")
    add_case_option(p)
    p.add_argument("hypothesis", metavar="HYP_ID")
    p.add_argument("claim", metavar="CLAIM_ID")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--as", dest="rating", type=str.upper, choices=RATINGS,
                     help="very consistent (CC) … very inconsistent (II), or not applicable")
    how.add_argument("--clear", action="store_true", help="remove your rating (the "
                     "suggestion shows again)")
    p.add_argument("--note")
    p.set_defaults(func=cmd_rate)

    p = h_sub.add_parser("accept", help="make Casefile's suggested ratings your own")
    add_case_option(p)
    p.add_argument("hypothesis", metavar="HYP_ID", nargs="?", help="only this hypothesis")
    p.add_argument("--claim", metavar="CLAIM_ID", help="only this claim's row")
    add_json_option(p)
    p.set_defaults(func=cmd_accept)

    p = h_sub.add_parser("passage", help="put a highlight into the matrix as evidence")
    add_case_option(p)
    p.add_argument("highlight", metavar="HIGHLIGHT_ID")
    p.add_argument("--remove", action="store_true", help="take it out of the matrix")
    p.set_defaults(func=cmd_passage)

    p = h_sub.add_parser("from-conflict", help="one hypothesis per version in a conflict set")
    add_case_option(p)
    p.add_argument("subject", help="the set's subject (id, name or alias)")
    p.add_argument("kind")
    add_json_option(p)
    p.set_defaults(func=cmd_from_conflict)

    p = sub.add_parser("ach", help="the ACH matrix: scores, ranking, diagnosticity, sensitivity")
    add_case_option(p)
    p.add_argument("--all-claims", action="store_true",
                   help="every claim of the case, not only those about the hypotheses' subjects")
    p.add_argument("--rated-only", action="store_true",
                   help="count only your own ratings, not Casefile's pending suggestions")
    add_json_option(p)
    p.set_defaults(func=cmd_ach)


def _unique(ref: str, ids: list[str], what: str) -> str:
    if ref in ids:
        return ref
    found = [i for i in ids if i.startswith(ref)] if len(ref) >= 4 else []
    if len(found) == 1:
        return found[0]
    raise NotFound(f"no {what} with id {ref!r}" if not found
                   else f"{ref!r} matches several {what}s; give more of the id")


def _hypothesis(db: Database, case_id: str, ref: str) -> str:
    return _unique(ref, [h.id for h in hypotheses.list_hypotheses(db, case_id=case_id)],
                   "hypothesis")


def _evidence(db: Database, case_id: str, ref: str) -> str:
    ids = [c.id for c in analysis.claim_facts(db, case_id=case_id)]
    ids += [p.highlight_id for p in hypotheses.list_passages(db, case_id=case_id)]
    return _unique(ref, ids, "claim")


def _json(h: Hypothesis) -> dict[str, Any]:
    return {"id": h.id, "statement": h.statement, "position": h.position + 1,
            "subject": h.subject or None, "subject_id": h.subject_id, "kind": h.kind or None,
            "object": h.object or None, "object_id": h.object_id, "value": h.value or None,
            "date": h.date or None, "date_end": h.date_end or None, "place": h.place or None,
            "place_id": h.place_id, "stance": h.stance, "note": h.note,
            "structured": h.structured}


def cmd_add(args) -> int:
    db = db_for(args)
    data = hypotheses.HypothesisInput(args.statement,
                                      **{f: getattr(args, f) or "" for f in _FIELDS})
    rec = hypotheses.add_hypothesis(db, case_id=case_for(args, db), data=data)
    print_json({"id": rec.id}) if args.json else print(rec.id)
    return 0


def cmd_edit(args) -> int:
    db = db_for(args)
    hid = _hypothesis(db, case_for(args, db), args.hypothesis)
    old = hypotheses.as_input(hypotheses.get_hypothesis(db, hypothesis_id=hid))
    changes = {f: getattr(args, f) for f in ("statement", *_FIELDS) if getattr(args, f) is not None}
    data = hypotheses.HypothesisInput(**{**old.__dict__, **changes})
    rec = hypotheses.update_hypothesis(db, hypothesis_id=hid, data=data)
    print_json(_json(rec)) if args.json else print(rec.id)
    return 0


def cmd_list(args) -> int:
    db = db_for(args)
    rows = hypotheses.list_hypotheses(db, case_id=case_for(args, db))
    if args.json:
        print_json([_json(h) for h in rows])
    else:
        table([[h.position + 1, h.id[:8], h.statement, h.subject, h.kind, h.when(), h.place,
                h.stance if h.structured else ""] for h in rows],
              ["#", "id", "statement", "subject", "kind", "when", "place", "stance"])
    return 0


def cmd_delete(args) -> int:
    db = db_for(args)
    snap = hypotheses.delete_hypothesis(
        db, hypothesis_id=_hypothesis(db, case_for(args, db), args.hypothesis))
    print(f"deleted “{snap.hypothesis.statement}” and {len(snap.ratings)} rating(s)")
    return 0


def cmd_move(args) -> int:
    db = db_for(args)
    if args.position < 1:
        raise ValidationError("positions start at 1")
    hypotheses.move_hypothesis(db, hypothesis_id=_hypothesis(db, case_for(args, db),
                                                             args.hypothesis),
                               position=args.position - 1)
    return 0


def cmd_rate(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db)
    hid = _hypothesis(db, case_id, args.hypothesis)
    eid = _evidence(db, case_id, args.claim)
    hypotheses.rate(db, hypothesis_id=hid, evidence_id=eid,
                    rating=None if args.clear else args.rating, note=args.note)
    return 0


def cmd_accept(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db)
    hid = _hypothesis(db, case_id, args.hypothesis) if args.hypothesis else None
    rows = [_evidence(db, case_id, args.claim)] if args.claim else None
    done = hypotheses.accept_suggestions(db, case_id=case_id, hypothesis_id=hid,
                                         evidence_ids=rows)
    if args.json:
        print_json({"accepted": len(done)})
    else:
        print(f"accepted {len(done)} suggested rating(s)")
    return 0


def cmd_passage(args) -> int:
    db = db_for(args)
    case_for(args, db)
    if args.remove:
        hypotheses.remove_passage(db, highlight_id=args.highlight)
    else:
        hypotheses.add_passage(db, highlight_id=args.highlight)
    return 0


def cmd_from_conflict(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db)
    sid = identity.resolve_entity(db, case_id=case_id, ref=args.subject)
    ids = [c for v in analysis.list_conflicts(db, case_id=case_id)
           if v.set.subject_id == sid and v.set.kind == args.kind for c in v.set.claim_ids]
    if not ids:
        raise NotFound(f"no conflict set for {args.subject} / {args.kind}")
    added = hypotheses.add_from_conflict(db, case_id=case_id, claim_ids=ids)
    if args.json:
        print_json([{"id": h.id, "statement": h.statement} for h in added])
    else:
        for h in added:
            print(f"{h.id}  {h.statement}")
    return 0


def matrix_json(m: Matrix) -> dict[str, Any]:
    """The shape of ``casefile ach --json`` (rank 1 = least inconsistent)."""
    scores = {s.hypothesis_id: s for s in m.scores}
    return {
        "hypotheses": [{"id": h.id, "statement": h.statement, "score": scores[h.id].score,
                        "rank": scores[h.id].rank, "inconsistent": scores[h.id].inconsistent,
                        "consistent": scores[h.id].consistent,
                        "unreviewed": scores[h.id].unreviewed} for h in m.hypotheses],
        "leader": m.leader,
        "counts_suggestions": m.include_suggestions,
        "rows": [{"claim": r.claim_id, **({"highlight": r.highlight_id} if r.highlight_id else {}),
                  "statement": r.statement, "weight": round(r.weight, 4),
                  "shared_by": r.shared_by, "diagnosticity": r.diagnosticity,
                  "cells": {h.id: {"rating": c.rating, "suggested": c.suggested,
                                   "suggestion": c.suggestion.rating if c.suggestion else None,
                                   "reason": c.suggestion.reason if c.suggestion else None}
                            for h, c in zip(m.hypotheses, r.cells, strict=True)}}
                 for r in m.rows],
        "sensitivity": [{"claim": s.claim_id,
                         **({"highlight": s.highlight_id} if s.highlight_id else {}),
                         "changes_leader_to": s.changes_leader_to, "by": s.by,
                         "hypothesis": s.hypothesis_id, "as": s.as_rating,
                         "tied": list(s.tied)} for s in m.sensitivity],
    }


def cmd_ach(args) -> int:
    db = db_for(args)
    m = hypotheses.matrix(db, case_id=case_for(args, db), all_claims=args.all_claims,
                          include_suggestions=not args.rated_only)
    if args.json:
        print_json(matrix_json(m))
        return 0
    table([[s.rank, f"{s.score:.2f}", s.inconsistent, s.unreviewed, h.id[:8], h.statement]
           for h, s in m.ranking()],
          ["rank", "score", "against", "suggested", "id", "hypothesis"])
    names = {h.id: h.statement for h in m.hypotheses}
    statements = {r.key: r.statement for r in m.rows}
    if m.sensitivity:
        print("\nWhat would change the leader:")
    for s in m.sensitivity:
        to = names[s.changes_leader_to] if s.changes_leader_to else (
            "a tie: " + " / ".join(names[t] for t in s.tied))
        how = ("without it" if s.by == "removal"
               else f"rated {s.as_rating} against “{names[s.hypothesis_id]}”")
        print(f"  {s.key[:8]} “{statements[s.key]}” {how} → {to}")
    return 0
