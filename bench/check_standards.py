"""Check Casefile's exports against the standards' own schemas (kept outside the repository).

    python bench/check_standards.py --refi DIR --w3c DIR [--db PATH --case ID]

``--refi`` holds the REFI-QDA ``Project-mrt2019.xsd`` (and ``Codebook.xsd``); ``--w3c`` is a
checkout of w3c/web-annotation-tests (JSON Schemas in ``definitions/``, assertions in
``annotations/`` and ``collections/``). Without ``--db`` a fictional case is built, plus an
empty case. Prints one line per check and a summary; exits non-zero when a MUST fails.
Needs ``jsonschema`` (with ``rfc3987`` and ``rfc3339-validator`` for format checks) and ``lxml``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _w3c_validator(root: Path):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry()
    for path in (root / "definitions").glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(path.name, Resource(doc, DRAFT4))

    def check(assertion: Path, instance: Any) -> bool:
        schema = json.loads(assertion.read_text(encoding="utf-8"))
        cls = jsonschema.Draft4Validator
        v = cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
        return v.is_valid(instance)

    return check


def run_w3c_test(root: Path, test: str, instance: Any, label: str) -> tuple[int, int, list[str]]:
    """(passed, failed MUSTs, notes) of one .test file of the suite on ``instance``."""
    check = _w3c_validator(root)
    spec = json.loads((root / test).read_text(encoding="utf-8"))
    passed = failed = 0
    notes: list[str] = []
    for name in spec["assertions"]:
        path = root / name
        meta = json.loads(path.read_text(encoding="utf-8"))
        ok = check(path, instance) == (meta.get("expectedResult", "valid") == "valid")
        kind = meta.get("assertionType", "must")
        if ok:
            passed += 1
        elif kind == "must":
            failed += 1
            notes.append(f"  FAIL {label} {name}: {meta.get('errorMessage', '')}")
        else:
            notes.append(f"  ({kind} not met) {label} {name}")
    return passed, failed, notes


def check_w3c(root: Path, collection: dict[str, Any], label: str) -> int:
    failures = 0
    results = [run_w3c_test(root, "collections/collectionMusts.test", collection, label),
               run_w3c_test(root, "collections/pages/pageMusts.test", collection,
                            label + " (embedded page)"),
               run_w3c_test(root, "collections/pages/pageMusts.test",
                            {"@context": collection["@context"], **collection["first"]},
                            label + " (page alone)")]
    for n, anno in enumerate(collection["first"]["items"]):
        results.append(run_w3c_test(root, "annotations/annotationMusts.test", anno,
                                    f"{label} annotation {n}"))
    passed = sum(r[0] for r in results)
    failures = sum(r[1] for r in results)
    for r in results:
        for line in r[2]:
            if line.lstrip().startswith("FAIL"):
                print(line)
    items = len(collection["first"]["items"])
    print(f"W3C {label}: {items} annotations; {passed} assertions passed, "
          f"{failures} MUST assertions failed")
    optional = run_w3c_test(root, "annotations/annotationOptionals.test",
                            collection["first"]["items"][0], label) if items else None
    if optional:
        print(f"  optional/should (first annotation): {optional[0]} met, "
              f"{len(optional[2])} not met")
    return failures


def check_xsd(xsd: Path, xml: bytes, label: str) -> int:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(xsd)))
    doc = etree.parse(io.BytesIO(xml), etree.XMLParser(resolve_entities=False, no_network=True))
    ok = schema.validate(doc)
    print(f"XSD {label} against {xsd.name}: {'valid' if ok else 'INVALID'}")
    for err in list(schema.error_log)[:10]:
        print(f"  line {err.line}: {err.message}")
    return 0 if ok else 1


def _rich_case(db) -> str:
    """The fictional world plus what stretches the formats: same-leaf tags under two parents,
    a highlight with two tags and a note, a PDF with its original, a graded origin, a via
    chain, control characters and an emoji."""
    from dataclasses import replace

    from casefile.services import claims, documents, entities, highlights, tags
    from casefile.services.documents import NewDocument
    from tests.core.exchange_world import build_world

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fixtures" /
                           "articles"))
    from pdfgen import article_pdf

    world = build_world(db, title="Rich \x0c case")
    a = tags.create_tag(db, case_id=world.case_id, name="Events", color="#3366CC").id
    b = tags.create_tag(db, case_id=world.case_id, name="Syria").id
    death_a = tags.create_tag(db, case_id=world.case_id, name="Death", parent_id=a).id
    death_b = tags.create_tag(db, case_id=world.case_id, name="death", parent_id=b,
                              description="From the air").id
    text = "Dossier\n\nCaspian Courier: Vakhidov 🙂 was seen in Qalat Nur.\x0c"
    pdf = documents.add_document(db, case_id=world.case_id, doc=NewDocument(
        text=text, original=article_pdf([text]), content_type="application/pdf",
        title="Dossier", published="2019-05", url="https://courier.example/d",
        page_starts=(0,))).id
    hid = highlights.create_highlight(db, document_id=pdf, start=9, end=text.index(" was"),
                                      tag_ids=(death_a, death_b), note="sighting\x07").id
    rec = claims.get_claim(db, claim_id=world.claims[2])
    claims.update_claim(db, claim_id=rec.id, data=replace(
        claims.as_input(rec), via=("Caspian Courier", "Meridian Wire"),
        evidence=(*rec.evidence, hid), origin_reliability="B"))
    entities.add_alias(db, entity_id=world.subject, name="Abu Hafs")
    return world.case_id


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--refi", type=Path, required=True)
    ap.add_argument("--w3c", type=Path, required=True)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--case")
    args = ap.parse_args()

    from casefile.db.database import open_database
    from casefile.exchange import jsonld, qdc
    from casefile.services import cases

    tmp = Path(tempfile.mkdtemp(prefix="casefile-standards-"))
    if args.db:
        db = open_database(args.db)
        case_ids = [args.case or cases.resolve_case(db, None, create=False).id]
    else:
        from tests.core.exchange_world import build_world

        db = open_database(tmp / "world.sqlite")
        case_ids = [build_world(db).case_id, cases.create_case(db, title="Empty case").id,
                    _rich_case(db)]
    failures = 0
    project_xsd = args.refi / "Project-mrt2019.xsd"
    codebook_xsd = args.refi / "Codebook.xsd"
    for case_id in case_ids:
        title = cases.get_case(db, case_id=case_id).title
        out = io.StringIO()
        jsonld.write_jsonld(db, case_id=case_id, out=out)
        failures += check_w3c(args.w3c, json.loads(out.getvalue()), f"“{title}”")
        if codebook_xsd.exists():
            buf = io.BytesIO()
            qdc.write_codebook(db, case_id=case_id, out=buf)
            failures += check_xsd(codebook_xsd, buf.getvalue(), f"codebook of “{title}”")
        try:
            from casefile.exchange import qdpx_export
        except ImportError:
            continue
        target = tmp / f"{case_id}.qdpx"
        qdpx_export.export_qdpx(db, case_id=case_id, out=target)
        with zipfile.ZipFile(target) as zf:
            failures += check_xsd(project_xsd, zf.read("project.qde"),
                                  f"project.qde of “{title}”")
    print("all MUSTs pass" if not failures else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
