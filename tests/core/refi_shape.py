"""What REFI-QDA's Project.xsd and Codebook.xsd require of a file, checked without the schemas
(they are not ours to ship): element order, required attributes, value patterns, references."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

PROJECT = "urn:QDA-XML:project:1.0"
CODEBOOK = "urn:QDA-XML:codebook:1.0"
GUID = re.compile(r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                  r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                  r"[0-9a-fA-F]{12}\})$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")

# Child sequences (element name → the names it may hold, in this order).
SEQUENCES = {
    "Project": ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets",
                "Graphs", "Description", "NoteRef"],
    "Code": ["Description", "NoteRef", "Code"],
    "Case": ["Description", "CodeRef", "VariableValue", "SourceRef", "SelectionRef"],
    "Variable": ["Description"],
    "VariableValue": ["VariableRef", "TextValue"],
    "TextSource": ["Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef",
                   "VariableValue"],
    "PDFSource": ["Description", "PDFSelection", "Representation", "Coding", "NoteRef",
                  "VariableValue"],
    "PlainTextSelection": ["Description", "Coding", "NoteRef"],
    "Coding": ["CodeRef", "NoteRef"],
    "Link": ["NoteRef"],
}
SEQUENCES["Representation"] = SEQUENCES["Note"] = SEQUENCES["TextSource"]
REQUIRED = {
    "Project": ["name"], "User": ["guid"], "Code": ["guid", "name", "isCodable"],
    "Case": ["guid"], "Variable": ["guid", "name", "typeOfVariable"],
    "TextSource": ["guid"], "Representation": ["guid"], "Note": ["guid"], "PDFSource": ["guid"],
    "PlainTextSelection": ["guid", "startPosition", "endPosition"], "Coding": ["guid"],
    "CodeRef": ["targetGUID"], "NoteRef": ["targetGUID"], "SelectionRef": ["targetGUID"],
    "VariableRef": ["targetGUID"], "Link": ["guid"],
}
NON_EMPTY = ("Users", "Codes", "Cases", "Variables", "Notes", "Links", "Sources")


def _local(tag: str, ns: str) -> str:
    assert tag.startswith(f"{{{ns}}}"), f"{tag} is outside the {ns} namespace"
    return tag[len(ns) + 2:]


def check_project(xml: bytes) -> ET.Element:
    """Assert project.qde has the shape Project.xsd requires; return its root."""
    assert not xml.startswith(b"\xef\xbb\xbf"), "project.qde must not start with a BOM"
    root = ET.fromstring(xml)
    assert _local(root.tag, PROJECT) == "Project"
    guids: set[str] = set()
    refs: list[tuple[str, str]] = []
    for el in root.iter():
        name = _local(el.tag, PROJECT)
        _check_element(el, name, PROJECT)
        if "guid" in el.attrib:
            assert el.get("guid") not in guids, f"guid {el.get('guid')} used twice"
            guids.add(el.get("guid"))
        for attr in ("targetGUID", "originGUID"):
            if attr in el.attrib:
                refs.append((name, el.get(attr)))
        if name in ("TextSource", "Representation", "Note"):
            has_path = el.get("plainTextPath") is not None
            has_content = el.find(f"{{{PROJECT}}}PlainTextContent") is not None
            assert has_path != has_content, f"{name} needs plainTextPath or content, not both"
        if name == "PlainTextSelection":
            assert 0 <= int(el.get("startPosition")) < int(el.get("endPosition"))
        if name == "Variable":
            assert el.get("typeOfVariable") in ("Text", "Boolean", "Integer", "Float", "Date",
                                                "DateTime")
        if name == "Link" and el.get("direction") is not None:
            assert el.get("direction") in ("Associative", "OneWay", "Bidirectional")
    for name, target in refs:
        assert target in guids, f"{name} points at {target}, which the project does not hold"
    return root


def check_codebook(xml: bytes) -> ET.Element:
    root = ET.fromstring(xml)
    assert _local(root.tag, CODEBOOK) == "CodeBook"
    kids = [_local(c.tag, CODEBOOK) for c in root]
    assert kids[:1] == ["Codes"] and set(kids[1:]) <= {"Sets"}
    for el in root.iter():
        name = _local(el.tag, CODEBOOK)
        if name == "Code":
            _check_element(el, name, CODEBOOK, sequence=["Description", "Code"])
        elif name == "Codes":
            assert len(el) > 0, "Codes must hold at least one Code"
    return root


def _check_element(el: ET.Element, name: str, ns: str, sequence: list[str] | None = None
                   ) -> None:
    order = sequence or SEQUENCES.get(name)
    if order is not None:
        positions = [order.index(_local(c.tag, ns)) for c in el]
        assert positions == sorted(positions), f"{name} children out of order: " + \
            ", ".join(_local(c.tag, ns) for c in el)
    for attr in REQUIRED.get(name, ()):
        assert el.get(attr), f"{name} lacks its required {attr}"
    for attr, value in el.attrib.items():
        if attr in ("guid", "targetGUID", "originGUID", "creatingUser", "modifyingUser",
                    "creatingUserGUID", "modifyingUserGUID"):
            assert GUID.match(value), f"{name}@{attr}={value!r} is not a GUID"
        elif attr.endswith("DateTime"):
            assert DATETIME.match(value), f"{name}@{attr}={value!r} is not an xsd:dateTime"
        elif attr == "color":
            assert RGB.match(value), f"{name}@color={value!r} is not #RRGGBB"
        elif attr == "isCodable":
            assert value in ("true", "false", "1", "0")
    if name in NON_EMPTY:
        assert len(el) > 0, f"{name} must not be empty"
