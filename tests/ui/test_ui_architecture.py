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
