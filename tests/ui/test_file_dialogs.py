"""File dialogs list the database's folder without touching its files: the window keeps the
locks SQLite holds (closing any descriptor of the file would end them all) and the database's
own files are not offered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casefile.db.database import open_database
from casefile.services import cases

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="Linux /proc/locks")


def _my_locks() -> list[str]:
    pid = str(os.getpid())
    return [ln for ln in Path("/proc/locks").read_text().splitlines() if ln.split()[4] == pid]


def test_file_dialogs_keep_the_windows_locks(qtbot, tmp_path: Path):
    from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

    from ui.base.filedialogs import _dialog

    path = tmp_path / "case.sqlite"
    (tmp_path / "article.html").write_text("<p>Vakhidov</p>", encoding="utf-8")
    db = open_database(path)
    try:
        cases.create_case(db, title="x")
        held = len(_my_locks())
        assert held >= 2
        owner = QWidget()
        owner.db = db
        qtbot.addWidget(owner)
        dlg = _dialog(owner, "Import", str(tmp_path), "", QFileDialog.FileMode.ExistingFiles,
                      save=False)
        dlg.show()
        qtbot.wait(1500)  # the dialog's model lists the folder in a background thread
        QApplication.processEvents()
        assert len(_my_locks()) == held
        model = dlg.proxyModel()
        root = model.mapFromSource(model.sourceModel().index(str(tmp_path)))
        names = {model.index(r, 0, root).data() for r in range(model.rowCount(root))}
        assert "article.html" in names
        assert not names & {"case.sqlite", "case.sqlite-wal", "case.sqlite-shm",
                            "case.sqlite.lock"}
        dlg.close()
    finally:
        db.close()
