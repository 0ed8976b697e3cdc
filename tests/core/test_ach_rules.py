"""ACH suggestions against a hypothesised death: only the subject's own later activity counts
against it; each suggestion names the rule that applied."""

from __future__ import annotations

import pytest

from casefile.analysis.ach_suggest import Hypothesis, Suggester
from casefile.analysis.facts import ClaimFact

SUBJECT, BROTHER = "s-khurshed", "s-brother"
DIED_2015 = Hypothesis("h1", "Khurshed Nazarov died in 2015", subject_id=SUBJECT,
                       subject="Khurshed Nazarov", kind="death", date="2015")


def claim(kind: str, date: str, *, stance: str = "asserts", subject: str = SUBJECT,
          value: str = "") -> ClaimFact:
    return ClaimFact("c", subject, "Khurshed Nazarov" if subject == SUBJECT else "Firuz Nazarov",
                     kind, "a statement", stance, date, value=value)


CASES = [  # what a later claim says → rating, the rule the reason names
    ("commander of a brigade in 2017", claim("role", "2017", value="commander"),
     "I", "alive after the death"),
    ("spoke in a video in 2016", claim("statement", "2016-03"), "I", "alive after the death"),
    ("seen in Mosul in 2018", claim("location", "2018"), "I", "alive after the death"),
    ("arrested in 2019", claim("arrest", "2019-02-10"), "I", "alive after the death"),
    ("joined a group in 2017", claim("membership", "2017"), "I", "alive after the death"),
    ("travelled in 2016", claim("travel", "2016"), "I", "alive after the death"),
    ("two of his brothers were shot in 2017 (kind other)", claim("other", "2017"),
     "N", "not the subject's own activity"),
    ("a relationship stated in 2018", claim("relationship", "2018", value="brother of"),
     "N", "not the subject's own activity"),
    ("his brother's death in 2017", claim("death", "2017", subject=BROTHER),
     "N", "another subject"),
    ("a denial of the death", claim("death", "2016", stance="denies"), "I", "opposite stance"),
    ("a doubt about the death", claim("death", "2015", stance="doubts"), "I",
     "opposite stance"),
    ("a later report of the same death", claim("death", "2015-06"), "C", "same fact"),
    ("a death on another date", claim("death", "2017"), "I", "happens once"),
    ("a role before the death", claim("role", "2014"), "N", "another kind"),
    ("a role he is denied to hold after the death", claim("role", "2017", stance="denies"),
     "N", "another kind"),
]


@pytest.mark.parametrize(("what", "c", "rating", "rule"), CASES, ids=[c[0] for c in CASES])
def test_a_later_claim_counts_against_a_death_only_for_his_own_activity(what, c, rating, rule):
    got = Suggester().suggest(DIED_2015, c)
    assert got is not None
    assert got.rating == rating, (what, got.reason)
    assert got.reason.startswith(rule + ": "), got.reason


def test_the_reason_says_why_in_words():
    got = Suggester().suggest(DIED_2015, claim("other", "2017"))
    assert "kind other" in got.reason and "Khurshed Nazarov" in got.reason
    got = Suggester().suggest(DIED_2015, claim("role", "2017"))
    assert "role" in got.reason and "2017" in got.reason and "2015" in got.reason
