"""Full-text search across the case, and the index staying in step with edits and deletes."""

from __future__ import annotations

import pytest

from casefile.db import fts
from casefile.errors import ValidationError
from casefile.services import cases, claims, documents, entities, highlights, search
from casefile.services.claims import ClaimInput
from tests.core.analysis_case import build_case


@pytest.fixture
def case(db, case_id):
    return build_case(db, case_id)


def _types(hits):
    return {(h.type, h.id) for h in hits}


def test_document_hits_carry_offsets_of_the_words(db, case_id, case):
    hits = search.search(db, case_id=case_id, query="Wadi Sirr")
    docs = [h for h in hits if h.type == "document"]
    assert {h.id for h in docs} >= {case.docs["lantern2020"], case.docs["meridian2020"],
                                    case.docs["meridian2017"], case.docs["courier2020"]}
    for h in docs:
        text = documents.get_text(db, document_id=h.id)
        # the Russian report's "Вади-Сирр" is found too (the words' transliteration)
        assert h.offsets and all(text[a:b] in ("Wadi", "Sirr", "Вади", "Сирр")
                                 for a, b in h.offsets)
        assert text[h.start:h.end] in ("Wadi", "Sirr", "Вади", "Сирр")
        assert "[" in h.snippet and "]" in h.snippet


def test_hits_in_quotes_claims_entities_and_aliases(db, case_id, case):
    hits = search.search(db, case_id=case_id, query="missile strike")
    assert ("claim", case.claims["death2017b"]) in _types(hits)
    hl = next(h for h in hits if h.type == "highlight")
    text = documents.get_text(db, document_id=hl.document_id)
    assert "missile strike" in text[hl.start:hl.end]
    alias = [h for h in search.search(db, case_id=case_id, query="Qalami") if h.type == "alias"]
    assert alias and alias[0].entity_id == case.entity["Temur Vakhidov"]
    ent = search.search(db, case_id=case_id, query="Rasulzoda", types=("entity",))
    assert [h.entity_id for h in ent] == [case.entity["Anvar Rasulzoda"]]


def test_cyrillic_prefix_phrase_and_diacritics(db, case_id, case):
    assert any(h.id == case.docs["courier2020"]
               for h in search.search(db, case_id=case_id, query="Вахид"))
    assert search.search(db, case_id=case_id, query='"Sirr Battalion"')
    assert not search.search(db, case_id=case_id, query='"Battalion Sirr"')
    assert search.search(db, case_id=case_id, query="Rasulzodá")  # diacritics folded
    with pytest.raises(ValidationError):
        search.search(db, case_id=case_id, query='  " * ')
    # FTS syntax in the query is taken as words, not operators
    assert search.search(db, case_id=case_id, query="NEAR(Wadi OR") is not None


def test_search_is_scoped_to_the_case(db, case_id, case):
    other = cases.create_case(db, title="Another file").id
    documents.add_document(db, case_id=other, doc=documents.NewDocument(
        text="Wadi Sirr again", original=b"w", content_type="text/plain"))
    assert search.search(db, case_id=other, query="Vakhidov") == []
    assert len([h for h in search.search(db, case_id=other, query="Wadi")
                if h.type == "document"]) == 1


def test_index_follows_edits_and_deletes(db, case_id, case):
    cid = case.claims["death2017b"]
    rec = claims.get_claim(db, claim_id=cid)
    claims.update_claim(db, claim_id=cid, data=ClaimInput(
        **{**claims.as_input(rec).__dict__, "statement": "obliterated by a drone"}))
    assert ("claim", cid) in _types(search.search(db, case_id=case_id, query="drone"))
    assert ("claim", cid) not in _types(search.search(db, case_id=case_id, query="missile"))
    claims.delete_claim(db, claim_id=cid)
    assert ("claim", cid) not in _types(search.search(db, case_id=case_id, query="drone"))

    ent = case.entity["Anvar Rasulzoda"]
    entities.update_entity(db, entity_id=ent, name="Anvar Rasulov")
    assert not search.search(db, case_id=case_id, query="Rasulzoda", types=("entity",))
    assert search.search(db, case_id=case_id, query="Rasulov", types=("entity",))
    a = entities.add_alias(db, entity_id=ent, name="Minister Zarif")
    assert ("alias", a.id) in _types(search.search(db, case_id=case_id, query="Zarif"))
    entities.remove_alias(db, alias_id=a.id)
    assert not search.search(db, case_id=case_id, query="Zarif")

    h = highlights.create_highlight(db, document_id=case.docs["ledger2020"], start=0, end=5)
    highlights.update_highlight(db, highlight_id=h.id, note="check the morgue photographs")
    assert ("highlight", h.id) in _types(search.search(db, case_id=case_id, query="morgue"))
    highlights.delete_highlight(db, highlight_id=h.id)
    assert not search.search(db, case_id=case_id, query="morgue")

    doc = case.docs["gazette2021"]
    documents.delete_document(db, document_id=doc)
    assert not any(h.document_id == doc for h in search.search(db, case_id=case_id,
                                                               query="hiding"))
    cases.delete_case(db, case_id=case_id)
    with db.read() as s:
        from sqlalchemy import text
        assert s.execute(text("SELECT count(*) FROM search_index_map")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM search_index")).scalar() == 0


def test_rebuild_restores_missing_triggers(db, case_id, case):
    assert fts.index_is_current(db)
    with db.write() as s:
        from sqlalchemy import text
        s.execute(text("DROP TRIGGER search_index_claim_ai"))
    assert not fts.index_is_current(db)
    fts.rebuild_index(db)
    assert fts.index_is_current(db)
    assert search.search(db, case_id=case_id, query="Qalat")


def test_check_reports_and_repairs_a_search_index_out_of_step(cli_env, tmp_path):
    import json

    from casefile.db.database import open_database
    from tests.helpers import cli_json, run_cli

    db_path = cli_env["CASEFILE_DB"]
    article = tmp_path / "a.txt"
    article.write_text("Temur Vakhidov was reported killed near Qalat Nur.\n", encoding="utf-8")
    cli_json("import", str(article), env=cli_env)
    db = open_database(db_path)
    with db.engine.begin() as conn:  # what a later table rebuild would do to the triggers
        conn.exec_driver_sql("DROP TRIGGER search_index_document_ai")
    db.close()
    bad = run_cli("check", "--json", env=cli_env, check=False)
    problems = json.loads(bad.stdout)["problems"]
    assert bad.returncode == 1 and any("search index" in p for p in problems)
    assert "schema: trigger search_index_document_ai is missing" in problems
    fixed = run_cli("check", "--repair", "--json", env=cli_env)
    assert json.loads(fixed.stdout) == {"ok": True, "problems": []}
    hits = cli_json("search", "Qalat", env=cli_env)
    assert hits and hits[0]["type"] == "document"


def test_accented_text_is_found_and_its_passage_located(db, case_id):
    from casefile.services import documents, search
    from casefile.services.documents import NewDocument

    text_ = "Le ministre Anvar Rasúlzoda a déclaré que Vakhidov était mort à Qalat Nûr."
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text_, original=text_.encode(), content_type="text/plain", title="Dépêche"))
    for query, expected in (("Rasulzoda", "Rasúlzoda"), ("qalat nur", "Qalat"),
                            ("declare", "déclaré")):
        hits = [h for h in search.search(db, case_id=case_id, query=query)
                if h.type == "document"]
        assert hits and hits[0].document_id == doc.id, query
        assert text_[hits[0].start:hits[0].end] == expected, query
        assert "[" in hits[0].snippet
