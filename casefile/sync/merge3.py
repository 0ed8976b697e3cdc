"""Three-way merge of one record, field by field, against the copy both sides started from.

A field changed on one side takes that side's value; changed on both to different values it is
a conflict (the local value stays until the analyst decides). Link sets (a highlight's tags, a
claim's evidence) merge as sets: what either side added is kept, what either side removed goes.
A record deleted on one side and changed on the other is a conflict on ``DELETED``.
Timestamps decide nothing: ``updated_at`` becomes the later of the two, ``created_at`` the
server's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DELETED = "(deleted)"
SET_FIELDS = {"highlights": ("tags",), "claims": ("evidence",)}
_QUIET = ("id", "created_at", "updated_at")

Record = dict[str, Any]


@dataclass
class Merged:
    """The record to keep here (None: deleted) and the fields in conflict: {field: (mine,
    theirs)}."""

    record: Record | None
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def merge_record(kind: str, base: Record | None, mine: Record | None, theirs: Record | None,
                 *, open_fields: frozenset[str] = frozenset()) -> Merged:
    """Merge ``mine`` (this replica, changed since ``base``) with ``theirs`` (the server's).
    ``open_fields`` are fields already in conflict: they stay so while the sides differ."""
    if theirs is None:
        if mine is None or mine == base:
            return Merged(None)
        return Merged(mine, {DELETED: ("changed here", "deleted on the server")})
    if mine is None:
        if base is None:
            return Merged(theirs)
        if theirs == base:
            return Merged(None)
        return Merged(theirs, {DELETED: ("deleted here", "changed on the server")})
    base = base or {}
    out: Record = {}
    conflicts: dict[str, tuple[Any, Any]] = {}
    sets = SET_FIELDS.get(kind, ())
    for f in sorted(set(mine) | set(theirs)):
        b, m, t = base.get(f), mine.get(f, theirs.get(f)), theirs.get(f, mine.get(f))
        if f == "updated_at":
            out[f] = max(m, t) if m and t else (m or t)
        elif f in _QUIET:
            out[f] = t
        elif f in sets:
            out[f] = merge_set(b or [], m or [], t or [], ordered=f != "tags")
        elif f in open_fields and m != t:
            out[f] = m
            conflicts[f] = (m, t)
        elif m in (t, b):
            out[f] = t
        elif t == b:
            out[f] = m
        else:
            out[f] = m
            conflicts[f] = (m, t)
    return Merged(out, conflicts)


def merge_set(base: list[str], mine: list[str], theirs: list[str], *, ordered: bool
              ) -> list[str]:
    """Theirs, less what mine removed since the base, plus what mine added (in mine's order,
    after theirs); sorted unless ``ordered``."""
    removed = set(base) - set(mine)
    kept = [x for x in theirs if x not in removed]
    seen = set(kept)
    added = [x for x in mine if x not in seen and x not in base]
    out = kept + added
    return out if ordered else sorted(out)
