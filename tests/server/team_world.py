"""A fictional team case for the sync tests: the Vakhidov file, a few reports and claims."""

from __future__ import annotations

from pathlib import Path

from casefile.db.database import Database, open_database
from casefile.exchange.casedata import collect_case
from casefile.services import cases, claims, documents, highlights
from casefile.services.documents import NewDocument
from casefile.sync import engine

REPORT = ("The Northern Ledger reported that Temur Vakhidov was killed in an airstrike near "
          "Wadi Sirr on 3 August 2020, citing the interior minister Anvar Rasulzoda. A later "
          "report by the Meridian Wire said he may be alive and hiding in the hills.")


def replica(folder: Path, name: str, url: str, token: str) -> Database:
    db = open_database(folder / f"{name}.sqlite")
    engine.set_remote(db, url=url, token=token)
    return db


def make_case(db: Database, title: str = "The Vakhidov file") -> dict[str, str]:
    """A case with one report (with its original), a tagged highlight and a claim on it."""
    case = cases.create_case(db, title=title)
    doc = documents.add_document(db, case_id=case.id, doc=NewDocument(
        text=REPORT, original=REPORT.encode() + b"\n<!-- original -->", content_type="text/plain",
        title="Airstrike near Wadi Sirr", outlet="Northern Ledger", published="2020-08-05"))
    start = REPORT.index("was killed")
    hl = highlights.create_highlight(db, document_id=doc.id, start=start,
                                     end=start + len("was killed in an airstrike"),
                                     tag_paths=("Events/Death",))
    claim = claims.create_claim(db, case_id=case.id, data=claims.ClaimInput(
        subject="Temur Vakhidov", kind="death", date="2020-08-03", place="Wadi Sirr",
        origin="Anvar Rasulzoda", credibility=3, evidence=(hl.id,)))
    return {"case": case.id, "document": doc.id, "highlight": hl.id, "claim": claim.id,
            "tag": hl.tag_ids[0]}


def snapshot(db: Database, case_id: str) -> dict:
    """Everything of the case as the bundle's record form (the sync's unit of comparison)."""
    with db.read() as s:
        return collect_case(s, case_id)
