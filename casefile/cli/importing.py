"""CLI: ``casefile reimport DOC_ID FILE`` replaces a document's text and re-anchors highlights."""

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


def cmd_reimport(args) -> int:
    db = db_for(args)
    res = importers.reimport_file(db, document_id=args.document, path=Path(args.file))
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
