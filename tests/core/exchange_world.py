"""A small fictional case (the Vakhidov file) built through the services, for exchange tests."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from casefile.db.database import Database
from casefile.services import cases, claims, documents, entities, highlights, tags
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument

ARTICLES = [
    ("Northern Ledger", "2015-06-02", "Militant commander reported killed near Qalat Nur",
     "QALAT NUR — Temur Vakhidov, known as Abu Hafs al-Qalami, was reported killed in "
     "fighting near Qalat Nur in April 2015, local officials said.\n"),
    ("Meridian Wire", "2017-03-14", "Missile strike on Tal Hasan",
     "Timur Vakhidov was killed in a missile strike on Tal Hasan, military sources said. "
     "His brother Jamshed Vakhidov could not be reached.\n"),
    ("Rivertown Gazette", "2020-08-05", "Minister announces death of Vakhidov",
     "Interior Minister Anvar Rasulzoda said Temur Vahidov died in an airstrike near Wadi "
     "Sirr on 3 August 2020. «Темур Вахидов» — 🙂 — was buried, he added.\n"),
    ("The Daily Lantern", "2021-02-11", "Is Vakhidov alive?",
     "Relatives including Olim Vakhidov say Temur Vakhidov may be alive and hiding.\n"),
]


@dataclass
class World:
    case_id: str
    docs: list[str]
    subject: str
    claims: list[str]
    highlights: list[str]


def _hl(db: Database, doc_id: str, quote: str, **kw) -> str:
    start, end = highlights.locate_quote(db, document_id=doc_id, quote=quote)
    return highlights.create_highlight(db, document_id=doc_id, start=start, end=end, **kw).id


def build_world(db: Database, *, title: str = "The Vakhidov file") -> World:
    case_id = cases.create_case(db, title=title, summary="Conflicting death reports.").id
    docs = []
    for outlet, published, head, text in ARTICLES:
        docs.append(documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=text, original=("<p>" + text + "</p>").encode(), content_type="text/html",
            title=head, outlet=outlet, published=published, source_name=head + ".html",
            page_starts=(0,))).id)
    subj = entities.create_entity(db, case_id=case_id, name="Temur Vakhidov",
                                  description="Subject", aliases=("Abu Hafs al-Qalami",)).id
    entities.add_alias(db, entity_id=subj, name="Timur Vakhidov", document_id=docs[1])
    entities.add_alias(db, entity_id=subj, name="Темур Вахидов", document_id=docs[2])
    tag = tags.create_tag(db, case_id=case_id, name="death report", color="#cc3333").id
    h0 = _hl(db, docs[0], "reported killed in fighting near Qalat Nur in April 2015",
             tag_ids=(tag,), note="first report")
    h1 = _hl(db, docs[1], "killed in a missile strike on Tal Hasan", tag_ids=(tag,))
    h2 = _hl(db, docs[2], "died in an airstrike near Wadi Sirr on 3 August 2020")
    h3 = _hl(db, docs[3], "may be alive and hiding")
    c = [
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject="Temur Vakhidov", kind="death", date="April 2015", place="Qalat Nur",
            origin="local officials", credibility=4, evidence=(h0,))).id,
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject="Temur Vakhidov", kind="death", date="2017", place="Tal Hasan",
            value="missile strike", origin="military sources", credibility=5,
            evidence=(h1,))).id,
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject="Temur Vakhidov", kind="death", date="2020-08-03", place="Wadi Sirr",
            value="airstrike", origin="Anvar Rasulzoda", origin_kind="person", credibility=3,
            evidence=(h2,))).id,
        claims.create_claim(db, case_id=case_id, data=ClaimInput(
            subject="Temur Vakhidov", kind="death", stance="doubts", date="2021",
            origin="Olim Vakhidov", origin_kind="person", credibility=6, evidence=(h3,))).id,
    ]
    claims.link_claims(db, source_id=c[2], target_id=c[3], relation="contradicts")
    return World(case_id, docs, subj, c, [h0, h1, h2, h3])


def read_member(bundle: Path, name: str) -> dict:
    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read(name))
