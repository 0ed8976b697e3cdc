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


def test_no_qt_import_statements_in_core():
    offenders = []
    for path in (ROOT / "casefile").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6", "ui") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
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


def test_widgets_do_not_touch_the_database_directly():
    """ui/ talks to services only: no sessions, no SQL, no ORM models."""
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("db.read()", "db.write()", "from sqlalchemy", "import sqlalchemy",
                       "casefile.db.models", "sqlite3"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
