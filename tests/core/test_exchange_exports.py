"""Standard exports: Web Annotation JSON-LD, claims CSV, REFI-QDA codebook, HTML report."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

import pytest

from casefile.exchange import csv_export, jsonld, qdc, report
from casefile.services import documents, highlights, tags
from tests.core.exchange_world import build_world
from tests.helpers import run_cli


@pytest.fixture
def world(db):
    return build_world(db)


def test_jsonld_one_annotation_per_highlight_with_selectors_and_bodies(db, world):
    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=world.case_id, out=out)
    coll = json.loads(out.getvalue())
    assert coll["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert coll["type"] == "AnnotationCollection"
    items = coll["first"]["items"]
    assert coll["total"] == len(items) == len(world.highlights)
    by_id = {a["id"].removeprefix("urn:uuid:"): a for a in items}
    first = by_id[world.highlights[0]]
    assert first["type"] == "Annotation"
    quote, position = first["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert quote["exact"] == "reported killed in fighting near Qalat Nur in April 2015"
    text = documents.get_text(db, document_id=world.docs[0])
    assert position["type"] == "TextPositionSelector"
    assert text[position["start"]:position["end"]] == quote["exact"]
    purposes = {b["purpose"]: b for b in first["body"]}
    assert purposes["tagging"]["value"] == "death report"
    assert purposes["commenting"]["value"] == "first report"
    assert purposes["describing"]["source"]["id"] == f"urn:uuid:{world.claims[0]}"
    assert purposes["assessing"]["value"].startswith("?4")


def test_jsonld_has_what_the_w3c_test_suite_requires(db, world):
    from casefile.services import cases
    from tests.core.w3c_shape import check_annotation, check_collection

    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=world.case_id, out=out)
    coll = json.loads(out.getvalue())
    check_collection(coll)
    for anno in coll["first"]["items"]:  # each one valid on its own, copied out of the page
        check_annotation(json.loads(json.dumps(anno)))
        assert anno["creator"] == coll["creator"]
    empty = cases.create_case(db, title="Nothing yet").id
    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=empty, out=out)
    coll = json.loads(out.getvalue())
    check_collection(coll)
    assert coll["total"] == 0 and coll["first"]["items"] == []


def test_jsonld_positions_count_code_points_past_an_emoji(db, world):
    text = documents.get_text(db, document_id=world.docs[2])
    start = text.index("was buried")
    hid = highlights.create_highlight(db, document_id=world.docs[2], start=start,
                                      end=start + len("was buried")).id
    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=world.case_id, out=out)
    anno = next(a for a in json.loads(out.getvalue())["first"]["items"] if hid in a["id"])
    pos = anno["target"]["selector"][1]
    assert text[pos["start"]:pos["end"]] == "was buried"


def _csv(fn, db, case_id) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    fn(db, case_id=case_id, out=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_claims_csv_has_a_row_per_claim_and_evidence_a_row_per_passage(db, world):
    from casefile.services import claims

    claims.add_evidence(db, claim_id=world.claims[1], highlight_id=world.highlights[2])
    rows = _csv(csv_export.write_claims_csv, db, world.case_id)
    assert len(rows) == len(world.claims)
    for col in ("claim_id", "subject", "kind", "statement", "date", "place", "origin",
                "stance", "credibility", "evidence"):
        assert col in rows[0]
    strike = next(r for r in rows if r["place"] == "Tal Hasan")
    assert strike["subject"] == "Temur Vakhidov" and strike["kind"] == "death"
    assert strike["origin"] == "military sources" and strike["credibility"] == "5"
    assert strike["evidence"] == "2"
    evidence = _csv(csv_export.write_evidence_csv, db, world.case_id)
    assert len(evidence) == 5  # one row per (claim, passage): the join is claim_id
    mine = [e for e in evidence if e["claim_id"] == strike["claim_id"]]
    assert [e["position"] for e in mine] == ["1", "2"]
    # each passage row says whether its claim asserts, denies or doubts (a denial's passage
    # read as a plain "death" without it)
    stances = {r["claim_id"]: r["stance"] for r in rows}
    assert all(e["stance"] == stances[e["claim_id"]] for e in evidence)
    assert {e["stance"] for e in evidence} > {"asserts"}
    assert mine[0]["quote"] == "killed in a missile strike on Tal Hasan"
    assert mine[0]["outlet"] == "Meridian Wire" and mine[0]["published"] == "2017-03-14"
    assert mine[0]["document_title"] == "Missile strike on Tal Hasan"
    assert mine[1]["quote"] == "died in an airstrike near Wadi Sirr on 3 August 2020"
    assert mine[1]["highlight_id"] == world.highlights[2]


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+7 495 123", "@SUM(A1)",
                                   "\tx", "\rx", "-1", "-=1", "-(2)", "-.5", "-SUM(A1)",
                                   "\uff1d1+1", "--1"])
def test_csv_guards_what_a_spreadsheet_would_run(value):
    assert csv_export.safe(value) == "'" + value


@pytest.mark.parametrize("value", ["- a list item", "-", "Khalimov’s", "a=b", "2020-08-03",
                                   "", "-abc", "— dash", " =padded", "'quoted", "3"])
def test_csv_leaves_everything_else_verbatim(value):
    assert csv_export.safe(value) == value


def test_csv_files_carry_a_bom_so_spreadsheets_read_utf8(db, world, tmp_path):
    from casefile.exchange.export import evidence_path, export_case
    from casefile.services import cases

    cases.update_case(db, case_id=world.case_id, title="Khalimov’s file")
    out = tmp_path / "claims.csv"
    summary = export_case(db, case_id=world.case_id, fmt="csv", target=out)
    evidence = evidence_path(out)
    assert summary["evidence_output"] == str(evidence) == str(tmp_path / "claims-evidence.csv")
    for path in (out, evidence):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    text = evidence.read_text(encoding="utf-8-sig")
    assert "died in an airstrike near Wadi Sirr" in text
    assert out.read_text(encoding="utf-8-sig").startswith("claim_id,subject,")


def _taguette_reads(data: bytes) -> list[dict[str, str]]:
    """Taguette's codebook import (import_codebook.list_tags_csv), step by step: the header
    lowercased, exactly one of tag/name/path, an optional description, no empty names."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = [c.lower() for c in rows[0]]
    assert sum(k in header for k in ("tag", "name", "path")) == 1
    col, desc = header.index("tag"), header.index("description")
    out = []
    for row in rows[1:]:
        if not any(row):
            continue
        assert len(row) > max(col, desc) and row[col].strip()
        assert len(row[col]) <= 200  # Taguette's limit on a tag path
        out.append({"path": row[col].strip(), "description": row[desc].strip()})
    return out


def test_codebook_csv_is_what_taguette_imports(db, world, tmp_path):
    from casefile.exchange.export import export_case

    parent = tags.list_tags(db, case_id=world.case_id)[0].id
    tags.create_tag(db, case_id=world.case_id, name="airstrike", parent_id=parent,
                    description="Strikes from the air, “quoted”, with a comma")
    out = tmp_path / "codebook.csv"
    export_case(db, case_id=world.case_id, fmt="codebook-csv", target=out)
    assert _taguette_reads(out.read_bytes()) == [
        {"path": "death report", "description": ""},
        {"path": "death report/airstrike",
         "description": "Strikes from the air, “quoted”, with a comma"}]


def test_csv_cells_cannot_become_spreadsheet_formulas(db, world):
    from casefile.services import claims
    from casefile.services.claims import ClaimInput

    claims.create_claim(db, case_id=world.case_id, data=ClaimInput(
        subject="Temur Vakhidov", statement="=HYPERLINK(\"http://x\")", kind="other"))
    out = io.StringIO(newline="")
    csv_export.write_claims_csv(db, case_id=world.case_id, out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert any(r["statement"] == "'=HYPERLINK(\"http://x\")" for r in rows)


def test_qdc_codebook_keeps_the_tag_tree(db, world):
    parent = tags.list_tags(db, case_id=world.case_id)[0].id
    tags.create_tag(db, case_id=world.case_id, name="airstrike", parent_id=parent,
                    color="#3366cc", description="Strikes from the air")
    out = io.BytesIO()
    qdc.write_codebook(db, case_id=world.case_id, out=out)
    root = ET.fromstring(out.getvalue())
    ns = {"q": qdc.NAMESPACE}
    assert root.tag == f"{{{qdc.NAMESPACE}}}CodeBook"
    top = root.findall("q:Codes/q:Code", ns)
    assert [c.get("name") for c in top] == ["death report"]
    assert top[0].get("color") == "#cc3333" and top[0].get("isCodable") == "true"
    child = top[0].find("q:Code", ns)
    assert child.get("name") == "airstrike"
    assert child.find("q:Description", ns).text == "Strikes from the air"


def test_html_report_has_summary_aliases_citations_conflicts_and_timeline(db, world):
    html = report.report_html(db, case_id=world.case_id)
    assert "<h1>The Vakhidov file</h1>" in html
    assert "Conflicting death reports." in html
    assert "Abu Hafs al-Qalami" in html and "Темур Вахидов" in html
    assert "Meridian Wire, 14 March 2017" in html
    assert "“killed in a missile strike on Tal Hasan”" in html
    conflicts = html.split("<h2>Conflicts</h2>")[1].split("<h2>Timeline</h2>")[0]
    assert "Temur Vakhidov — death" in conflicts
    assert all(f"#claim-{c}" in conflicts for c in world.claims)
    assert "<svg" in html.split("<h2>Timeline</h2>")[1]
    assert "<script" not in html.lower()
    stripped = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in stripped and "https://" not in stripped  # nothing fetched remotely


def test_html_report_escapes_what_the_analyst_typed(db, world):
    from casefile.services import cases

    cases.update_case(db, case_id=world.case_id, title="<script>alert(1)</script>")
    html = report.report_html(db, case_id=world.case_id)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_page_numbers_from_page_starts(db, world):
    from casefile.services.documents import NewDocument

    text = "Page one says nothing.\fPage two: Vakhidov was seen in Qalat Nur.\f"
    doc = documents.add_document(db, case_id=world.case_id, doc=NewDocument(
        text=text, original=b"%PDF-1.4 fictional", content_type="application/pdf",
        title="Caspian Courier dossier", outlet="Caspian Courier", published="2019-05-01",
        page_starts=(0, text.index("Page two")))).id
    start = text.index("Vakhidov was seen")
    hid = highlights.create_highlight(db, document_id=doc, start=start,
                                      end=start + len("Vakhidov was seen in Qalat Nur")).id
    from casefile.exchange.caseview import load_view

    assert load_view(db, case_id=world.case_id).citation(hid).page == 2


def test_cli_exports_every_format(world, db, db_path, cli_env, tmp_path):
    db.close()
    for fmt in ("jsonld", "csv", "codebook-csv", "qdc", "html"):
        out = tmp_path / f"out.{fmt}"
        run_cli("--db", str(db_path), "export", "--case", world.case_id, "--format", fmt,
                "-o", str(out), env=cli_env)
        assert out.stat().st_size > (20 if fmt == "codebook-csv" else 100)
    assert json.loads((tmp_path / "out.jsonld").read_text())["total"] == 4
    assert (tmp_path / "out-evidence.csv").stat().st_size > 100


def test_report_timeline_labels_never_overprint():
    import re
    from types import SimpleNamespace

    from casefile.exchange.report import timeline_svg

    claims = {f"c{i}": {"id": f"c{i}", "date": f"2017-0{1 + i % 3}", "kind": "death",
                        "subject_id": "s", "evidence": [],
                        "stance": ("asserts", "denies", "doubts")[i % 3]} for i in range(9)}
    view = SimpleNamespace(claims=claims, documents={}, highlights={},
                           name=lambda _id: "Temur Vakhidov")
    svg = timeline_svg(view, width=500)
    labels = [(float(x), float(y), t) for x, y, t in
              re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" fill="[^"]+">'
                         r"([^<]+)</text>", svg)]
    assert labels
    boxes = [(x - 3 * len(t) - 2, x + 3 * len(t) + 2, y) for x, y, t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] != b[2] or a[1] < b[0] or b[1] < a[0]
