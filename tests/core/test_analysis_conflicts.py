"""Conflict sets, resolutions, independent corroboration and both timelines."""

from __future__ import annotations

import pytest

from casefile.errors import ValidationError
from casefile.services import analysis, claims, highlights, resolutions
from casefile.services.claims import ClaimInput
from tests.core.analysis_case import SUBJECT, build_case, merge_variants


@pytest.fixture
def case(db, case_id):
    c = build_case(db, case_id)
    merge_variants(db, c)
    return c


def test_death_reports_form_one_conflict_set(db, case_id, case):
    sets = analysis.list_conflicts(db, case_id=case_id)
    assert len(sets) == 1
    view = sets[0]
    assert (view.set.subject, view.set.kind) == (SUBJECT, "death")
    expected = {k for k in case.claims if k.startswith(("death", "doubt", "alive"))}
    assert set(view.set.claim_ids) == {case.claims[k] for k in expected}
    assert "different dates" in view.set.reason and "different places" in view.set.reason
    assert "doubts" in view.set.reason and "denies" in view.set.reason
    member = next(m for m in view.members if m.id == case.claims["death2017b"])
    assert (member.place, member.origin, member.outlets, member.reported) == (
        "Tal Hasan", "Coalition spokesman", ("Meridian Wire",), "2017-07-20")
    assert member.passages and member.passages[0].document_id == case.docs["meridian2017"]


def test_before_merging_spellings_hide_the_contradictions(db, case_id):
    case = build_case(db, case_id)
    sets = analysis.list_conflicts(db, case_id=case_id)
    # only the subject's own spelling carries two claims that disagree (2015 death vs doubt)
    assert [(s.set.subject, set(s.set.claim_ids)) for s in sets] == [
        (SUBJECT, {case.claims["death2015"], case.claims["doubt2020"]})]


def test_different_holders_of_one_role_conflict(db, case_id, case):
    h = highlights.create_highlight(db, document_id=case.docs["meridian2017"], start=0, end=5)
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Rustam Qodirov", kind="role", object="Wadi Sirr Battalion", value="commander",
        date="2017", evidence=(h.id,)))
    sets = analysis.list_conflicts(db, case_id=case_id)
    role = [s for s in sets if s.set.kind == "role"]
    assert len(role) == 1 and "2 different holders" in role[0].set.reason


def test_resolving_a_set_and_reopening_on_new_claims(db, case_id, case):
    view = analysis.list_conflicts(db, case_id=case_id)[0]
    accepted = case.claims["death2020_lantern"]
    with pytest.raises(ValidationError):
        resolutions.resolve_conflict(db, subject_id=view.set.subject_id, kind="death",
                                     claim_ids=view.set.claim_ids[:2],
                                     accepted_claim_id=accepted)
    new, old = resolutions.resolve_conflict(
        db, subject_id=view.set.subject_id, kind="death", claim_ids=view.set.claim_ids,
        accepted_claim_id=accepted, reason="three outlets, but one origin: stays open")
    assert old is None and new.accepted_claim_id == accepted
    assert analysis.list_conflicts(db, case_id=case_id)[0].set.resolved
    assert analysis.list_conflicts(db, case_id=case_id, include_resolved=False) == []
    corr = analysis.corroboration(db, case_id=case_id)
    assert corr[case.claims["death2015"]].suggested_credibility == 5  # another was accepted
    # a new death report re-opens the set
    h = highlights.create_highlight(db, document_id=case.docs["gazette2021"], start=0, end=8)
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject=SUBJECT, kind="death", date="2022", origin="Militant channel", evidence=(h.id,)))
    assert not analysis.list_conflicts(db, case_id=case_id)[0].set.resolved
    resolutions.unresolve_conflict(db, subject_id=view.set.subject_id, kind="death")
    assert analysis.list_conflicts(db, case_id=case_id)[0].set.resolution is None


def test_three_outlets_repeating_the_minister_are_one_origin(db, case_id, case):
    corr = analysis.corroboration(db, case_id=case_id)
    for key in ("death2020_lantern", "death2020_courier", "death2020_meridian"):
        c = corr[case.claims[key]]
        assert c.independent_origins == 1
        assert c.supporting == 2
    assert corr[case.claims["death2017a"]].independent_origins == 1
    # an independent witness for the 2020 death raises the count to two, for all three
    h = highlights.create_highlight(db, document_id=case.docs["courier2020"], start=0, end=7)
    witness = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject=SUBJECT, kind="death", date="2020-08", place="Wadi Sirr",
        origin="Wadi Sirr residents", evidence=(h.id,)))
    corr = analysis.corroboration(db, case_id=case_id)
    assert corr[case.claims["death2020_lantern"]].independent_origins == 2
    assert corr[witness.id].independent_origins == 2
    # the 2015 report stays alone: other dates and places do not support it
    assert corr[case.claims["death2015"]].independent_origins == 1
    # contested claims are suggested no better than "possibly true"; grade is not stored
    assert corr[case.claims["death2020_lantern"]].suggested_credibility >= 3
    assert claims.get_claim(db, claim_id=case.claims["death2020_lantern"]).credibility == 6


def test_unattributed_reports_count_by_outlet(db, case_id, case):
    h1 = highlights.create_highlight(db, document_id=case.docs["ledger2015"], start=0, end=5)
    h2 = highlights.create_highlight(db, document_id=case.docs["gazette2018"], start=0, end=5)
    a = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Jamshed Vakhidov", kind="travel", value="Istanbul", evidence=(h1.id,)))
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Jamshed Vakhidov", kind="travel", value="istanbul", evidence=(h2.id,)))
    assert analysis.corroboration(db, case_id=case_id)[a.id].independent_origins == 2


def test_timeline_orders_by_event_and_by_report(db, case_id, case):
    inv = {v: k for k, v in case.claims.items()}
    event = [inv[e.claim_id] for e in analysis.timeline(db, case_id=case_id)]
    assert event == ["death2015", "death2017a", "death2017b", "death2020_lantern",
                     "death2020_courier", "death2020_meridian"]
    reported = [inv[e.claim_id] for e in analysis.timeline(db, case_id=case_id, by="reported")]
    deaths = [k for k in reported if k.startswith(("death", "doubt", "alive"))]
    assert deaths == ["death2015", "death2017b", "death2017a", "death2020_lantern",
                      "death2020_courier", "death2020_meridian", "doubt2020", "alive2021"]
    entries = {inv[e.claim_id]: e for e in analysis.timeline(db, case_id=case_id)}
    e2015 = entries["death2015"]
    assert (e2015.start.isoformat(), e2015.end.isoformat(), e2015.precision) == (
        "2015-05-01", "2015-05-31", "month")
    assert all(e.conflict is not None for e in entries.values())


def test_relationship_graph(db, case_id, case):
    g = analysis.relationship_graph(db, case_id=case_id, iterations=30)
    names = {n.name for n in g.nodes}
    assert {SUBJECT, "Jamshed Vakhidov", "Olim Vakhidov", "Wadi Sirr Battalion"} <= names
    labels = {e.label for e in g.edges}
    assert {"brother", "son of", "commander"} <= labels
    pos = {(round(n.x), round(n.y)) for n in g.nodes}
    assert len(pos) == len(g.nodes)  # nodes do not sit on top of each other
    subject = next(n for n in g.nodes if n.name == SUBJECT)
    assert case.claims["brother"] in subject.claim_ids


def test_two_places_on_the_same_day_conflict_but_not_across_days(db, case_id, case):
    h = highlights.create_highlight(db, document_id=case.docs["meridian2017"], start=0, end=5)
    for place, day in (("Tal Hasan", "2017-10-02"), ("Qalat Nur", "2017-10-02"),
                       ("Wadi Sirr", "2017-10-09"), ("Qalat Nur", "2017-10")):
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject=SUBJECT, kind="location", place=place, date=day, evidence=(h.id,)))
    sets = [s.set for s in analysis.list_conflicts(db, case_id=case_id)
            if s.set.kind == "location"]
    assert len(sets) == 1
    assert sets[0].reason == "in 2 places on 2017-10-02 (Qalat Nur, Tal Hasan)"
    assert len(sets[0].claim_ids) == 2


def test_two_sets_of_one_subject_and_kind_keep_separate_verdicts(db, case_id, case):
    h = highlights.create_highlight(db, document_id=case.docs["meridian2017"], start=0, end=5)
    for place, day in (("Tal Hasan", "2017-10-02"), ("Qalat Nur", "2017-10-02"),
                       ("Wadi Sirr", "2018-01-05"), ("Tal Hasan", "2018-01-05")):
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject=SUBJECT, kind="location", place=place, date=day, evidence=(h.id,)))

    def location_sets():
        return [s.set for s in analysis.list_conflicts(db, case_id=case_id)
                if s.set.kind == "location"]

    first, second = location_sets()
    resolutions.resolve_conflict(db, subject_id=first.subject_id, kind="location",
                                 claim_ids=first.claim_ids, accepted_claim_id=first.claim_ids[0],
                                 reason="checked the first")
    resolutions.resolve_conflict(db, subject_id=second.subject_id, kind="location",
                                 claim_ids=second.claim_ids, reason="checked the second")
    assert all(s.resolved for s in location_sets())
    resolutions.unresolve_conflict(db, subject_id=second.subject_id, kind="location",
                                   claim_ids=second.claim_ids)
    by_claims = {s.claim_ids: s.resolved for s in location_sets()}
    assert by_claims == {first.claim_ids: True, second.claim_ids: False}
