"""Small frictions: the import dialog shows every importable file (images too) and opens where
the last import came from; a new case starts with an empty search; after a restart the reader
is where it was and the documents list shows the open document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from casefile.services import cases
from tests.ui.conftest import LONG_FILLER, add_doc
from ui.base import filedialogs


def test_import_dialog_shows_every_importable_file_and_remembers_its_folder(
        qtbot, make_window, monkeypatch, tmp_path):
    from casefile.importers.sniff import EXTENSIONS

    asked: list[tuple[str, str]] = []
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "scan-1.png").write_bytes(b"x")

    def dialog(_parent, _caption, start, filters):
        asked.append((start, filters))
        return [str(folder / "scan-1.png")]

    monkeypatch.setattr(filedialogs, "open_file_names", dialog)
    w = make_window()
    monkeypatch.setattr(w, "import_paths", lambda paths: None)
    w.import_dialog()
    start, filters = asked[-1]
    assert start == str(Path.home())  # nothing imported yet
    default = filters.split(";;")[0]
    assert all(f"*{ext}" in default for ext in EXTENSIONS)  # images among them
    assert "*.png" in default and "*.jpg" in default and "*.webp" in default
    w.import_dialog()
    assert asked[-1][0] == str(folder)  # where the last import came from
    w.close()
    again = make_window()
    monkeypatch.setattr(again, "import_paths", lambda paths: None)
    again.import_dialog()
    assert asked[-1][0] == str(folder)  # kept across a restart


def test_another_case_starts_with_an_empty_search(qtbot, sample_window, db):
    w = sample_window
    w.analysis.show_search()
    panel = w.analysis.search.panel
    panel.box.setText("airstrike")
    panel.refresh()
    assert panel.model.rowCount() > 0
    other = cases.create_case(db, title="Another file").id
    w.controller.set_case(other)
    qtbot.waitUntil(lambda: "Loading" not in panel.status.text(), timeout=5000)
    assert panel.box.text() == ""
    assert panel.model.rowCount() == 0
    assert "airstrike" not in panel.status.text()


def test_after_a_restart_the_reader_and_the_list_are_where_they_were(qtbot, make_window, db,
                                                                      case_id):
    docs = [add_doc(db, case_id, f"Report {n}. " + LONG_FILLER * 3, title=f"Report {n:02d}",
                    published=f"2019-01-{n % 28 + 1:02d}") for n in range(40)]
    long_doc = add_doc(db, case_id, "Opening line.\n\n" + (LONG_FILLER * 6 + "\n\n") * 40,
                       title="A long report", published="2000-01-01")  # listed last
    w = make_window()
    w.resize(1024, 700)
    w.controller.set_case(case_id)
    w.open_document(long_doc)
    qtbot.wait(50)
    view = w.reader.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    QApplication.processEvents()
    place = view.cursorForPosition(view.viewport().rect().topLeft()).position()
    assert place > 1000
    w.close()
    again = make_window()
    qtbot.waitUntil(lambda: again.reader.document is not None
                    and again.reader.view.verticalScrollBar().value() > 0, timeout=5000)
    QApplication.processEvents()
    v2 = again.reader.view
    top = v2.cursorForPosition(v2.viewport().rect().topLeft()).position()
    assert abs(top - place) < 200  # the same lines (give or take one wrapped line)
    listing = again.documents_panel.view
    current = listing.currentIndex()
    assert current.isValid() and len(docs) == 40
    assert listing.viewport().rect().contains(listing.visualRect(current))


