"""Passages by tag, a document's annotations in reading order, an entity's profile, and their
command-line counterparts (doc edit, tag passages, entity show)."""

from __future__ import annotations

import json

import pytest

from casefile import sample
from casefile.errors import NotFound
from casefile.services import documents, entities, highlights, passages, profiles, tags
from tests.helpers import run_cli


@pytest.fixture
def sample_case(db) -> str:
    case_id, _ = sample.create_sample_case(db)
    return case_id


def test_passages_by_tag_include_sub_tags_with_their_sources(db, sample_case):
    deaths = passages.by_tag(db, case_id=sample_case, tag="Events/Death")
    events = passages.by_tag(db, case_id=sample_case, tag="Events")
    own = passages.by_tag(db, case_id=sample_case, tag="Events", with_subtags=False)
    assert len(deaths) == 4 and own == []
    assert {p.highlight_id for p in deaths} < {p.highlight_id for p in events}
    assert any("Events/Alive" in p.tags for p in events)
    first = deaths[0]
    assert first.outlet == "Northern Ledger" and first.published == "2015-05-12"
    assert first.quote == documents.get_text(db, document_id=first.document_id)[
        first.start:first.end]
    assert [p.published for p in deaths] == sorted(p.published for p in deaths)
    assert all(p.claim_ids for p in deaths)


def test_tag_references_by_name_and_unknown_tags(db, sample_case):
    assert passages.by_tag(db, case_id=sample_case, tag="Retraction")
    with pytest.raises(NotFound):
        passages.by_tag(db, case_id=sample_case, tag="Events/Nope")


def test_tag_counts_own_and_with_sub_tags(db, sample_case):
    by_path = {t.path: t.id for t in tags.list_tags(db, case_id=sample_case)}
    counts = passages.tag_counts(db, case_id=sample_case)
    assert counts[by_path["Events/Death"]].own == 4
    assert counts[by_path["Events"]].own == 0
    assert counts[by_path["Events"]].total == 4 + 1 + 1  # Death, Alive, Arrest


def test_document_annotations_in_reading_order(db, sample_case):
    doc = next(d for d in documents.list_documents(db, case_id=sample_case)
               if d.outlet == "Northern Ledger")
    rows = passages.in_document(db, document_id=doc.id)
    assert [p.start for p in rows] == sorted(p.start for p in rows)
    assert len(rows) == len(highlights.list_highlights(db, document_id=doc.id))


def test_entity_profile_gathers_spellings_claims_conflicts_relations(db, sample_case):
    ent = entities.find_entity(db, case_id=sample_case, name="Abu Hafs al-Qalami")
    prof = profiles.entity_profile(db, entity_id=ent.id)
    spelled = {s.name: s.documents[0].title for s in prof.spellings if s.documents}
    assert spelled["Темур Вахидов"].startswith("Minister")
    assert len(prof.claims_by_kind["death"]) == 6
    assert {r.other for r in prof.relations} == {"Jamshed Vakhidov", "Olim Vakhidov"}
    assert prof.conflicts and prof.conflicts[0].kind == "death"
    assert prof.mentions >= 4 and prof.mention_documents == 4
    brother = entities.find_entity(db, case_id=sample_case, name="Jamshed Vakhidov")
    back = profiles.entity_profile(db, entity_id=brother.id, count_mentions=False)
    assert [r.direction for r in back.relations] == ["in"]
    assert "arrest" in back.claims_by_kind


def test_cli_doc_edit_tag_passages_entity_show(cli_env, tmp_path):
    from casefile.db.database import open_database

    db = open_database(cli_env["CASEFILE_DB"])
    case_id, _ = sample.create_sample_case(db)
    doc = documents.list_documents(db, case_id=case_id)[0]
    db.close()
    out = json.loads(run_cli("doc", "edit", doc.id, "--title", "A new title",
                             "--published", "March 2021", "--json", env=cli_env).stdout)
    assert out["title"] == "A new title" and out["published"] == "2021-03"
    assert out["guessed"] == []
    rows = json.loads(run_cli("tag", "passages", "Events/Death", "--json",
                              env=cli_env).stdout)
    assert len(rows) == 4
    assert set(rows[0]) >= {"highlight", "document", "quote", "note", "tags"}
    prof = json.loads(run_cli("entity", "show", "Temur Vahidov", "--json", env=cli_env).stdout)
    assert prof["name"] == "Temur Vakhidov"
    assert {a["name"] for a in prof["aliases"]} >= {"Timur Vakhidov", "Temur Vahidov"}
    assert all(a["document"] for a in prof["aliases"])
    assert len(prof["claims"]["death"]) == 6 and prof["mentions"] >= 4
    bad = run_cli("tag", "passages", "Nope/Nothing", env=cli_env, check=False)
    assert bad.returncode == 2 and "no tag" in bad.stderr


def test_cli_origins_get_a_sensible_kind(cli_env, tmp_path):
    page = tmp_path / "note.txt"
    page.write_text("Notes\n\nVakhidov was killed, the minister said.\n", encoding="utf-8")
    doc = json.loads(run_cli("import", str(page), "--json", env=cli_env).stdout)[0]["id"]
    hid = json.loads(run_cli("highlight", doc, "--quote", "was killed", "--json",
                             env=cli_env).stdout)["id"]
    for origin, extra in (("Interior Minister Anvar Rasulzoda", ()),
                          ("military sources", ()), ("Olim", ("--origin-kind", "person"))):
        run_cli("claim", "add", "--evidence", hid, "--subject", "Temur Vakhidov", "--kind",
                "death", "--origin", origin, *extra, env=cli_env)
    ents = {e["name"]: e["kind"] for e in json.loads(run_cli("entities", "--json",
                                                              env=cli_env).stdout)}
    assert ents["Interior Minister Anvar Rasulzoda"] == "person"
    assert ents["military sources"] == "organization"
    assert ents["Olim"] == "person"
