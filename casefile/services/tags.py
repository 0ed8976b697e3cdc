"""The case's hierarchical codebook of tags."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import Case, Tag
from casefile.errors import ValidationError
from casefile.services.common import get_or_raise, require_text
from casefile.services.records import TagRecord

SEP = "/"
# Light backgrounds that keep text readable, distinct from the reader's plain-highlight yellow
# and claim blue. A new top-level tag takes the next one; a sub-tag takes its parent's.
PALETTE = ("#ffcc80", "#a5d6a7", "#ce93d8", "#80deea", "#f48fb1", "#bcaaa4", "#c5e1a5",
           "#ffab91", "#b39ddb", "#e6ee9c")


def _paths(tags: list[Tag]) -> dict[str, str]:
    by_id = {t.id: t for t in tags}
    out: dict[str, str] = {}

    def path(t: Tag, depth: int = 0) -> str:
        if t.id in out:
            return out[t.id]
        parent = by_id.get(t.parent_id) if t.parent_id else None
        p = t.name if parent is None or depth > 50 else path(parent, depth + 1) + SEP + t.name
        out[t.id] = p
        return p

    for t in tags:
        path(t)
    return out


def _record(t: Tag, path: str = "") -> TagRecord:
    return TagRecord(t.id, t.case_id, t.parent_id, t.name, t.color, t.description, path or t.name)


def list_tags(db: Database, *, case_id: str) -> list[TagRecord]:
    """Tags of the case ordered by their full path ("Events/Death")."""
    with db.read() as s:
        tags = list(s.scalars(select(Tag).where(Tag.case_id == case_id)).all())
        paths = _paths(tags)
        return sorted((_record(t, paths[t.id]) for t in tags), key=lambda r: r.path.casefold())


def create_tag(db: Database, *, case_id: str, name: str, parent_id: str | None = None,
               color: str = "", description: str = "", id: str | None = None) -> TagRecord:
    with db.write() as s:
        t = _create(s, case_id, name, parent_id, color, description, id)
        return _record(t, _paths(list(s.scalars(select(Tag).where(Tag.case_id == case_id))))[t.id])


def _create(s: Session, case_id: str, name: str, parent_id: str | None, color: str,
            description: str, id: str | None) -> Tag:
    get_or_raise(s, Case, case_id, "case")
    name = require_text(name, "a tag name", limit=200)
    if SEP in name:
        raise ValidationError(f"a tag name cannot contain {SEP!r}; it separates levels")
    if parent_id:
        parent = get_or_raise(s, Tag, parent_id, "tag")
        if parent.case_id != case_id:
            raise ValidationError("the parent tag belongs to another case")
    clash = s.scalar(select(Tag).where(Tag.case_id == case_id, Tag.parent_id.is_(parent_id)
                                       if parent_id is None else Tag.parent_id == parent_id,
                                       Tag.name == name))
    if clash is not None:
        raise ValidationError(f"there is already a tag {name!r} here")
    if not color:
        color = _auto_color(s, case_id, parent_id)
    t = Tag(case_id=case_id, name=name, parent_id=parent_id, color=color,
            description=description or "")
    if id:
        t.id = id
    s.add(t)
    s.flush()
    return t


def _auto_color(s: Session, case_id: str, parent_id: str | None) -> str:
    if parent_id:
        parent = s.get(Tag, parent_id)
        if parent is not None and parent.color:
            return parent.color
    tops = s.scalar(select(func.count()).select_from(Tag)
                    .where(Tag.case_id == case_id, Tag.parent_id.is_(None))) or 0
    return PALETTE[tops % len(PALETTE)]


def ensure_tag_path(s: Session, *, case_id: str, path: str) -> Tag:
    """The tag at ``path`` ("Events/Death"), creating missing levels."""
    parent: Tag | None = None
    for part in [p.strip() for p in path.split(SEP) if p.strip()]:
        q = select(Tag).where(Tag.case_id == case_id, Tag.name == part)
        q = q.where(Tag.parent_id.is_(None) if parent is None else Tag.parent_id == parent.id)
        t = s.scalar(q)
        if t is None:
            t = _create(s, case_id, part, parent.id if parent else None, "", "", None)
        parent = t
    if parent is None:
        raise ValidationError("a tag name cannot be empty")
    return parent


def update_tag(db: Database, *, tag_id: str, name: str | None = None, color: str | None = None,
               description: str | None = None, parent_id: str | bool | None = False
               ) -> TagRecord:
    """Rename, recolour, describe or move a tag (``parent_id=None`` moves it to the top)."""
    with db.write() as s:
        t = get_or_raise(s, Tag, tag_id, "tag")
        if name is not None:
            name = require_text(name, "a tag name", limit=200)
            if SEP in name:
                raise ValidationError(f"a tag name cannot contain {SEP!r}")
            t.name = name
        if color is not None:
            t.color = color
        if description is not None:
            t.description = description
        if parent_id is not False:
            _check_move(s, t, parent_id or None)
            t.parent_id = parent_id or None
        s.flush()
        tags = list(s.scalars(select(Tag).where(Tag.case_id == t.case_id)))
        return _record(t, _paths(tags)[t.id])


def _check_move(s: Session, tag: Tag, parent_id: str | None) -> None:
    """Refuse a move that would make a tag its own ancestor, or put it under another case's tag.
    The walk up from the new parent stops at a tag seen before, so existing damage (a cycle
    left by an old merge) cannot make it spin."""
    seen: set[str] = set()
    p = parent_id
    while p and p not in seen:
        if p == tag.id:
            raise ValidationError("a tag cannot be moved under itself or one of its sub-tags")
        seen.add(p)
        parent = get_or_raise(s, Tag, p, "tag")
        if parent.case_id != tag.case_id:
            raise ValidationError("the new parent tag belongs to another case")
        p = parent.parent_id


def delete_tag(db: Database, *, tag_id: str) -> None:
    """Delete a tag, its sub-tags, and its use on highlights."""
    with db.write() as s:
        s.delete(get_or_raise(s, Tag, tag_id, "tag"))


def tag_cycles(parent: dict[str, str | None]) -> list[list[str]]:
    """Each cycle in a parent map, as its tag ids: linear in the number of tags, whatever the
    depth (a chain of 40,000 is walked once)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycles.append(path[path.index(node):])
        for n in path:
            state[n] = 2
    return cycles
