"""CLI: highlights, claims, entities and tags."""

from __future__ import annotations

import argparse
import sys

from casefile.cli.util import (
    add_case_option,
    add_json_option,
    case_for,
    db_for,
    lazy_modules,
    print_json,
)
from casefile.cli.util import print_table as table
from casefile.vocab import ENTITY_KINDS, STANCES

claims, documents, entities, highlights, tags = lazy_modules(
    "casefile.services.claims", "casefile.services.documents", "casefile.services.entities",
    "casefile.services.highlights", "casefile.services.tags")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("highlight", help="highlight a passage of a document")
    p.add_argument("document")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", help="the passage (first occurrence; spacing, quotes and "
                                       "dashes match loosely)")
    where.add_argument("--start", type=int, help="start offset (code points)")
    p.add_argument("--end", type=int, help="end offset (with --start)")
    p.add_argument("--tag", action="append", default=[], metavar="NAME",
                   help="tag path, e.g. Events/Death (repeatable)")
    p.add_argument("--note", default="")
    add_json_option(p)
    p.set_defaults(func=cmd_highlight)

    p_claim = sub.add_parser("claim", help="add, edit and delete claims")
    claim_sub = p_claim.add_subparsers(dest="claim_command", metavar="ACTION", required=True)
    p = claim_sub.add_parser("add", help="state a claim backed by highlights")
    p.add_argument("--evidence", nargs="+", required=True, metavar="HIGHLIGHT_ID")
    p.add_argument("--subject", required=True, metavar="NAME")
    p.add_argument("--subject-kind", choices=ENTITY_KINDS, default=None,
                   help="what a new subject is (default: guessed from the name)")
    p.add_argument("--kind", required=True)
    obj = p.add_mutually_exclusive_group()
    obj.add_argument("--object", default="", metavar="NAME")
    obj.add_argument("--value", default="", metavar="TEXT")
    p.add_argument("--object-kind", choices=ENTITY_KINDS, default=None,
                   help="what a new object is (default: guessed from the name and the claim's "
                        "kind — the object of a membership or role is an organization)")
    p.add_argument("--date", default="", metavar="PARTIAL",
                   help="YYYY, YYYY-MM, YYYY-MM-DD, ~ for about")
    p.add_argument("--place", default="", metavar="NAME")
    p.add_argument("--origin", default="", metavar="NAME", help="who asserts it")
    p.add_argument("--origin-kind", choices=("person", "organization", "other"), default=None,
                   help="what a new origin is (default: guessed from the name — a minister is "
                        "a person, \"military sources\" an organization)")
    p.add_argument("--via", action="append", default=[], metavar="NAME",
                   help="an intermediary it came through (repeatable, origin first)")
    p.add_argument("--stance", default="asserts", choices=STANCES)
    p.add_argument("--credibility", type=int, default=6, choices=range(1, 7), metavar="1-6")
    p.add_argument("--statement", default="")
    p.add_argument("--note", default="")
    add_json_option(p)
    p.set_defaults(func=cmd_claim_add)

    p = claim_sub.add_parser("edit", help="change a claim's fields (the others stay)")
    p.add_argument("claim", metavar="CLAIM_ID")
    for name in ("subject", "kind", "object", "value", "date", "place", "origin", "statement",
                 "note"):
        p.add_argument(f"--{name}", default=None)
    p.add_argument("--stance", default=None, choices=STANCES)
    p.add_argument("--credibility", type=int, default=None, choices=range(1, 7), metavar="1-6")
    add_json_option(p)
    p.set_defaults(func=cmd_claim_edit)
    p = claim_sub.add_parser("delete", help="delete a claim (its passages stay)")
    p.add_argument("claim", metavar="CLAIM_ID")
    add_json_option(p)
    p.set_defaults(func=cmd_claim_delete)

    p = sub.add_parser("claims", help="list claims")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("entities", help="list entities with their aliases")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("tags", help="list the tag codebook")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_tags)


def cmd_highlight(args) -> int:
    db = db_for(args)
    if args.quote is not None:
        start, end = highlights.locate_quote(db, document_id=args.document, quote=args.quote)
    else:
        if args.end is None:
            raise SystemExit("casefile: --start needs --end")
        start, end = args.start, args.end
    rec = highlights.create_highlight(db, document_id=args.document, start=start, end=end,
                                      note=args.note, tag_paths=tuple(args.tag))
    if args.json:
        print_json({"id": rec.id, "start": rec.start, "end": rec.end, "quote": rec.quote})
    else:
        print(rec.id)
    return 0


def cmd_claim_add(args) -> int:
    db = db_for(args)
    first = highlights.get_highlight(db, highlight_id=args.evidence[0])
    case_id = documents.get_document(db, document_id=first.document_id).case_id
    rec = claims.create_claim(db, case_id=case_id, data=claims.ClaimInput(
        subject=args.subject, kind=args.kind, statement=args.statement or first.quote,
        object=args.object, value=args.value, date=args.date, place=args.place,
        origin=args.origin, via=tuple(args.via), stance=args.stance,
        subject_kind=args.subject_kind or "", object_kind=args.object_kind or "",
        origin_kind=args.origin_kind or "",
        credibility=args.credibility, note=args.note, evidence=tuple(args.evidence)))
    if args.json:
        print_json(claim_json(rec))
    else:
        print(rec.id)
    return 0


def cmd_claim_edit(args) -> int:
    from dataclasses import replace

    db = db_for(args)
    data = claims.as_input(claims.get_claim(db, claim_id=args.claim))
    given = {f: getattr(args, f) for f in ("subject", "kind", "object", "value", "date", "place",
                                           "origin", "statement", "note", "stance",
                                           "credibility") if getattr(args, f) is not None}
    for name in ("subject", "object", "origin"):  # a new name gets the kind guessed for it
        if name in given:
            data = replace(data, **{f"{name}_kind": ""})
    rec = claims.update_claim(db, claim_id=args.claim, data=replace(data, **given))
    if args.json:
        print_json(claim_json(rec))
    else:
        print(rec.id)
    return 0


def cmd_claim_delete(args) -> int:
    db = db_for(args)
    snap = claims.delete_claim(db, claim_id=args.claim)
    if args.json:
        print_json({"deleted": snap.claim.id})
    else:
        print(f"deleted claim {snap.claim.id}", file=sys.stderr)
    return 0


def claim_json(c, corr=None) -> dict:
    """A claim as JSON; ``corr`` (analysis corroboration) adds independent origins and a
    suggested credibility (a suggestion only, never stored)."""
    extra = {} if corr is None else {"independent_origins": corr.independent_origins,
                                     "suggested_credibility": corr.suggested_credibility}
    return {**extra, "id": c.id, "statement": c.statement, "kind": c.kind, "subject": c.subject,
            "object": c.object or None, "value": c.value or None, "date": c.date or None,
            "place": c.place or None, "origin": c.origin or None, "stance": c.stance,
            "credibility": c.credibility, "status": c.status, "note": c.note,
            "evidence": list(c.evidence)}


def cmd_claims(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db)
    rows = claims.list_claims(db, case_id=case_id)
    if args.json:
        from casefile.services.analysis import corroboration

        corr = corroboration(db, case_id=case_id)
        print_json([claim_json(c, corr.get(c.id)) for c in rows])
    else:
        table([[c.subject, c.kind, c.date, c.place, c.origin, c.stance, c.credibility,
                c.statement] for c in rows],
              ["subject", "kind", "date", "place", "origin", "stance", "cred", "statement"])
    return 0


def cmd_entities(args) -> int:
    db = db_for(args)
    rows = entities.list_entities(db, case_id=case_for(args, db))
    if args.json:
        print_json([{"id": e.id, "kind": e.kind, "name": e.name, "description": e.description,
                     "reliability": e.reliability or None,
                     "aliases": [{"name": a.name, "document_id": a.document_id}
                                 for a in e.aliases]} for e in rows])
    else:
        table([[e.kind, e.name, e.reliability, ", ".join(a.name for a in e.aliases)]
               for e in rows], ["kind", "name", "grade", "aliases"])
    return 0


def cmd_tags(args) -> int:
    db = db_for(args)
    rows = tags.list_tags(db, case_id=case_for(args, db))
    if args.json:
        print_json([{"id": t.id, "name": t.name, "path": t.path, "parent_id": t.parent_id,
                     "color": t.color, "description": t.description} for t in rows])
    else:
        table([[t.path, t.color, t.description] for t in rows], ["tag", "colour", "description"])
    return 0
