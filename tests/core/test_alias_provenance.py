"""Where a spelling came from survives a merge: merging "Gulmorod" into "Gulmurod Khalimov" keeps,
for the spelling, every document it was seen in (claims' evidence, mentions, its own aliases'
documents); the profile and ``entity show`` list them; unmerge restores the case exactly."""

from __future__ import annotations

from casefile.db.models import Alias, Entity
from casefile.exchange import report
from casefile.services import claims, documents, entities, highlights, identity, profiles
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument
from tests.helpers import cli_json

ARTICLES = (  # title, text
    ("Commander seen in Raqqa", "Gulmorod, the former police colonel, was seen in Raqqa."),
    ("Colonel's family speaks", "Relatives of Gulmorod say he called them in May."),
    ("A colonel's defection", "Gulmurod Khalimov defected in 2015, officials said."),
    ("Police chief's past", "The colonel, Khalimov, trained abroad in 2014."),  # no spelling
)


def _case(db, case_id):
    docs = [documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title=title,
        published=f"2016-0{i + 1}-01")).id for i, (title, text) in enumerate(ARTICLES)]
    keep = entities.create_entity(db, case_id=case_id, name="Gulmurod Khalimov").id
    other = entities.create_entity(db, case_id=case_id, name="Gulmorod").id
    entities.add_alias(db, entity_id=other, name="Gulmorod Kh.", document_id=docs[3])
    quote = "trained abroad in 2014"  # the claim's passage does not spell the name
    start = ARTICLES[3][1].index(quote)
    hl = highlights.create_highlight(db, document_id=docs[3], start=start,
                                     end=start + len(quote)).id
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Gulmorod", kind="travel", date="2014", evidence=(hl,)))
    return docs, keep, other


def _state(db, case_id):
    with db.read() as s:
        return (sorted((e.id, e.name, e.kind) for e in s.query(Entity).filter_by(case_id=case_id)),
                sorted((a.id, a.entity_id, a.name, a.document_id) for a in s.query(Alias)))


def test_merge_keeps_every_document_a_spelling_was_seen_in(db, case_id):
    docs, keep, other = _case(db, case_id)
    before = _state(db, case_id)
    snap = identity.merge_entities(db, keep_id=keep, other_id=other)
    prof = profiles.entity_profile(db, entity_id=keep)
    seen = {sp.name: [d.document_id for d in sp.documents] for sp in prof.spellings}
    # mentioned in the first two articles; the claim's evidence is the fourth
    assert seen["Gulmorod"] == [docs[0], docs[1], docs[3]]
    assert seen["Gulmorod Kh."] == [docs[3]]
    identity.unmerge_entities(db, snapshot=snap)
    assert _state(db, case_id) == before


def test_entity_show_and_the_report_list_every_document(db, db_path, case_id, cli_env):
    docs, keep, other = _case(db, case_id)
    identity.merge_entities(db, keep_id=keep, other_id=other)
    html = report.report_html(db, case_id=case_id)
    assert ("Gulmorod <span class=\"meta\">(Commander seen in Raqqa; Colonel&#x27;s family "
            "speaks; Police chief&#x27;s past)</span>") in html
    db.close()
    shown = cli_json("--db", str(db_path), "entity", "show", "Gulmurod Khalimov", env=cli_env)
    [spelling] = [a for a in shown["aliases"] if a["name"] == "Gulmorod"]
    assert [d["title"] for d in spelling["documents"]] == [
        "Commander seen in Raqqa", "Colonel's family speaks", "Police chief's past"]
    assert spelling["document"] == docs[0]  # the first, as before, for older scripts


def test_a_spelling_seen_nowhere_is_still_kept(db, case_id):
    keep = entities.create_entity(db, case_id=case_id, name="Gulmurod Khalimov").id
    other = entities.create_entity(db, case_id=case_id, name="Abu Jihad al-Tojiki").id
    identity.merge_entities(db, keep_id=keep, other_id=other)
    [sp] = profiles.entity_profile(db, entity_id=keep).spellings
    assert (sp.name, sp.documents) == ("Abu Jihad al-Tojiki", ())


def test_the_documents_travel_in_a_bundle(db, case_id, tmp_path):
    from casefile.db.database import open_database
    from casefile.exchange.bundle import export_bundle
    from casefile.exchange.merge import import_bundle

    docs, keep, other = _case(db, case_id)
    identity.merge_entities(db, keep_id=keep, other_id=other)
    bundle = tmp_path / "c.casefile"
    with bundle.open("wb") as out:
        export_bundle(db, case_id=case_id, out=out)
    elsewhere = open_database(tmp_path / "other.sqlite")
    try:
        import_bundle(elsewhere, path=bundle)
        [sp] = [sp for sp in profiles.entity_profile(elsewhere, entity_id=keep).spellings
                if sp.name == "Gulmorod"]
        assert [d.document_id for d in sp.documents] == [docs[0], docs[1], docs[3]]
    finally:
        elsewhere.close()
