"""CSV of claims: one row per claim with its evidence, for spreadsheets."""

from __future__ import annotations

import csv
from typing import IO, Any

from casefile.db.database import Database
from casefile.exchange.caseview import CaseView, load_view

COLUMNS = ("claim_id", "subject", "kind", "statement", "object", "value", "date", "place",
           "origin", "origin_reliability", "via", "stance", "credibility", "status", "note",
           "evidence_quotes", "document_titles", "outlets", "published", "pages")
JOIN = " | "
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def claim_rows(view: CaseView) -> list[dict[str, str]]:
    rows = []
    claims = sorted(view.claims.values(),
                    key=lambda c: (view.name(c["subject_id"]).casefold(), c["kind"], c["date"],
                                   c["id"]))
    for c in claims:
        cites = [view.citation(h) for h in c["evidence"]]
        origin = view.entities.get(c["origin_id"] or "")
        rows.append({
            "claim_id": c["id"], "subject": view.name(c["subject_id"]), "kind": c["kind"],
            "statement": c["statement"], "object": view.name(c["object_id"]),
            "value": c["value"], "date": c["date"], "place": view.name(c["place_id"]),
            "origin": origin["name"] if origin else "",
            "origin_reliability": origin["reliability"] if origin else "",
            "via": JOIN.join(view.name(v) for v in c["via"]), "stance": c["stance"],
            "credibility": str(c["credibility"]), "status": c["status"], "note": c["note"],
            "evidence_quotes": JOIN.join(x.quote for x in cites),
            "document_titles": JOIN.join(x.title for x in cites),
            "outlets": JOIN.join(x.outlet for x in cites),
            "published": JOIN.join(x.published for x in cites),
            "pages": JOIN.join("" if x.page is None else str(x.page) for x in cites),
        })
    return rows


def write_claims_csv(db: Database, *, case_id: str, out: IO[str]) -> None:
    """Write the claims of a case as CSV (UTF-8; open ``out`` with ``newline=""``)."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in claim_rows(load_view(db, case_id=case_id)):
        writer.writerow({k: _safe(v) for k, v in row.items()})
