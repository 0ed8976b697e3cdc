"""Fixtures of the team server tests: one private PostgreSQL for the session, a real service.

Skipped, with the reason shown, on a machine without PostgreSQL; CI installs it (.ci/run).
"""

from __future__ import annotations

import itertools
import os
import uuid

import pytest

from tests.server.cluster import Service, missing_reason, run_server_cli, start_cluster

_REASON = missing_reason()
_names = itertools.count()


def pytest_collection_modifyitems(items):
    if _REASON is None:
        return
    skip = pytest.mark.skip(reason=_REASON)
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg():
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def server_db(pg) -> str:
    """A migrated database shared by the tests of the session (each makes its own users and
    cases)."""
    url = pg.new_database("casefile_tests")
    out = run_server_cli("migrate", "--db", url, db=url)
    assert out.returncode == 0, out.stderr
    return url


@pytest.fixture(scope="session")
def service(server_db):
    svc = Service(server_db).start()
    yield svc
    svc.stop()


@pytest.fixture
def user(service):
    """A new user each time: (name, token)."""

    def make(prefix: str = "analyst") -> tuple[str, str]:
        name = f"{prefix}{next(_names)}-{uuid.uuid4().hex[:6]}"
        return name, service.add_user(name)

    return make
