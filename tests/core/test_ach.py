"""ACH: suggestions, overrides, hand-computed scores and ranks, sensitivity, hypotheses' life."""

from __future__ import annotations

import pytest

from casefile.errors import NotFound, ValidationError
from casefile.services import claims, hypotheses
from casefile.services.claims import ClaimInput
from casefile.services.hypotheses import HypothesisInput
from tests.core.ach_case import SUBJECT, build_case, build_claims

MINISTER = ("minister_courier", "minister_ledger", "minister_meridian")


@pytest.fixture
def ach_case(db, case_id):
    return build_case(db, case_id)


def _cells(m, case):
    """{(claim key, hypothesis key): cell} with the fixture's names."""
    ckeys = {v: k for k, v in case.claims.items()}
    hkeys = {v: k for k, v in case.hyps.items()}
    return {(ckeys[r.key], hkeys[h.id]): cell for r in m.rows
            for h, cell in zip(m.hypotheses, r.cells, strict=True)}


def test_suggestions_follow_the_claims_fields(db, ach_case):
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    cells = _cells(m, ach_case)
    expected = {
        "raqqa": {"raqqa": "C", "wadi": "I", "alive": "I"},
        "istanbul": {"raqqa": "I", "wadi": "I", "alive": "N"},
        "alive": {"raqqa": "I", "wadi": "I", "alive": "C"},
        **{k: {"raqqa": "I", "wadi": "C", "alive": "I"} for k in MINISTER},
    }
    got = {c: {h: cells[(c, h)].rating for h in ach_case.hyps} for c in expected}
    assert got == expected
    assert all(cell.suggested for cell in cells.values())  # nothing decided for the analyst
    reasons = {k: cells[k].suggestion.reason for k in cells}
    assert "date agrees" in reasons[("raqqa", "raqqa")]
    assert "place agrees" in reasons[("raqqa", "raqqa")]
    assert "date differs" in reasons[("raqqa", "wadi")]
    assert "place differs (Raqqa vs Wadi Sirr)" in reasons[("raqqa", "wadi")]
    assert "asserts the death the hypothesis denies" in reasons[("raqqa", "alive")]
    assert "denies the death the hypothesis asserts" in reasons[("alive", "wadi")]
    assert reasons[("istanbul", "wadi")].startswith("alive after the death: a claim of kind "
                                                    "arrest puts Daler Qosimov alive in "
                                                    "February 2020")
    assert reasons[("istanbul", "alive")] == ("another kind: a claim of kind arrest; the "
                                              "hypothesis is about death")


def test_scores_ranks_and_weights_computed_by_hand(db, ach_case):
    """Weights: credibility 3 → 0.6, 2 → 0.8, 4 → 0.4; reliability C 0.6, B 0.8, A 1.0, D 0.4.
    Raqqa council 0.6×0.6 = 0.36; minister 0.8×0.8 = 0.64 shared by three outlets' claims
    (0.2133 each); Istanbul police 0.8×1.0 = 0.80; the brother 0.4×0.4 = 0.16.
    H1 Raqqa: minister 0.64 + police 0.80 + brother 0.16 = 1.60;
    H2 Wadi Sirr: council 0.36 + police 0.80 + brother 0.16 = 1.32;
    H3 alive: council 0.36 + minister 0.64 = 1.00 (2.28 if the minister counted three times)."""
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    rows = {r.key: r for r in m.rows}
    c = ach_case.claims
    assert rows[c["raqqa"]].weight == pytest.approx(0.36)
    assert rows[c["istanbul"]].weight == pytest.approx(0.80)
    assert rows[c["alive"]].weight == pytest.approx(0.16)
    for k in MINISTER:
        assert rows[c[k]].shared_by == 3
        assert rows[c[k]].effective_weight == pytest.approx(0.64 / 3)
    assert rows[c["raqqa"]].shared_by == 1
    scores = {s.hypothesis_id: s for s in m.scores}
    h = ach_case.hyps
    assert scores[h["raqqa"]].score == pytest.approx(1.60)
    assert scores[h["wadi"]].score == pytest.approx(1.32)
    assert scores[h["alive"]].score == pytest.approx(1.00)
    assert [scores[h[k]].rank for k in ("alive", "wadi", "raqqa")] == [1, 2, 3]
    assert m.leader == h["alive"]
    assert [x.id for x, _s in m.ranking()] == [h["alive"], h["wadi"], h["raqqa"]]
    assert scores[h["raqqa"]].inconsistent == 5 and scores[h["raqqa"]].consistent == 1
    assert scores[h["alive"]].unreviewed == 6  # every counted cell is still a suggestion
    # diagnosticity: C/I/I spreads 2 steps; the arrest rates I, I, N (1 step)
    assert rows[c["raqqa"]].diagnosticity == 2
    assert rows[c["istanbul"]].diagnosticity == 1
    # the analyst's own ratings only: nothing counted yet
    own = hypotheses.matrix(db, case_id=ach_case.case_id, include_suggestions=False)
    assert [s.score for s in own.scores] == [0, 0, 0] and own.leader is None


def test_overriding_a_suggestion(db, ach_case):
    h, c = ach_case.hyps, ach_case.claims
    before = hypotheses.rate(db, hypothesis_id=h["raqqa"], evidence_id=c["alive"], rating="II")
    assert before is None
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    row = next(r for r in m.rows if r.key == c["alive"])
    cell = row.cells[[x.id for x in m.hypotheses].index(h["raqqa"])]
    assert (cell.rating, cell.suggested, cell.analyst) == ("II", False, "II")
    assert cell.suggestion.rating == "I" and cell.differs  # the suggestion stays visible
    scores = {s.hypothesis_id: s.score for s in m.scores}
    assert scores[h["raqqa"]] == pytest.approx(1.76)  # 1.60 + 0.16 more
    # accepting a suggestion makes it the analyst's; clearing brings the suggestion back
    hypotheses.rate(db, hypothesis_id=h["alive"], evidence_id=c["istanbul"], rating="N")
    prev = hypotheses.rate(db, hypothesis_id=h["raqqa"], evidence_id=c["alive"], rating=None)
    assert prev.rating == "II"
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    rated = {(r.hypothesis_id, r.evidence_id): r.rating
             for r in hypotheses.list_ratings(db, case_id=ach_case.case_id)}
    assert rated == {(h["alive"], c["istanbul"]): "N"}
    assert {s.hypothesis_id: s.score for s in m.scores}[h["raqqa"]] == pytest.approx(1.60)


def test_bad_ratings_are_refused_and_change_nothing(db, ach_case):
    h, c = ach_case.hyps, ach_case.claims
    with pytest.raises(ValidationError, match="not a valid rating"):
        hypotheses.rate(db, hypothesis_id=h["raqqa"], evidence_id=c["alive"], rating="maybe")
    with pytest.raises(NotFound):
        hypotheses.rate(db, hypothesis_id=h["raqqa"], evidence_id="nope", rating="C")
    with pytest.raises(NotFound):
        hypotheses.rate(db, hypothesis_id="nope", evidence_id=c["alive"], rating="C")
    assert hypotheses.list_ratings(db, case_id=ach_case.case_id) == []


def test_sensitivity_finds_the_claim_that_flips_the_leader(db, ach_case):
    """Without the Istanbul arrest, H2 (Wadi Sirr) leads: H1 0.80, H2 0.52, H3 1.00. Dropping
    any other claim leaves H3 ahead (dropping one of the minister's three echoes changes
    nothing at all: the other two carry his word)."""
    h, c = ach_case.hyps, ach_case.claims
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    removals = [s for s in m.sensitivity if s.by == "removal"]
    assert [(s.claim_id, s.changes_leader_to) for s in removals] == [(c["istanbul"], h["wadi"])]
    rerate = {s.claim_id: s for s in m.sensitivity if s.by == "re-rating"}
    # rating the council's claim N rather than I against H2 gives H2 0.96 < 1.00
    assert (rerate[c["raqqa"]].hypothesis_id, rerate[c["raqqa"]].as_rating,
            rerate[c["raqqa"]].changes_leader_to) == (h["wadi"], "N", h["wadi"])
    # the brother's denial rated II against H3 would tie H2 and H3 at 1.32
    assert rerate[c["alive"]].changes_leader_to is None
    assert set(rerate[c["alive"]].tied) == {h["wadi"], h["alive"]}
    assert not any(k in rerate for k in (c[x] for x in MINISTER))
    # the analyst follows the finding: without the arrest the ranking turns
    claims.delete_claim(db, claim_id=c["istanbul"])
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    assert m.leader == h["wadi"]
    assert {s.hypothesis_id: s.score for s in m.scores}[h["wadi"]] == pytest.approx(0.52)


def test_places_within_places_agree(db, case_id):
    case = build_claims(db, case_id)
    hyp = hypotheses.add_hypothesis(db, case_id=case_id, data=HypothesisInput(
        "Killed in Syria in August 2019", subject=SUBJECT, kind="death", date="2019-08",
        place="Syria"))
    minister = case.claims["minister_courier"]

    def cell():
        m = hypotheses.matrix(db, case_id=case_id)
        return next(r for r in m.rows if r.key == minister).cells[0]

    assert cell().rating == "I" and "place differs (Wadi Sirr vs Syria)" in cell().suggestion.reason
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Wadi Sirr", kind="location", place="Syria", statement="Wadi Sirr is in Syria"))
    assert cell().rating == "C" and "place agrees" in cell().suggestion.reason
    assert hyp.place == "Syria"


def test_rows_are_the_hypotheses_subjects_plus_passages(db, ach_case):
    other = claims.create_claim(db, case_id=ach_case.case_id, data=ClaimInput(
        subject="Someone Else", kind="death", date="2019"))
    keys = {r.key for r in hypotheses.matrix(db, case_id=ach_case.case_id).rows}
    assert other.id not in keys and ach_case.claims["raqqa"] in keys
    assert other.id in {r.key for r in hypotheses.matrix(db, case_id=ach_case.case_id,
                                                          all_claims=True).rows}
    # a passage without a claim, rated by hand only
    evidence = claims.get_claim(db, claim_id=ach_case.claims["alive"]).evidence[0]
    hypotheses.add_passage(db, highlight_id=evidence)
    hypotheses.add_passage(db, highlight_id=evidence)  # once only
    assert [p.highlight_id for p in hypotheses.list_passages(db, case_id=ach_case.case_id)] == [
        evidence]
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    row = m.rows[-1]
    assert row.highlight_id == evidence and row.claim_id is None
    assert all(cell.rating is None and cell.suggestion is None for cell in row.cells)
    hypotheses.rate(db, hypothesis_id=ach_case.hyps["alive"], evidence_id=evidence, rating="CC")
    snap = hypotheses.remove_passage(db, highlight_id=evidence)
    assert evidence not in {r.key for r in hypotheses.matrix(db, case_id=ach_case.case_id).rows}
    hypotheses.restore_passage(db, snapshot=snap)
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    assert m.rows[-1].cells[2].rating == "CC"


def test_add_edit_reorder_delete_and_restore(db, ach_case):
    h = ach_case.hyps
    order = [x.id for x in hypotheses.list_hypotheses(db, case_id=ach_case.case_id)]
    assert order == [h["raqqa"], h["wadi"], h["alive"]]
    before = hypotheses.move_hypothesis(db, hypothesis_id=h["alive"], position=0)
    assert before == order
    assert [x.id for x in hypotheses.list_hypotheses(db, case_id=ach_case.case_id)] == [
        h["alive"], h["raqqa"], h["wadi"]]
    hypotheses.reorder_hypotheses(db, case_id=ach_case.case_id, order=before)
    old = hypotheses.get_hypothesis(db, hypothesis_id=h["wadi"])
    new = hypotheses.update_hypothesis(db, hypothesis_id=h["wadi"], data=HypothesisInput(
        "Killed near Wadi Sirr, 2019 to mid-2020", subject=SUBJECT, kind="death", date="2019",
        date_end="June 2020", place="Wadi Sirr", note="the minister's version"))
    assert (new.date, new.date_end, new.note) == ("2019", "2020-06", "the minister's version")
    assert new.when() == "2019 – June 2020"
    hypotheses.update_hypothesis(db, hypothesis_id=h["wadi"], data=hypotheses.as_input(old))
    hypotheses.rate(db, hypothesis_id=h["wadi"], evidence_id=ach_case.claims["raqqa"],
                    rating="II")
    snap = hypotheses.delete_hypothesis(db, hypothesis_id=h["wadi"])
    assert len(hypotheses.list_hypotheses(db, case_id=ach_case.case_id)) == 2
    hypotheses.restore_hypothesis(db, snapshot=snap)
    assert [x.id for x in hypotheses.list_hypotheses(db, case_id=ach_case.case_id)] == order
    assert hypotheses.list_ratings(db, case_id=ach_case.case_id)[0].rating == "II"
    with pytest.raises(ValidationError):
        hypotheses.add_hypothesis(db, case_id=ach_case.case_id, data=HypothesisInput("  "))
    with pytest.raises(ValidationError, match="ends before it begins"):
        hypotheses.add_hypothesis(db, case_id=ach_case.case_id, data=HypothesisInput(
            "x", date="2020", date_end="2019"))
    with pytest.raises(ValidationError):
        hypotheses.reorder_hypotheses(db, case_id=ach_case.case_id, order=order[:2])
    assert len(hypotheses.list_hypotheses(db, case_id=ach_case.case_id)) == 3


def test_accepting_suggestions_in_bulk_and_undoing(db, ach_case):
    h = ach_case.hyps
    changed = hypotheses.accept_suggestions(db, case_id=ach_case.case_id, hypothesis_id=h["alive"])
    assert len(changed) == 6
    m = hypotheses.matrix(db, case_id=ach_case.case_id)
    col = [x.id for x in m.hypotheses].index(h["alive"])
    assert all(not r.cells[col].suggested for r in m.rows)
    assert all(r.cells[0].suggested for r in m.rows)
    hypotheses.set_ratings(db, ratings=changed)
    assert hypotheses.list_ratings(db, case_id=ach_case.case_id) == []


def test_conflict_versions_become_hypotheses(db, case_id):
    case = build_claims(db, case_id)
    ids = [case.claims[k] for k in ("raqqa", *MINISTER, "alive")]
    drafts = hypotheses.drafts_from_conflict(db, case_id=case_id, claim_ids=ids)
    assert [d.statement for d in drafts] == [
        "Daler Qosimov died in Raqqa in May 2016",
        "Daler Qosimov died in Wadi Sirr on 3 August 2019",
        "Daler Qosimov is alive (did not die)"]
    assert drafts[2].stance == "denies"
    added = hypotheses.add_from_conflict(db, case_id=case_id, claim_ids=ids)
    assert len(added) == 3
    # asking again proposes nothing new
    assert hypotheses.drafts_from_conflict(db, case_id=case_id, claim_ids=ids) == []
    m = hypotheses.matrix(db, case_id=case_id)
    assert m.leader == added[2].id


def test_merging_entities_keeps_the_hypotheses_subject(db, case_id):
    from casefile.services import entities, identity

    build_claims(db, case_id)
    variant = entities.create_entity(db, case_id=case_id, name="D. Qosimov")
    hyp = hypotheses.add_hypothesis(db, case_id=case_id, data=HypothesisInput(
        "D. Qosimov died in 2019", subject=variant.id, kind="death", date="2019"))
    keep = identity.resolve_entity(db, case_id=case_id, ref=SUBJECT)
    snap = identity.merge_entities(db, keep_id=keep, other_id=variant.id)
    assert hypotheses.get_hypothesis(db, hypothesis_id=hyp.id).subject_id == keep
    assert len(hypotheses.matrix(db, case_id=case_id).rows) == 6  # now about his claims
    identity.unmerge_entities(db, snapshot=snap)
    assert hypotheses.get_hypothesis(db, hypothesis_id=hyp.id).subject_id == variant.id
