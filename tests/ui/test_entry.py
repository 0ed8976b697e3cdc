"""Starting the app: main.py shows a window; a damaged database is replaced by a backup."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from casefile.db import backup
from casefile.db.database import open_database
from casefile.services import cases
from ui.base import plain

ROOT = Path(__file__).resolve().parents[2]


def test_main_py_opens_a_window_offscreen(tmp_path):
    db = tmp_path / "gui.sqlite"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(db), "-v"],
                            cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        seen = []
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
            if "window shown" in line:
                break
        assert any("window shown" in s for s in seen), "".join(seen)
        assert proc.poll() is None, "the window closed by itself"
        assert db.exists()
    finally:
        proc.kill()
        proc.wait(timeout=30)


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data), 4096):
        data[i:i + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def test_damaged_database_offers_the_newest_backup(qapp, tmp_path, monkeypatch):
    from ui.app import open_or_recover

    path = tmp_path / "case.sqlite"
    db = open_database(path)
    cases.create_case(db, title="Saved before the crash")
    db.close()
    backup.make_backup(path, reason="test")
    _damage(path)
    asked = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(plain, "question", answer)
    restored = open_or_recover(str(path))
    assert restored is not None
    assert [c.title for c in cases.list_cases(restored)] == ["Saved before the crash"]
    restored.close()
    assert "Restore the backup taken" in asked[0]
    assert list(tmp_path.glob("case.sqlite.damaged-*")), "the damaged file is kept"


def test_declining_the_backup_opens_nothing(qapp, tmp_path, monkeypatch):
    from ui.app import open_or_recover

    path = tmp_path / "case.sqlite"
    open_database(path).close()
    backup.make_backup(path, reason="test")
    _damage(path)
    monkeypatch.setattr(plain, "question", lambda *a: QMessageBox.StandardButton.No)
    monkeypatch.setattr(plain, "critical", lambda *a: None)
    assert open_or_recover(str(path)) is None
    assert not path.exists()
