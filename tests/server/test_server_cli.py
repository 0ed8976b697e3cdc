"""``casefile-server``'s commands as the admin types them: migrate, user add/list/revoke,
serve refusing a role that escapes row-level security."""

from __future__ import annotations

import json
import os
import subprocess

from tests.server.cluster import ROOT, run_server_cli, server_cmd


def test_users_are_added_listed_and_revoked(server_db):
    added = run_server_cli("user", "add", "farida", "--json", db=server_db)
    assert added.returncode == 0, added.stderr
    out = json.loads(added.stdout)
    assert out["user"] == "farida" and out["token"].startswith("cft_")
    twice = run_server_cli("user", "add", "farida", "--json", db=server_db)
    assert twice.returncode == 2 and "already" in twice.stderr
    listed = json.loads(run_server_cli("user", "list", "--json", db=server_db).stdout)
    assert {"user": "farida", "revoked": False} in [
        {k: u[k] for k in ("user", "revoked")} for u in listed]
    assert out["token"] not in json.dumps(listed)  # tokens are never shown again
    revoked = run_server_cli("user", "revoke", "farida", db=server_db)
    assert revoked.returncode == 0, revoked.stderr
    listed = json.loads(run_server_cli("user", "list", "--json", db=server_db).stdout)
    assert [u["revoked"] for u in listed if u["user"] == "farida"] == [True]


def test_serve_refuses_a_superuser_and_an_unmigrated_database(pg):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    fresh = pg.new_database("not_migrated")
    out = subprocess.run(server_cmd("serve", "--db", fresh, "--port", "1"), env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "casefile-server migrate" in out.stderr
    assert run_server_cli("migrate", "--db", fresh, db=fresh).returncode == 0
    as_root = pg.url("not_migrated", user="postgres")
    out = subprocess.run(server_cmd("serve", "--db", as_root, "--port", "1"), env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "row-level security" in out.stderr


def test_a_database_that_cannot_be_reached_is_one_line(pg):
    out = run_server_cli("migrate", "--db", "postgresql://casefile@127.0.0.1:1/none",
                         db="postgresql://casefile@127.0.0.1:1/none")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "PostgreSQL is running" in out.stderr


def test_the_server_keeps_only_a_hash_of_each_token(server_db, service):
    """user add prints the token once; the database holds its SHA-256 only (nothing in the
    user's row, nor in any text of the database, is the token), and the token works."""
    import hashlib

    from sqlalchemy import text

    from casefile.server.db import engine_for
    from casefile.sync.client import Client

    added = json.loads(run_server_cli("user", "add", "gulnara", "--json", db=server_db).stdout)
    token = added["token"]
    assert token.startswith("cft_") and len(token) >= 40  # 32 random bytes
    engine = engine_for(server_db, pool_size=1)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT row_to_json(u)::text, token_hash FROM team_user u "
                                    "WHERE name = 'gulnara'")).one()
            columns = conn.execute(text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying') "
                "AND table_name LIKE 'team_%'")).all()
            found = [f"{t}.{c}" for t, c in columns if conn.execute(text(
                f'SELECT count(*) FROM "{t}" WHERE "{c}" LIKE :tok'),
                {"tok": f"%{token[4:]}%"}).scalar()]
    finally:
        engine.dispose()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token[4:] not in row[0] and found == []
    assert Client(service.url, token).me() == "gulnara"
