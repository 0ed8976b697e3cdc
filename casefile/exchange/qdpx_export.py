"""REFI-QDA project export (.qdpx) for QualCoder, ATLAS.ti, MAXQDA and NVivo.

What goes where (REFI-QDA 1.0, Project.xsd): every document is a TextSource whose plain text is
``sources/<GUID>.txt`` (UTF-8, no BOM: positions count its code points); a PDF is a PDFSource
holding its original file with that TextSource as its Representation. Highlights are
PlainTextSelections with one Coding per tag and the highlight's note as Description; tags are
the CodeBook; document metadata are source variables. Entities are Cases (the standard's unit
of analysis: a person, an organisation), with their kind and reliability as case variables and
the passages of claims about them as SelectionRefs. Claims are Notes: the statement and its
fields as readable text, attached to their evidence passages by NoteRef (the memo other tools
show on a coded passage), with Links naming the claim's subject, object, place, origin and the
relations between claims. Sets or variables would not do: a Set cannot hold passages, and
variables take one value per case or source, while a claim is a statement about passages.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree as ET
from sqlalchemy import select

from casefile import __version__
from casefile.db.database import Database
from casefile.db.models import DocumentOriginal
from casefile.exchange import refi
from casefile.exchange.caseview import CaseView, load_view
from casefile.exchange.validate import check_exportable

Progress = Callable[[int, int, str], None]
CREDIBILITY_WORDS = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful",
                     5: "improbable", 6: "cannot be judged"}
ANALYST = "Analyst"


@dataclass(frozen=True)
class QdpxSummary:
    documents: int
    highlights: int
    tags: int
    entities: int
    claims: int
    bytes_written: int


def _q(name: str) -> str:
    return f"{{{refi.PROJECT_NS}}}{name}"


def _el(parent: ET.Element, name: str, attrs: dict[str, str | None] | None = None,
        text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, _q(name), {k: refi.xml_text(v) if k == "name" else v
                                          for k, v in (attrs or {}).items() if v is not None})
    if text is not None:
        el.text = refi.xml_text(text)
    return el


def add_codes(parent: ET.Element, tags: list[dict[str, Any]], qname: Callable[[str], str]
              ) -> None:
    """The tag tree as nested ``Code`` elements (names from ``refi.code_names``)."""
    names = refi.code_names(tags)
    ids = {t["id"] for t in tags}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for t in sorted(tags, key=lambda t: (names[t["id"]].casefold(), t["id"])):
        children[t["parent_id"] if t["parent_id"] in ids else None].append(t)

    def add(el: ET.Element, parent_id: str | None, depth: int) -> None:
        for t in children.get(parent_id, ()):
            attrs = {"guid": refi.guid(t["id"]), "name": names[t["id"]], "isCodable": "true"}
            if refi.COLOR.match(t["color"] or ""):
                attrs["color"] = t["color"]
            code = ET.SubElement(el, qname("Code"), {k: refi.xml_text(v) for k, v in attrs.items()})
            if t["description"]:
                ET.SubElement(code, qname("Description")).text = refi.xml_text(t["description"])
            add(code, t["id"], depth + 1)

    add(parent, None, 0)


class _Builder:
    """Builds project.qde for one case view."""

    def __init__(self, view: CaseView, pdfs: set[str]):
        self.view = view
        self.pdfs = pdfs
        self.user = refi.derived("user", view.case["id"])
        self.variables: dict[str, str] = {}
        self.claims_by_hl = view.claims_by_highlight

    def stamps(self, rec: dict[str, Any], created: str = "created_at",
               modified: str | None = "updated_at", *, coding: bool = False
               ) -> dict[str, str | None]:
        out = {"creatingUser": self.user, "creationDateTime": refi.xsd_datetime(rec[created])}
        if modified and not coding:
            out["modifyingUser"] = self.user
            out["modifiedDateTime"] = refi.xsd_datetime(rec[modified])
        return out

    def var_guid(self, name: str) -> str:
        return self.variables.setdefault(name, refi.derived("variable", name))

    def value(self, parent: ET.Element, name: str, value: str) -> None:
        if value:
            vv = _el(parent, "VariableValue")
            _el(vv, "VariableRef", {"targetGUID": self.var_guid(name)})
            _el(vv, "TextValue", text=value)

    def build(self) -> ET.Element:
        view, case = self.view, self.view.case
        root = ET.Element(_q("Project"), nsmap={None: refi.PROJECT_NS, "xsi": refi.XSI_NS},
                          attrib={
            "name": refi.xml_text(case["title"]), "origin": f"{refi.ORIGIN_PREFIX} {__version__}",
            "creatingUserGUID": self.user,
            "creationDateTime": refi.xsd_datetime(case["created_at"]) or "",
            "modifyingUserGUID": self.user,
            "modifiedDateTime": refi.xsd_datetime(case["updated_at"]) or "",
            f"{{{refi.XSI_NS}}}schemaLocation": f"{refi.PROJECT_NS} {refi.PROJECT_SCHEMA}"})
        users = _el(root, "Users")
        _el(users, "User", {"guid": self.user, "name": ANALYST})
        if view.tags:
            add_codes(_el(_el(root, "CodeBook"), "Codes"), list(view.tags.values()), _q)
        variables = _el(root, "Variables")  # filled (or removed) once values are known
        self.cases(root)
        self.sources(root)
        self.notes(root)
        self.links(root)
        if case["summary"]:
            _el(root, "Description", text=case["summary"])
        if self.variables:
            for name, g in self.variables.items():
                _el(variables, "Variable", {"guid": g, "name": name, "typeOfVariable": "Text"})
        else:
            root.remove(variables)
        return root

    def cases(self, root: ET.Element) -> None:
        view = self.view
        if not view.entities:
            return
        passages: dict[str, set[str]] = defaultdict(set)
        for c in view.claims.values():
            passages[c["subject_id"]].update(c["evidence"])
        cases = _el(root, "Cases")
        for e in sorted(view.entities.values(), key=lambda e: (e["name"].casefold(), e["id"])):
            case = _el(cases, "Case", {"guid": refi.guid(e["id"]), "name": e["name"]})
            aliases = [a["name"] for a in view.aliases.get(e["id"], ()) if a["name"] != e["name"]]
            description = e["description"]
            if aliases:
                description = (description + "\n\n" if description else "") + \
                    refi.ALIASES_LINE + "; ".join(dict.fromkeys(aliases))
            if description:
                _el(case, "Description", text=description)
            self.value(case, "Entity kind", e["kind"])
            self.value(case, "Reliability", e["reliability"])
            for hid in sorted(passages.get(e["id"], ())):
                _el(case, "SelectionRef", {"targetGUID": refi.guid(hid)})

    def sources(self, root: ET.Element) -> None:
        view = self.view
        if not view.documents:
            return
        by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for h in view.highlights.values():
            by_doc[h["document_id"]].append(h)
        sources = _el(root, "Sources")
        for d in sorted(view.documents.values(), key=lambda d: (d["title"].casefold(), d["id"])):
            g = refi.guid(d["id"])
            name = d["title"] or d["source_name"] or "Untitled document"
            stamps = self.stamps(d, "imported_at")
            text_attrs = {"guid": g, "name": name, "plainTextPath": f"internal://{g}.txt",
                          **stamps}
            if d["id"] in self.pdfs:
                el = _el(sources, "PDFSource", {"guid": g, "name": name,
                                                "path": f"internal://{g}.pdf", **stamps})
                text_attrs["guid"] = refi.derived("representation", d["id"])
                text = _el(el, "Representation", text_attrs)
            else:
                el = text = _el(sources, "TextSource", text_attrs)
            for h in sorted(by_doc.get(d["id"], ()), key=lambda h: (h["start"], h["end"],
                                                                     h["id"])):
                self.selection(text, h)
            outlet = view.name(d["outlet_id"])
            for var, value in zip(refi.SOURCE_VARIABLES,
                                  (outlet, d["published"], d["url"], d["author"]), strict=True):
                self.value(el, var, value)

    def selection(self, parent: ET.Element, h: dict[str, Any]) -> None:
        sel = _el(parent, "PlainTextSelection", {
            "guid": refi.guid(h["id"]), "name": h["quote"], "startPosition": str(h["start"]),
            "endPosition": str(h["end"]), **self.stamps(h)})
        if h["note"]:
            _el(sel, "Description", text=h["note"])
        for tid in h["tags"]:
            coding = _el(sel, "Coding", {"guid": refi.derived("coding", h["id"], tid),
                                         **self.stamps(h, coding=True)})
            _el(coding, "CodeRef", {"targetGUID": refi.guid(tid)})
        for c in self.claims_by_hl.get(h["id"], ()):
            _el(sel, "NoteRef", {"targetGUID": refi.guid(c["id"])})

    def notes(self, root: ET.Element) -> None:
        view = self.view
        if not view.claims:
            return
        notes = _el(root, "Notes")
        for c in sorted(view.claims.values(), key=lambda c: c["id"]):
            origin = view.entities.get(c["origin_id"] or "")
            grade = f" (reliability {origin['reliability']})" if origin and \
                origin["reliability"] else ""
            fields = {
                "Kind": c["kind"], "Subject": view.name(c["subject_id"]),
                "Object": view.name(c["object_id"]), "Value": c["value"],
                "Event date": c["date"], "Place": view.name(c["place_id"]),
                "Origin": (origin["name"] + grade) if origin else "",
                "Via": " → ".join(view.name(v) for v in c["via"]), "Stance": c["stance"],
                "Credibility": f"{c['credibility']} ({CREDIBILITY_WORDS[c['credibility']]})",
                "Status": c["status"]}
            name = refi.claim_name(c["statement"], c["kind"], c["stance"])
            note = _el(notes, "Note", {"guid": refi.guid(c["id"]), "name": name,
                                       **self.stamps(c)})
            _el(note, "PlainTextContent", text=refi.claim_text(name, fields, c["note"]))

    def links(self, root: ET.Element) -> None:
        view = self.view
        rows: list[tuple[str, str, str, str]] = []
        for c in sorted(view.claims.values(), key=lambda c: c["id"]):
            for role in refi.ENTITY_ROLES:
                targets = c["via"] if role == "via" else [c[f"{role}_id"]]
                rows += [(c["id"], role, t, f"{role}:{n}") for n, t in enumerate(targets) if t]
            rows += [(c["id"], "evidence", h, f"evidence:{n}")
                     for n, h in enumerate(c["evidence"])]
        for link in sorted(view.data["claim_links"], key=lambda x: x["id"]):
            rows.append((link["source_id"], link["relation"], link["target_id"], link["id"]))
        if not rows:
            return
        links = _el(root, "Links")
        for origin, name, target, key in rows:
            _el(links, "Link", {"guid": refi.derived("link", origin, key), "name": name,
                                "direction": "OneWay", "originGUID": refi.guid(origin),
                                "targetGUID": refi.guid(target)})


def project_xml(view: CaseView, *, pdfs: set[str] = frozenset()) -> bytes:
    """project.qde for a case view; ``pdfs`` are the documents exported as PDFSource."""
    return ET.tostring(_Builder(view, set(pdfs)).build(), encoding="utf-8",
                       xml_declaration=True, pretty_print=True)


def export_qdpx(db: Database, *, case_id: str, out: Path | str | IO[bytes],
                progress: Progress | None = None) -> QdpxSummary:
    """Write the case as a REFI-QDA project (.qdpx zip) to ``out`` (a path or binary file).

    Safe on a worker thread (short read sessions). Originals are read 50 at a time."""
    view = load_view(db, case_id=case_id)
    check_exportable(view.data, "REFI-QDA project")
    pdfs = {d["id"] for d in view.documents.values()
            if d["content_type"] == "application/pdf" and d["source"]}
    target = Path(out) if isinstance(out, str | Path) else None
    fh: IO[bytes] = target.open("wb") if target is not None else out  # type: ignore[assignment]
    docs = sorted(view.documents)
    try:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr("project.qde", project_xml(view, pdfs=pdfs))
            for n, doc_id in enumerate(docs, start=1):
                g = refi.guid(doc_id)
                zf.writestr(f"sources/{g}.txt", view.documents[doc_id]["text"].encode("utf-8"))
                if progress:
                    progress(n, len(docs), view.documents[doc_id]["title"])
            wanted = sorted(pdfs)
            for first in range(0, len(wanted), 50):
                with db.read() as s:
                    blobs = s.execute(select(DocumentOriginal.document_id, DocumentOriginal.data)
                                      .where(DocumentOriginal.document_id.in_(
                                          wanted[first:first + 50]))).all()
                for doc_id, data in blobs:
                    zf.writestr(f"sources/{refi.guid(doc_id)}.pdf", data,
                                compress_type=zipfile.ZIP_STORED)
        written = fh.tell() if fh.seekable() else 0
    finally:
        if target is not None:
            fh.close()
    return QdpxSummary(len(view.documents), len(view.highlights), len(view.tags),
                       len(view.entities), len(view.claims), written)
