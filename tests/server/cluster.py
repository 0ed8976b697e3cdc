"""A private PostgreSQL cluster and a real casefile-server on 127.0.0.1, for tests and benches.

The cluster lives in a temporary folder with its own port and socket folder, ``fsync=off``.
``initdb`` refuses to run as root, so as root the cluster runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_ROLE = "casefile"


def find_bin(name: str) -> str | None:
    """A PostgreSQL server program: Debian keeps them out of PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return found[0] if found else shutil.which(name)


def missing_reason() -> str | None:
    """Why the server tests cannot run here, or None when they can."""
    if find_bin("initdb") is None or find_bin("pg_ctl") is None:
        return ("PostgreSQL is not installed (apt-get install -y postgresql); the team server "
                "tests need a real one")
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run PostgreSQL as"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Cluster:
    folder: Path
    port: int
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "postgres.log"

    @property
    def sockets(self) -> Path:
        return self.folder / "sock"

    def url(self, database: str, user: str = SERVICE_ROLE) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        out = subprocess.run(
            _as_owner([find_bin("psql") or "psql", "-h", str(self.sockets), "-p", str(self.port),
                       "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", sql]),
            capture_output=True, text=True, timeout=60)
        if out.returncode:
            raise RuntimeError(f"psql failed: {out.stderr.strip()}")
        return out.stdout

    def new_database(self, name: str) -> str:
        """A fresh database owned by the service role (no superuser rights); its URL."""
        self.psql(f'CREATE DATABASE "{name}" OWNER {SERVICE_ROLE}')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(_as_owner([find_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m",
                                  "immediate", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    folder = Path(tempfile.mkdtemp(prefix="casefile-pg-"))
    (folder / "sock").mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(folder / "sock", "postgres", "postgres")
    cluster = Cluster(folder, free_port())
    data = folder / "data"
    init = subprocess.run(_as_owner([find_bin("initdb"), "-D", str(data), "-U", "postgres",
                                     "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                          capture_output=True, text=True, timeout=180)
    if init.returncode:
        raise RuntimeError(f"initdb failed: {init.stderr.strip()}")
    opts = (f"-p {cluster.port} -k {cluster.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=64MB")
    start = subprocess.run(_as_owner([find_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l",
                                      str(cluster.log), "-w", "-t", "60", "start"]),
                           capture_output=True, text=True, timeout=120)
    if start.returncode:
        raise RuntimeError(f"PostgreSQL did not start: {start.stderr.strip()} "
                           f"{cluster.log.read_text(errors='replace')[-2000:]}")
    cluster.psql(f"CREATE ROLE {SERVICE_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
    return cluster


def server_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "casefile.server", *args]


def run_server_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CASEFILE_SERVER_DB=db)
    return subprocess.run(server_cmd(*args), capture_output=True, text=True, env=env,
                          timeout=120)


@dataclass
class Service:
    """``casefile-server serve`` in a subprocess; ``stop``/``start`` keep its port."""

    db: str
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Service:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                server_cmd("serve", "--db", self.db, "--host", "127.0.0.1", "--port",
                           str(self.port)), stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service stopped: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/info", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the service did not answer: {self.log.read_text()[-3000:]}")

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def add_user(self, name: str) -> str:
        """A new user's token (in-process: the command itself is tested on its own)."""
        from casefile.server.db import add_user, engine_for

        engine = engine_for(self.db, pool_size=1)
        try:
            return add_user(engine, name=name)[1]
        finally:
            engine.dispose()
