"""Conflicts stay near-linear in the claims of one subject: date agreement is decided by sweeps,
not by comparing every pair, and gives the same answers as the pairwise rule."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.analysis import conflicts
from casefile.analysis.facts import ClaimFact
from casefile.dates import PartialDate

dates = st.builds(
    lambda y, m, d, about: PartialDate(y, m, d if m else None, about),
    st.integers(2015, 2017), st.one_of(st.none(), st.integers(1, 12)),
    st.one_of(st.none(), st.integers(1, 28)), st.booleans())


@settings(max_examples=400, deadline=None)
@given(st.lists(dates, max_size=10))
def test_sweeps_agree_with_every_pair(ds):
    pairs = list(combinations(ds, 2))
    assert conflicts._all_overlap(ds) == all(a.overlaps(b) for a, b in pairs)
    assert conflicts._any_overlap(ds) == any(a.overlaps(b) for a, b in pairs)


def _deaths(n: int) -> list[ClaimFact]:
    days = ["2020-08", "2020-08-03", "~2020", "2020", "~2020-08-05"]
    return [ClaimFact(f"c{i}", "s1", "Temur Vakhidov", "death", date=days[i % len(days)],
                      origin_id=f"o{i % 7}") for i in range(n)]


def test_many_agreeing_deaths_are_not_compared_pair_by_pair(monkeypatch):
    calls = []
    overlaps = PartialDate.overlaps
    monkeypatch.setattr(PartialDate, "overlaps",
                        lambda self, other: calls.append(1) or overlaps(self, other))
    claims = _deaths(3000)
    assert conflicts.find_conflicts(claims) == []  # the dates all fit one day in August 2020
    claims.append(ClaimFact("late", "s1", "Temur Vakhidov", "death", date="2022-01-05"))
    sets = conflicts.find_conflicts(claims)
    assert len(sets) == 1 and len(sets[0].claim_ids) == 3001
    assert len(calls) <= len(claims)


def test_links_join_the_earliest_set_holding_either_claim():
    claims = [*_deaths(4), ClaimFact("late", "s1", "Temur Vakhidov", "death", date="2023"),
              ClaimFact("r1", "s1", "Temur Vakhidov", "role", value="commander"),
              ClaimFact("r2", "s1", "Temur Vakhidov", "role", value="envoy")]
    links = [("r1", "c0", "contradicts"), ("r1", "r2", "contradicts"),
             ("r2", "late", "contradicts")]
    sets = conflicts.find_conflicts(claims, links=links)
    assert len(sets) == 1
    assert set(sets[0].claim_ids) == {"c0", "c1", "c2", "c3", "late", "r1", "r2"}


def test_corroboration_compares_dates_not_every_pair_of_claims(monkeypatch):
    from casefile.analysis.corroboration import corroborate

    calls = []
    overlaps = PartialDate.overlaps
    monkeypatch.setattr(PartialDate, "overlaps",
                        lambda self, other: calls.append(1) or overlaps(self, other))
    claims = _deaths(3000)
    corr = corroborate(claims)
    assert {c.independent_origins for c in corr.values()} == {7}
    assert {c.supporting for c in corr.values()} == {2999}
    assert len(calls) <= len(claims)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "2017", "2017-04", "~2017-06", "2018-01-02"]),
                          st.sampled_from([None, "p1", "p2"]), st.integers(0, 3)),
                max_size=12))
def test_corroboration_counts_what_every_pair_would(rows):
    from casefile.analysis.corroboration import corroborate, origin_key

    claims = [ClaimFact(f"c{i}", "s1", "Temur Vakhidov", "death", date=d, place_id=p,
                        origin_id=f"o{o}") for i, (d, p, o) in enumerate(rows)]

    def same(a: ClaimFact, b: ClaimFact) -> bool:
        if a.place_id and b.place_id and a.place_id != b.place_id:
            return False
        return a.when is None or b.when is None or a.when.overlaps(b.when)

    corr = corroborate(claims)
    for c in claims:
        support = [d for d in claims if d.id != c.id and same(c, d)]
        origins = {origin_key(c), *(origin_key(d) for d in support)}
        assert corr[c.id].independent_origins == len(origins)
        assert corr[c.id].supporting == len(support)
