"""CLI: ``casefile reimport DOC_ID FILE`` replaces a document's text and re-anchors highlights;
``casefile reocr DOC_ID --lang rus`` reads a scan again by OCR in chosen languages."""

from __future__ import annotations

import argparse
from pathlib import Path

from casefile.cli.util import add_json_option, db_for, lazy_modules, print_json

(importers,) = lazy_modules("casefile.importers")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reimport", help="replace a document with a newer version of the file, "
                                        "re-anchoring its highlights")
    p.add_argument("document", metavar="DOC_ID")
    p.add_argument("file", metavar="FILE")
    add_json_option(p)
    p.set_defaults(func=cmd_reimport)
    p = sub.add_parser("reocr", help="read a scanned document again by OCR (in chosen "
                                     "languages), re-anchoring its highlights")
    p.add_argument("document", metavar="DOC_ID")
    p.add_argument("--lang", default="", metavar="LANGS",
                   help="Tesseract languages, e.g. rus or ara+eng (default: chosen per page "
                        "by its script)")
    add_json_option(p)
    p.set_defaults(func=cmd_reocr)


def cmd_reimport(args) -> int:
    db = db_for(args)
    return _report(args, importers.reimport_file(db, document_id=args.document,
                                                 path=Path(args.file)))


def cmd_reocr(args) -> int:
    from casefile.importers import ocr, ocr_engine

    db = db_for(args)
    res = ocr.reread(db, document_id=args.document,
                     languages=[x for x in args.lang.split("+") if x])
    if not args.json:
        doc = res.document
        print(ocr_engine.document_note(doc.extractor, doc.extractor_version))
    return _report(args, res)


def _report(args, res) -> int:
    if args.json:
        print_json({"id": res.document.id, "title": res.document.title,
                    "chars": res.document.chars, "placed": list(res.placed),
                    "fuzzy": list(res.fuzzy), "orphans": list(res.orphans)})
    else:
        print(f"updated {res.document.id} “{res.document.title}”: {len(res.placed)} highlights "
              f"placed, {len(res.fuzzy)} placed approximately (check them), "
              f"{len(res.orphans)} orphaned")
        for hid in res.orphans:
            print(f"orphan {hid}")
    return 0
