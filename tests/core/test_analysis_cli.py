"""The analysis CLI contract: entity candidates/merge/alias/mentions, conflicts, claims'
independent origins, timeline and search."""

from __future__ import annotations

import pytest

from casefile.db.database import open_database
from casefile.services import cases
from tests.core.analysis_case import RELATIVES, SUBJECT, build_case
from tests.helpers import cli_json, run_cli


@pytest.fixture
def built(cli_env):
    db = open_database(cli_env["CASEFILE_DB"])
    try:
        case_id = cases.create_case(db, title="Vakhidov").id
        case = build_case(db, case_id)
    finally:
        db.close()
    return case


def test_candidates_then_merge_then_conflicts(cli_env, built):
    cands = cli_json("entity", "candidates", env=cli_env)
    assert set(cands[0]) >= {"a", "b", "score", "reason"}
    top = {frozenset((c["a"], c["b"])) for c in cands[:10]}
    assert frozenset((SUBJECT, "Темур Вахидов")) in top
    rel = [c["score"] for c in cands if set(RELATIVES) & {c["a"], c["b"]}]
    var = [c["score"] for c in cands if {c["a"], c["b"]} == {SUBJECT, "Timur Vakhidov"}]
    assert max(rel) < min(var)

    assert cli_json("conflicts", env=cli_env)[0]["claims"] != []
    for other in ("Timur Vakhidov", "Temur Vahidov", "Temur Vakhidzoda", "Vakhidov Temur",
                  "Темур Вахидов", "Abu Hafs al-Kalami"):
        run_cli("entity", "merge", "abu hafs al-qalami", other, env=cli_env)
    conflicts = cli_json("conflicts", env=cli_env)
    assert len(conflicts) == 1
    assert conflicts[0]["subject"] == SUBJECT and conflicts[0]["kind"] == "death"
    assert len(conflicts[0]["claims"]) == 8 and conflicts[0]["reason"]

    claims = {c["id"]: c for c in cli_json("claims", env=cli_env)}
    minister = [c for c in claims.values() if c["origin"] == "Anvar Rasulzoda"
                and c["stance"] == "asserts"]
    assert len(minister) == 3
    assert all(c["independent_origins"] == 1 for c in minister)
    assert all(1 <= c["suggested_credibility"] <= 6 for c in claims.values())

    timeline = cli_json("timeline", env=cli_env)
    assert [t["date"] for t in timeline] == sorted(t["date"] for t in timeline)
    assert set(timeline[0]) >= {"claim", "subject", "kind", "date", "reported", "conflict"}
    assert all(t["conflict"] for t in timeline if t["kind"] == "death")
    by_report = cli_json("timeline", "--by", "reported", env=cli_env)
    assert [t["reported"] for t in by_report] == sorted(t["reported"] for t in by_report)
    assert [t["claim"] for t in by_report] != [t["claim"] for t in timeline]

    accept = next(c["id"] for c in minister)
    run_cli("resolve", SUBJECT, "death", "--accept", accept[:8], "--reason", "body seen",
            env=cli_env)
    assert cli_json("conflicts", env=cli_env)[0]["resolved"] is True
    assert cli_json("conflicts", "--open", env=cli_env) == []


def test_alias_mentions_and_search(cli_env, built):
    doc = built.docs["ledger2020"]
    out = cli_json("entity", "alias", SUBJECT, "T. Vakhidov", "--document", doc, env=cli_env)
    assert out["document_id"] == doc
    mentions = cli_json("entity", "mentions", SUBJECT, env=cli_env)
    assert {"document_id", "start", "end", "text"} <= set(mentions[0])
    assert any(m["text"] == "Abu Hafs al-Qalami" for m in mentions)
    hits = cli_json("search", "Tal Hasan", env=cli_env)
    doc_hits = [h for h in hits if h["type"] == "document"]
    assert doc_hits and all(h["offsets"] for h in doc_hits)
    assert {"type", "id", "snippet"} <= set(hits[0])
    bad = run_cli("entity", "merge", SUBJECT, "Nobody Known", env=cli_env, check=False)
    assert bad.returncode == 2 and "Nobody Known" in bad.stderr
