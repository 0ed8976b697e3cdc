"""REFI-QDA vocabulary shared by the codebook (.qdc) and project (.qdpx) formats.

Namespaces, GUIDs, dates, the code names other tools can tell apart, and how Casefile carries
what REFI-QDA has no element for (claims, entity kinds) so that its own import reads them back.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from casefile.vocab import stated

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PROJECT_SCHEMA = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
ORIGIN_PREFIX = "Casefile"
GUID = re.compile(r"^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
                  r"[0-9A-Fa-f]{12}\}?$")
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_GUID_NS = uuid.UUID("a3e1f7f0-52c5-4d8e-8f0b-6c1d2a9e4b37")
# Characters XML 1.0 cannot hold even escaped (C0 controls but tab/LF/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Variables Casefile declares (typeOfVariable Text): document metadata on sources, entity facts
# on cases. QualCoder, MAXQDA and ATLAS.ti show them as document and case attributes.
SOURCE_VARIABLES = ("Outlet", "Published", "URL", "Author")
CASE_VARIABLES = ("Entity kind", "Reliability")
ALIASES_LINE = "Also known as: "
# Roles of a claim's Links (claim Note → entity Case); "evidence" points at a selection and
# the link relations of claims (corroborates, contradicts, same-as) point at another claim.
ENTITY_ROLES = ("subject", "object", "place", "origin", "via")
# The lines of a claim Note's text after its statement, in order; the note text follows.
CLAIM_FIELDS = ("Kind", "Subject", "Object", "Value", "Event date", "Place", "Origin", "Via",
                "Stance", "Credibility", "Status")
NOTE_LINE = "Analyst's note: "


_CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def guid(id_: str) -> str:
    """REFI-QDA wants RFC 4122 GUIDs; ours are, else derive a stable one."""
    if _CANONICAL.match(id_):
        return id_.upper()
    try:
        return str(uuid.UUID(id_)).upper()
    except ValueError:
        return derived(id_)


def derived(*parts: str) -> str:
    """A stable GUID for something Casefile has no id of its own for (a coding, a link)."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(parts))).upper()


def same_id(value: str) -> str:
    """A GUID attribute as Casefile stores ids: braces dropped, lower case."""
    return value.strip().strip("{}").lower()


def xml_text(value: str) -> str:
    """``value`` with each character XML cannot hold replaced by a space (same length, so a
    quote still lines up with its text)."""
    return _NOT_XML.sub(" ", value)


def xsd_datetime(stamp: str | None) -> str | None:
    """A stored naive-UTC timestamp as xsd:dateTime (seconds, "Z")."""
    if not stamp:
        return None
    return stamp.split(".")[0].replace(" ", "T") + "Z"


def code_names(tags: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The name each tag gets in a codebook: its own, unless another tag anywhere in the tree
    has the same name (ignoring case). QualCoder keeps code names unique and merges a repeated
    name into the first code, losing the second one's codings; so each repeated tag is
    qualified by as many of its ancestors as it takes to tell them apart: "Death (Events)",
    then "Death (Syria/Events)"... A top-level tag keeps its bare name."""
    tags = list(tags)
    by_id = {t["id"]: t for t in tags}

    def ancestors(t: dict[str, Any]) -> list[str]:
        out: list[str] = []
        node = by_id.get(t["parent_id"]) if t["parent_id"] else None
        while node is not None and len(out) < 50:
            out.append(node["name"])
            node = by_id.get(node["parent_id"]) if node["parent_id"] else None
        return out

    names = {t["id"]: t["name"] for t in tags}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in tags:
        groups[t["name"].casefold()].append(t)
    for group in groups.values():
        if len(group) < 2:
            continue
        chains = {t["id"]: ancestors(t) for t in group}
        for depth in range(1, max(len(c) for c in chains.values()) + 1):
            for t in group:
                chain = chains[t["id"]][:depth]
                names[t["id"]] = qualified(t["name"], chain)
            if len({names[t["id"]].casefold() for t in group}) == len(group):
                break
    return names


def qualified(name: str, ancestors_nearest_first: list[str]) -> str:
    if not ancestors_nearest_first:
        return name
    return f"{name} ({'/'.join(reversed(ancestors_nearest_first))})"


def unqualified(name: str, ancestors_nearest_first: list[str]) -> str:
    """Undo ``qualified`` for a code whose parents are the given names (Casefile's own files)."""
    for depth in range(len(ancestors_nearest_first), 0, -1):
        suffix = f" ({'/'.join(reversed(ancestors_nearest_first[:depth]))})"
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def claim_name(statement: str, kind: str, stance: str) -> str:
    """A claim's Note name: its statement, led by its stance unless it asserts ("death
    (denied): …"), so that no tool lists a denial like the claim it denies."""
    return stated(statement, kind, stance)


def claim_statement(name: str, fields: dict[str, str]) -> str:
    """Undo ``claim_name`` with the Note's parsed fields."""
    stance = fields.get("Stance", "asserts")
    lead = stated("", fields.get("Kind", ""), stance)
    return name[len(lead):] if stance != "asserts" and name.startswith(lead) else name


def claim_text(statement: str, fields: dict[str, str], note: str) -> str:
    """A claim as the text of a REFI Note: readable in any tool, parsed back by ours."""
    lines = [statement.strip() or "(no statement)", ""]
    for key in CLAIM_FIELDS:
        value = " ".join((fields.get(key) or "").split())
        if value:
            lines.append(f"{key}: {value}")
    if note.strip():
        lines.append(NOTE_LINE + note)
    return "\n".join(lines)


def parse_claim_text(text: str) -> tuple[dict[str, str], str]:
    """The fields and the analyst's note of a text written by ``claim_text``."""
    fields: dict[str, str] = {}
    _statement, _, rest = text.partition("\n\n")
    lines = rest.split("\n")
    for n, line in enumerate(lines):
        if line.startswith(NOTE_LINE):
            return fields, "\n".join([line[len(NOTE_LINE):], *lines[n + 1:]])
        key, sep, value = line.partition(": ")
        if sep and key in CLAIM_FIELDS:
            fields[key] = value
    return fields, ""
