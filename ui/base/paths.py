"""Where save dialogs start: the user's documents folder (or the last folder exported to in this
session) with a suggested file name — never the folder the sources came from."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths

_last_dir: Path | None = None


def documents_dir() -> Path:
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(loc) if loc else Path.home()
    return path if path.is_dir() else Path.home()


def safe_name(title: str, suffix: str) -> str:
    """A file name made from a case or document title (no separators, no control characters)."""
    stem = re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", " ", title).strip(" .")[:80] or "casefile"
    return stem + suffix


def suggested_path(name: str) -> Path:
    """``name`` in the folder a save dialog should open in."""
    return (_last_dir if _last_dir is not None and _last_dir.is_dir() else documents_dir()) / name


def remember(path: str | Path) -> None:
    """Start the next save dialog of this session where this file was written."""
    global _last_dir
    _last_dir = Path(path).parent
