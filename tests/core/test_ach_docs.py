"""docs/ach.md's worked example is the case the tests build: its numbers are the computed ones."""

from __future__ import annotations

import re

import pytest

from casefile.services import hypotheses
from tests.conftest import ROOT
from tests.core.ach_case import build_case

DOC = (ROOT / "docs" / "ach.md").read_text(encoding="utf-8")


def test_the_worked_example_scores_ranks_and_weights_are_computed(db, case_id):
    case = build_case(db, case_id)
    m = hypotheses.matrix(db, case_id=case_id)
    table = re.findall(r"^\| (H\d) (.+?) \| .+? \| ([\d.]+) \| (\d) \|$", DOC, re.M)
    assert len(table) == 3
    by_statement = {h.statement: s for h, s in m.ranking()}
    for _label, statement, score, rank in table:
        assert by_statement[statement].score == pytest.approx(float(score))
        assert by_statement[statement].rank == int(rank)
    weights = {r.key: r for r in m.rows}
    assert f"{weights[case.claims['raqqa']].weight:.2f}" == "0.36" and "= 0.36 |" in DOC
    assert f"{weights[case.claims['istanbul']].weight:.2f}" == "0.80" and "= 0.80 |" in DOC
    assert f"{weights[case.claims['minister_ledger']].effective_weight:.4f}" == "0.2133"
    assert "0.2133 each" in DOC
    # "without the Istanbul arrest … H1 0.80, H2 0.52, H3 1.00 and H2 leads"
    assert "H1 0.80, H2 0.52,\nH3 1.00 and **H2 leads**" in DOC
    removal = [s for s in m.sensitivity if s.by == "removal"]
    assert [(s.claim_id, s.changes_leader_to) for s in removal] == [
        (case.claims["istanbul"], case.hyps["wadi"])]
    hypotheses.rate(db, hypothesis_id=case.hyps["raqqa"], evidence_id=case.claims["alive"],
                    rating="II")
    assert "1.60 + 0.16 = 1.76" in DOC
    assert {h.id: s.score for h, s in hypotheses.matrix(db, case_id=case_id).ranking()}[
        case.hyps["raqqa"]] == pytest.approx(1.76)
