"""The case's hierarchical codebook of tags."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from casefile.db.database import Database
from casefile.db.models import Case, Tag, new_id, utcnow
from casefile.errors import ValidationError
from casefile.services.common import get_or_raise, require_text
from casefile.services.records import TagRecord

SEP = "/"
# Light backgrounds that keep text readable, distinct from the reader's plain-highlight yellow
# and claim blue. A new top-level tag takes the next one; a sub-tag takes its parent's.
PALETTE = ("#ffcc80", "#a5d6a7", "#ce93d8", "#80deea", "#f48fb1", "#bcaaa4", "#c5e1a5",
           "#ffab91", "#b39ddb", "#e6ee9c")
# Levels a tag path may have. Codebooks are a few levels deep; REFI-QDA tools and XML parsers
# (libxml2 stops at 256 nested elements) would not take thousands, and a path's text grows with
# its depth, so a chain of 20,000 made listing the tags take gigabytes.
MAX_DEPTH = 50


def depth_error(depth: int, name: str = "") -> ValidationError:
    what = f"the tag “{name[:80]}”" if name else "a tag"
    return ValidationError(f"{what} would be {depth:,} levels deep; Casefile keeps tags up to "
                           f"{MAX_DEPTH} levels")


def _paths(tags: list[Tag]) -> dict[str, str]:
    """Each tag's full path. Linear in the number of tags: a path names at most ``MAX_DEPTH``
    levels (a deeper one, left by an older version, starts with "…"), and a cycle left by
    damage ends the walk."""
    by_id = {t.id: t for t in tags}
    out: dict[str, str] = {}
    for t in tags:
        names = [t.name]
        seen = {t.id}
        node = by_id.get(t.parent_id) if t.parent_id else None
        while node is not None and node.id not in seen and len(names) <= MAX_DEPTH:
            names.append(node.name)
            seen.add(node.id)
            node = by_id.get(node.parent_id) if node.parent_id else None
        if len(names) > MAX_DEPTH:
            names[MAX_DEPTH:] = ["…"]
        out[t.id] = SEP.join(reversed(names))
    return out


def tag_depths(parents: dict[str, str | None]) -> dict[str, int]:
    """The level of each tag (1 at the top), in one pass whatever the depth; tags in a cycle
    count as deeper than ``MAX_DEPTH``."""
    depth: dict[str, int] = {}
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in parents and node not in depth:
            if node in on_path:  # a cycle: everything on it is unreachable from the top
                for n in path:
                    depth[n] = MAX_DEPTH + len(path)
                path = []
                break
            on_path.add(node)
            path.append(node)
            node = parents[node]
        base = depth.get(node, 0) if node is not None else 0
        for n in reversed(path):
            base += 1
            depth[n] = base
    return depth


class TagPaths:
    """Finds and creates tag paths of one case within a session, reading the case's tags once:
    a new level costs one row (inserted together by ``flush``), never a query over all tags.
    For imports that bring thousands of tags."""

    def __init__(self, s: Session, case_id: str):
        self.s = s
        self.case_id = case_id
        self.ids: dict[tuple[str | None, str], str] = {}
        self.colors: dict[str, str] = {}
        self.tops = 0
        for tid, parent, name, color in s.execute(
                select(Tag.id, Tag.parent_id, Tag.name, Tag.color)
                .where(Tag.case_id == case_id)):
            self.ids.setdefault((parent, name), tid)
            self.colors[tid] = color
            self.tops += parent is None
        self._new: list[dict] = []

    def ensure(self, path: str) -> str:
        """The id of the tag at ``path`` ("Events/Death"), creating missing levels; a
        ``ValidationError`` for a path with no name, a level over 200 characters or more than
        ``MAX_DEPTH`` levels (nothing is created for it)."""
        parts = [p.strip() for p in path.split(SEP) if p.strip()]
        if not parts:
            raise ValidationError("a tag name cannot be empty")
        if len(parts) > MAX_DEPTH:
            raise depth_error(len(parts), parts[-1])
        for part in parts:
            require_text(part, "a tag name", limit=200)
        parent: str | None = None
        for part in parts:
            tid = self.ids.get((parent, part))
            if tid is None:
                tid = new_id()
                if parent is None:
                    color, self.tops = PALETTE[self.tops % len(PALETTE)], self.tops + 1
                else:
                    color = self.colors.get(parent, "")
                stamp = utcnow()
                self._new.append({"id": tid, "case_id": self.case_id, "parent_id": parent,
                                  "name": part, "color": color, "description": "",
                                  "created_at": stamp, "updated_at": stamp})
                self.ids[(parent, part)] = tid
                self.colors[tid] = color
            parent = tid
        assert parent is not None
        return parent

    def flush(self) -> None:
        """Insert the tags created so far (before rows that refer to them)."""
        if self._new:
            self.s.execute(insert(Tag), self._new)
            self._new = []


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
        if (depth := _depth(s, parent) + 1) > MAX_DEPTH:
            raise depth_error(depth, name)
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


def _depth(s: Session, tag: Tag) -> int:
    """The level of ``tag`` (1 at the top); the walk up stops past ``MAX_DEPTH`` or a cycle."""
    depth, seen, node = 1, {tag.id}, tag
    while node.parent_id and node.parent_id not in seen and depth <= MAX_DEPTH:
        node = s.get(Tag, node.parent_id)
        if node is None:
            break
        seen.add(node.id)
        depth += 1
    return depth


def ensure_tag_path(s: Session, *, case_id: str, path: str) -> Tag:
    """The tag at ``path`` ("Events/Death"), creating missing levels (at most ``MAX_DEPTH``)."""
    parts = [p.strip() for p in path.split(SEP) if p.strip()]
    if len(parts) > MAX_DEPTH:
        raise depth_error(len(parts), parts[-1])
    parent: Tag | None = None
    for part in parts:
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
        tags = list(s.scalars(select(Tag).where(Tag.case_id == t.case_id)))
        if parent_id is not False:
            _check_move(s, t, parent_id or None)
            _check_moved_depth(tags, t, parent_id or None)
            t.parent_id = parent_id or None
        s.flush()
        return _record(t, _paths(tags)[t.id])


def _check_moved_depth(tags: list[Tag], tag: Tag, parent_id: str | None) -> None:
    """Refuse a move that would put the tag's deepest sub-tag past ``MAX_DEPTH``."""
    parents = {t.id: t.parent_id for t in tags}
    parents[tag.id] = parent_id
    depths = tag_depths(parents)
    below = {tag.id}
    children: dict[str | None, list[str]] = {}
    for tid, p in parents.items():
        children.setdefault(p, []).append(tid)
    todo = [tag.id]
    while todo:
        for c in children.get(todo.pop(), ()):
            if c not in below:
                below.add(c)
                todo.append(c)
    deepest = max(depths.get(t, 0) for t in below)
    if deepest > MAX_DEPTH:
        raise depth_error(deepest, tag.name)


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
