"""W3C Web Annotation export: one Annotation per highlight, in an AnnotationCollection.

Shaped to pass every MUST of the W3C web-annotation-tests: the collection and its page have ids;
each annotation carries its own ``@context`` so it stands alone; every annotation names its
creator (the case's analyst) and its created/modified times. A claim's statement keeps the
claim's id by being the source of a SpecificResource body with purpose "describing": the suite
reads any body with an ``id`` and no ``source`` as an External Web Resource, which may not carry
a purpose."""

from __future__ import annotations

import json
from typing import IO, Any

from casefile import __version__
from casefile.db.database import Database
from casefile.exchange import refi
from casefile.exchange.caseview import CaseView, load_view

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CREDIBILITY = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful",
               5: "improbable", 6: "cannot be judged"}


def _urn(id_: str) -> str:
    return f"urn:uuid:{id_}" if len(id_) == 36 else f"urn:casefile:{id_}"


def _stamp(value: str) -> str:
    return value.split(".")[0] + "Z"


def analyst(view: CaseView) -> dict[str, Any]:
    """The agent who made the case's annotations (Casefile has no user accounts: one per case,
    the same GUID as the REFI-QDA export's user)."""
    return {"id": _urn(refi.derived("user", view.case["id"]).lower()), "type": "Person",
            "name": "Analyst"}


def _claim_bodies(view: CaseView, claim: dict[str, Any]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = [{
        "type": "SpecificResource", "purpose": "describing",
        "source": {"id": _urn(claim["id"]), "type": "TextualBody", "value": claim["statement"],
                   "format": "text/plain"}}]
    grade = view.entities.get(claim["origin_id"] or "", {}).get("reliability", "")
    credibility = claim["credibility"]
    assessment = f"{grade or '?'}{credibility}: information {CREDIBILITY.get(credibility, '')}"
    if claim["origin_id"]:
        assessment += f"; origin {view.name(claim['origin_id'])}"
    assessment += f"; stance {claim['stance']}; status {claim['status']}"
    bodies.append({"type": "TextualBody", "purpose": "assessing", "value": assessment,
                   "format": "text/plain"})
    return bodies


def annotation(view: CaseView, highlight: dict[str, Any]) -> dict[str, Any]:
    """One highlight as a W3C Annotation (offsets are code points, as the model requires)."""
    doc = view.documents[highlight["document_id"]]
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": view.tag_path(t)}
        for t in highlight["tags"]]
    if highlight["note"]:
        bodies.append({"type": "TextualBody", "purpose": "commenting",
                       "value": highlight["note"], "format": "text/plain"})
    for claim in view.claims_by_highlight.get(highlight["id"], ()):
        bodies += _claim_bodies(view, claim)
    source: dict[str, Any] = {"id": _urn(doc["id"]), "type": "Text", "format": "text/plain"}
    if doc["title"]:
        source["title"] = doc["title"]
    if doc["url"]:
        source["canonical"] = doc["url"]
    anno: dict[str, Any] = {
        "@context": CONTEXT,
        "id": _urn(highlight["id"]),
        "type": "Annotation",
        "motivation": "highlighting",
        "creator": analyst(view),
        "created": _stamp(highlight["created_at"]),
        "modified": _stamp(highlight["updated_at"]),
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": highlight["quote"],
                 "prefix": highlight["prefix"], "suffix": highlight["suffix"]},
                {"type": "TextPositionSelector", "start": highlight["start"],
                 "end": highlight["end"]},
            ],
        },
    }
    region = view.page_region(highlight["id"])
    if region is not None:
        anno["target"]["selector"].append(fragment_selector(*region))
    if bodies:
        anno["body"] = bodies
    return anno


def fragment_selector(page: int, rect: tuple[float, float, float, float]) -> dict[str, Any]:
    """RFC 3778 PDF fragment: page N (from 1) and the view rectangle x,y,w,h in points from the
    page's top-left."""
    x0, y0, x1, y1 = (round(v, 1) for v in rect)
    return {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
            "value": f"page={page + 1}&viewrect={x0:g},{y0:g},{round(x1 - x0, 1):g},"
                     f"{round(y1 - y0, 1):g}"}


def collection(view: CaseView) -> dict[str, Any]:
    """The case's annotations as one collection holding one page (empty for an empty case)."""
    items = [annotation(view, h) for h in sorted(
        view.highlights.values(), key=lambda h: (h["document_id"], h["start"], h["end"]))]
    case_id = view.case["id"]
    return {
        "@context": CONTEXT,
        "id": _urn(case_id),
        "type": "AnnotationCollection",
        "label": view.case["title"],
        "creator": analyst(view),
        "created": _stamp(view.case["created_at"]),
        "modified": _stamp(view.case["updated_at"]),
        "generator": {"type": "Software", "name": f"Casefile {__version__}"},
        "total": len(items),
        "first": {"id": _urn(refi.derived("annotation page", case_id, "1").lower()),
                  "type": "AnnotationPage",
                  "partOf": {"id": _urn(case_id), "label": view.case["title"],
                             "total": len(items)},
                  "startIndex": 0,
                  "items": items},
    }


def write_jsonld(db: Database, *, case_id: str, out: IO[str]) -> None:
    """Write the case's highlights as a Web Annotation JSON-LD collection to a text file."""
    json.dump(collection(load_view(db, case_id=case_id)), out, ensure_ascii=False, indent=1)
    out.write("\n")
