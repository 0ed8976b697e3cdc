"""A non-editable install carries its migrations and resources and works from anywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# what a build never needs, and must not find and package
_LEFT_OUT = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                   ".pytest_cache", ".ruff_cache", ".hypothesis", "out")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the source tree: building writes ``build/`` and
    ``*.egg-info`` next to the sources, which must not happen in the checkout."""
    src = tmp_path_factory.mktemp("src") / "casefile"
    shutil.copytree(ROOT, src, ignore=_LEFT_OUT)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(src)], check=True, capture_output=True,
                   timeout=300)
    return next(out.glob("casefile-*.whl"))


def test_wheel_contains_migrations_resources_and_ui(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "casefile/migrations/env.py" in names
    assert any(n.startswith("casefile/migrations/versions/0001") for n in names)
    assert "casefile/migrations/script.py.mako" in names
    assert any(n.startswith("casefile/resources/sample/") for n in names)  # the sample case
    assert "casefile/resources/style.qss" in names
    assert "casefile/exchange/schema/bundle.schema.json" in names  # bundles are validated
    assert "ui/app.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "casefile = casefile.cli:main" in text and "casefile-gui = ui.app:main" in text
    assert "casefile-server = casefile.server.cli:main" in text
    assert "casefile/server/app.py" in names and "casefile/sync/engine.py" in names
    for n in names:
        assert not n.startswith(("tests/", "bench/")), n


def test_installed_cli_works_outside_the_source_tree(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    env = dict(os.environ, PYTHONPATH=str(site))
    env.pop("CASEFILE_DB", None)
    db = tmp_path / "x.sqlite"
    code = ("import sys, casefile, casefile.paths as p;"
            "assert casefile.__file__.startswith(sys.argv[1]), casefile.__file__;"
            "assert str(p.migrations_dir()).startswith(sys.argv[1]);"
            "from casefile.cli import main; sys.exit(main(sys.argv[2:]))")
    run = [sys.executable, "-c", code, str(site)]
    made = subprocess.run([*run, "--db", str(db), "case", "new", "T", "--json"], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    listed = subprocess.run([*run, "--db", str(db), "case", "list", "--json"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert [c["title"] for c in json.loads(listed.stdout)] == ["T"]
