"""Where Casefile keeps its data and where its packaged migrations and resources are."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Casefile"
DB_ENV = "CASEFILE_DB"
_HERE = Path(__file__).resolve().parent


def default_db_path() -> Path:
    """The database path: ``$CASEFILE_DB`` if set, else the user's data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "casefile.sqlite"


def _packaged(name: str) -> Path:
    """A data folder installed inside the package, or the one at the top of a source checkout."""
    inside = _HERE / name
    if inside.is_dir():
        return inside
    return _HERE.parent / name


def migrations_dir() -> Path:
    """The alembic script directory."""
    return _packaged("migrations")


def resources_dir() -> Path:
    """Icons, stylesheet and the sample case."""
    return _packaged("resources")
