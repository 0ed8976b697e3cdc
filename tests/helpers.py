"""Small helpers shared by tests: run the CLI in a subprocess, write sample articles."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def run_cli(*args: str, env: dict[str, str], check: bool = True, input: str | None = None
            ) -> subprocess.CompletedProcess:
    """Run ``python -m casefile.cli ARGS`` and return the completed process."""
    proc = subprocess.run([sys.executable, "-m", "casefile.cli", *args], env=env,
                          capture_output=True, text=True, input=input, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"casefile {' '.join(args)} exited {proc.returncode}:\n"
                             f"{proc.stderr}")
    return proc


def cli_json(*args: str, env: dict[str, str]) -> Any:
    return json.loads(run_cli(*args, "--json", env=env).stdout)
