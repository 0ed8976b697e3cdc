"""Hypotheses and ratings travel in bundles: round trip, merges of ratings, older bundles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.db.database import open_database
from casefile.exchange import BundleError
from casefile.exchange.bundle import FORMAT_VERSION, export_bundle
from casefile.exchange.casedata import collect_case
from casefile.exchange.merge import import_bundle
from casefile.services import cases, claims, hypotheses
from casefile.services.hypotheses import HypothesisInput
from tests.core.ach_case import build_case
from tests.core.test_bundle_hostile import _load, _write

ACH_LISTS = ("hypotheses", "ach_passages", "hypothesis_ratings")


def _state(db, case_id: str) -> dict:
    with db.read() as s:
        return collect_case(s, case_id)


def _scores(db, case_id: str) -> dict[str, float]:
    return {s.hypothesis_id: s.score for s in hypotheses.matrix(db, case_id=case_id).scores}


@pytest.fixture
def laptops(tmp_path: Path):
    """Laptop A builds the case and rates; laptop B imports A's first bundle."""
    a = open_database(tmp_path / "a.sqlite")
    b = open_database(tmp_path / "b.sqlite")
    case = build_case(a, cases.create_case(a, title="Qosimov").id)
    passage = claims.get_claim(a, claim_id=case.claims["alive"]).evidence[0]
    hypotheses.add_passage(a, highlight_id=passage, note="the brother's own words")
    hypotheses.rate(a, hypothesis_id=case.hyps["alive"], evidence_id=passage, rating="CC")
    hypotheses.rate(a, hypothesis_id=case.hyps["raqqa"], evidence_id=case.claims["alive"],
                    rating="II", note="family would know")
    first = tmp_path / "first.casefile"
    export_bundle(a, case_id=case.case_id, out=first)
    assert import_bundle(b, path=first).new_case
    yield a, b, case, tmp_path
    a.close()
    b.close()


def test_round_trip_keeps_hypotheses_passages_and_ratings(laptops):
    a, b, case, _tmp = laptops
    sa, sb = _state(a, case.case_id), _state(b, case.case_id)
    for key in ACH_LISTS:
        assert sa[key] == sb[key] and sa[key]
    assert len(sa["hypothesis_ratings"]) == 2
    assert _scores(a, case.case_id) == _scores(b, case.case_id)
    m = hypotheses.matrix(b, case_id=case.case_id)
    assert m.hypotheses[0].statement == "Qosimov was killed in Raqqa in May 2016"
    assert m.rows[-1].highlight_id is not None and m.rows[-1].cells[2].rating == "CC"


def test_rating_changed_on_both_sides_newest_wins_and_is_reported(laptops):
    a, b, case, tmp = laptops
    h, c = case.hyps, case.claims
    # A re-rates one cell and adds a hypothesis; B re-rates the same cell later, and another
    hypotheses.rate(a, hypothesis_id=h["raqqa"], evidence_id=c["alive"], rating="I")
    added = hypotheses.add_hypothesis(a, case_id=case.case_id, data=HypothesisInput(
        "He died in prison in 2021"))
    hypotheses.rate(b, hypothesis_id=h["raqqa"], evidence_id=c["alive"], rating="N")
    hypotheses.rate(b, hypothesis_id=h["wadi"], evidence_id=c["istanbul"], rating="II")
    to_b, to_a = tmp / "a2.casefile", tmp / "b2.casefile"
    export_bundle(a, case_id=case.case_id, out=to_b)
    export_bundle(b, case_id=case.case_id, out=to_a)
    rep_a = import_bundle(a, path=to_a)
    rep_b = import_bundle(b, path=to_b)
    sa, sb = _state(a, case.case_id), _state(b, case.case_id)
    for key in ACH_LISTS:
        assert sa[key] == sb[key]
    rated = {(r["hypothesis_id"], r["claim_id"]): r["rating"] for r in sa["hypothesis_ratings"]}
    assert rated[(h["raqqa"], c["alive"])] == "N"  # B's edit was the newer
    assert rated[(h["wadi"], c["istanbul"])] == "II"
    assert added.id in {x["id"] for x in sa["hypotheses"]}
    conflict = rep_a.types["hypothesis_ratings"].conflicts
    assert [(x["hypothesis_id"], x["evidence_id"], x["local_rating"], x["incoming_rating"],
             x["winner"]) for x in conflict] == [(h["raqqa"], c["alive"], "I", "N", "incoming")]
    assert rep_b.types["hypothesis_ratings"].conflicts[0]["winner"] == "local"
    assert rep_a.types["hypotheses"].counts()["added"] == 0
    assert rep_b.types["hypotheses"].added == [added.id]
    assert _scores(a, case.case_id) == _scores(b, case.case_id)


def test_a_cell_rated_on_both_laptops_independently_is_one_rating(laptops):
    """Ratings are named after their cell: two laptops rating the same new cell make one
    record, so the merge compares them instead of failing on a second rating of one cell."""
    a, b, case, tmp = laptops
    h, c = case.hyps, case.claims
    hypotheses.rate(a, hypothesis_id=h["alive"], evidence_id=c["raqqa"], rating="II")
    hypotheses.rate(b, hypothesis_id=h["alive"], evidence_id=c["raqqa"], rating="I")
    out = tmp / "b3.casefile"
    export_bundle(b, case_id=case.case_id, out=out)
    rep = import_bundle(a, path=out)
    assert [x["incoming_rating"] for x in rep.types["hypothesis_ratings"].conflicts] == ["I"]
    assert {(r.hypothesis_id, r.evidence_id): r.rating
            for r in hypotheses.list_ratings(a, case_id=case.case_id)}[
        (h["alive"], c["raqqa"])] == "I"


def _rewrite(src: Path, dst: Path, change) -> Path:
    manifest, members = _load(src)
    case = json.loads(members["case.json"])
    change(manifest, case)
    members["case.json"] = json.dumps(case).encode()
    return _write(dst, manifest, members)


def test_version_1_bundles_still_import(laptops):
    a, _b, case, tmp = laptops
    assert FORMAT_VERSION == 2
    src = tmp / "v2.casefile"
    export_bundle(a, case_id=case.case_id, out=src)

    def to_v1(manifest, data):
        manifest["format_version"] = data["format_version"] = 1
        for key in ACH_LISTS:
            del data[key]

    old = _rewrite(src, tmp / "v1.casefile", to_v1)
    fresh = open_database(tmp / "fresh.sqlite")
    try:
        rep = import_bundle(fresh, path=old)
        assert rep.new_case and rep.types["claims"].counts()["added"] == 6
        assert hypotheses.list_hypotheses(fresh, case_id=case.case_id) == []
    finally:
        fresh.close()


@pytest.mark.parametrize("damage, match", [
    (lambda d: d["hypothesis_ratings"].append({**d["hypothesis_ratings"][0], "id": "x" * 8}),
     "two hypothesis_ratings for one"),
    (lambda d: d["hypothesis_ratings"][0].update(claim_id=None, highlight_id=None),
     "exactly one claim or one passage"),
    (lambda d: d["hypothesis_ratings"][0].update(rating="maybe"), "fails the bundle schema"),
    (lambda d: d["hypothesis_ratings"][0].update(hypothesis_id="nope"), "missing hypothesis"),
    (lambda d: d["hypotheses"][0].update(statement=""), "fails the bundle schema"),
])
def test_bad_ach_records_are_refused_whole(laptops, damage, match):
    a, _b, case, tmp = laptops
    src = tmp / "good.casefile"
    export_bundle(a, case_id=case.case_id, out=src)
    bad = _rewrite(src, tmp / "bad.casefile", lambda _m, data: damage(data))
    fresh = open_database(tmp / "fresh.sqlite")
    try:
        with pytest.raises(BundleError, match=match):
            import_bundle(fresh, path=bad)
        assert cases.list_cases(fresh) == []
    finally:
        fresh.close()
