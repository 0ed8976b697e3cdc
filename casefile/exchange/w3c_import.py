"""W3C Web Annotations onto the documents of a case: ours, Hypothesis's, any JSON-LD.

Accepted shapes: an AnnotationCollection (with embedded pages), an AnnotationPage, one
Annotation or a list of them, Hypothesis's export (``{"annotations": [...]}``) and API search
results (``{"rows": [...]}``). An annotation's target is matched to a document of the case by
id (``urn:uuid:``), URL (scheme, ``www.``, fragment and trailing slash ignored) or title; it is
then placed as the reimport path places highlights: at its TextPositionSelector when the text
there is its quote, else by its TextQuoteSelector and context, else by a close match; what
cannot be placed is an orphan, listed with the reason. Tagging bodies become tags, other textual
bodies the highlight's note; a passage already highlighted gains the tags and note instead of a
second highlight. Everything is written in one transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casefile.anchoring import Anchorer
from casefile.db.database import Database
from casefile.db.files import check_input_file
from casefile.db.models import Case, Document, Highlight, HighlightTag, utcnow
from casefile.errors import ImportFailed, ValidationError, stop_if_cancelled
from casefile.exchange import validate
from casefile.services.common import get_or_raise
from casefile.services.highlights import highlight_row
from casefile.services.tags import TagPaths

MAX_BYTES = 64 * 1024**2
Progress = Callable[[int, int, str], None]
NARROWED = (" (close matches were sought near its position only: so many quotes of this "
            "file are missing that searching the whole text for each would take minutes)")
_UUID = re.compile(r"^urn:uuid:([0-9a-fA-F-]{36})$")


@dataclass
class Incoming:
    """One annotation as read: where it points, what it quotes, what it says."""

    id: str
    sources: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    claims: int = 0
    other_bodies: int = 0


@dataclass(frozen=True)
class AnnotationImport:
    """Highlight ids created (``placed``, ``fuzzy``: check these), existing highlights that
    gained tags or notes (``merged``), ``unchanged`` (already there as they are), and
    ``orphans``: annotations not placed, with why."""

    case_id: str
    placed: tuple[str, ...]
    fuzzy: tuple[str, ...]
    merged: tuple[str, ...]
    unchanged: tuple[str, ...]
    orphans: tuple[dict[str, str], ...]
    not_imported: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case_id, "placed": list(self.placed), "fuzzy": list(self.fuzzy),
                "merged": list(self.merged), "unchanged": list(self.unchanged),
                "orphans": list(self.orphans),
                "not_imported": list(self.not_imported)}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(obj: dict[str, Any]) -> set[str]:
    return {t for t in _list(obj.get("type") or obj.get("@type")) if isinstance(t, str)}


def annotations_in(data: Any) -> list[dict[str, Any]]:
    """The annotation objects in any of the accepted shapes (pages followed when embedded)."""
    if isinstance(data, list):
        return [a for item in data for a in annotations_in(item)]
    if not isinstance(data, dict):
        return []
    for key in ("annotations", "rows"):  # Hypothesis export / API search results
        if isinstance(data.get(key), list):
            return [a for a in data[key] if isinstance(a, dict)]
    types = _types(data)
    if "AnnotationCollection" in types:
        out, page, seen = [], data.get("first"), 0
        while isinstance(page, dict) and seen < 10_000:
            out += annotations_in(page)
            page, seen = page.get("next"), seen + 1
        return out
    if "AnnotationPage" in types:
        return [a for a in _list(data.get("items")) if isinstance(a, dict)]
    if "Annotation" in types or "target" in data:
        return [data]
    return []


def _selectors(target: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for sel in _list(target.get("selector")):
        while isinstance(sel, dict):
            out.append(sel)
            sel = sel.get("refinedBy")
    return out


def read_annotation(obj: dict[str, Any], n: int) -> Incoming:
    """One annotation (W3C or Hypothesis API shape) as an ``Incoming``."""
    inc = Incoming(str(obj.get("id") or obj.get("@id") or f"annotation {n + 1}"))
    if isinstance(obj.get("uri"), str):
        inc.sources.append(obj["uri"])
    doc = obj.get("document")
    if isinstance(doc, dict):
        inc.titles += [t for t in _list(doc.get("title")) if isinstance(t, str)]
    for target in _list(obj.get("target")):
        if isinstance(target, str):
            inc.sources.append(target)
            continue
        if not isinstance(target, dict):
            continue
        source = target.get("source")
        for s in _list(source):
            if isinstance(s, str):
                inc.sources.append(s)
            elif isinstance(s, dict):
                inc.sources += [v for v in (s.get("id"), s.get("canonical")) if isinstance(v, str)]
                inc.titles += [t for t in _list(s.get("title")) if isinstance(t, str)]
        for sel in _selectors(target):
            kind = sel.get("type")
            if kind == "TextQuoteSelector" and isinstance(sel.get("exact"), str):
                inc.exact = sel["exact"]
                inc.prefix = sel.get("prefix") if isinstance(sel.get("prefix"), str) else ""
                inc.suffix = sel.get("suffix") if isinstance(sel.get("suffix"), str) else ""
            elif kind == "TextPositionSelector":
                s, e = sel.get("start"), sel.get("end")
                if isinstance(s, int) and isinstance(e, int):
                    inc.start, inc.end = s, e
    if isinstance(obj.get("text"), str) and obj["text"].strip():  # Hypothesis
        inc.notes.append(obj["text"].strip())
    inc.tags += [t for t in _list(obj.get("tags")) if isinstance(t, str) and t.strip()]
    if isinstance(obj.get("bodyValue"), str) and obj["bodyValue"].strip():
        inc.notes.append(obj["bodyValue"].strip())
    for body in _list(obj.get("body")):
        if not isinstance(body, dict):
            inc.other_bodies += 1
            continue
        purpose = set(_list(body.get("purpose")))
        value = body.get("value")
        if purpose & {"describing", "assessing"} and ("source" in body or
                                                      "describing" not in purpose):
            inc.claims += "describing" in purpose
        elif isinstance(value, str) and value.strip():
            (inc.tags if "tagging" in purpose else inc.notes).append(value.strip())
        else:
            inc.other_bodies += 1
    return inc


def _url_key(value: str) -> str:
    parts = urlsplit(value.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


class _Documents:
    """The case's documents, findable by id, URL and title."""

    def __init__(self, rows: list[Document]):
        self.by_id = {d.id: d for d in rows}
        self.by_url: dict[str, Document] = {}
        self.by_title: dict[str, Document] = {}
        for d in rows:
            if d.url:
                self.by_url.setdefault(_url_key(d.url), d)
            if d.title:
                self.by_title.setdefault(d.title.casefold().strip(), d)

    def find(self, inc: Incoming) -> Document | None:
        for s in inc.sources:
            m = _UUID.match(s)
            if m and m.group(1).lower() in self.by_id:
                return self.by_id[m.group(1).lower()]
        for s in inc.sources:
            if "://" in s and _url_key(s) in self.by_url:
                return self.by_url[_url_key(s)]
        for t in inc.titles:
            if t.casefold().strip() in self.by_title:
                return self.by_title[t.casefold().strip()]
        return None


def _place(text: str, anchorer: Callable[[], Anchorer], inc: Incoming
           ) -> tuple[int, int, str] | str:
    """(start, end, how) or the reason the annotation cannot be placed."""
    s, e = inc.start, inc.end
    at_position = s is not None and e is not None and 0 <= s < e <= len(text)
    if at_position and (inc.exact is None or text[s:e] == inc.exact):
        return (s, e, "exact") if text[s:e].strip() else "its position covers only white space"
    if not inc.exact or not inc.exact.strip():
        return "it has no quote, and its position is outside the text" if s is not None \
            else "it has neither a quote nor a position"
    a = anchorer()
    narrowed = a.narrowed
    p = a.place(quote=inc.exact, prefix=inc.prefix, suffix=inc.suffix,
                old_start=s if s is not None else 0)
    if p.start is None or p.end is None:
        return "its quote is not in the document" + (NARROWED if a.narrowed > narrowed else "")
    return p.start, p.end, p.how


def load(path: Path | str) -> Any:
    path = check_input_file(path, what="annotation file", max_bytes=MAX_BYTES)
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImportFailed(f"{path.name} is not JSON: {exc}") from exc


def import_annotations(db: Database, *, case_id: str, path: Path | str | None = None,
                       data: Any = None, progress: Progress | None = None,
                       cancelled: Callable[[], bool] | None = None) -> AnnotationImport:
    """Place the annotations in the file at ``path`` (or the parsed ``data``) on the case's
    documents. Raises ``ImportFailed`` when the file holds no annotations at all, and
    ``ImportCancelled`` once ``cancelled()`` (nothing is written then). Linear in the number of
    annotations: tags are resolved in memory and rows inserted together."""
    value = load(path) if path is not None else data
    validate.check_plain_json(value, Path(path).name if path is not None else "the annotations")
    raw = annotations_in(value)
    if not raw:
        raise ImportFailed("the file holds no Web Annotations (expected an "
                           "AnnotationCollection, an AnnotationPage, annotations, or a "
                           "Hypothesis export)")
    incoming = [read_annotation(a, n) for n, a in enumerate(raw)]
    with db.write() as s:
        w = _Writer(s, case_id)
        for n, inc in enumerate(incoming):
            if n % 500 == 0:
                stop_if_cancelled(cancelled)
                if progress is not None:
                    progress(n, len(incoming), "annotations")
            w.add(inc)
        w.finish()
        stop_if_cancelled(cancelled)  # rolls everything back
    skipped = list(dict.fromkeys(w.bad_tags))
    claims = sum(i.claims for i in incoming)
    if claims:
        skipped.append(f"{claims} claim statements were not made into claims (claims travel "
                       "in bundles and REFI-QDA projects)")
    others = sum(i.other_bodies for i in incoming)
    if others:
        skipped.append(f"{others} bodies that are not text (links, images, choices)")
    merged = tuple(dict.fromkeys(w.merged))
    return AnnotationImport(case_id, tuple(w.placed), tuple(w.fuzzy), merged,
                            tuple(dict.fromkeys(u for u in w.unchanged if u not in merged)),
                            tuple(w.orphans), tuple(skipped))


class _Writer:
    """The annotations of one import placed on the case's documents within one session: new
    highlights and their tags are collected as rows and inserted together by ``finish``."""

    def __init__(self, s: Session, case_id: str):
        self.s = s
        get_or_raise(s, Case, case_id, "case")
        self.docs = _Documents(list(s.scalars(select(Document)
                                              .where(Document.case_id == case_id))))
        self.tags = TagPaths(s, case_id)
        self.tag_ids: dict[str, str | None] = {}  # path → id, None when refused
        self.bad_tags: list[str] = []
        self.anchorers: dict[str, Anchorer] = {}  # built on a document's first quote search
        self.loaded: set[str] = set()
        self.existing: dict[tuple[str, int, int], Highlight | str] = {}  # new ones by id
        self.tags_of: dict[str, set[str]] = {}  # highlight id → its tag ids
        self.rows: list[dict[str, Any]] = []
        self._row_of: dict[str, int] = {}  # new highlight id → its row
        self.links: list[dict[str, str]] = []
        self.placed: list[str] = []
        self.fuzzy: list[str] = []
        self.merged: list[str] = []
        self.unchanged: list[str] = []
        self.orphans: list[dict[str, str]] = []

    def _load(self, doc: Document) -> None:
        if doc.id in self.loaded:
            return
        self.loaded.add(doc.id)
        for h in self.s.scalars(select(Highlight).where(Highlight.document_id == doc.id)):
            self.existing.setdefault((doc.id, h.start, h.end), h)
            self.tags_of[h.id] = set()
        for hid, tid in self.s.execute(
                select(HighlightTag.highlight_id, HighlightTag.tag_id)
                .join(Highlight, Highlight.id == HighlightTag.highlight_id)
                .where(Highlight.document_id == doc.id)):
            self.tags_of[hid].add(tid)

    def _tag(self, path: str) -> str | None:
        if path not in self.tag_ids:
            try:
                self.tag_ids[path] = self.tags.ensure(path)
            except ValidationError as exc:
                self.tag_ids[path] = None
                self.bad_tags.append(f"tag “{_short(path)}” not imported: {exc}")
        return self.tag_ids[path]

    def add(self, inc: Incoming) -> None:
        doc = self.docs.find(inc)
        if doc is None:
            where = (inc.sources or inc.titles or ["no target"])[0]
            self.orphans.append({"id": inc.id, "quote": inc.exact or "",
                                 "reason": f"no document of this case is {where[:200]}"})
            return
        self._load(doc)
        spot = _place(doc.text, lambda d=doc: self.anchorers.get(d.id) or
                      self.anchorers.setdefault(d.id, Anchorer(d.text)), inc)
        if isinstance(spot, str):
            self.orphans.append({"id": inc.id, "quote": inc.exact or "", "document": doc.id,
                                 "reason": spot})
            return
        start, end, how = spot
        tag_ids = tuple(dict.fromkeys(t for t in map(self._tag, inc.tags) if t is not None))
        note = "\n\n".join(dict.fromkeys(inc.notes))
        old = self.existing.get((doc.id, start, end))
        if isinstance(old, Highlight):
            changed = self._merge(old, tag_ids, note)
            (self.merged if changed else self.unchanged).append(old.id)
            return
        if isinstance(old, str):  # placed earlier in this file
            row = self.rows[self._row_of[old]]
            changed = self._add_tags(old, tag_ids)
            if note and note not in row["note"]:
                row["note"] = f"{row['note']}\n\n{note}" if row["note"] else note
                changed = True
            (self.merged if changed else self.unchanged).append(old)
            return
        row = highlight_row(doc.text, document_id=doc.id, start=start, end=end, note=note)
        self._row_of[row["id"]] = len(self.rows)
        self.rows.append(row)
        self.existing[(doc.id, start, end)] = row["id"]
        self.tags_of[row["id"]] = set()
        self._add_tags(row["id"], tag_ids)
        (self.fuzzy if how == "fuzzy" else self.placed).append(row["id"])

    def _add_tags(self, hid: str, tag_ids: tuple[str, ...]) -> bool:
        have = self.tags_of[hid]
        new = [t for t in tag_ids if t not in have]
        for tid in new:
            have.add(tid)
            self.links.append({"highlight_id": hid, "tag_id": tid})
        return bool(new)

    def _merge(self, h: Highlight, tag_ids: tuple[str, ...], note: str) -> bool:
        """Add the tags and note ``h`` lacks; whether anything changed."""
        new_tags = self._add_tags(h.id, tag_ids)
        new_note = bool(note) and note not in (h.note or "")
        if new_note:
            h.note = f"{h.note}\n\n{note}" if h.note else note
        if new_tags or new_note:
            h.updated_at = utcnow()
        return new_tags or new_note

    def finish(self) -> None:
        """Insert the new tags, highlights and their taggings (in that order)."""
        self.tags.flush()
        if self.rows:
            self.s.execute(insert(Highlight), self.rows)
        if self.links:
            self.s.execute(insert(HighlightTag), self.links)


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"
