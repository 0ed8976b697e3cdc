"""Duplicate candidates, undoable merges, aliases and mentions on the Vakhidov case."""

from __future__ import annotations

import pytest

from casefile.analysis.names import fold, name_score, skeleton
from casefile.db.models import Alias, Claim, Entity
from casefile.errors import NotFound, ValidationError
from casefile.services import claims, entities, identity
from tests.core.analysis_case import RELATIVES, SUBJECT, VARIANTS, build_case, merge_variants


def test_folding_handles_cyrillic_diacritics_and_transliteration():
    assert fold("Темур Вахидов") == "temur vakhidov"
    assert fold("Témür  Vakhídov") == "temur vakhidov"
    assert skeleton("vakhidov") == skeleton("vahidov") == skeleton("vakhidzoda")
    assert skeleton("temur") == skeleton("timur")
    assert skeleton("qalami") == skeleton("kalami")
    assert skeleton("jamshed") != skeleton("temur")


def test_name_score_reasons():
    score, why = name_score("Rahimzoda Ramazon", "Ramazon Rakhimzoda")
    assert score > 0.9 and "reordered" in why
    score, why = name_score("Temur Vakhidov", "Темур Вахидов")
    assert score > 0.95 and "Cyrillic" in why
    score, why = name_score("Temur Vakhidov", "Jamshed Vakhidov")
    assert score < 0.7 and "relatives" in why


def _pairs(cands):
    return {frozenset((c.a, c.b)): c for c in cands}


def test_candidates_rank_variants_above_relatives(db, case_id):
    build_case(db, case_id)
    cands = identity.duplicate_candidates(db, case_id=case_id)
    pairs = _pairs(cands)
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)
    for v in VARIANTS:
        assert frozenset((SUBJECT, v)) in pairs, f"{v} not suggested"
    variant_scores = [pairs[frozenset((SUBJECT, v))].score for v in VARIANTS]
    relative_scores = [c.score for c in cands if set(RELATIVES) & {c.a, c.b}]
    assert relative_scores, "relatives sharing the family name are shown, ranked low"
    assert max(relative_scores) < min(variant_scores)
    nom = pairs[frozenset((SUBJECT, "Abu Hafs al-Kalami"))]
    assert "alias" in nom.reason and "Abu Hafs al-Qalami" in nom.reason
    assert "reordered" in pairs[frozenset((SUBJECT, "Vakhidov Temur"))].reason
    # places and outlets are never proposed as duplicates of people
    assert all("Wadi Sirr" not in c.a + c.b or "Battalion" in c.a + c.b for c in cands)


def _state(db, case_id):
    with db.read() as s:
        ents = sorted((e.id, e.name, e.kind, e.description, e.reliability, e.created_at)
                      for e in s.query(Entity).filter_by(case_id=case_id))
        aliases = sorted((a.id, a.entity_id, a.name, a.document_id) for a in s.query(Alias))
        cls = sorted((c.id, c.subject_id, c.object_id, c.place_id, c.origin_id, tuple(c.via))
                     for c in s.query(Claim))
    return ents, aliases, cls


def test_merge_keeps_claims_and_aliases_and_unmerge_restores_exactly(db, case_id):
    case = build_case(db, case_id)
    keep, other = case.entity[SUBJECT], case.entity["Timur Vakhidov"]
    before = _state(db, case_id)
    n_claims = len(claims.list_claims(db, case_id=case_id))
    snap = identity.merge_entities(db, keep_id=keep, other_id=other)
    merged = entities.get_entity(db, entity_id=keep)
    assert "Timur Vakhidov" in {a.name for a in merged.aliases}
    assert "Abu Hafs al-Qalami" in {a.name for a in merged.aliases}
    assert claims.get_claim(db, claim_id=case.claims["death2017a"]).subject_id == keep
    assert len(claims.list_claims(db, case_id=case_id)) == n_claims
    with pytest.raises(NotFound):
        entities.get_entity(db, entity_id=other)
    identity.unmerge_entities(db, snapshot=snap)
    assert _state(db, case_id) == before
    with pytest.raises(ValidationError):
        identity.unmerge_entities(db, snapshot=snap)


def test_merging_all_variants_gathers_every_death_claim(db, case_id):
    case = build_case(db, case_id)
    snaps = merge_variants(db, case)
    keep = case.entity[SUBJECT]
    deaths = [c for c in claims.list_claims(db, case_id=case_id, subject_id=keep)
              if c.kind == "death"]
    assert len(deaths) == 8
    names = {a.name for a in entities.get_entity(db, entity_id=keep).aliases}
    assert set(VARIANTS) <= names
    # relatives stay separate people
    assert identity.resolve_entity(db, case_id=case_id, ref="Jamshed Vakhidov") != keep
    for snap in reversed(snaps):
        identity.unmerge_entities(db, snapshot=snap)
    assert identity.resolve_entity(db, case_id=case_id, ref="Timur Vakhidov") == \
        case.entity["Timur Vakhidov"]


def test_merge_by_alias_and_outlet_references(db, case_id):
    case = build_case(db, case_id)
    # the nom de guerre resolves to the subject through its alias
    assert identity.resolve_entity(db, case_id=case_id, ref="abu hafs al-qalami") == \
        case.entity[SUBJECT]
    ledger = case.entity["Northern Ledger"]
    dup = entities.create_entity(db, case_id=case_id, name="The Northern Ledger",
                                 kind="organization")
    snap = identity.merge_entities(db, keep_id=dup.id, other_id=ledger)
    from casefile.services import documents
    assert documents.get_document(db, document_id=case.docs["ledger2015"]).outlet_id == dup.id
    identity.unmerge_entities(db, snapshot=snap)
    assert documents.get_document(db, document_id=case.docs["ledger2015"]).outlet_id == ledger


def test_find_mentions_covers_every_alias_in_every_document(db, case_id):
    case = build_case(db, case_id)
    merge_variants(db, case)
    keep = case.entity[SUBJECT]
    found = identity.find_mentions(db, entity_id=keep)
    by_doc = {}
    for m in found:
        by_doc.setdefault(m.document_id, []).append(m.text)
    assert "Abu Hafs al-Qalami" in by_doc[case.docs["ledger2015"]]
    assert "Темур Вахидов" in by_doc[case.docs["courier2020"]]
    assert "Vakhidov Temur" in by_doc[case.docs["gazette2021"]]
    assert "Abu Hafs al-Kalami" in by_doc[case.docs["meridian2020"]]
    # "Jamshed Vakhidov" is not a mention of Temur even though it contains "Vakhidov"
    assert all(m.text != "Vakhidov" for m in found)
    from casefile.services import documents
    for m in found:
        assert documents.get_text(db, document_id=m.document_id)[m.start:m.end] == m.text
    m = next(x for x in found if x.text == "Temur Vakhidzoda")
    assert not m.highlighted
    identity.accept_mention(db, entity_id=keep, mention=m)
    again = next(x for x in identity.find_mentions(db, entity_id=keep)
                 if (x.document_id, x.start) == (m.document_id, m.start))
    assert again.highlighted
    aliases = entities.get_entity(db, entity_id=keep).aliases
    assert any(a.name == "Temur Vakhidzoda" and a.document_id == m.document_id for a in aliases)
