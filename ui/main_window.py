"""The main window (placeholder shell until the workspace issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from casefile.db.database import Database
from casefile.services import cases


class MainWindow(QMainWindow):
    def __init__(self, db: Database):
        super().__init__()
        self.db = db
        self.setWindowTitle("Casefile")
        n = len(cases.list_cases(db))
        self.setCentralWidget(QLabel(f"{n} case(s) in {db.path}"))
        self.resize(1200, 800)
