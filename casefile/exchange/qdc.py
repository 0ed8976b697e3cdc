"""REFI-QDA codebook (.qdc): the case's tag tree for other qualitative-analysis tools."""

from __future__ import annotations

from typing import IO

from lxml import etree as ET

from casefile import __version__
from casefile.db.database import Database
from casefile.exchange import refi
from casefile.exchange.caseview import load_view
from casefile.exchange.qdpx_export import add_codes
from casefile.exchange.validate import check_exportable

NAMESPACE = refi.CODEBOOK_NS
EMPTY_NOTE = "No tags yet: this codebook was exported from a case without tags."


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def codebook(tags: list[dict], *, title: str = "") -> ET.Element:
    """The CodeBook element. Codebook.xsd wants at least one Code, so an empty tag tree is
    written as one non-codable code named after the case (a category in QualCoder)."""
    root = ET.Element(_q("CodeBook"), {"origin": f"{refi.ORIGIN_PREFIX} {__version__}"},
                      nsmap={None: NAMESPACE})
    codes = ET.SubElement(root, _q("Codes"))
    if tags:
        add_codes(codes, tags, _q)
    else:
        empty = ET.SubElement(codes, _q("Code"), {
            "guid": refi.derived("empty codebook", title),
            "name": refi.xml_text(title) or "Casefile", "isCodable": "false"})
        ET.SubElement(empty, _q("Description")).text = EMPTY_NOTE
    return root


def write_codebook(db: Database, *, case_id: str, out: IO[bytes]) -> None:
    """Write the tag tree as a REFI-QDA codebook (UTF-8 XML) to a binary file."""
    view = load_view(db, case_id=case_id)
    check_exportable({"tags": list(view.tags.values()), "documents": []}, "REFI-QDA codebook")
    out.write(ET.tostring(codebook(list(view.tags.values()), title=view.case["title"]),
                          encoding="utf-8", xml_declaration=True, pretty_print=True))
