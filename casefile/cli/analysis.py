"""CLI: duplicate entities and merges, aliases, mentions, conflicts, timeline, graph, search."""

from __future__ import annotations

import argparse

from casefile.cli.util import (
    add_case_option,
    add_json_option,
    case_for,
    db_for,
    lazy_modules,
    print_json,
)
from casefile.cli.util import print_table as table
from casefile.vocab import ENTITY_KINDS, stated, with_stance

analysis, entities, identity, profiles, resolutions, search = lazy_modules(
    "casefile.services.analysis", "casefile.services.entities", "casefile.services.identity",
    "casefile.services.profiles", "casefile.services.resolutions", "casefile.services.search")


def register(sub: argparse._SubParsersAction) -> None:
    p_ent = sub.add_parser("entity", help="duplicate candidates, merging, aliases, mentions")
    ent_sub = p_ent.add_subparsers(dest="entity_command", metavar="ACTION", required=True)
    p = ent_sub.add_parser("candidates", help="entities that are likely one and the same")
    add_case_option(p)
    p.add_argument("--min-score", type=float, default=0.45)
    add_json_option(p)
    p.set_defaults(func=cmd_candidates)
    p = ent_sub.add_parser("merge", help="merge OTHER into KEEP (by id, name or alias)")
    add_case_option(p)
    p.add_argument("keep")
    p.add_argument("other")
    add_json_option(p)
    p.set_defaults(func=cmd_merge)
    p = ent_sub.add_parser("alias", help="record another spelling of an entity")
    add_case_option(p)
    p.add_argument("entity")
    p.add_argument("name")
    p.add_argument("--document", metavar="DOC_ID", help="the document it was seen in")
    add_json_option(p)
    p.set_defaults(func=cmd_alias)
    p = ent_sub.add_parser("show", help="an entity's profile: spellings and where each came "
                                        "from, claims by kind, conflicts, mentions, relations")
    add_case_option(p)
    p.add_argument("name", help="name, alias or id")
    add_json_option(p)
    p.set_defaults(func=cmd_entity_show)
    p = ent_sub.add_parser("edit", help="correct an entity: its kind, name, description, "
                                        "source grade")
    add_case_option(p)
    p.add_argument("entity", help="name, alias or id")
    p.add_argument("--kind", choices=ENTITY_KINDS)
    p.add_argument("--name")
    p.add_argument("--description")
    p.add_argument("--reliability", metavar="A-F", help="its grade as a source ('' clears it)")
    add_json_option(p)
    p.set_defaults(func=cmd_entity_edit)
    p = ent_sub.add_parser("mentions", help="occurrences of an entity's names in the documents")
    add_case_option(p)
    p.add_argument("entity")
    add_json_option(p)
    p.set_defaults(func=cmd_mentions)

    p = sub.add_parser("conflicts", help="sets of claims that cannot all be true")
    add_case_option(p)
    p.add_argument("--open", action="store_true", help="only sets not yet resolved")
    add_json_option(p)
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("resolve", help="mark a conflict set resolved")
    add_case_option(p)
    p.add_argument("subject", help="the set's subject (id, name or alias)")
    p.add_argument("kind")
    p.add_argument("--accept", metavar="CLAIM_ID", help="the claim you accept")
    p.add_argument("--reason", default="")
    p.set_defaults(func=cmd_resolve)

    p = sub.add_parser("timeline", help="dated claims in order")
    add_case_option(p)
    p.add_argument("--by", choices=("event", "reported"), default="event",
                   help="when it happened (default) or when it was reported")
    add_json_option(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("graph", help="the relationship graph (nodes, edges, layout)")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("search", help="full-text search across the case")
    p.add_argument("query")
    add_case_option(p)
    p.add_argument("--limit", type=int, default=50)
    add_json_option(p)
    p.set_defaults(func=cmd_search)


def cmd_candidates(args) -> int:
    db = db_for(args)
    rows = identity.duplicate_candidates(db, case_id=case_for(args, db),
                                         threshold=args.min_score)
    if args.json:
        print_json([{"a": c.a, "b": c.b, "score": c.score, "reason": c.reason,
                     "a_id": c.a_id, "b_id": c.b_id} for c in rows])
    else:
        table([[f"{c.score:.2f}", c.a, c.b, c.reason] for c in rows],
              ["score", "a", "b", "reason"])
    return 0


def cmd_merge(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db)
    keep = identity.resolve_entity(db, case_id=case_id, ref=args.keep)
    other = identity.resolve_entity(db, case_id=case_id, ref=args.other)
    snap = identity.merge_entities(db, keep_id=keep, other_id=other)
    if args.json:
        print_json({"kept": keep, "merged": other, "name": snap.other_name,
                    "claims_moved": len({c for c, _ in snap.claim_refs}),
                    "aliases_moved": len(snap.moved_alias_ids)})
    else:
        print(f"merged {snap.other_name} into {args.keep} "
              f"({len({c for c, _ in snap.claim_refs})} claims moved)")
    return 0


def cmd_alias(args) -> int:
    db = db_for(args)
    eid = identity.resolve_entity(db, case_id=case_for(args, db), ref=args.entity)
    rec = identity.add_alias(db, entity_id=eid, name=args.name, document_id=args.document)
    if args.json:
        print_json({"id": rec.id, "entity_id": rec.entity_id, "name": rec.name,
                    "document_id": rec.document_id})
    else:
        print(rec.id)
    return 0


def cmd_entity_edit(args) -> int:
    db = db_for(args)
    eid = identity.resolve_entity(db, case_id=case_for(args, db), ref=args.entity)
    rec = entities.update_entity(db, entity_id=eid, kind=args.kind, name=args.name,
                                 description=args.description, reliability=args.reliability)
    if args.json:
        print_json({"id": rec.id, "name": rec.name, "kind": rec.kind,
                    "description": rec.description, "reliability": rec.reliability})
    else:
        print(f"{rec.name} ({rec.kind})")
    return 0


def cmd_mentions(args) -> int:
    db = db_for(args)
    eid = identity.resolve_entity(db, case_id=case_for(args, db), ref=args.entity)
    rows = identity.find_mentions(db, entity_id=eid)
    if args.json:
        print_json([{"document_id": m.document_id, "start": m.start, "end": m.end,
                     "text": m.text, "alias": m.alias, "highlighted": m.highlighted}
                    for m in rows])
    else:
        table([[m.document_id[:8], m.start, m.end, m.text, "yes" if m.highlighted else ""]
               for m in rows], ["document", "start", "end", "text", "highlighted"])
    return 0


def _resolution_json(s) -> dict | None:
    r = s.resolution
    if r is None:
        return None
    return {"accepted": r.accepted_claim_id, "reason": r.reason, "current": s.resolved}


def cmd_conflicts(args) -> int:
    db = db_for(args)
    rows = analysis.list_conflicts(db, case_id=case_for(args, db),
                                   include_resolved=not args.open)
    if args.json:
        print_json([{"subject": v.set.subject, "subject_id": v.set.subject_id,
                     "kind": v.set.kind, "claims": list(v.set.claim_ids),
                     "reason": v.set.reason, "resolved": v.set.resolved,
                     "resolution": _resolution_json(v.set)} for v in rows])
    else:
        for v in rows:
            flag = " [resolved]" if v.set.resolved else ""
            print(f"{v.set.subject} — {v.set.kind}{flag}: {v.set.reason}")
            for c in v.members:
                print(f"  {c.id[:8]}  {c.date or '?':<11} {c.place or '':<16} "
                      f"{c.origin or '(no origin)':<20} {', '.join(c.outlets):<24} "
                      f"{stated(c.statement, c.kind, c.stance)}")
    return 0


def cmd_resolve(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db)
    sid = identity.resolve_entity(db, case_id=case_id, ref=args.subject)
    match = [v for v in analysis.list_conflicts(db, case_id=case_id)
             if v.set.subject_id == sid and v.set.kind == args.kind]
    if not match:
        print(f"casefile: no conflict set for {args.subject} / {args.kind}")
        return 2
    claim_ids = tuple(c for v in match for c in v.set.claim_ids)
    accept = args.accept
    if accept:
        full = [c for c in claim_ids if c == accept or c.startswith(accept)]
        if len(full) != 1:
            print(f"casefile: {accept!r} is not (uniquely) one of the set's claims")
            return 2
        accept = full[0]
    resolutions.resolve_conflict(db, subject_id=sid, kind=args.kind, claim_ids=claim_ids,
                                 accepted_claim_id=accept, reason=args.reason)
    print(f"resolved {args.subject} / {args.kind}")
    return 0


def cmd_timeline(args) -> int:
    db = db_for(args)
    rows = analysis.timeline(db, case_id=case_for(args, db), by=args.by)
    if args.json:
        print_json([{"claim": e.claim_id, "subject": e.subject, "kind": e.kind,
                     "date": e.date or None, "reported": e.reported or None,
                     "conflict": e.conflict is not None, "statement": e.statement,
                     "start": e.start, "end": e.end, "about": e.fuzzy} for e in rows])
    else:
        table([[e.date, e.reported, e.subject, with_stance(e.kind, e.stance),
                "!" if e.conflict is not None else "",
                e.statement] for e in rows],
              ["date", "reported", "subject", "kind", "conflict", "statement"])
    return 0


def cmd_graph(args) -> int:
    db = db_for(args)
    g = analysis.relationship_graph(db, case_id=case_for(args, db))
    if args.json:
        print_json({"nodes": [{"id": n.id, "name": n.name, "kind": n.kind, "x": n.x, "y": n.y,
                               "claims": list(n.claim_ids)} for n in g.nodes],
                    "edges": [{"source": e.source, "target": e.target, "label": e.label,
                               "claims": list(e.claim_ids)} for e in g.edges]})
    else:
        names = {n.id: n.name for n in g.nodes}
        table([[names[e.source], e.label, names[e.target]] for e in g.edges],
              ["from", "relation", "to"])
    return 0


def cmd_search(args) -> int:
    db = db_for(args)
    hits = search.search(db, case_id=case_for(args, db), query=args.query, limit=args.limit)
    if args.json:
        print_json([{"type": h.type, "id": h.id, "snippet": h.snippet,
                     "document_id": h.document_id, "start": h.start, "end": h.end,
                     "offsets": [list(o) for o in h.offsets], "entity_id": h.entity_id,
                     "document": h.document}
                    for h in hits])
    else:
        table([[h.type, h.id[:8], h.document, h.snippet] for h in hits],
              ["type", "id", "document", "snippet"])
    return 0


def cmd_entity_show(args) -> int:
    db = db_for(args)
    ent = entities.find_entity(db, case_id=case_for(args, db), name=args.name)
    prof = profiles.entity_profile(db, entity_id=ent.id)

    def claim(c) -> dict:
        return {"id": c.id, "kind": c.kind, "statement": c.statement, "value": c.value,
                "object": c.object, "date": c.date, "place": c.place, "stance": c.stance,
                "origin": c.origin, "credibility": c.credibility}

    out = {"id": ent.id, "name": ent.name, "kind": ent.kind, "reliability": ent.reliability,
           "description": ent.description,
           "aliases": [{"name": a.name,
                        "documents": [{"id": d.document_id, "title": d.title}
                                      for d in a.documents],
                        "document": a.documents[0].document_id if a.documents else None,
                        "document_title": a.documents[0].title if a.documents else ""}
                       for a in prof.spellings],
           "claims": {k: [claim(c) for c in cs] for k, cs in prof.claims_by_kind.items()},
           "named_as": {role: [c.id for c in cs] for role, cs in prof.mentioned_in.items()},
           "conflicts": [{"kind": c.kind, "reason": c.reason, "claims": list(c.claim_ids),
                          "resolved": c.resolved} for c in prof.conflicts],
           "mentions": prof.mentions, "mention_documents": prof.mention_documents,
           "relations": [{"direction": r.direction, "entity": r.other_id, "name": r.other,
                          "label": r.label, "stance": r.stance, "claims": list(r.claim_ids)}
                         for r in prof.relations]}
    if args.json:
        print_json(out)
        return 0
    print(f"{ent.name} ({ent.kind}{', grade ' + ent.reliability if ent.reliability else ''})")
    for a in prof.spellings:
        print(f"  also: {a.name}" + ("  — in " + ", ".join(f"“{d.title}”" for d in a.documents)
                                     if a.documents else ""))
    for kind, cs in prof.claims_by_kind.items():
        print(f"  {kind}: {len(cs)} claim(s)")
        for c in cs:
            print(f"    {profiles.claim_line(c)}  {c.date or '?'}  "
                  f"{c.origin or '(no origin)'}")
    print(f"  {len(prof.conflicts)} conflict set(s); names found {prof.mentions} time(s) in "
          f"{prof.mention_documents} document(s); {len(prof.relations)} relation(s)")
    return 0
