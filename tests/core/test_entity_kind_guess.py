"""A claim's new subject and object get the same kind guess as its origin: "Islamic State" as the
object of a membership is an organization, never a person; a wrong kind is put right by CLI."""

from __future__ import annotations

import pytest

from casefile.services import claims, entities
from casefile.services.claims import ClaimInput
from casefile.vocab import guess_entity_kind
from tests.helpers import cli_json


@pytest.mark.parametrize(("name", "field", "claim_kind", "kind"), [
    ("Islamic State", "object", "membership", "organization"),
    ("Islamic State", "subject", "other", "organization"),
    ("Hizb ut-Tahrir", "object", "membership", "organization"),
    ("Gulmurod Khalimov", "object", "relationship", "person"),
    ("Gulmurod Khalimov", "subject", "death", "person"),
    ("the border service", "object", "role", "organization"),
    ("Interior Minister Rustam Nazarov", "origin", "", "person"),
    ("military sources", "origin", "", "organization"),
    ("Reuters", "origin", "", "organization"),
])
def test_one_guess_for_every_field(name, field, claim_kind, kind):
    assert guess_entity_kind(name, field=field, claim_kind=claim_kind) == kind


def test_a_membership_object_is_created_as_an_organization(db, case_id):
    c = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Gulmurod Khalimov", kind="membership", object="Islamic State",
        origin="Pamir Herald"))
    assert entities.get_entity(db, entity_id=c.object_id).kind == "organization"
    assert entities.get_entity(db, entity_id=c.subject_id).kind == "person"
    c2 = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Khalimov's brother", kind="relationship", object="Farrukh Khalimov",
        subject_kind="person", object_kind="person"))
    assert entities.get_entity(db, entity_id=c2.object_id).kind == "person"


def test_an_analysts_kind_wins_over_the_guess(db, case_id):
    c = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Jamoat Vose", kind="location", subject_kind="place"))
    assert entities.get_entity(db, entity_id=c.subject_id).kind == "place"


def test_cli_guesses_and_corrects_a_kind(db, db_path, case_id, cli_env):
    from casefile.services import documents, highlights
    from casefile.services.documents import NewDocument

    text = "Gulmurod Khalimov joined Islamic State in 2015, the ministry said."
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title="Defector")).id
    hl = highlights.create_highlight(db, document_id=doc, start=0, end=len(text) - 1).id
    db.close()
    made = cli_json("--db", str(db_path), "claim", "add", "--evidence", hl, "--subject",
                    "Gulmurod Khalimov", "--kind", "membership", "--object", "Islamic State",
                    env=cli_env)
    assert made["object"] == "Islamic State"
    shown = cli_json("--db", str(db_path), "entity", "show", "Islamic State", env=cli_env)
    assert shown["kind"] == "organization"
    fixed = cli_json("--db", str(db_path), "entity", "edit", "Gulmurod Khalimov",
                     "--kind", "other", env=cli_env)
    assert fixed["kind"] == "other"
    again = cli_json("--db", str(db_path), "entity", "edit", fixed["id"], "--kind", "person",
                     env=cli_env)
    assert again["kind"] == "person" and again["name"] == "Gulmurod Khalimov"


def test_a_hypothesis_object_gets_the_same_guess(db, case_id):
    from casefile.services import hypotheses
    from casefile.services.hypotheses import HypothesisInput

    h = hypotheses.add_hypothesis(db, case_id=case_id, data=HypothesisInput(
        statement="He joined Islamic State", subject="Gulmurod Khalimov", kind="membership",
        object="Islamic State"))
    assert entities.get_entity(db, entity_id=h.object_id).kind == "organization"
    assert entities.get_entity(db, entity_id=h.subject_id).kind == "person"
