"""CSV for spreadsheets: claims (one row each), their evidence (one row per claim and passage,
joined by ``claim_id``), and the codebook in the ``tag,description`` form Taguette imports.

Files are written by ``export_case`` as UTF-8 with a BOM (Excel reads BOM-less UTF-8 as the
local code page: "Khalimovâ€™s"). Cells a spreadsheet would run as a formula get a leading
apostrophe; every other cell is written verbatim."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

from casefile.db.database import Database
from casefile.exchange.caseview import CaseView, load_view

COLUMNS = ("claim_id", "subject", "kind", "statement", "object", "value", "date", "place",
           "origin", "origin_reliability", "via", "stance", "credibility", "status", "note",
           "evidence")
EVIDENCE_COLUMNS = ("claim_id", "position", "highlight_id", "subject", "kind", "stance",
                    "statement", "quote", "document_title", "outlet", "published", "page", "url",
                    "document_id")
CODEBOOK_COLUMNS = ("tag", "description")
# What spreadsheets evaluate: a leading = + @ (and their full-width forms, which some read as
# the same), tab or carriage return; a minus only before what makes it a formula or a number
# ("-1", "-=", "-(", "-SUM(") — "- a list item" or "-" alone stay as they are.
_ALWAYS = ("=", "+", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff20", "\uff0d")
_MINUS = re.compile(r"-(?:[\d=+\-@(.]|[A-Za-z_][\w.]*\()")


def safe(value: Any) -> str:
    """The cell text for ``value``: verbatim unless a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_ALWAYS) or _MINUS.match(text) else text


def _claims(view: CaseView) -> list[dict[str, Any]]:
    return sorted(view.claims.values(),
                  key=lambda c: (view.name(c["subject_id"]).casefold(), c["kind"], c["date"],
                                 c["id"]))


def claim_rows(view: CaseView) -> list[dict[str, str]]:
    rows = []
    for c in _claims(view):
        origin = view.entities.get(c["origin_id"] or "")
        rows.append({
            "claim_id": c["id"], "subject": view.name(c["subject_id"]), "kind": c["kind"],
            "statement": c["statement"], "object": view.name(c["object_id"]),
            "value": c["value"], "date": c["date"], "place": view.name(c["place_id"]),
            "origin": origin["name"] if origin else "",
            "origin_reliability": origin["reliability"] if origin else "",
            "via": " → ".join(view.name(v) for v in c["via"]), "stance": c["stance"],
            "credibility": str(c["credibility"]), "status": c["status"], "note": c["note"],
            "evidence": str(len(c["evidence"])),
        })
    return rows


def evidence_rows(view: CaseView) -> list[dict[str, str]]:
    """One row per (claim, passage), in the claim's evidence order."""
    rows = []
    for c in _claims(view):
        for n, hid in enumerate(c["evidence"], start=1):
            cite = view.citation(hid)
            rows.append({
                "claim_id": c["id"], "position": str(n), "highlight_id": hid,
                "subject": view.name(c["subject_id"]), "kind": c["kind"],
                "stance": c["stance"], "statement": c["statement"], "quote": cite.quote,
                "document_title": cite.title, "outlet": cite.outlet,
                "published": cite.published, "page": "" if cite.page is None else str(cite.page),
                "url": cite.url, "document_id": cite.document_id,
            })
    return rows


def codebook_rows(view: CaseView) -> list[dict[str, str]]:
    """Each tag by its full path ("Events/Death"): Taguette nests tags by path prefix."""
    return sorted(({"tag": view.tag_path(t["id"]), "description": t["description"]}
                   for t in view.tags.values()), key=lambda r: r["tag"].casefold())


def _write(out: IO[str], columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> None:
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe(v) for k, v in row.items()})


def write_claims_csv(db: Database, *, case_id: str, out: IO[str]) -> None:
    """The claims of a case, one row each (open ``out`` with ``newline=""``)."""
    _write(out, COLUMNS, claim_rows(load_view(db, case_id=case_id)))


def write_evidence_csv(db: Database, *, case_id: str, out: IO[str]) -> None:
    """The claims' evidence, one row per claim and passage."""
    _write(out, EVIDENCE_COLUMNS, evidence_rows(load_view(db, case_id=case_id)))


def write_codebook_csv(db: Database, *, case_id: str, out: IO[str]) -> None:
    """The tag tree as ``tag,description`` rows (Taguette's codebook import)."""
    _write(out, CODEBOOK_COLUMNS, codebook_rows(load_view(db, case_id=case_id)))
