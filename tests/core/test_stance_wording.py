"""A claim that denies or doubts never reads like one that asserts: reports, exports, CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html import unescape
from xml.etree import ElementTree as ET

import pytest

from casefile.exchange import csv_export, jsonld, report
from casefile.exchange.caseview import load_view
from casefile.services import claims
from casefile.vocab import stated, with_stance
from tests.core.stance_case import LABELS, SUBJECT, build_stance_case
from tests.helpers import run_cli


@pytest.fixture
def sc(db):
    return build_stance_case(db)


def _text(html: str) -> str:
    """What a reader of the HTML sees: tags out, entities decoded, spaces folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_one_wording_for_the_three_stances():
    assert [with_stance("death", s) for s in ("asserts", "denies", "doubts")] == \
        ["death", "death (denied)", "death (doubted)"]
    assert stated("He is alive", "death", "denies") == "death (denied): He is alive"
    assert stated("He was killed", "death", "asserts") == "He was killed"


def test_html_report_names_each_stance_in_claims_conflicts_and_timeline(db, sc):
    html = report.report_html(db, case_id=sc.case_id)
    claims_part = _text(html.split("<h2>Claims by subject</h2>")[1].split("<h2>Conflicts")[0])
    # each claim's facts start with its label: three different labels, one per claim
    for stance, label in LABELS.items():
        assert f"{label} · in " in claims_part, (stance, claims_part)
    conflicts_part = _text(html.split("<h2>Conflicts</h2>")[1].split("<h2>Timeline")[0])
    assert "death (denied): is alive and had telephoned the family" in conflicts_part
    assert "death (doubted): doubted that Qodirov died in the strike" in conflicts_part
    svg = html.split("<h2>Timeline</h2>")[1]
    labels = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert sorted(x for x in labels if x.startswith(SUBJECT)) == sorted(
        f"{SUBJECT}: {label}" for label in LABELS.values())


def test_svg_dots_are_drawn_as_the_window_draws_them(db, sc):
    svg = report.timeline_svg(load_view(db, case_id=sc.case_id))
    dots = re.findall(r"<circle [^>]*/>", svg)
    assert len(dots) == 3
    assert sum('fill="#ffffff"' in d for d in dots) == 1  # the denial: hollow
    assert sum("stroke-dasharray" in d for d in dots) == 1  # the doubt: dashed


def test_csv_and_jsonld_carry_the_stance(db, sc):
    out = io.StringIO()
    csv_export.write_claims_csv(db, case_id=sc.case_id, out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert sorted(r["stance"] for r in rows) == ["asserts", "denies", "doubts"]
    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=sc.case_id, out=out)
    items = json.loads(out.getvalue())["first"]["items"]
    assessed = [b["value"] for a in items for b in a["body"] if b["purpose"] == "assessing"]
    assert sorted(re.search(r"stance (\w+)", v).group(1) for v in assessed) == \
        ["asserts", "denies", "doubts"]


def test_qdpx_notes_name_the_stance_and_read_back(db, sc, tmp_path):
    from casefile.exchange.qdpx_export import export_qdpx
    from casefile.exchange.qdpx_import import import_qdpx

    out = tmp_path / "case.qdpx"
    export_qdpx(db, case_id=sc.case_id, out=out)
    with zipfile.ZipFile(out) as zf:
        root = ET.fromstring(zf.read("project.qde"))
    names = sorted(n.get("name") for n in root.iter() if n.tag.endswith("}Note"))
    assert names == ["death (denied): is alive and had telephoned the family",
                     "death (doubted): doubted that Qodirov died in the strike",
                     "was killed in an airstrike near Darband"]
    back = import_qdpx(db, path=out)
    got = {c.stance: c.statement for c in claims.list_claims(db, case_id=back.case_id)}
    assert got["denies"] == "is alive and had telephoned the family"
    assert got["asserts"] == "was killed in an airstrike near Darband"


def test_cli_entity_show_conflicts_and_timeline_name_the_stance(db, db_path, sc, cli_env):
    db.close()
    show = run_cli("--db", str(db_path), "entity", "show", SUBJECT, env=cli_env).stdout
    assert "(denied)" in show and "(doubted)" in show, show
    conflicts = run_cli("--db", str(db_path), "conflicts", env=cli_env).stdout
    assert "death (denied): is alive" in conflicts and "death (doubted): doubted" in conflicts
    timeline = run_cli("--db", str(db_path), "timeline", env=cli_env).stdout
    assert "death (denied)" in timeline and "death (doubted)" in timeline


def test_ach_report_rows_name_the_stance(db, sc):
    from casefile.services import hypotheses
    from casefile.services.hypotheses import HypothesisInput

    hypotheses.add_hypothesis(db, case_id=sc.case_id, data=HypothesisInput(
        statement="Qodirov died in February 2016", subject=SUBJECT, kind="death",
        date="February 2016"))
    html = report.report_html(db, case_id=sc.case_id)
    matrix = _text(html.split("<h3>Matrix</h3>")[1].split("</table>")[0])
    assert "death (denied): is alive and had telephoned the family" in matrix
    assert "death (doubted): doubted that Qodirov died" in matrix
