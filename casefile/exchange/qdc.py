"""REFI-QDA codebook (.qdc): the case's tag tree for other qualitative-analysis tools."""

from __future__ import annotations

import re
import uuid
from typing import IO, Any
from xml.etree import ElementTree as ET

from casefile import __version__
from casefile.db.database import Database
from casefile.exchange.caseview import load_view

NAMESPACE = "urn:QDA-XML:codebook:1.0"
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_GUID_NS = uuid.UUID("a3e1f7f0-52c5-4d8e-8f0b-6c1d2a9e4b37")


def _guid(tag_id: str) -> str:
    """REFI-QDA wants RFC 4122 GUIDs; ours are, else derive a stable one."""
    try:
        return str(uuid.UUID(tag_id)).upper()
    except ValueError:
        return str(uuid.uuid5(_GUID_NS, tag_id)).upper()


def codebook(tags: list[dict[str, Any]]) -> ET.Element:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", {"origin": f"Casefile {__version__}"})
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    children: dict[str | None, list[dict[str, Any]]] = {}
    ids = {t["id"] for t in tags}
    for t in sorted(tags, key=lambda t: t["name"].casefold()):
        parent = t["parent_id"] if t["parent_id"] in ids else None
        children.setdefault(parent, []).append(t)

    def add(parent_el: ET.Element, parent_id: str | None, depth: int) -> None:
        for t in children.get(parent_id, ()):
            attrs = {"guid": _guid(t["id"]), "name": t["name"], "isCodable": "true"}
            if _COLOR.match(t["color"] or ""):
                attrs["color"] = t["color"].upper()
            el = ET.SubElement(parent_el, f"{{{NAMESPACE}}}Code", attrs)
            if t["description"]:
                ET.SubElement(el, f"{{{NAMESPACE}}}Description").text = t["description"]
            if depth < 100:
                add(el, t["id"], depth + 1)

    add(codes, None, 0)
    return root


def write_codebook(db: Database, *, case_id: str, out: IO[bytes]) -> None:
    """Write the tag tree as a REFI-QDA codebook (UTF-8 XML) to a binary file."""
    view = load_view(db, case_id=case_id)
    tree = ET.ElementTree(codebook(list(view.tags.values())))
    ET.indent(tree)
    tree.write(out, encoding="utf-8", xml_declaration=True)
