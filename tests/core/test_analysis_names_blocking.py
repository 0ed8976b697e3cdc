"""Duplicate-entity candidates: spellings with letters transposed (Behruz/Behzur) are found,
also among many relatives sharing a family name, without pairing the relatives."""

from __future__ import annotations

from casefile.analysis.names import NameEntry, candidates

GIVEN = ["Temur", "Jamshed", "Olim", "Anvar", "Rustam", "Farrukh", "Dilshod", "Bahrom",
         "Sherali", "Zafar", "Umed", "Komil", "Nodir", "Firuz"]


def _pairs(entries: list[NameEntry]) -> set[frozenset[str]]:
    return {frozenset((c.a, c.b)) for c in candidates(entries)}


def test_transposed_letters_are_one_candidate():
    found = _pairs([NameEntry("1", "Behruz", "person"), NameEntry("2", "Behzur", "person")])
    assert found == {frozenset(("Behruz", "Behzur"))}


def test_transposition_found_among_a_large_family_and_relatives_left_apart():
    entries = [NameEntry("b1", "Behruz Khalimov", "person"),
               NameEntry("b2", "Behzur Khalimov", "person")]
    entries += [NameEntry(f"g{i}", f"{g} Khalimov", "person") for i, g in enumerate(GIVEN)]
    cands = candidates(entries)
    assert (cands[0].a, cands[0].b) in (("Behruz Khalimov", "Behzur Khalimov"),
                                         ("Behzur Khalimov", "Behruz Khalimov"))
    assert cands[0].score >= 0.8
    assert not any({c.a, c.b} <= {f"{g} Khalimov" for g in GIVEN} for c in cands)
