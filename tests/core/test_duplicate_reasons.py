"""Why two entities may be one is said truly: "DW.COM" and "DW" are not a transliteration."""

from __future__ import annotations

import pytest

from casefile.analysis.names import LIKELY, NameEntry, candidates, name_score


@pytest.mark.parametrize(("a", "b", "reason"), [
    ("DW.COM", "DW", "same name with a web suffix"),
    ("www.rferl.org", "RFERL", "same name with a web suffix"),
    ("Ozodi.org", "Ozodi", "same name with a web suffix"),
    ("Khalimov", "Gulmurod Khalimov", "one name is part of the other"),
    ("Gulmorod", "Gulmurod Khalimov", "transliteration variant of part of the name"),
    ("Gulmorod Khalimov", "Gulmurod Khalimov", "transliteration variant"),
    ("Temir Vakhidov", "Temur Vakhidov", "transliteration variant"),
])
def test_each_pair_gets_its_true_reason(a, b, reason):
    score, why = name_score(a, b)
    assert why.startswith(reason + ":"), why
    assert score >= LIKELY


def test_relatives_stay_below_likely():
    assert name_score("Jamshed Vakhidov", "Temur Vakhidov")[0] < LIKELY


def test_the_candidates_list_says_web_suffix_for_an_outlet_and_its_site():
    [c] = candidates([NameEntry("1", "Deutsche Welle", "organization", ("DW",)),
                      NameEntry("2", "DW.COM", "organization")])
    assert "web suffix" in c.reason and "transliteration" not in c.reason
