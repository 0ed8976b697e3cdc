"""A fictional case for the ACH tests and docs/ach.md: Daler Qosimov, killed twice or alive."""

from __future__ import annotations

from dataclasses import dataclass, field

from casefile.db.database import Database
from casefile.services import claims, documents, entities, hypotheses
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument
from casefile.services.hypotheses import HypothesisInput
from tests.core.analysis_case import _hl

SUBJECT = "Daler Qosimov"
MINISTER_TEXT = ("Interior Minister Saidali Nurov said Daler Qosimov was killed near Wadi Sirr "
                 "on 3 August 2019.")
# (key, outlet, published, title, text)
ARTICLES = (
    ("herald", "Eastern Herald", "2016-06-02", "Commander reported dead",
     "Local council members said Daler Qosimov was killed in Raqqa in May 2016."),
    ("courier", "Caspian Courier", "2019-08-05", "Minister: Qosimov killed", MINISTER_TEXT),
    ("ledger", "Northern Ledger", "2019-08-05", "Qosimov dead, says minister", MINISTER_TEXT),
    ("meridian", "Meridian Wire", "2019-08-06", "Nurov confirms strike", MINISTER_TEXT),
    ("bosphorus", "Bosphorus Daily", "2020-02-20", "Man detained in Istanbul",
     "Istanbul police detained a man they identified as Daler Qosimov in February 2020."),
    ("gazette", "Rivertown Gazette", "2021-03-01", "A brother's certainty",
     "His brother Farid Qosimov insists that Daler is alive."),
)


@dataclass
class AchCase:
    case_id: str
    docs: dict[str, str] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    hyps: dict[str, str] = field(default_factory=dict)
    entity: dict[str, str] = field(default_factory=dict)


def build_claims(db: Database, case_id: str) -> AchCase:
    """Six reports: killed in Raqqa in May 2016 (a local council, C3); killed near Wadi Sirr on
    3 August 2019 (the interior minister, B2, repeated by three outlets); detained alive in
    Istanbul in February 2020 (the police, A2); alive, says his brother (D4, a denial)."""
    case = AchCase(case_id)
    for key, outlet, published, title, text in ARTICLES:
        case.docs[key] = documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=text, original=text.encode(), content_type="text/plain", title=title,
            outlet=outlet, published=published)).id
    for name, kind, grade in (("Raqqa local council", "organization", "C"),
                              ("Saidali Nurov", "person", "B"),
                              ("Istanbul police", "organization", "A"),
                              ("Farid Qosimov", "person", "D")):
        entities.create_entity(db, case_id=case_id, name=name, kind=kind, reliability=grade)

    def claim(key: str, doc: str, quote: str, **kw) -> None:
        case.claims[key] = claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject=SUBJECT, statement=quote, evidence=(_hl(db, case.docs[doc], quote),),
            **kw)).id

    claim("raqqa", "herald", "Daler Qosimov was killed in Raqqa in May 2016", kind="death",
          date="2016-05", place="Raqqa", origin="Raqqa local council", credibility=3)
    for doc in ("courier", "ledger", "meridian"):
        claim(f"minister_{doc}", doc, "Daler Qosimov was killed near Wadi Sirr on 3 August 2019",
              kind="death", date="2019-08-03", place="Wadi Sirr", origin="Saidali Nurov",
              credibility=2)
    claim("istanbul", "bosphorus", "detained a man they identified as Daler Qosimov",
          kind="arrest", date="2020-02", place="Istanbul", origin="Istanbul police",
          credibility=2)
    claim("alive", "gazette", "insists that Daler is alive", kind="death", stance="denies",
          origin="Farid Qosimov", credibility=4)
    for e in entities.list_entities(db, case_id=case_id):
        case.entity[e.name] = e.id
    return case


def build_case(db: Database, case_id: str) -> AchCase:
    """The claims and three structured hypotheses: H1 killed in Raqqa in May 2016, H2 killed
    near Wadi Sirr in August 2019, H3 alive."""
    case = build_claims(db, case_id)
    for key, data in (
            ("raqqa", HypothesisInput("Qosimov was killed in Raqqa in May 2016", subject=SUBJECT,
                                      kind="death", date="May 2016", place="Raqqa")),
            ("wadi", HypothesisInput("Qosimov was killed near Wadi Sirr in August 2019",
                                     subject=SUBJECT, kind="death", date="2019-08",
                                     place="Wadi Sirr")),
            ("alive", HypothesisInput("Qosimov is alive", subject=SUBJECT, kind="death",
                                      stance="denies"))):
        case.hyps[key] = hypotheses.add_hypothesis(db, case_id=case_id, data=data).id
    return case
