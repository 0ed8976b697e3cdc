"""Helpers for storage-fault tests: running the CLI as an ordinary user, file fingerprints."""

from __future__ import annotations

import hashlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_command(*args: str) -> str:
    """A shell command line running the CLI with this interpreter."""
    return " ".join(shlex.quote(a) for a in (sys.executable, "-m", "casefile.cli", *args))


def in_mount_namespace(script: str, *, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace, where it may mount a small or read-only
    file system that vanishes with it: real ``ENOSPC`` and ``EROFS``, never faked. Skips the
    test where the machine does not allow it."""
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no private mount namespaces here (unshare/mount not allowed)")
    env = dict(env)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c",
                           "set -e\n" + script], env=env, capture_output=True, text=True,
                          timeout=180)
