"""The tools (screenshots) call the window's controller by names it still has."""

from __future__ import annotations

import ast
from pathlib import Path

from ui.base.controller import Controller

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def test_tools_use_only_controller_methods_that_exist():
    missing = []
    for path in sorted(TOOLS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "controller"
                    and not hasattr(Controller, node.attr)
                    and node.attr not in ("case_id", "db", "undo_stack", "notifier", "watch")):
                missing.append(f"{path.name}:{node.lineno} controller.{node.attr}")
    assert not missing, missing
