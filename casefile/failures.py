"""The one place that turns a failure into words for the user, and logs the unexpected ones.

The command line and the window each have one error boundary; both ask ``user_message`` for
the expected classes (Casefile's own errors, file-system errors, SQLite's storage errors) and
write anything else, traceback and all, to ``log_file()`` with ``log_unexpected``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from casefile.errors import CasefileError

LOG_NAME = "casefile.log"
MAX_LOG_BYTES = 2 * 1024**2

log = logging.getLogger(__name__)


def one_line(text: str, limit: int = 600) -> str:
    """Messages are one line: newlines folded, very long ones cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sqlite_text(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return str(orig)
    if isinstance(exc, sqlite3.OperationalError):
        return str(exc)
    return None


def user_message(exc: BaseException) -> str | None:
    """A one-line message for an expected failure; None for one nobody expected (a bug)."""
    from casefile.db.files import describe_os_error

    if isinstance(exc, CasefileError):
        return one_line(str(exc))
    if isinstance(exc, OSError):
        return one_line(describe_os_error(exc))
    if isinstance(exc, MemoryError):
        return "there was not enough memory to finish; nothing was changed"
    text = _sqlite_text(exc)
    if text is not None:
        if "locked" in text or "busy" in text:
            return ("another program (a Casefile window or command) is using the case right "
                    "now; nothing was changed — try again when it has finished")
        if "full" in text:
            return "the disk is full; nothing was changed"
        if "readonly" in text:
            return "the database file or its folder is read-only; nothing was changed"
        if "disk I/O" in text:
            return "the disk reported an input/output error; nothing was changed"
    return None


def log_file() -> Path:
    """Where unexpected failures are written: the user's log folder (``$CASEFILE_LOG`` wins)."""
    env = os.environ.get("CASEFILE_LOG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir("Casefile", appauthor=False)) / LOG_NAME


def log_unexpected(exc: BaseException, *, where: str) -> Path:
    """Append ``exc`` with its traceback to the log file and return the file's path (a file in
    the temporary folder if the log folder cannot be written)."""
    return _append(f"unexpected error in {where}",
                   "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def log_detail(where: str, detail: str) -> Path:
    """Keep the technical detail behind a plain message (a parser's exception for a file it
    refused) in the log file, where whoever looks after Casefile can read it."""
    log.info("%s: %s", where, detail)
    return _append(where, one_line(detail, 4000) + "\n")


def _append(where: str, body: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    text = f"--- {stamp} — {where}\n{body}"
    for path in (log_file(), Path(tempfile.gettempdir()) / f"casefile-{os.getuid()}.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                path.replace(path.with_name(path.name + ".1"))
            with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    log.error("%s", text)
    return log_file()


def unexpected_message(exc: BaseException, logged_to: Path) -> str:
    """One line for a failure nobody expected, naming the log that holds the details."""
    what = one_line(f"{type(exc).__name__}: {exc}", 200)
    return (f"unexpected error ({what}). The details were written to {logged_to}; please "
            "send that file to whoever looks after Casefile")
