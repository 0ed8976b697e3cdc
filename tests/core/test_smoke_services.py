"""Services end to end: a case, a document, a highlight, a claim."""

from casefile.services import cases, claims, documents, highlights
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument


def test_claim_round_trip(db, case_id):
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text="Officials said Gulmurod Halimov was killed in 2017.", original=b"x",
        content_type="text/plain", title="Report", outlet="Dushanbe Daily"))
    start, end = highlights.locate_quote(db, document_id=doc.id, quote="was killed in 2017")
    h = highlights.create_highlight(db, document_id=doc.id, start=start, end=end)
    c = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Gulmurod Halimov", kind="death", date="2017", evidence=(h.id,)))
    assert claims.get_claim(db, claim_id=c.id).evidence == (h.id,)
    assert cases.list_cases(db)[0].claims == 1
    assert documents.get_document(db, document_id=doc.id).outlet == "Dushanbe Daily"
