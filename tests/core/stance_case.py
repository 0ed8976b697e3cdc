"""A fictional case with one death asserted, denied and doubted: for the stance-wording tests."""

from __future__ import annotations

from dataclasses import dataclass

from casefile.db.database import Database
from casefile.services import cases, claims, documents, highlights
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument

SUBJECT = "Rustam Qodirov"
REPORTS = (  # outlet, published, title, text, quote, stance, event date
    ("Valley Herald", "2016-03-02", "Commander killed in Darband",
     "DARBAND — Rustam Qodirov was killed in an airstrike near Darband in February 2016, "
     "a regional official said.\n", "was killed in an airstrike near Darband", "asserts",
     "February 2016"),
    ("Pamir Post", "2016-05-10", "Family says Qodirov is alive",
     "His sister said Rustam Qodirov is alive and had telephoned the family in May.\n",
     "is alive and had telephoned the family", "denies", "2016"),
    ("Steppe Observer", "2016-06-21", "Doubts over Darband strike",
     "A police colonel said he doubted that Qodirov died in the strike at all.\n",
     "doubted that Qodirov died in the strike", "doubts", "February 2016"),
)
LABELS = {"asserts": "death", "denies": "death (denied)", "doubts": "death (doubted)"}


@dataclass
class StanceCase:
    case_id: str
    claims: dict[str, str]  # stance -> claim id


def build_stance_case(db: Database) -> StanceCase:
    case_id = cases.create_case(db, title="The Qodirov file").id
    ids = {}
    for outlet, published, title, text, quote, stance, when in REPORTS:
        doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=text, original=text.encode(), content_type="text/plain", title=title,
            outlet=outlet, published=published)).id
        start, end = highlights.locate_quote(db, document_id=doc, quote=quote)
        hl = highlights.create_highlight(db, document_id=doc, start=start, end=end).id
        ids[stance] = claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject=SUBJECT, kind="death", statement=quote, date=when, stance=stance,
            origin=f"{outlet} staff", credibility=3, evidence=(hl,))).id
    return StanceCase(case_id, ids)
