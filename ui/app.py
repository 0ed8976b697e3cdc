"""Application entry: arguments, logging, QApplication, open and migrate the DB, show the window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="casefile-gui", description="Open the Casefile window.")
    p.add_argument("--db", metavar="PATH", help="database file (default: $CASEFILE_DB or the "
                                                "user data folder)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Casefile")
    app.setOrganizationName("Casefile")
    from ui.base.errors import ErrorBoundary

    boundary = ErrorBoundary().install()
    try:
        db = open_or_recover(args.db)
    except Exception as exc:  # the boundary tells the user; there is nothing to open
        boundary.handle(type(exc), exc, exc.__traceback__)
        db = None
    if db is None:
        boundary.uninstall()
        return 2
    from ui.shell.window import MainWindow

    apply_style(app)
    window = MainWindow(db)
    boundary.parent = window
    window.show()
    log.info("window shown")
    try:
        code = app.exec()
    finally:
        boundary.uninstall()
        db.close()  # lets a periodic backup under way finish
    return code


def open_or_recover(path: str | None):
    """Open the database; if it was damaged (and set aside), offer the newest good backup with
    its date. Returns None, after telling the user why, when there is nothing to open."""
    from PySide6.QtWidgets import QMessageBox

    from casefile.db import backup
    from casefile.db.database import open_database
    from casefile.errors import CasefileError, DatabaseCorrupt
    from casefile.paths import default_db_path
    from ui.base import plain

    try:
        return open_database(path)
    except DatabaseCorrupt as exc:
        if not exc.backups:
            plain.critical(None, "Casefile: the database is damaged", str(exc))
            return None
        newest, taken = exc.backups[0]
        answer = plain.question(
            None, "Casefile: the database is damaged",
            f"{exc}\n\nRestore the backup taken {taken:%Y-%m-%d %H:%M} UTC? Edits made after "
            "it are lost; the damaged file is kept where it was moved.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        target = Path(path).expanduser().resolve() if path else default_db_path()
        try:
            backup.restore(newest, target)
            return open_database(target)
        except (OSError, CasefileError) as err:
            plain.critical(None, "Casefile cannot restore the backup", str(err))
            return None
    except CasefileError as exc:
        plain.critical(None, "Casefile cannot open its database", str(exc))
        return None


def apply_style(app) -> None:
    """The stylesheet shipped in resources/, if present."""
    from casefile.paths import resources_dir

    qss = resources_dir() / "style.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
