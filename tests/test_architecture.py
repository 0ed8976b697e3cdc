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


def test_no_qt_or_ui_import_statements_in_core():
    """No Qt and no import of the window's package anywhere in casefile/, not even inside a
    function: the PDF report (drawn by Qt) reaches the CLI as a registered writer
    (``casefile.exchange.export.plugin_writer``)."""
    offenders = []
    for path in (ROOT / "casefile").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, names in _imports(tree):
            roots = {n.split(".")[0] for n in names}
            if roots & {"PySide6", "shiboken6", "ui"}:
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


def _cycles(graph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.find_modules_directly_imported_by(w)
                                                & modules))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    group = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        group.append(w)
                        if w == v:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
    return out


def test_no_import_circles():
    """No module of casefile/ or ui/ reaches itself through its imports, lazy ones included
    (imports made only for type checking do not count)."""
    import grimp

    graph = grimp.build_graph("casefile", "ui", include_external_packages=False,
                              exclude_type_checking_imports=True)
    assert _cycles(graph, set(graph.modules)) == []
