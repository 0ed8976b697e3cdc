"""Architecture rules: the core never imports Qt; every module has a docstring."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_qt():
    code = (
        "import importlib, pkgutil, sys, casefile\n"
        "for m in pkgutil.walk_packages(casefile.__path__, 'casefile.'):\n"
        "    if m.name.endswith('__main__'): continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"casefile imported Qt: {out.stdout}"


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node, [node.module]


def test_no_qt_import_statements_in_core():
    """No Qt anywhere in casefile/; the GUI package only lazily, inside a function (the CLI's
    PDF report is drawn by Qt and loaded only when a PDF is asked for)."""
    offenders = []
    for path in (ROOT / "casefile").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(n) for n in tree.body}
        for node, names in _imports(tree):
            roots = {n.split(".")[0] for n in names}
            if roots & {"PySide6", "shiboken6"} or ("ui" in roots and id(node) in top_level):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if "import_module(\"ui" in path.read_text(encoding="utf-8"):
            offenders.append(f"{path.relative_to(ROOT)}: hides a ui import in a string")
    assert offenders == []


def test_every_module_has_a_docstring():
    missing = []
    for folder in ("casefile", "ui", "migrations"):
        for path in (ROOT / folder).rglob("*.py"):
            if "versions" in path.parts and path.name.startswith("__"):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if not ast.get_docstring(tree):
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []
