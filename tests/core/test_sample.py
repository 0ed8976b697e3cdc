"""The sample case: fictional articles imported the normal way, contradicting each other."""

from __future__ import annotations

from casefile import sample
from casefile.services import claims, documents, entities


def test_sample_case_imports_every_article_and_annotates(db):
    case_id, results = sample.create_sample_case(db)
    assert [r.error for r in results] == [None] * len(sample.sample_files()) and results
    docs = documents.list_documents(db, case_id=case_id)
    assert {d.outlet for d in docs} == {"Northern Ledger", "Meridian Wire", "Caspian Courier",
                                        "Rivertown Gazette"}
    assert all(d.published for d in docs)
    html_doc = next(d for d in docs if d.outlet == "Caspian Courier")
    text = documents.get_text(db, document_id=html_doc.id)
    assert "Wadi Sirr" in text and "Темур Вахидов" in text
    cs = claims.list_claims(db, case_id=case_id)
    assert {c.subject for c in cs} == {"Temur Vakhidov", "Jamshed Vakhidov", "Anvar Rasulzoda"}
    assert {c.kind for c in cs} >= {"death", "relationship", "role", "arrest"}
    assert len(cs) == len([s for s in sample.SEEDS if s.claim]), "every seeded claim was placed"
    assert {c.stance for c in cs} == {"asserts", "doubts", "denies"}
    deaths = sorted(c.date for c in cs if c.kind == "death" and c.stance == "asserts")
    assert deaths[0].startswith("2015") and deaths[-1].startswith("2020")
    assert all(c.evidence for c in cs)
    subject = entities.find_entity(db, case_id=case_id, name="Abu Hafs al-Qalami")
    assert subject.name == "Temur Vakhidov"


def test_sample_text_is_free_of_page_chrome_when_html_is_extracted(db):
    case_id, _ = sample.create_sample_case(db, annotate=False)
    html_doc = next(d for d in documents.list_documents(db, case_id=case_id)
                    if d.content_type.startswith("text/html"))
    text = documents.get_text(db, document_id=html_doc.id)
    for junk in ("cookies", "Skip to content", "Leave a comment", "trackVisitor"):
        assert junk not in text
