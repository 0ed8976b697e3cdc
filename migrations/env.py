"""Alembic environment: Casefile's metadata, batch mode for SQLite, one transaction per upgrade."""

from __future__ import annotations

from alembic import context

from casefile.db import team  # noqa: F401 (the team case's tables share the metadata)
from casefile.db.models import Base, include_object

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run on the connection Casefile hands over (already inside its transaction)."""
    connection = config.attributes.get("connection")
    if connection is None:
        from casefile.db.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url").removeprefix("sqlite:///"),
                             migrating=True)
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Casefile migrations run online only")
run_migrations_online()
