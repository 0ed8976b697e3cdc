"""The migration scripts' revisions read as text, so that a database already at head is known
to be without importing alembic (a third of the command line's start-up)."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from casefile import paths

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)


def scan_revisions() -> tuple[str, frozenset[str]]:
    """(head, every revision) of the migration scripts. Falls back to alembic's own reading
    when the scripts are not one plain chain with a single head."""
    downs: set[str] = set()
    revisions: set[str] = set()
    try:
        for script in (paths.migrations_dir() / "versions").glob("*.py"):
            found = dict(_REVISION_LINE.findall(script.read_text("utf-8")))
            if "revision" not in found:
                continue
            revisions.add(ast.literal_eval(found["revision"]))
            down = ast.literal_eval(found.get("down_revision", "None"))
            downs.update((down,) if isinstance(down, str) else down or ())
    except (OSError, ValueError, SyntaxError):
        revisions = set()
    heads = revisions - downs
    if len(heads) == 1 and downs <= revisions:
        return heads.pop(), frozenset(revisions)
    from alembic.script import ScriptDirectory

    script_dir = ScriptDirectory.from_config(alembic_config())
    return (script_dir.get_current_head(),
            frozenset(rev.revision for rev in script_dir.walk_revisions()))


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    return cfg


def head_revision() -> str:
    """The newest revision the code knows."""
    return scan_revisions()[0]


def connect_at_head(path: Path | str | None) -> sqlite3.Connection | None:
    """A read-only sqlite3 connection to the database at ``path`` (default: the user's) if it
    exists and is at the code's head revision, else None: commands that only look (and a sync
    with nothing to do) read it without loading the ORM or alembic."""
    path = (Path(path) if path is not None else paths.default_db_path()).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is not None and row[0] == scan_revisions()[0]:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None
