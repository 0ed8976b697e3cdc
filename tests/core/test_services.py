"""Services: CRUD for every record, readable validation errors, undo snapshots with the same ids."""

from __future__ import annotations

import dataclasses

import pytest

from casefile.errors import NotFound, ValidationError
from casefile.services import cases, claims, documents, entities, highlights, tags
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument

TEXT = ("Rivertown Gazette, 12 May 2017. Temur Vakhidov, also known as Abu Hafs al-Qalami, "
        "was killed in a missile strike on Tal Hasan, the Daily Lantern reported, citing "
        "military sources. His brother Jamshed Vakhidov declined to comment.")


@pytest.fixture
def doc(db, case_id):
    return documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=TEXT, original=TEXT.encode(), content_type="text/plain", title="Strike on Tal Hasan",
        outlet="Rivertown Gazette", published="12 May 2017", author="N. Okafor"))


def _hl(db, doc, quote):
    s, e = highlights.locate_quote(db, document_id=doc.id, quote=quote)
    return highlights.create_highlight(db, document_id=doc.id, start=s, end=e)


def test_services_return_plain_data_not_orm_objects(db, doc):
    assert dataclasses.is_dataclass(doc)
    assert doc.published == "2017-05-12"
    assert doc.outlet == "Rivertown Gazette"
    outlet = entities.find_entity(db, case_id=doc.case_id, name="rivertown gazette")
    assert outlet.kind == "organization"


def test_case_crud_and_resolution(db):
    assert cases.resolve_case(db).title == cases.DEFAULT_TITLE  # none -> one created
    only = cases.list_cases(db)[0]
    assert cases.resolve_case(db).id == only.id  # the only one
    other = cases.create_case(db, title="Second")
    with pytest.raises(ValidationError, match="choose one with --case") as err:
        cases.resolve_case(db)
    assert other.id in str(err.value) and only.id in str(err.value)
    assert cases.resolve_case(db, other.id[:8]).id == other.id
    cases.update_case(db, case_id=other.id, title="Renamed")
    assert cases.get_case(db, case_id=other.id).title == "Renamed"
    cases.delete_case(db, case_id=other.id)
    with pytest.raises(NotFound):
        cases.get_case(db, case_id=other.id)
    with pytest.raises(ValidationError, match="cannot be empty"):
        cases.create_case(db, title="   ")


def test_highlight_outside_the_text_is_refused(db, doc):
    with pytest.raises(ValidationError, match="inside the text"):
        highlights.create_highlight(db, document_id=doc.id, start=10, end=len(TEXT) + 5)
    with pytest.raises(ValidationError, match="inside the text"):
        highlights.create_highlight(db, document_id=doc.id, start=5, end=5)
    with pytest.raises(NotFound, match="not in"):
        highlights.locate_quote(db, document_id=doc.id, quote="alive and well")
    assert highlights.list_highlights(db, document_id=doc.id) == []


def test_highlight_keeps_quote_context_tags_and_note(db, doc):
    s, e = highlights.locate_quote(db, document_id=doc.id, quote="killed in a missile strike")
    h = highlights.create_highlight(db, document_id=doc.id, start=s, end=e, note="2nd report",
                                    tag_paths=("Events/Death", "Sources/Military"))
    assert h.quote == "killed in a missile strike"
    assert h.prefix.endswith("was ") and h.suffix.startswith(" on Tal Hasan")
    paths = {t.path for t in tags.list_tags(db, case_id=doc.case_id)}
    assert paths == {"Events", "Events/Death", "Sources", "Sources/Military"}
    assert len(h.tag_ids) == 2
    h2 = highlights.update_highlight(db, highlight_id=h.id, note="edited", tag_ids=())
    assert h2.note == "edited" and h2.tag_ids == ()


def test_claim_resolves_entities_by_alias_and_validates(db, doc):
    h = _hl(db, doc, "was killed in a missile strike on Tal Hasan")
    person = entities.create_entity(db, case_id=doc.case_id, name="Temur Vakhidov",
                                    aliases=("Abu Hafs al-Qalami",))
    c = claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
        subject="abu hafs al-qalami", kind="death", date="May 2017", place="Tal Hasan",
        origin="military sources", via=("The Daily Lantern",), credibility=3,
        origin_reliability="c", evidence=(h.id,)))
    assert c.subject_id == person.id
    assert c.date == "2017-05" and c.place == "Tal Hasan" and c.origin == "military sources"
    assert entities.find_entity(db, case_id=doc.case_id, name="military sources").reliability \
        == "C"
    assert entities.get_entity(db, entity_id=c.place_id).kind == "place"
    assert [entities.get_entity(db, entity_id=v).name for v in c.via] == ["The Daily Lantern"]
    with pytest.raises(ValidationError, match="credibility"):
        claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
            subject="Temur Vakhidov", credibility=9))
    with pytest.raises(ValidationError, match="stance"):
        claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
            subject="Temur Vakhidov", stance="maybe"))
    with pytest.raises(ValidationError, match="date"):
        claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
            subject="Temur Vakhidov", date="last Tuesday"))
    with pytest.raises(NotFound, match="highlight"):
        claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
            subject="Temur Vakhidov", evidence=("no-such-highlight",)))
    assert len(claims.list_claims(db, case_id=doc.case_id)) == 1  # failures stored nothing


def test_a_claims_parties_are_looked_up_together_as_one_by_one(db, doc):
    """A claim's names are resolved in one lookup: an id before a name, a name before an
    alias, the oldest among equals, and a new name used twice (in any case) is one entity."""
    case_id = doc.case_id
    older = entities.create_entity(db, case_id=case_id, name="Olim Vakhidov")
    entities.create_entity(db, case_id=case_id, name="OLIM VAKHIDOV")  # a later twin
    named = entities.create_entity(db, case_id=case_id, name="Abu Hafs")
    entities.create_entity(db, case_id=case_id, name="Anvar Rasulzoda", aliases=("Abu Hafs",))
    c = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="olim  vakhidov", kind="relationship", object="Abu Hafs",
        origin="Lena Marsh", via=("lena marsh",), place=named.id))
    assert (c.subject_id, c.object_id, c.place_id) == (older.id, named.id, named.id)
    assert c.via == (c.origin_id,)  # one new entity, named once
    assert [e.name for e in entities.list_entities(db, case_id=case_id)].count("Lena Marsh") == 1
    alias_only = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Temur", kind="death", origin="ABU HAFS"))
    assert alias_only.origin_id == named.id  # the name wins over the other's alias


def test_more_evidence_and_undo_of_deletes_restores_same_ids(db, doc):
    h1 = _hl(db, doc, "was killed in a missile strike")
    h2 = _hl(db, doc, "citing military sources")
    c = claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
        subject="Temur Vakhidov", kind="death", evidence=(h1.id,)))
    c = claims.add_evidence(db, claim_id=c.id, highlight_id=h2.id)
    assert c.evidence == (h1.id, h2.id)
    other = claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
        subject="Jamshed Vakhidov", kind="statement", evidence=(h2.id,)))
    link = claims.link_claims(db, source_id=other.id, target_id=c.id, relation="corroborates")

    snap = highlights.delete_highlight(db, highlight_id=h2.id)
    assert claims.get_claim(db, claim_id=c.id).evidence == (h1.id,)
    highlights.restore_highlight(db, snapshot=snap)
    assert claims.get_claim(db, claim_id=c.id).evidence == (h1.id, h2.id)
    assert claims.get_claim(db, claim_id=other.id).evidence == (h2.id,)

    csnap = claims.delete_claim(db, claim_id=c.id)
    assert claims.list_links(db, case_id=doc.case_id) == []
    restored = claims.restore_claim(db, snapshot=csnap)
    assert restored.id == c.id and restored.evidence == (h1.id, h2.id)
    assert [x.id for x in claims.list_links(db, case_id=doc.case_id)] == [link.id]


def test_entity_with_claims_cannot_be_deleted_but_others_restore(db, doc):
    h = _hl(db, doc, "Jamshed Vakhidov")
    claims.create_claim(db, case_id=doc.case_id, data=ClaimInput(
        subject="Jamshed Vakhidov", kind="relationship", object="Temur Vakhidov",
        evidence=(h.id,)))
    brother = entities.find_entity(db, case_id=doc.case_id, name="Jamshed Vakhidov")
    with pytest.raises(ValidationError, match="subject of 1 claim"):
        entities.delete_entity(db, entity_id=brother.id)
    spare = entities.create_entity(db, case_id=doc.case_id, name="Olim Vakhidov",
                                   aliases=("Olim Vahidov",))
    entities.add_alias(db, entity_id=spare.id, name="Олим Вахидов", document_id=doc.id)
    gone = entities.delete_entity(db, entity_id=spare.id)
    back = entities.restore_entity(db, entity=gone)
    assert back.id == spare.id
    assert {(a.name, a.document_id) for a in back.aliases} == {
        ("Olim Vahidov", None), ("Олим Вахидов", doc.id)}


def test_tags_hierarchy_moves_and_refuses_cycles(db, case_id):
    events = tags.create_tag(db, case_id=case_id, name="Events", color="#c0392b")
    death = tags.create_tag(db, case_id=case_id, name="Death", parent_id=events.id)
    assert death.path == "Events/Death"
    with pytest.raises(ValidationError, match="already"):
        tags.create_tag(db, case_id=case_id, name="Death", parent_id=events.id)
    with pytest.raises(ValidationError, match="under itself"):
        tags.update_tag(db, tag_id=events.id, parent_id=death.id)
    moved = tags.update_tag(db, tag_id=death.id, parent_id=None)
    assert moved.path == "Death"
    tags.delete_tag(db, tag_id=events.id)
    assert [t.name for t in tags.list_tags(db, case_id=case_id)] == ["Death"]


def test_document_metadata_edit_and_delete(db, doc):
    d = documents.update_document(db, document_id=doc.id, outlet="Meridian Wire",
                                  published="~2017")
    assert d.outlet == "Meridian Wire" and d.published == "~2017"
    assert documents.get_original(db, document_id=doc.id) == TEXT.encode()
    _hl(db, doc, "Tal Hasan")
    documents.delete_document(db, document_id=doc.id)
    assert documents.list_documents(db, case_id=doc.case_id) == []
    with pytest.raises(NotFound):
        documents.get_text(db, document_id=doc.id)


def test_names_resolve_case_insensitively_beyond_ascii(db, case_id):
    ent = entities.create_entity(db, case_id=case_id, name="Темур Вахидов",
                                 aliases=("ТИМУР  ВАХИДОВ",))
    assert entities.find_entity(db, case_id=case_id, name="темур вахидов").id == ent.id
    assert entities.find_entity(db, case_id=case_id, name="тимур вахидов").id == ent.id
    c = claims.create_claim(db, case_id=case_id, data=ClaimInput(subject="ТЕМУР ВАХИДОВ"))
    assert c.subject_id == ent.id


def test_new_tags_get_distinct_colours_and_sub_tags_their_parents(db, case_id):
    events = tags.create_tag(db, case_id=case_id, name="Events")
    sources = tags.create_tag(db, case_id=case_id, name="Sources")
    death = tags.create_tag(db, case_id=case_id, name="Death", parent_id=events.id)
    chosen = tags.create_tag(db, case_id=case_id, name="Doubt", color="#123456")
    assert events.color and sources.color and events.color != sources.color
    assert death.color == events.color
    assert chosen.color == "#123456"
    assert all(c in tags.PALETTE for c in (events.color, sources.color))
