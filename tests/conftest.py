"""Test set-up: offscreen Qt, a private data folder, and database fixtures."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Before anything imports Qt or platformdirs: no display, and never the user's real data, log,
# settings or OCR set-up. Every CASEFILE_* variable of the calling shell is dropped (the test
# knobs CASEFILE_FUZZ_* excepted) and every path Casefile or Qt writes to points into SANDBOX;
# subprocesses (the CLI) inherit this environment. tests/core/test_env_isolation.py checks it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
SANDBOX = Path(tempfile.mkdtemp(prefix="casefile-tests-"))
for _name in [n for n in os.environ if n.startswith("CASEFILE_")
              and not n.startswith("CASEFILE_FUZZ_")]:
    del os.environ[_name]
os.environ["HOME"] = str(SANDBOX / "home")
os.environ["XDG_DATA_HOME"] = str(SANDBOX / "data")
os.environ["XDG_CONFIG_HOME"] = str(SANDBOX / "config")
os.environ["XDG_CACHE_HOME"] = str(SANDBOX / "cache")
os.environ["XDG_STATE_HOME"] = str(SANDBOX / "state")
os.environ["CASEFILE_DB"] = str(SANDBOX / "default.sqlite")
os.environ["CASEFILE_LOG"] = str(SANDBOX / "log" / "casefile.log")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from casefile.db.database import Database, open_database  # noqa: E402
from casefile.services import cases  # noqa: E402

# Tests that start other processes (the command line, a killed writer, a wheel build, OCR) or
# grind through large inputs: `pytest -m "not slow"` leaves them out for the edit–test loop;
# `make test` runs everything.
SLOW_FIXTURES = {"cli_env"}
SLOW_FILES = {"test_crash_safety.py", "test_packaging.py", "test_bundle_fuzz.py",
              "test_import_ocr.py", "test_concurrency.py", "test_bad_paths.py",
              "test_tag_cycles.py", "test_cli_start.py", "test_import_pool.py",
              "test_lost_locks.py", "test_report_pdf.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or \
                Path(str(item.fspath)).name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "case.sqlite"


@pytest.fixture
def db(db_path: Path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def case_id(db: Database) -> str:
    return cases.create_case(db, title="The Halimov file").id


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the CLI in a subprocess against a private database."""
    env = dict(os.environ)
    env["CASEFILE_DB"] = str(tmp_path / "cli.sqlite")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
