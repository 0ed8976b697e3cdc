"""The same models and migrations on PostgreSQL: empty to head, models agree, row-level
security forced on the case data, SQLite-only steps (search index, triggers) left out."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from casefile.db import team  # noqa: F401 (the team case's tables share the metadata)
from casefile.db.models import Base, include_object
from casefile.server.db import engine_for
from tests.server.cluster import run_server_cli


def test_models_and_migrations_agree_on_postgresql(pg):
    url = pg.new_database("schema_check")
    out = run_server_cli("migrate", "--db", url, db=url)
    assert out.returncode == 0, out.stderr
    again = run_server_cli("migrate", "--db", url, db=url)
    assert again.returncode == 0 and "already" in again.stderr
    engine = engine_for(url, pool_size=1)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "include_object": include_object, "compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
            forced = dict(conn.execute(text(
                "SELECT relname, relforcerowsecurity FROM pg_class WHERE relname IN "
                "('team_record', 'team_file', 'team_change', 'team_push')")).all())
            tables = set(conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations disagree on PostgreSQL: {diff}"
    assert forced == {"team_record": True, "team_file": True, "team_change": True,
                      "team_push": True}
    assert "search_index" not in tables and "claim" in tables
