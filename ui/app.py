"""Application entry: arguments, logging, QApplication, open and migrate the DB, show the window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


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
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Casefile")
    app.setOrganizationName("Casefile")

    from casefile.db.database import open_database
    from casefile.errors import DatabaseError

    try:
        db = open_database(args.db)
    except DatabaseError as exc:
        QMessageBox.critical(None, "Casefile cannot open its database", str(exc))
        return 2
    from ui.main_window import MainWindow

    apply_style(app)
    window = MainWindow(db)
    window.show()
    return app.exec()


def apply_style(app) -> None:
    """The stylesheet shipped in resources/, if present."""
    from casefile.paths import resources_dir

    qss = resources_dir() / "style.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
