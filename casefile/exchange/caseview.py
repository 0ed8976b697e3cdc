"""A read-only, indexed view of one case for the exporters: names, citations, pages."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from casefile import dates
from casefile.db.database import Database
from casefile.db.models import DocumentLayout
from casefile.exchange.casedata import collect_case
from casefile.layout import PageLayout, Rect, text_key
from casefile.pages import is_paged


@dataclass(frozen=True)
class Citation:
    """Where a quoted passage comes from, as a reader needs it."""

    highlight_id: str
    document_id: str
    title: str
    outlet: str
    published: str
    url: str
    page: int | None
    quote: str
    guessed: tuple[str, ...] = ()  # fields the importer only guessed (a file's own date)

    def human(self, wrap: Callable[[str], str] = str) -> str:
        """"Outlet, 3 August 2020, “Title”, p. 2", each value the importer only guessed
        marked so; ``wrap`` is applied to outlet and title (the report isolates their
        direction)."""
        def read(field: str, text: str) -> str:
            return f"{text} (guess)" if field in self.guessed else text

        parts = [read("outlet", wrap(self.outlet)) if self.outlet else "unknown outlet"]
        if self.published:
            parts.append(read("published", human_date(self.published)))
        if self.title:
            parts.append(read("title", f"“{wrap(self.title)}”"))
        if self.page is not None:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)


def human_date(value: str) -> str:
    parsed = dates.parse_stored(value)
    return parsed.human() if parsed else value


@dataclass
class CaseView:
    """The case.json records of one case, indexed by id."""

    data: dict[str, Any]
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    highlights: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    aliases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    claims_by_highlight: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    layouts: dict[str, PageLayout] = field(default_factory=dict)  # word boxes of paged docs

    @property
    def case(self) -> dict[str, Any]:
        return self.data["case"]

    def name(self, entity_id: str | None) -> str:
        if not entity_id:
            return ""
        ent = self.entities.get(entity_id)
        return ent["name"] if ent else ""

    def tag_path(self, tag_id: str) -> str:
        parts: list[str] = []
        node = self.tags.get(tag_id)
        while node is not None and len(parts) < 50:
            parts.append(node["name"])
            node = self.tags.get(node["parent_id"]) if node["parent_id"] else None
        return "/".join(reversed(parts))

    def page_of(self, document_id: str, offset: int) -> int | None:
        """1-based page holding ``offset``, when the document has page starts (PDFs)."""
        starts = self.documents[document_id]["page_starts"]
        if len(starts) < 2:
            return None
        return bisect.bisect_right(starts, offset)

    def page_region(self, highlight_id: str) -> tuple[int, Rect] | None:
        """The 0-based page a highlight starts on in a PDF or image, and the rectangle (points
        from the page's top-left) covering it there; None without word boxes."""
        h = self.highlights[highlight_id]
        layout = self.layouts.get(h["document_id"])
        if layout is None or h["anchor"] == "orphan":
            return None
        rects = layout.rects(h["start"], h["end"], self.documents[h["document_id"]]["text"])
        if not rects:
            return None
        page = rects[0][0]
        on = [r for p, r in rects if p == page]
        return page, (min(r[0] for r in on), min(r[1] for r in on), max(r[2] for r in on),
                      max(r[3] for r in on))

    def citation(self, highlight_id: str) -> Citation:
        h = self.highlights[highlight_id]
        d = self.documents[h["document_id"]]
        return Citation(highlight_id, d["id"], d["title"], self.name(d["outlet_id"]),
                        d["published"], d["url"], self.page_of(d["id"], h["start"]), h["quote"],
                        tuple(d.get("guessed") or ()))


def load_view(db: Database, *, case_id: str) -> CaseView:
    """Read the whole case in one short session and index it."""
    with db.read() as s:
        data = collect_case(s, case_id)
        paged = [d["id"] for d in data["documents"] if is_paged(d["content_type"])]
        rows = s.execute(select(DocumentLayout.document_id, DocumentLayout.data)
                         .where(DocumentLayout.document_id.in_(paged))).all() if paged else []
    view = build_view(data)
    for doc_id, blob in rows:
        layout = PageLayout.decode(blob)
        if layout.text == text_key(view.documents[doc_id]["text"]):  # else stale: not used
            view.layouts[doc_id] = layout
    return view


def build_view(data: dict[str, Any]) -> CaseView:
    view = CaseView(data)
    view.entities = {e["id"]: e for e in data["entities"]}
    view.documents = {d["id"]: d for d in data["documents"]}
    view.highlights = {h["id"]: h for h in data["highlights"]}
    view.tags = {t["id"]: t for t in data["tags"]}
    view.claims = {c["id"]: c for c in data["claims"]}
    aliases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in sorted(data["aliases"], key=lambda a: a["created_at"]):
        aliases[a["entity_id"]].append(a)
    view.aliases = dict(aliases)
    by_hl: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in data["claims"]:
        for hid in c["evidence"]:
            by_hl[hid].append(c)
    view.claims_by_highlight = dict(by_hl)
    return view
