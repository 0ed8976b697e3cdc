"""What the W3C web-annotation-tests MUST assertions require of our JSON-LD, checked without
their schemas (not ours to ship): ids that are URIs, @context on each annotation, creator and
dates, body shapes the suite tells apart, pages with ids."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


def _uri(value: Any, what: str) -> None:
    assert isinstance(value, str) and URI.match(value), f"{what} is not a URI: {value!r}"


def _datetime(value: Any, what: str) -> None:
    assert isinstance(value, str), f"{what} missing"
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert value.endswith("Z") or "+" in value[10:], f"{what} {value!r} has no time zone"


def check_annotation(a: dict[str, Any]) -> None:
    ctx = a.get("@context")
    assert ctx == CONTEXT or (isinstance(ctx, list) and CONTEXT in ctx), "no @context"
    _uri(a["id"], "annotation id")
    assert a["type"] == "Annotation" and "target" in a
    assert "creator" in a, "no creator"
    _datetime(a["created"], "created")
    _datetime(a["modified"], "modified")
    assert not ("body" in a and "bodyValue" in a)
    for body in a.get("body", []):
        if "source" in body:  # a Specific Resource: no value, a single source
            assert body["type"] == "SpecificResource" and "value" not in body
        else:
            # Anything with an id and no source counts as an External Web Resource, which may
            # carry no purpose; our textual bodies therefore carry no id.
            assert "id" not in body, f"body {body} would read as an External Web Resource"
            assert isinstance(body["value"], str) and body["type"] == "TextualBody"
    for sel in a["target"]["selector"]:
        if sel["type"] == "TextQuoteSelector":
            assert isinstance(sel["exact"], str)
        elif sel["type"] == "TextPositionSelector":
            assert 0 <= sel["start"] <= sel["end"]


def check_collection(c: dict[str, Any]) -> None:
    assert c["@context"] == CONTEXT and c["type"] == "AnnotationCollection"
    _uri(c["id"], "collection id")
    assert isinstance(c["label"], str)
    assert isinstance(c["total"], int) and c["total"] >= 0
    page = c["first"]
    _uri(page["id"], "page id")
    assert page["type"] == "AnnotationPage" and isinstance(page["items"], list)
    assert isinstance(page["partOf"], dict)  # the suite reads a string partOf as a bad total
    _uri(page["partOf"]["id"], "partOf id")
    assert page["partOf"]["total"] == c["total"] == len(page["items"])
    for a in page["items"]:
        check_annotation(a)
