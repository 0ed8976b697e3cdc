"""CLI counterparts of the workspace's views: document details, passages by tag."""

from __future__ import annotations

import argparse

from casefile.cli.util import (
    add_case_option,
    add_json_option,
    case_for,
    confirmed,
    db_for,
    lazy_modules,
    print_json,
)
from casefile.cli.util import print_table as table

documents, passages = lazy_modules("casefile.services.documents", "casefile.services.passages")

FIELDS = ("title", "author", "outlet", "published", "url")


def register(sub: argparse._SubParsersAction) -> None:
    p_doc = sub.add_parser("doc", help="a document's details: show or edit them")
    doc_sub = p_doc.add_subparsers(dest="doc_command", metavar="ACTION", required=True)
    p = doc_sub.add_parser("edit", help="change a document's title, author, outlet, "
                                        "publication date or URL (a value you set is no longer "
                                        "a guess)")
    p.add_argument("document", metavar="DOC_ID")
    for f in FIELDS:
        p.add_argument(f"--{f}", default=None)
    p.add_argument("--confirm", nargs="+", choices=FIELDS, default=(), metavar="FIELD",
                   help="keep these guessed values as they are, confirmed")
    add_json_option(p)
    p.set_defaults(func=cmd_doc_edit)
    p = doc_sub.add_parser("delete", help="delete a document and its highlights (a backup is "
                                          "taken first; claims keep their statements)")
    p.add_argument("document", metavar="DOC_ID")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_doc_delete)
    p = doc_sub.add_parser("show", help="a document's details, with what was guessed")
    p.add_argument("document", metavar="DOC_ID")
    add_json_option(p)
    p.set_defaults(func=cmd_doc_show)

    p_tag = sub.add_parser("tag", help="passages coded with a tag")
    tag_sub = p_tag.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    p = tag_sub.add_parser("passages", help="every passage with a tag (and its sub-tags)")
    add_case_option(p)
    p.add_argument("tag", help='a tag path such as "Events/Death" (or a name only one tag has)')
    p.add_argument("--no-subtags", action="store_true", help="only this very tag")
    add_json_option(p)
    p.set_defaults(func=cmd_tag_passages)


def _doc_json(d, links=None) -> dict:
    from casefile.cli.core import doc_json

    out = {**doc_json(d), "author": d.author, "guessed": list(d.guessed), "origin": d.origin}
    if links is not None:
        out["came_in"] = ({"id": links.parent.id, "title": links.parent.title}
                          if links.parent else None)
        out["holds"] = [{"id": c.id, "title": c.title, "content_type": c.content_type}
                        for c in links.children]
    return out


def _page_title(db, rec) -> str:
    """The page's own title when it says more than the stored one ("… | DW | 19.01.2020")."""
    from casefile.importers.titles import original_title

    said = original_title(db, document_id=rec.id)
    return said if said != rec.title else ""


def cmd_doc_edit(args) -> int:
    db = db_for(args)
    rec = documents.update_document(db, document_id=args.document,
                                    confirm=tuple(args.confirm),
                                    **{f: getattr(args, f) for f in FIELDS})
    if args.json:
        print_json(_doc_json(rec))
    else:
        print(f"{rec.id}: {rec.title}")
    return 0


def cmd_doc_show(args) -> int:
    db = db_for(args)
    rec = documents.get_document(db, document_id=args.document)
    said = _page_title(db, rec)
    links = documents.get_links(db, document_id=rec.id)
    if args.json:
        print_json({**_doc_json(rec, links), "page_title": said})
    else:
        for f in FIELDS:
            value = getattr(rec, f)
            print(f"{f}: {value}{'  (guessed)' if rec.is_guess(f) else ''}")
        if said:
            print(f"page title: {said}")
        if rec.origin:
            print(f"origin: {rec.origin}")
        if links.parent:
            print(f"came in: {links.parent.id} “{links.parent.title}”")
        for c in links.children:
            print(f"holds: {c.id} “{c.title}”")
    return 0


def cmd_tag_passages(args) -> int:
    db = db_for(args)
    rows = passages.by_tag(db, case_id=case_for(args, db), tag=args.tag,
                           with_subtags=not args.no_subtags)
    if args.json:
        print_json([{"highlight": p.highlight_id, "document": p.document_id,
                     "document_title": p.document_title, "outlet": p.outlet,
                     "published": p.published, "start": p.start, "end": p.end,
                     "quote": p.quote, "note": p.note, "tags": list(p.tags),
                     "claims": list(p.claim_ids)} for p in rows])
    else:
        table([[p.document_title, p.outlet, p.published, p.quote, p.note] for p in rows],
              ["document", "outlet", "published", "passage", "note"])
    return 0


def cmd_doc_delete(args) -> int:
    db = db_for(args)
    rec = documents.get_document(db, document_id=args.document)
    refused = confirmed(args, f"Delete “{rec.title}” with its {rec.highlights} highlight(s)?")
    if refused is not None:
        return refused
    documents.delete_document(db, document_id=rec.id)
    print(f"deleted {rec.id}")
    return 0
