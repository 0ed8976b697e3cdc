"""The suite writes nothing outside its sandbox, whatever CASEFILE_* or XDG paths the shell sets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SANDBOX
from tests.helpers import run_cli


def _inside(path: Path | str) -> bool:
    return Path(path).resolve().is_relative_to(SANDBOX.resolve())


def test_every_path_casefile_writes_points_into_the_sandbox(cli_env):
    from PySide6.QtCore import QSettings

    from casefile import failures, paths

    assert _inside(paths.default_db_path())
    assert _inside(failures.log_file())
    assert _inside(failures.log_unexpected(RuntimeError("a test failure"), where="a test"))
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Casefile",
                         "Casefile")  # what the window uses (ui.shell.window.default_settings)
    assert _inside(settings.fileName())
    assert not [n for n in os.environ if n.startswith("CASEFILE_")
                and n not in ("CASEFILE_DB", "CASEFILE_LOG") and not n.startswith("CASEFILE_FUZZ")]
    # a subprocess (the CLI) inherits the sandbox: its database (in the user data folder when
    # CASEFILE_DB is unset) and its log
    env = {k: v for k, v in cli_env.items() if k != "CASEFILE_DB"}
    run_cli("case", "new", "Sandboxed", env=env)
    assert list((SANDBOX / "data").rglob("*.sqlite"))
    out = subprocess.run([sys.executable, "-c", "from casefile import failures; print("
                          "failures.log_unexpected(RuntimeError('x'), where='a subprocess'))"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert _inside(out)


def test_a_shell_with_casefile_paths_set_keeps_its_files_untouched(tmp_path: Path):
    """Run the test above in a fresh pytest whose caller points every variable at real files."""
    outside = tmp_path / "user"
    (outside / "logs").mkdir(parents=True)
    log = outside / "logs" / "casefile.log"
    log.write_text("the analyst's own log\n")
    env = dict(os.environ)
    env.update({
        "CASEFILE_LOG": str(log), "CASEFILE_DB": str(outside / "real.sqlite"),
        "CASEFILE_TESSDATA": str(outside / "tessdata"), "CASEFILE_OCR_LANGS": "deu",
        "HOME": str(outside / "home"), "XDG_DATA_HOME": str(outside / "data"),
        "XDG_CONFIG_HOME": str(outside / "config"), "XDG_CACHE_HOME": str(outside / "cache"),
        "XDG_STATE_HOME": str(outside / "state"),
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")})
    before = {p: p.stat().st_mtime_ns for p in outside.rglob("*")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{Path(__file__)}::test_every_path_casefile_writes_points_into_the_sandbox"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    after = {p: p.stat().st_mtime_ns for p in outside.rglob("*")}
    assert after == before
    assert log.read_text() == "the analyst's own log\n"
