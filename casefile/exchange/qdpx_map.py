"""A REFI-QDA project read into a plan of Casefile records, and a list of what could not map.

Codes become tags; TextSources (and a PDF's text Representation) documents whose selections
become highlights with their codes, descriptions and attached notes; PDF and picture files with
no text go through Casefile's own importers; Cases become entities (and, outside Casefile's own
files, a "Cases" tag on the passages they hold); Notes nobody points at join the case summary.
Casefile's own exports are read back whole: claims from their Notes and Links, aliases, entity
kinds and grades. Everything else (areas on pages or pictures, audio, video, sets, graphs,
variables with no counterpart, references to files outside the archive) is listed by name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casefile import limits
from casefile.errors import CasefileError, stop_if_cancelled
from casefile.exchange import refi
from casefile.exchange.positions import Placer
from casefile.exchange.qdpx_read import Archive, QdpxError
from casefile.services.documents import NewDocument
from casefile.vocab import CLAIM_STATUSES, ENTITY_KINDS, LINK_RELATIONS, STANCES

Extract = Callable[[bytes, str], NewDocument]
Progress = Callable[[int, int, str], None]
_KIND = re.compile(r"^[\w\- ]{1,40}$")
CASES_TAG = "Cases"


@dataclass
class PTag:
    key: str
    parent: str | None
    name: str
    color: str = ""
    description: str = ""


@dataclass
class PHighlight:
    key: str
    start: int
    end: int
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class PDocument:
    key: str
    doc: NewDocument
    highlights: list[PHighlight] = field(default_factory=list)


@dataclass
class PEntity:
    key: str
    name: str
    kind: str = "other"
    description: str = ""
    reliability: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class PClaim:
    key: str
    statement: str
    fields: dict[str, str]
    note: str
    roles: dict[str, list[str]]
    evidence: list[str]


@dataclass
class Plan:
    """Everything to create, in dependency order, and what was left out (one line each)."""

    title: str
    origin: str
    summary: str = ""
    tags: list[PTag] = field(default_factory=list)
    entities: list[PEntity] = field(default_factory=list)
    documents: list[PDocument] = field(default_factory=list)
    claims: list[PClaim] = field(default_factory=list)
    claim_links: list[tuple[str, str, str]] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)

    @property
    def from_casefile(self) -> bool:
        return self.origin.startswith(refi.ORIGIN_PREFIX)


def _short(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


class _Mapper:
    def __init__(self, archive: Archive, extract: Extract, progress: Progress | None,
                 cancelled: Callable[[], bool] | None = None):
        self.a = archive
        self.extract = extract
        self.progress = progress
        self.cancelled = cancelled
        root = archive.root
        self.plan = Plan(title=(root.get("name") or "").strip() or archive.path.stem,
                         origin=(root.get("origin") or "").strip())
        self.variables: dict[str, str] = {}
        self.codes: set[str] = set()
        self.selections: dict[str, PHighlight] = {}
        self.notes: dict[str, tuple[str, str, Any]] = {}  # key → (name, text, element)
        self.used_notes: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (origin, name, target)
        self.entity_keys: set[str] = set()
        self.case_passages: dict[str, list[str]] = {}
        # (note, highlight or None, document or None): NoteRefs met while reading sources
        self.pending: list[tuple[str, PHighlight | None, PDocument | None]] = []
        self.memos: list[tuple[str, str]] = []  # descriptions of sources, for the summary
        self.keys: set[str] = set()
        self.tag_names: dict[str | None, set[str]] = {}  # names taken under each parent

    def key(self, el: Any) -> str:
        """The element's GUID as an id; a missing or repeated one gets a key of its own (the
        first holder of a GUID is the one references reach)."""
        key = refi.same_id(el.get("guid") or "")
        if not key or key in self.keys:
            key = f"unnamed:{len(self.keys)}"
        self.keys.add(key)
        return key

    def skip(self, line: str) -> None:
        self.plan.not_imported.append(line)

    def kids(self, el: Any, name: str) -> list[Any]:
        return [c for c in el if c.tag == self.a.q(name)]

    def child_text(self, el: Any, name: str) -> str:
        found = self.kids(el, name)
        return (found[0].text or "") if found else ""

    # --- top level ----------------------------------------------------------------------

    def run(self) -> Plan:
        root = self.a.root
        self.plan.summary = self.child_text(root, "Description")
        for users in self.kids(root, "Users"):
            n = len(self.kids(users, "User"))
            if n > 1:
                self.skip(f"{n} users (Casefile keeps no user accounts; their work is kept "
                          "without names)")
        for book in self.kids(root, "CodeBook"):
            for codes in self.kids(book, "Codes"):
                for code in self.kids(codes, "Code"):
                    self.code(code, None, [])
        for variables in self.kids(root, "Variables"):
            for v in self.kids(variables, "Variable"):
                self.variables[refi.same_id(v.get("guid") or "")] = (v.get("name") or "").strip()
        for links in self.kids(root, "Links"):
            for lk in self.kids(links, "Link"):
                self.links.append((refi.same_id(lk.get("originGUID") or ""),
                                   (lk.get("name") or "").strip(),
                                   refi.same_id(lk.get("targetGUID") or "")))
        for notes in self.kids(root, "Notes"):
            for note in self.kids(notes, "Note"):
                self.notes[self.key(note)] = (
                    (note.get("name") or "").strip(), self.note_text(note), note)
        for cases in self.kids(root, "Cases"):
            for case in self.kids(cases, "Case"):
                self.case(case)
        elements = [el for sources in self.kids(root, "Sources") for el in sources]
        self.check_sizes(elements)
        before = len(self.plan.not_imported)
        for n, el in enumerate(elements, start=1):
            stop_if_cancelled(self.cancelled)
            if self.progress:
                self.progress(n - 1, len(elements), el.get("name") or "")
            self.source(el)
        if elements and not self.plan.documents:
            why = self.plan.not_imported[before:before + 1] or ["no source holds text"]
            raise QdpxError(f"none of the project's {len(elements)} sources can be imported "
                            f"(the first: {why[0]}); nothing was imported")
        self.case_tags()
        self.claims()
        self.attach_notes()
        for name in ("Sets", "Graphs"):
            for el in self.kids(root, name):
                self.skip(f"{len(el)} {name.lower()} (Casefile has no {name.lower()[:-1]}s)")
        return self.plan

    def check_sizes(self, elements: list[Any]) -> None:
        """Refuse the project before reading any file when a source's file is larger than an
        article may be (as the zip declares it; reading checks it again)."""
        for el in elements:
            for node in (el, *self.kids(el, "Representation")):
                for attr, limit in (("plainTextPath", limits.MAX_TEXT_BYTES + 3),
                                    ("richTextPath", limits.MAX_FILE_BYTES),
                                    ("path", limits.MAX_FILE_BYTES)):
                    ref = node.get(attr) or ""
                    info = self.a.member(ref) if ref.startswith("internal://") else None
                    if info is not None and info.file_size > limit:
                        raise QdpxError(
                            f"source “{_short(el.get('name') or ref)}” has a file of "
                            f"{info.file_size / 1e6:,.0f} MB; Casefile imports articles of up "
                            f"to {limit / 1e6:,.0f} MB, so nothing of the project was imported")

    # --- codebook -----------------------------------------------------------------------

    def code(self, el: Any, parent: str | None, ancestors: list[str]) -> None:
        key = self.key(el)
        raw = (el.get("name") or "").strip()
        name = refi.unqualified(raw, ancestors) if self.plan.from_casefile else raw
        siblings = self.tag_names.setdefault(parent, set())
        clean = " ".join(name.replace("/", "∕").split())[:200] or "(unnamed code)"
        unique, n = clean, 2
        while unique in siblings:
            unique, n = f"{clean} ({n})", n + 1
        siblings.add(unique)
        color = (el.get("color") or "").strip()
        if re.fullmatch(r"#[0-9A-Fa-f]{3}", color):
            color = "#" + "".join(ch * 2 for ch in color[1:])
        self.plan.tags.append(PTag(key, parent, unique, color if refi.COLOR.match(color) else "",
                                   self.child_text(el, "Description")))
        self.codes.add(key)
        for child in self.kids(el, "Code"):
            self.code(child, key, [raw, *ancestors])

    # --- cases → entities ----------------------------------------------------------------

    def values(self, el: Any) -> list[tuple[str, str]]:
        out = []
        for vv in self.kids(el, "VariableValue"):
            ref = self.kids(vv, "VariableRef")
            name = self.variables.get(refi.same_id(ref[0].get("targetGUID") or "")) if ref \
                else None
            value = next(((c.text or "").strip() for c in vv if c.tag != self.a.q("VariableRef")),
                         "")
            if name and value:
                out.append((name, value))
        return out

    def case(self, el: Any) -> None:
        key = self.key(el)
        name = " ".join((el.get("name") or "").split())[:500]
        values = self.values(el)
        if not name:
            self.skip(f"a case without a name ({len(values)} variable values)")
            return
        ent = PEntity(key, name)
        extra = []
        for var, value in values:
            low = var.casefold()
            if low == "entity kind" and value in ENTITY_KINDS:
                ent.kind = value
            elif low == "reliability" and value.upper() in "ABCDEF" and len(value) == 1:
                ent.reliability = value.upper()
            else:
                extra.append(f"{var}: {value}")
        description = self.child_text(el, "Description")
        if self.plan.from_casefile and refi.ALIASES_LINE in description:
            description, _, line = description.rpartition(refi.ALIASES_LINE)
            ent.aliases = [a.strip() for a in line.split(";") if a.strip()]
            description = description.rstrip()
        ent.description = "\n".join(x for x in (description, *extra) if x)
        self.plan.entities.append(ent)
        self.entity_keys.add(key)
        if not self.plan.from_casefile:
            refs = [refi.same_id(r.get("targetGUID") or "") for r in
                    self.kids(el, "SelectionRef")]
            if refs:
                self.case_passages[key] = refs
        for what, noun in (("SourceRef", "document"), ("CodeRef", "code")):
            n = len(self.kids(el, what))
            if n:
                self.skip(f"case “{_short(name)}”: {n} whole-{noun} links (Casefile links "
                          "cases to passages only)")

    def case_tags(self) -> None:
        """Outside Casefile's files, a case's passages get a tag "Cases/<name>"."""
        if not self.case_passages:
            return
        top = "case-tag:"
        self.plan.tags.append(PTag(top, None, CASES_TAG, "", "Cases of the imported project"))
        names = {e.key: e.name for e in self.plan.entities}
        for key, refs in self.case_passages.items():
            tag_key = f"case-tag:{key}"
            self.plan.tags.append(PTag(tag_key, top, names[key].replace("/", "∕")[:200]))
            missing = 0
            for ref in refs:
                if ref in self.selections:
                    self.selections[ref].tags.append(tag_key)
                else:
                    missing += 1
            if missing:
                self.skip(f"case “{_short(names[key])}”: {missing} passages it names are not "
                          "in the project")

    # --- sources ------------------------------------------------------------------------

    def read_member(self, path: str | None, what: str) -> bytes | None:
        if not path:
            return None
        if not path.startswith("internal://"):
            self.skip(f"{what}: its file is outside the project ({_short(path, 80)}); "
                      "Casefile reads only files inside the .qdpx")
            return None
        info = self.a.member(path)
        if info is None:
            self.skip(f"{what}: the project lacks its file {path}")
            return None
        return self.a.read(info)

    def decode(self, data: bytes, what: str) -> str:
        codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            self.skip(f"{what}: its text is not valid {codec.upper()}; the bad bytes became “�”")
            return data.decode(codec, errors="replace")

    def note_text(self, el: Any) -> str:
        content = self.kids(el, "PlainTextContent")
        if content:
            return content[0].text or ""
        data = self.read_member(el.get("plainTextPath"), f"note “{_short(el.get('name'))}”")
        return self.decode(data, "a note").lstrip("\ufeff") if data else ""

    def source(self, el: Any) -> None:
        kind = el.tag.rsplit("}", 1)[-1]
        name = (el.get("name") or "").strip() or kind
        what = f"source “{_short(name)}”"
        memo = self.child_text(el, "Description").strip()
        if memo:
            self.memos.append((f"Memo on “{name}”", memo))
        if kind == "TextSource":
            self.text_source(el, el, name, what, None)
        elif kind == "PDFSource":
            self.pdf_source(el, name, what)
        elif kind == "PictureSource":
            n = len(self.kids(el, "PictureSelection"))
            data = self.read_member(el.get("path"), what)
            if data is not None and self.from_importer(el, data, name, what) and n:
                self.skip(f"{what}: {n} areas marked on the picture (Casefile marks text)")
        else:
            self.skip(f"{what}: {kind.removesuffix('Source').lower()} sources are not "
                      "supported")

    def pdf_source(self, el: Any, name: str, what: str) -> None:
        data = self.read_member(el.get("path"), what)
        areas = len(self.kids(el, "PDFSelection"))
        if areas:
            self.skip(f"{what}: {areas} areas marked on PDF pages (Casefile marks text)")
        reps = self.kids(el, "Representation")
        if reps:
            pages: tuple[int, ...] = ()
            extractor = ("", "")
            if data is not None:
                try:
                    ours = self.extract(data, name if name.lower().endswith(".pdf")
                                        else name + ".pdf")
                    text_probe = self.representation_text(reps[0])
                    if text_probe is not None and ours.text == text_probe:
                        pages, extractor = ours.page_starts, (ours.extractor,
                                                              ours.extractor_version)
                except CasefileError:
                    pass
            self.text_source(reps[0], el, name, what,
                             (data, "application/pdf", pages, extractor) if data else None)
        elif data is not None:
            self.from_importer(el, data, name, what)

    def representation_text(self, el: Any) -> str | None:
        content = self.kids(el, "PlainTextContent")
        if content:
            raw = content[0].text or ""
        else:
            info = self.a.member(el.get("plainTextPath") or "")
            if info is None:
                return None
            raw = self.decode(self.a.read(info), "representation")
        from casefile.exchange.positions import clean_text

        return clean_text(raw)[0]

    def from_importer(self, el: Any, data: bytes, name: str, what: str) -> bool:
        """A file with no text of its own in the project, read by Casefile's importers."""
        try:
            doc = self.extract(data, name)
        except CasefileError as exc:
            self.skip(f"{what}: {exc}")
            return False
        meta = self.metadata(el)
        self.plan.documents.append(PDocument(self.key(el), NewDocument(
            **{**doc.__dict__, "title": name, **meta})))
        self.codings_on_source(el, what)
        return True

    def metadata(self, el: Any) -> dict[str, str]:
        meta: dict[str, str] = {}
        known = {v.casefold(): v.lower() for v in refi.SOURCE_VARIABLES}
        for var, value in self.values(el):
            field_ = known.get(var.casefold())
            if field_ == "published":
                from casefile import dates

                try:
                    meta["published"] = dates.normalize(value)
                except CasefileError:
                    self.skip(f"source variable {var}: “{_short(value)}” is not a date")
            elif field_:
                meta[field_] = value
            else:
                self.skip(f"source “{_short(el.get('name'))}”: variable {var} = "
                          f"“{_short(value)}” (Casefile documents have no such field)")
        return meta

    def codings_on_source(self, el: Any, what: str) -> None:
        n = len(self.kids(el, "Coding"))
        if n:
            self.skip(f"{what}: {n} codes applied to the whole source (Casefile codes "
                      "passages)")

    def text_source(self, el: Any, outer: Any, name: str, what: str,
                    pdf: tuple[bytes, str, tuple[int, ...], tuple[str, str]] | None) -> None:
        content = self.kids(el, "PlainTextContent")
        if content:
            data = (content[0].text or "").encode("utf-8")
        else:
            data = self.read_member(el.get("plainTextPath"), what)
            if data is None:
                rich = self.read_member(el.get("richTextPath"), what)
                if rich is not None and self.from_importer(outer, rich, name, what):
                    n = len(self.kids(el, "PlainTextSelection"))
                    if n:
                        self.skip(f"{what}: {n} passages not imported (their positions count a "
                                  "plain text the project does not hold)")
                return
        raw = self.decode(data, what)
        placer = Placer(raw)
        if not placer.text.strip():
            self.skip(f"{what}: it holds no text")
            return
        sels = self.kids(el, "PlainTextSelection")
        spans: list[tuple[int | None, int | None, str | None]] = []
        for sel in sels:
            try:
                spans.append((int(sel.get("startPosition")), int(sel.get("endPosition")),
                              sel.get("name")))
            except (TypeError, ValueError):
                spans.append((None, None, sel.get("name")))
        _reading, reading = placer.choose([sp for sp in spans if sp[0] is not None])
        meta = self.metadata(outer)
        if pdf is not None:
            original, ctype, pages, (extractor, version) = pdf
        else:
            original, ctype, pages, extractor, version = data, "text/plain", (), "", ""
        doc = PDocument(self.key(outer), NewDocument(
            text=placer.text, original=original, content_type=ctype, title=name[:1000],
            source_name=name[:500], page_starts=pages, extractor=extractor or "refi-qda",
            extractor_version=version or self.plan.origin[:100], **meta))
        by_span: dict[tuple[int, int], PHighlight] = {}
        for sel, (s, e, qname) in zip(sels, spans, strict=True):
            key = self.key(sel)
            label = f"{what}: passage “{_short(qname or '')}”"
            if s is None or e is None:
                a, b = (_short(sel.get(k) or "", 20) for k in ("startPosition", "endPosition"))
                placed = placer.place_by_quote(qname, f"its position “{a}”–“{b}” is not a "
                                                      "number")
            else:
                placed = placer.place(s, e, qname, reading)
            if placed.start is None or placed.end is None:
                self.skip(f"{label} not imported: {placed.note}")
                continue
            if placed.note:
                self.skip(f"{label}: {placed.note}")
            h = by_span.get((placed.start, placed.end))
            if h is None:
                h = by_span[(placed.start, placed.end)] = PHighlight(key, placed.start,
                                                                     placed.end)
                doc.highlights.append(h)
            self.selections[key] = h
            description = self.child_text(sel, "Description").strip()
            if description and description not in h.notes:
                h.notes.append(description)
            for coding in self.kids(sel, "Coding"):
                refs = self.kids(coding, "CodeRef")
                target = refi.same_id(refs[0].get("targetGUID") or "") if refs else ""
                if target in self.codes:
                    if target not in h.tags:
                        h.tags.append(target)
                else:
                    self.skip(f"{label}: a coding with an unknown code {target or '(none)'}")
            self.attach_note_refs(self.kids(sel, "NoteRef"), h)
        self.codings_on_source(el, what)
        self.attach_note_refs(self.kids(el, "NoteRef"), None, doc)
        self.plan.documents.append(doc)

    # --- notes and claims ---------------------------------------------------------------

    def attach_note_refs(self, refs: list[Any], h: PHighlight | None,
                         doc: PDocument | None = None) -> None:
        for ref in refs:
            key = refi.same_id(ref.get("targetGUID") or "")
            if key in self.notes:
                self.pending.append((key, h, doc))

    def claim_keys(self) -> set[str]:
        if not self.plan.from_casefile:
            return set()
        roles = {*refi.ENTITY_ROLES, "evidence"}
        return {o for o, name, _t in self.links if name in roles and o in self.notes}

    def claims(self) -> None:
        keys = self.claim_keys()
        by_origin: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for origin, name, target in self.links:
            by_origin[origin].append((name, target))
        for key in (k for k in self.notes if k in keys):  # in the project's order
            name, text, _el = self.notes[key]
            fields, note = refi.parse_claim_text(text)
            name = refi.claim_statement(name, fields)
            roles: dict[str, list[str]] = defaultdict(list)
            evidence = []
            for role, target in by_origin[key]:
                if role == "evidence":
                    if target in self.selections and self.selections[target].key not in evidence:
                        evidence.append(self.selections[target].key)
                elif role in refi.ENTITY_ROLES and target in self.entity_keys:
                    roles[role].append(target)
            self.plan.claims.append(PClaim(key, name, self.claim_fields(fields, name), note,
                                           dict(roles), evidence))
            self.used_notes.add(key)
        for origin, relation, target in self.links:
            if origin in keys and target in keys and relation in LINK_RELATIONS:
                self.plan.claim_links.append((origin, target, relation))
        used = {(o, t) for o, _r, t in self.links if o in keys}
        rest = [lk for lk in self.links if (lk[0], lk[2]) not in used]
        for origin, name, target in rest:
            if origin in self.notes and target in self.selections:
                self.pending.append((origin, self.selections[target], None))
            else:
                self.skip(f"a link “{_short(name) or 'unnamed'}” between two objects "
                          "(Casefile links claims only)")

    def claim_fields(self, fields: dict[str, str], statement: str) -> dict[str, str]:
        """The claim's fields, each checked; a bad one is dropped and reported."""
        out = dict(fields)
        checks = {"Kind": lambda v: bool(_KIND.match(v)), "Stance": lambda v: v in STANCES,
                  "Status": lambda v: v in CLAIM_STATUSES,
                  "Credibility": lambda v: v[:1] in "123456" and v[:1] != ""}
        for key, ok in checks.items():
            if key in out and not ok(out[key]):
                self.skip(f"claim “{_short(statement)}”: {key.lower()} “{_short(out[key])}” "
                          "is not one Casefile knows")
                del out[key]
        if "Event date" in out:
            from casefile import dates

            try:
                out["Event date"] = dates.normalize(out["Event date"])
            except CasefileError:
                self.skip(f"claim “{_short(statement)}”: date “{_short(out['Event date'])}” "
                          "is not a date")
                del out["Event date"]
        return out

    def attach_notes(self) -> None:
        """Notes on passages join the highlight's note; QualCoder's annotation notes (a note
        holding its own selection, referenced from the source) become highlights; the rest
        join the case summary."""
        claims = {c.key for c in self.plan.claims}
        for key, h, doc in self.pending:
            name, text, el = self.notes[key]
            body = text.strip() or name
            if h is not None:
                if key not in claims and body and body not in h.notes:
                    h.notes.append(body)
                self.used_notes.add(key)
                continue
            inner = self.kids(el, "PlainTextSelection")
            if doc is not None and inner:
                self.used_notes.add(key)
                for sel in inner:
                    try:
                        s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
                    except (TypeError, ValueError):
                        self.skip(f"note “{_short(name or body)}”: its passage position "
                                  f"“{_short(sel.get('startPosition') or '', 20)}”–"
                                  f"“{_short(sel.get('endPosition') or '', 20)}” is not a "
                                  "number")
                        continue
                    if 0 <= s < e <= len(doc.doc.text) and doc.doc.text[s:e].strip():
                        h = next((x for x in doc.highlights if (x.start, x.end) == (s, e)), None)
                        if h is None:
                            h = PHighlight(self.key(sel), s, e)
                            doc.highlights.append(h)
                        if body not in h.notes:
                            h.notes.append(body)
                    else:
                        self.skip(f"note “{_short(name or body)}”: its passage {s}–{e} is "
                                  "outside its source")
        journal = list(self.memos)
        for key, (name, text, el) in self.notes.items():
            if key in self.used_notes or not (text.strip() or name):
                continue
            journal.append((name, text))
            if self.kids(el, "PlainTextSelection"):
                self.skip(f"note “{_short(name or text)}” marks a passage of a source that does "
                          "not point at it; its text joined the case summary")
        if journal:
            parts = [self.plan.summary.strip()] if self.plan.summary.strip() else []
            parts += [f"{name}\n{text.strip()}" if name and text.strip() else (text or name)
                      for name, text in journal]
            self.plan.summary = "\n\n".join(parts)


def plan_project(archive: Archive, *, extract: Extract, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Plan:
    """Read a checked archive into a ``Plan``; content it cannot map is listed, not raised,
    but a project none of whose sources can be read, or one with a source too large to
    import, is refused (``QdpxError``); ``ImportCancelled`` once ``cancelled()``."""
    return _Mapper(archive, extract, progress, cancelled).run()
