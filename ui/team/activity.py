"""The case's activity as the server's audit log tells it: who changed what, when (owners)."""

from __future__ import annotations

from typing import Any

from ui.base import plain
from ui.base.tables import RowsTable
from ui.team.conflicts import KIND_NAMES, shown

_OPS = {"create": "added", "update": "changed", "delete": "deleted", "share": "shared the case",
        "member": "changed members"}


class ActivityModel(RowsTable):
    """Rows of audit entries (``casefile log --json`` form), newest first."""

    headers = ("When (UTC)", "Who", "What", "Record", "Fields")

    def cell(self, e: dict[str, Any], column: int) -> Any:
        record = e.get("record") or {}
        changes = e.get("changes") or {}
        return (e.get("at", "").replace("T", " "), e.get("user") or "(removed user)",
                _OPS.get(e.get("op", ""), e.get("op", "")),
                f"{KIND_NAMES.get(record.get('type'), record.get('type', ''))} "
                f"{record.get('id', '')[:8]}",
                ", ".join(k for k in changes if k not in ("updated_at", "created_at")))[column]

    def tooltip(self, e: dict[str, Any], column: int) -> str | None:
        if column != 4:
            return None
        lines = [f"{k}: {shown(v[0])} → {shown(v[1])}" for k, v in (e.get("changes") or {}).items()
                 if isinstance(v, list) and len(v) == 2]
        return plain.tooltip("\n".join(lines[:20]))
