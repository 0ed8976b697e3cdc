"""The window holds no SQL and no session: ui/ talks to services only."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def test_ui_never_imports_sqlalchemy_or_opens_sessions():
    offenders = []
    for path in UI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    a.name for a in node.names]
                if any(n.startswith("sqlalchemy") for n in names):
                    offenders.append(f"{path.name}: imports {names}")
                if any(n.startswith(("casefile.db.models", "sqlite3")) for n in names):
                    offenders.append(f"{path.name}: imports {names}")
            if isinstance(node, ast.Attribute) and node.attr in ("read", "write") and (
                    isinstance(node.value, ast.Attribute) and node.value.attr == "db"):
                offenders.append(f"{path.name}:{node.lineno} opens a session")
    assert offenders == []


def test_every_ui_module_has_a_docstring_and_stays_small():
    for path in UI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), path.name
        assert text.count("\n") < 520, f"{path.name} is getting too long"


ROOMS = ("workspace", "analysis", "exchange", "team")
# what the window calls each room's object (ui/shell/window.py); one room never reaches into
# another's through the window
ROOM_ATTRS = {"workspace": {"workspace", "room", "pages"}, "analysis": {"analysis"},
              "exchange": {"exchange"}, "team": {"team"}}


def _window_refs(tree: ast.AST):
    """(attribute, line) for each ``w.x``, ``self.w.x`` or ``window.x`` in a module."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        base = node.value
        if (isinstance(base, ast.Name) and base.id in ("w", "window")) or (
                isinstance(base, ast.Attribute) and base.attr in ("w", "window")
                and isinstance(base.value, ast.Name) and base.value.id == "self"):
            yield node.attr, node.lineno


def test_rooms_touch_no_private_name_of_the_window_nor_another_room():
    offenders = []
    for room in ROOMS:
        others = set().union(*(v for k, v in ROOM_ATTRS.items() if k != room))
        for path in (UI / room).rglob("*.py"):
            for attr, line in _window_refs(ast.parse(path.read_text(encoding="utf-8"))):
                if attr.startswith("_") and not attr.startswith("__"):
                    offenders.append(f"{room}/{path.name}:{line} window.{attr}")
                if attr in others:
                    offenders.append(f"{room}/{path.name}:{line} reaches the {attr} room")
    assert offenders == []


def test_rooms_set_no_attribute_on_the_window():
    offenders = []
    for room in ROOMS:
        for path in (UI / room).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                targets = node.targets if isinstance(node, ast.Assign) else []
                for t in targets:
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) \
                            and t.value.id in ("w", "window"):
                        offenders.append(f"{room}/{path.name}:{node.lineno} sets w.{t.attr}")
    assert offenders == []
