"""CLI: cases, importing files, listing documents, printing text, checking the database."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from casefile.cli.util import (
    add_case_option,
    add_json_option,
    case_for,
    confirmed,
    db_for,
    lazy_modules,
    print_json,
    print_table,
    progress_printer,
)

importers, backup, schema, paths, cases, documents = lazy_modules(
    "casefile.importers", "casefile.db.backup", "casefile.db.schema", "casefile.paths",
    "casefile.services.cases", "casefile.services.documents")


def register(sub: argparse._SubParsersAction) -> None:
    p_case = sub.add_parser("case", help="create, list, rename or delete cases")
    case_sub = p_case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    p = case_sub.add_parser("new", help="create a case")
    p.add_argument("title")
    p.add_argument("--summary", default="")
    add_json_option(p)
    p.set_defaults(func=cmd_case_new)
    p = case_sub.add_parser("list", help="list cases")
    add_json_option(p)
    p.set_defaults(func=cmd_case_list)
    p = case_sub.add_parser("rename", help="rename a case")
    p.add_argument("case")
    p.add_argument("title")
    p.set_defaults(func=cmd_case_rename)
    p = case_sub.add_parser("delete", help="delete a case and everything in it")
    p.add_argument("case")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_case_delete)

    p = sub.add_parser("import", help="import article files (text, Markdown, HTML, PDF, DOCX, "
                                      "scans), saved pages (MHTML, WARC), e-mail (.eml, .msg) "
                                      "and Telegram exports (result.json, messages.html, the "
                                      "export folder or its zip)")
    add_case_option(p)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--per", choices=("message", "day"), default="message",
                   help="a Telegram export as one document per message (default) or per day")
    p.add_argument("--telegram-username", default="", metavar="NAME",
                   help="the channel's public username (the export does not hold it), for "
                        "t.me/NAME/ID links; without it channels get t.me/c/ID/ID links")
    p.add_argument("--max-pages", type=int, metavar="N",
                   help="read PDFs and scans of up to N pages (default: $CASEFILE_MAX_PAGES, "
                        "else 1000)")
    add_json_option(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("docs", help="list the documents of a case")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("text", help="print a document's canonical text")
    p.add_argument("document")
    p.set_defaults(func=cmd_text)

    p = sub.add_parser("check", help="check the database's integrity and consistency")
    p.add_argument("--repair", action="store_true",
                   help="re-create altered indexes and triggers, rebuild the search index if "
                        "it is out of step")
    add_json_option(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backups", help="list backups of the database")
    add_json_option(p)
    p.set_defaults(func=cmd_backups)
    p = sub.add_parser("restore", help="replace the database with a backup")
    p.add_argument("backup", help="a backup file (see `casefile backups`)")
    p.set_defaults(func=cmd_restore)


def cmd_case_new(args) -> int:
    db = db_for(args)
    rec = cases.create_case(db, title=args.title, summary=args.summary)
    if args.json:
        print_json({"id": rec.id, "title": rec.title})
    else:
        print(rec.id)
    return 0


def _case_json(c) -> dict:
    return {"id": c.id, "title": c.title, "summary": c.summary,
            "created_at": c.created_at.isoformat(), "updated_at": c.updated_at.isoformat(),
            "documents": c.documents, "claims": c.claims}


def cmd_case_list(args) -> int:
    from casefile.db.revisions import connect_at_head
    from casefile.services import quick

    conn = connect_at_head(args.db)
    if conn is None:
        rows = cases.list_cases(db_for(args))
    else:
        with conn:
            rows = quick.list_cases(conn)
        conn.close()
    if args.json:
        print_json([_case_json(c) for c in rows])
    else:
        print_table([[c.id, c.title, c.documents, c.claims] for c in rows],
                    ["id", "title", "documents", "claims"])
    return 0


def cmd_case_rename(args) -> int:
    db = db_for(args)
    rec = cases.update_case(db, case_id=cases.resolve_case(db, args.case).id, title=args.title)
    print(f"renamed {rec.id} to {rec.title}")
    return 0


def cmd_case_delete(args) -> int:
    db = db_for(args)
    rec = cases.resolve_case(db, args.case, create=False)
    refused = confirmed(args, f"Delete case “{rec.title}” with {rec.documents} documents and "
                              f"{rec.claims} claims?")
    if refused is not None:
        return refused
    cases.delete_case(db, case_id=rec.id)
    print(f"deleted {rec.id}")
    return 0


def cmd_import(args) -> int:
    from casefile.importers import pool

    paths = [Path(f) for f in args.files]
    if args.max_pages is not None:
        from casefile import limits

        os.environ[limits.PAGES_ENV] = str(max(1, args.max_pages))  # read by every worker
    if pool.workers_for(paths) > 1:
        pool.warm_up()  # the workers' server loads the extractors while the database opens
    db = db_for(args)
    case_id = case_for(args, db)
    from casefile.importers.items import Options

    results = importers.import_files(db, case_id=case_id, paths=paths, options=Options(
        per=args.per, username=args.telegram_username.lstrip("@")),
        progress=progress_printer(args))
    if args.json:
        print_json([r.as_json() for r in results])
    else:
        for r in results:
            if r.ok and r.summary:
                print(f"imported {r.file}: {r.summary}" + (f" (note: {r.warning})"
                                                           if r.warning else ""))
            elif r.ok:
                print(f"imported {r.file} as {r.id}" + (f" ({r.note})" if r.note else "")
                      + (f" (warning: {r.warning})" if r.warning else ""))
            else:
                print(f"failed {r.file}: {r.error}", file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1


def doc_json(d) -> dict:
    return {"id": d.id, "title": d.title, "author": d.author, "outlet": d.outlet,
            "published": d.published, "url": d.url, "content_type": d.content_type,
            "chars": d.chars, "pages": d.pages, "highlights": d.highlights,
            "source_name": d.source_name, "sha256": d.sha256,
            "imported_at": d.imported_at.isoformat(), "ocr": d.ocr,
            **({"ocr_confidence": d.ocr_confidence} if d.ocr else {}),
            **_ocr_languages(d)}


def _ocr_languages(d) -> dict:
    """A scan's OCR languages, and those a page needed but had no model for."""
    if d.extractor != "tesseract":
        return {}
    from casefile.importers.ocr_engine import read_version_note

    langs, missing = read_version_note(d.extractor_version)
    return {"ocr_languages": langs, **({"ocr_missing": missing} if missing else {})}


def cmd_docs(args) -> int:
    from casefile.db.revisions import connect_at_head
    from casefile.services import quick

    conn = connect_at_head(args.db)
    case_id = quick.case_for(conn, args.case) if conn is not None else None
    if conn is not None and case_id is not None:
        rows = quick.list_documents(conn, case_id)
    else:
        db = db_for(args)
        rows = documents.list_documents(db, case_id=case_for(args, db))
    if conn is not None:
        conn.close()
    if args.json:
        print_json([doc_json(d) for d in rows])
    else:
        print_table([[d.id, d.title, d.outlet, d.published, d.chars] for d in rows],
                    ["id", "title", "outlet", "published", "chars"])
    return 0


def cmd_text(args) -> int:
    from casefile.db.revisions import connect_at_head
    from casefile.services import quick

    conn = connect_at_head(args.db)
    text = quick.document_text(conn, args.document) if conn is not None else None
    if conn is not None:
        conn.close()
    if text is None:  # the full path names the problem
        text = documents.get_text(db_for(args), document_id=args.document)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def cmd_check(args) -> int:
    from casefile.services.consistency import consistency_problems

    db = db_for(args)
    if args.repair:
        from casefile.db.fts import index_is_current, rebuild_index
        from casefile.db.schema import repair_schema

        fixed = repair_schema(db)
        for name in fixed:
            print(f"re-created {name} as the migrations define it", file=sys.stderr)
        if not index_is_current(db) or any(n.startswith("search_index") for n in fixed):
            rebuild_index(db)
            print("rebuilt the search index", file=sys.stderr)
    problems = schema.integrity_check(db) + consistency_problems(db)
    if args.json:
        print_json({"ok": not problems, "problems": problems})
    elif problems:
        for p in problems:
            print(p, file=sys.stderr)
    else:
        print("ok")
    return 0 if not problems else 1


def _db_path(args) -> Path:
    return Path(args.db).expanduser().resolve() if args.db else paths.default_db_path()


def cmd_backups(args) -> int:
    rows = backup.list_backups(_db_path(args))
    if args.json:
        print_json([{"path": str(b.path), "taken_at": b.taken_at.isoformat()} for b in rows])
    else:
        print_table([[b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.path] for b in rows],
                    ["taken (UTC)", "path"])
    return 0


def cmd_restore(args) -> int:
    """Copy a verified backup over the database (the current file is itself backed up first)."""
    src = Path(args.backup).expanduser()
    target = _db_path(args)
    backup.restore(src, target)
    print(f"restored {target} from {src}")
    return 0
