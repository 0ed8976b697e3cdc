"""One person across scripts and inflections: mentions of an entity in Russian and Arabic
reports, and the duplicate finder on a list of 50 same-person and 200 different-person pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile import importers
from casefile.analysis import names
from casefile.services import entities, identity, profiles

SCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"


@pytest.fixture
def docs(db, case_id):
    out = {}
    for name in ("ru_khalimov.txt", "en_khalimov.txt", "ar_khalimov.txt"):
        res = importers.import_file(db, case_id=case_id, path=SCRIPTS / name)
        assert res.ok, res.error
        out[name[:2]] = res.id
    return out


def test_mentions_in_every_script_and_case(db, case_id, docs):
    ent = entities.create_entity(db, case_id=case_id, kind="person", name="Gulmurod Khalimov")
    found = identity.find_mentions(db, entity_id=ent.id)
    by_doc: dict[str, list[str]] = {}
    for m in found:
        by_doc.setdefault(m.document_id, []).append(m.text)
        assert m.alias == "Gulmurod Khalimov"
    # the full name in Cyrillic (title and text), then the family name alone in its cases;
    # never the brother "Бехруз Халимов", nor the family ("Халимовых")
    assert by_doc[docs["ru"]] == ["Гулмурод Халимов", "Гулмурод Халимов", "Халимова",
                                  "Халимову"]
    assert by_doc[docs["ar"]] == ["غولمراد حليموف", "Gulmurod Khalimov"]
    assert by_doc[docs["en"]] == ["Gulmurod Khalimov", "Halimov"]
    prof = profiles.entity_profile(db, entity_id=ent.id)
    assert (prof.mentions, prof.mention_documents) == (8, 3)


def test_cyrillic_entity_finds_latin_and_inflected(db, case_id, docs):
    ent = entities.create_entity(db, case_id=case_id, kind="person", name="Анвар Расулзода")
    texts = [m.text for m in identity.find_mentions(db, entity_id=ent.id)]
    assert texts.count("Анвар Расулзода") == 1 and "Anvar Rasulzoda" in texts
    assert texts.count("Расулзода") == 1  # «Я не поверю…», — сказал Расулзода.


def test_family_name_alone_needs_the_full_name_in_that_document(db, case_id, docs):
    ent = entities.create_entity(db, case_id=case_id, kind="person", name="Behruz Khalimov")
    found = identity.find_mentions(db, entity_id=ent.id)
    assert [m.text for m in found] == ["Бехруз Халимов"]


def _pairs():
    for line in (SCRIPTS / "name_pairs.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, a, b = line.split("\t")
            yield label == "same", a, b


def _likely(a: str, b: str) -> tuple[bool, str]:
    found = names.candidates([names.NameEntry("a", a, "person"),
                              names.NameEntry("b", b, "person")])
    return bool(found) and found[0].score >= names.LIKELY, found[0].reason if found else ""


def test_duplicate_precision_and_recall_on_the_pair_list():
    pairs = list(_pairs())
    assert (sum(s for s, *_ in pairs), sum(not s for s, *_ in pairs)) == (50, 200)
    judged = [(same, _likely(a, b)[0]) for same, a, b in pairs]
    tp = sum(s and j for s, j in judged)
    precision = tp / max(1, sum(j for _s, j in judged))
    recall = tp / 50
    assert precision >= 0.97 and recall >= 0.95, (precision, recall)


@pytest.mark.parametrize("other", ["Halimov Gulmurod", "Gulmurod Chalimow", "Gulmurad Khalimov",
                                   "Гулмурод Халимов", "غولمراد حليموف"])
def test_variants_are_likely_with_a_reason(other):
    likely, why = _likely("Gulmurod Khalimov", other)
    assert likely, why
    assert any(w in why for w in ("variant", "same name", "reordered")), why


def test_relatives_and_near_names_are_not_likely():
    for a, b in (("Gulmurod Khalimov", "Behruz Khalimov"), ("Abdullo Kamolov", "Abdullo Komilov"),
                 ("Gulmurod Khalimov", "Гулмурод Салимов")):
        assert not _likely(a, b)[0], (a, b)
