"""Duplicate-finder classes found on a held-out list of name pairs (bench/bench_names.py):
each pair of people the finder took for one, and each spelling of one person it missed."""

from __future__ import annotations

import pytest

from casefile.analysis.names import LIKELY, name_score


@pytest.mark.parametrize(("a", "b", "why"), [
    # a given name of one is the other's family name: father and son, not a reordering
    ("Dilshod Qurbonov", "Qurbon Dilshodov", "father and son"),
    ("Rustam Ghafurov", "Ghafur Rustamov", "father and son"),
    # a generation marked on one name only
    ("Rustam Gafurov", "Rustam Gafurov Jr", "father and son"),
    ("Iskandar Valiev", "Iskandar Valiev II", "father and son"),
    # the feminine form of the family name: a woman of the family
    ("Saodat Rajabova", "Saodat Rajabov", "feminine form"),
    # a vowel that makes another name
    ("Sherzod Nazarov", "Sherzod Nazirov", "similar spelling"),
])
def test_two_people_are_not_likely_one(a, b, why):
    score, reason = name_score(a, b)
    assert score < LIKELY and why in reason, (score, reason)


@pytest.mark.parametrize(("a", "b"), [
    ("Sherzod Nazarov", "Шерзод Назарову"),  # a Russian case ending
    ("Sherzod Nazarov", "شيرزود نزاروف"),  # Arabic script: short vowels left out
    ("Umed Khudoiberdiev", "Umed Khudoyberdiyev"),  # y for i, a vowel written twice
    ("Umed Khudoiberdiev", "أوميد خودويبيرديييف"),  # the -iev ending in Arabic script
    ("Mahmadali Sharipov", "Mahmadali Sharifov"),  # Tajik f written p
    ("Temir Vakhidov", "Temur Vakhidov"),  # a language's own form of the name
])
def test_one_person_in_two_spellings_is_likely_one(a, b):
    score, reason = name_score(a, b)
    assert score >= LIKELY, (score, reason)


def test_a_given_name_ending_in_zod_is_not_cut_as_a_family_suffix():
    """Sherzod, Behzod: "-zod" is not the -zoda of Rakhimzoda."""
    assert name_score("Sherzod Nazarov", "Sher Nazarov")[0] < LIKELY
