"""UI fixtures: a real MainWindow over a private database and private settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from casefile.db.database import Database
from casefile.services import documents
from casefile.services.documents import NewDocument

# Capabilities the offscreen platform plugin lacks (popups raise and grab the keyboard); these
# warnings come from the test platform, not from Casefile.
IGNORED = ("support propagateSizeHints", "support raise", "support grabbing the keyboard")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(*IGNORED))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    s.clear()
    return s


@pytest.fixture
def make_window(qtbot, db: Database, settings: QSettings):
    """Build (and register for clean-up) a MainWindow; call again to simulate a restart."""
    from ui.shell.window import MainWindow

    made = []

    def make(**kw):
        w = MainWindow(db, settings=kw.pop("settings", settings))
        qtbot.addWidget(w)
        w.show()
        made.append(w)
        return w

    yield make
    for w in made:
        if w.import_worker is not None:
            w.import_worker.cancel()
            w.pool.waitForDone(5000)


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def sample_window(window, db):
    """The window with the fictional sample case open."""
    from casefile.sample import create_sample_case

    case_id, _ = create_sample_case(db)
    window.controller.set_case(case_id)
    return window


LONG_FILLER = ("The mountain road was closed again for most of the week, and traders waited "
               "at the checkpoint with their lorries while the rain came down. ")


def add_doc(db: Database, case_id: str, text: str, *, title: str = "Report",
            published: str = "2020-08-05", outlet: str = "Caspian Courier",
            page_starts: tuple[int, ...] = ()) -> str:
    return documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title=title,
        published=published, outlet=outlet, page_starts=page_starts)).id
