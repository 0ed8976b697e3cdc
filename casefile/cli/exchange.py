"""CLI: ``export`` a case (bundle, REFI-QDA project or codebook, JSON-LD, CSV, HTML/PDF report),
``import-bundle``, ``import-qdpx`` and ``import-annotations``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casefile.cli.util import (
    add_case_option,
    add_json_option,
    case_for,
    db_for,
    lazy_modules,
    print_json,
    progress_printer,
)

(export,) = lazy_modules("casefile.exchange.export")

FORMATS = ("bundle", "qdpx", "jsonld", "csv", "codebook-csv", "qdc", "html", "pdf")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a case: bundle, qdpx (REFI-QDA project), jsonld, "
                                      "csv (claims, and their evidence in NAME-evidence.csv), "
                                      "codebook-csv, qdc, html or pdf")
    add_case_option(p)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_json_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-bundle", help="import a .casefile bundle, merging if the case "
                                             "exists")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--into", metavar="CASE_ID", help="merge into this case")
    add_json_option(p)
    p.set_defaults(func=cmd_import_bundle)

    p = sub.add_parser("import-qdpx", help="import a REFI-QDA project (.qdpx from QualCoder, "
                                           "ATLAS.ti, MAXQDA, NVivo or Casefile) as a new case")
    p.add_argument("file", metavar="FILE")
    add_json_option(p)
    p.set_defaults(func=cmd_import_qdpx)

    p = sub.add_parser("import-annotations",
                       help="place W3C Web Annotations (JSON-LD, or a Hypothesis export) on "
                            "the case's documents as highlights; lists orphans")
    add_case_option(p)
    p.add_argument("file", metavar="FILE")
    add_json_option(p)
    p.set_defaults(func=cmd_import_annotations)


def cmd_export(args) -> int:
    db = db_for(args)
    case_id = case_for(args, db, create=False)
    summary = export.export_case(db, case_id=case_id, fmt=args.format,
                          target=Path(args.output).expanduser())
    if args.json:
        print_json(summary)
    else:
        print(f"exported {summary['case_id']} as {args.format} to {summary['output']}")
        if "evidence_output" in summary:
            print(f"evidence (one row per claim and passage) in {summary['evidence_output']}")
    return 0


def cmd_import_bundle(args) -> int:
    from casefile.exchange.merge import import_bundle

    db = db_for(args)
    report = import_bundle(db, path=Path(args.file).expanduser(), into=args.into,
                           progress=progress_printer(args))
    if args.json:
        print_json(report.as_json())
        return 0
    verb = "created case" if report.new_case else "merged into case"
    print(f"{verb} {report.case_id}")
    for key, t in report.types.items():
        c = t.counts()
        if any(c.values()):
            print(f"  {key}: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in c.items()
                                            if n))
        for conf in t.conflicts:
            print(f"    conflict {conf['id']} “{conf['label']}”: kept the {conf['winner']} "
                  "version (newer)")
    for w in report.warnings:
        print(f"  warning: {w}", file=sys.stderr)
    return 0


def cmd_import_qdpx(args) -> int:
    from casefile.exchange.qdpx_import import import_qdpx

    db = db_for(args)
    res = import_qdpx(db, path=Path(args.file).expanduser(), progress=progress_printer(args))
    if args.json:
        print_json(res.as_json())
        return 0
    print(f"created case {res.case_id} “{res.title}”: {res.documents} documents, "
          f"{res.highlights} highlights, {res.tags} tags, {res.entities} entities, "
          f"{res.claims} claims")
    for line in res.not_imported:
        print(f"  not imported: {line}", file=sys.stderr)
    return 0


def cmd_import_annotations(args) -> int:
    from casefile.exchange.w3c_import import import_annotations

    db = db_for(args)
    case_id = case_for(args, db, create=False)
    res = import_annotations(db, case_id=case_id, path=Path(args.file).expanduser(),
                             progress=progress_printer(args))
    if args.json:
        print_json(res.as_json())
        return 0
    print(f"{len(res.placed)} highlights placed, {len(res.fuzzy)} placed approximately (check "
          f"them), {len(res.merged)} added to existing highlights, {len(res.unchanged)} already "
          f"there, {len(res.orphans)} orphaned")
    for o in res.orphans:
        print(f"orphan {o['id']}: {o['reason']}")
    for line in res.not_imported:
        print(f"  not imported: {line}", file=sys.stderr)
    return 0
