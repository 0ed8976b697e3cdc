"""The ACH command line: hypothesis add/list/rate/accept/move/delete, ach --json, from-conflict."""

from __future__ import annotations

import pytest

from casefile.db.database import open_database
from casefile.services import cases
from tests.core.ach_case import SUBJECT, build_claims
from tests.helpers import cli_json, run_cli


@pytest.fixture
def built(cli_env):
    db = open_database(cli_env["CASEFILE_DB"])
    try:
        case = build_claims(db, cases.create_case(db, title="Qosimov").id)
    finally:
        db.close()
    return case


def test_hypotheses_ratings_and_the_matrix_from_the_cli(cli_env, built):
    c = built.claims
    ids = {}
    for key, args in (("raqqa", ("Killed in Raqqa in May 2016", "--date", "May 2016",
                                 "--place", "Raqqa")),
                      ("wadi", ("Killed near Wadi Sirr in August 2019", "--date", "2019-08",
                                "--place", "Wadi Sirr")),
                      ("alive", ("He is alive", "--stance", "denies"))):
        out = cli_json("hypothesis", "add", *args, "--subject", SUBJECT, "--kind", "death",
                       env=cli_env)
        assert set(out) == {"id"}
        ids[key] = out["id"]
    listed = cli_json("hypothesis", "list", env=cli_env)
    assert [h["id"] for h in listed] == [ids["raqqa"], ids["wadi"], ids["alive"]]
    assert listed[0]["date"] == "2016-05" and listed[0]["place"] == "Raqqa"
    assert listed[2]["stance"] == "denies" and listed[2]["structured"]

    m = cli_json("ach", env=cli_env)
    assert set(m) >= {"hypotheses", "rows", "sensitivity"}
    score = {h["id"]: h for h in m["hypotheses"]}
    assert set(m["hypotheses"][0]) >= {"id", "statement", "score", "rank"}
    assert score[ids["alive"]]["rank"] == 1 and score[ids["alive"]]["score"] == pytest.approx(1.0)
    assert score[ids["wadi"]]["score"] == pytest.approx(1.32)
    assert score[ids["raqqa"]]["score"] == pytest.approx(1.60)
    row = next(r for r in m["rows"] if r["claim"] == c["raqqa"])
    assert set(row) >= {"claim", "diagnosticity", "cells"} and row["diagnosticity"] == 2
    assert row["cells"][ids["raqqa"]] == {"rating": "C", "suggested": True, "suggestion": "C",
                                          "reason": row["cells"][ids["raqqa"]]["reason"]}
    assert [(s["claim"], s["changes_leader_to"]) for s in m["sensitivity"]
            if s["by"] == "removal"] == [(c["istanbul"], ids["wadi"])]

    # override a suggestion by id prefixes; the cell is the analyst's now
    run_cli("hypothesis", "rate", ids["raqqa"][:8], c["alive"][:8], "--as", "ii", env=cli_env)
    m = cli_json("ach", env=cli_env)
    cell = next(r for r in m["rows"] if r["claim"] == c["alive"])["cells"][ids["raqqa"]]
    assert (cell["rating"], cell["suggested"], cell["suggestion"]) == ("II", False, "I")
    assert {h["id"]: h["score"] for h in m["hypotheses"]}[ids["raqqa"]] == pytest.approx(1.76)

    bad = run_cli("hypothesis", "rate", ids["raqqa"], c["alive"], "--as", "XX", env=cli_env,
                  check=False)
    assert bad.returncode != 0 and "invalid choice" in bad.stderr
    bad = run_cli("hypothesis", "rate", ids["raqqa"], "0000000000", "--as", "C", env=cli_env,
                  check=False)
    assert bad.returncode == 2 and "no claim with id" in bad.stderr

    assert cli_json("hypothesis", "accept", ids["alive"], env=cli_env) == {"accepted": 6}
    only_mine = cli_json("ach", "--rated-only", env=cli_env)
    scores = {h["id"]: h["score"] for h in only_mine["hypotheses"]}
    assert scores[ids["alive"]] == pytest.approx(1.0) and scores[ids["wadi"]] == 0
    text = run_cli("ach", env=cli_env).stdout
    assert "What would change the leader" in text and "without it" in text

    run_cli("hypothesis", "move", ids["alive"], "1", env=cli_env)
    assert cli_json("hypothesis", "list", env=cli_env)[0]["id"] == ids["alive"]
    run_cli("hypothesis", "delete", ids["wadi"], env=cli_env)
    assert len(cli_json("hypothesis", "list", env=cli_env)) == 2


def test_hypotheses_from_a_conflict_set(cli_env, built):
    added = cli_json("hypothesis", "from-conflict", SUBJECT, "death", env=cli_env)
    assert [h["statement"] for h in added] == [
        "Daler Qosimov died in Raqqa in May 2016",
        "Daler Qosimov died in Wadi Sirr on 3 August 2019",
        "Daler Qosimov is alive (did not die)"]
    assert cli_json("hypothesis", "from-conflict", SUBJECT, "death", env=cli_env) == []
