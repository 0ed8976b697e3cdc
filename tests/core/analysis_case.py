"""A fictional case for the analysis tests: Temur Vakhidov, reported killed four times."""

from __future__ import annotations

from dataclasses import dataclass, field

from casefile.db.database import Database
from casefile.services import claims, documents, entities, highlights
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument

SUBJECT = "Temur Vakhidov"
VARIANTS = ("Timur Vakhidov", "Temur Vahidov", "Temur Vakhidzoda", "Vakhidov Temur",
            "Темур Вахидов", "Abu Hafs al-Kalami")
RELATIVES = ("Jamshed Vakhidov", "Olim Vakhidov")

# (key, outlet, published, title, text)
ARTICLES = (
    ("ledger2015", "Northern Ledger", "2015-06-10", "Militant commander reported dead",
     "Local officials said Temur Vakhidov, known as Abu Hafs al-Qalami, was killed near "
     "Qalat Nur in May 2015. His father Olim Vakhidov declined to comment."),
    ("meridian2017", "Meridian Wire", "2017-07-20", "Strike on Tal Hasan",
     "A coalition spokesman said Temur Vahidov died in a missile strike on Tal Hasan in "
     "July 2017. Vahidov led the Wadi Sirr Battalion."),
    ("gazette2018", "Rivertown Gazette", "2018-01-10", "Looking back at the Vakhidov file",
     "According to a coalition spokesman, Timur Vakhidov was killed in March 2017, months "
     "before the strike on Tal Hasan."),
    ("lantern2020", "The Daily Lantern", "2020-08-04", "Minister: Vakhidzoda killed",
     "Interior Minister Anvar Rasulzoda said on Monday that Temur Vakhidzoda was killed in an "
     "airstrike near Wadi Sirr on 3 August 2020."),
    ("courier2020", "Caspian Courier", "2020-08-05", "Вахидов убит",
     "Министр Анвар Расулзода заявил, что Темур Вахидов погиб 3 августа 2020 года у Вади-Сирр. "
     "Interior Minister Anvar Rasulzoda confirmed the airstrike near Wadi Sirr."),
    ("meridian2020", "Meridian Wire", "2020-08-06", "Abu Hafs al-Kalami dead, minister says",
     "Abu Hafs al-Kalami was killed near Wadi Sirr on 3 August 2020, Interior Minister Anvar "
     "Rasulzoda told reporters."),
    ("ledger2020", "Northern Ledger", "2020-11-20", "Minister has doubts",
     "Anvar Rasulzoda now says he will not believe Temur Vakhidov is dead until he sees the "
     "body."),
    ("gazette2021", "Rivertown Gazette", "2021-03-01", "Alive and hiding?",
     "Vakhidov Temur may be alive and hiding, his brother Jamshed Vakhidov told the Gazette."),
)


@dataclass
class Case:
    case_id: str
    docs: dict[str, str] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    entity: dict[str, str] = field(default_factory=dict)


def _hl(db: Database, doc_id: str, quote: str) -> str:
    start, end = highlights.locate_quote(db, document_id=doc_id, quote=quote)
    return highlights.create_highlight(db, document_id=doc_id, start=start, end=end).id


def build_case(db: Database, case_id: str) -> Case:
    """Eight articles from five outlets; four contradictory death reports (2015, March 2017,
    July 2017, August 2020) from three origins (local officials, a coalition spokesman, the
    minister — the last repeated by three outlets), a doubt, an "alive" report, relatives."""
    case = Case(case_id)
    for key, outlet, published, title, text in ARTICLES:
        case.docs[key] = documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=text, original=text.encode(), content_type="text/plain", title=title,
            outlet=outlet, published=published)).id
    ent = entities.create_entity(db, case_id=case_id, name=SUBJECT, kind="person")
    entities.add_alias(db, entity_id=ent.id, name="Abu Hafs al-Qalami",
                       document_id=case.docs["ledger2015"])
    d = case.docs

    def claim(key: str, doc: str, quote: str, **kw) -> None:
        rec = claims.create_claim(db, case_id=case_id, data=ClaimInput(
            statement=quote, evidence=(_hl(db, d[doc], quote),), **kw))
        case.claims[key] = rec.id

    claim("death2015", "ledger2015", "was killed near Qalat Nur in May 2015", subject=SUBJECT,
          kind="death", date="2015-05", place="Qalat Nur", origin="Local officials")
    claim("death2017b", "meridian2017", "died in a missile strike on Tal Hasan",
          subject="Temur Vahidov", kind="death", date="2017-07", place="Tal Hasan",
          origin="Coalition spokesman")
    claim("death2017a", "gazette2018", "Timur Vakhidov was killed in March 2017",
          subject="Timur Vakhidov", kind="death", date="2017-03", origin="Coalition spokesman")
    for key, doc, subject, quote in (
            ("death2020_lantern", "lantern2020", "Temur Vakhidzoda",
             "killed in an airstrike near Wadi Sirr"),
            ("death2020_courier", "courier2020", "Темур Вахидов", "Темур Вахидов погиб"),
            ("death2020_meridian", "meridian2020", "Abu Hafs al-Kalami",
             "was killed near Wadi Sirr on 3 August 2020")):
        claim(key, doc, quote, subject=subject, kind="death", date="2020-08-03",
              place="Wadi Sirr", origin="Anvar Rasulzoda", origin_kind="person")
    claim("doubt2020", "ledger2020", "he will not believe Temur Vakhidov is dead",
          subject=SUBJECT, kind="death", stance="doubts", origin="Anvar Rasulzoda")
    claim("alive2021", "gazette2021", "may be alive and hiding", subject="Vakhidov Temur",
          kind="death", stance="denies", origin="Jamshed Vakhidov", origin_kind="person")
    claim("brother", "gazette2021", "his brother Jamshed Vakhidov", subject=SUBJECT,
          kind="relationship", object="Jamshed Vakhidov", value="brother")
    claim("father", "ledger2015", "His father Olim Vakhidov", subject=SUBJECT,
          kind="relationship", object="Olim Vakhidov", value="son of")
    claim("commander", "meridian2017", "Vahidov led the Wadi Sirr Battalion",
          subject="Temur Vahidov", kind="role", object="Wadi Sirr Battalion",
          object_kind="organization", value="commander")
    for e in entities.list_entities(db, case_id=case_id):
        case.entity[e.name] = e.id
    return case


def merge_variants(db: Database, case: Case) -> list:
    """Merge every spelling variant into the subject (what the analyst does after review)."""
    from casefile.services import identity

    keep = case.entity[SUBJECT]
    return [identity.merge_entities(db, keep_id=keep, other_id=case.entity[v])
            for v in VARIANTS]
