""""Database is locked" and unexpected failures: writers wait briefly, then the user is asked
(window) or told (CLI) in one line; the window never waits long on the lock; every failure ends
at one boundary, and the unexpected ones are logged with their traceback (issue 10, items 9
and 11)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from casefile.cli import main as cli_main
from casefile.errors import CasefileError, DatabaseBusy
from casefile.services import cases
from ui.base.errors import GUI_BUSY_MS, ErrorBoundary


class Holder:
    """Another program holding the case's write lock."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO \"case\" (id, title, summary, created_at, updated_at) "
                          "VALUES ('held', 'Written by the other program', '', "
                          "'2020-01-01 00:00:00', '2020-01-01 00:00:00')")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.conn.execute("COMMIT")
            self.held = False

    def close(self) -> None:
        if self.held:
            self.conn.execute("ROLLBACK")
        self.conn.close()


@pytest.fixture
def holder(db):
    h = Holder(db.path)
    yield h
    h.close()


def test_the_window_asks_instead_of_waiting_and_the_edit_is_kept(window, db, holder):
    assert db.busy_ms() == GUI_BUSY_MS  # the window's own thread waits this long at most
    asked: list[str] = []

    def on_busy(message: str, attempt: int) -> bool:
        asked.append(message)
        holder.release()  # the other program finishes
        return True  # the user presses Retry

    db.on_busy = on_busy
    window.controller.create_case("Made while busy")
    assert len(asked) == 1 and "Another program" in asked[0]
    titles = {c.title for c in cases.list_cases(db)}
    assert {"Made while busy", "Written by the other program"} <= titles


def test_the_prompt_keeps_the_event_loop_running(qtbot, window, db, holder, monkeypatch):
    """The window waits quietly (event loop running) for a while, then asks with the real
    question box: a timer fires meanwhile (the loop is never blocked), lets the other program
    finish and presses Retry."""
    import ui.base.errors

    monkeypatch.setattr(ui.base.errors, "QUIET_WAIT_MS", 400)
    from ui.base.errors import guard_database

    guard_database(db, window)
    ticks: list[int] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start(10)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        assert box.textFormat().name == "PlainText"
        holder.release()
        box.button(QMessageBox.StandardButton.Retry).click()

    QTimer.singleShot(50, answer)
    window.controller.create_case("Saved after Retry")
    ticker.stop()
    assert ticks, "the event loop did not run while the user was asked"
    assert "Saved after Retry" in {c.title for c in cases.list_cases(db)}


def test_cancel_saves_nothing_and_is_not_reported_twice(window, db, holder, monkeypatch):
    db.on_busy = lambda message, attempt: False
    with pytest.raises(DatabaseBusy) as err:
        window.controller.create_case("Dropped")
    assert err.value.asked
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    ErrorBoundary(window).handle(DatabaseBusy, err.value, None)
    assert shown == []
    holder.release()
    assert "Dropped" not in {c.title for c in cases.list_cases(db)}


def test_background_work_waits_longer_than_the_window(db):
    import threading

    seen: list[int] = []
    t = threading.Thread(target=lambda: seen.append(db.busy_ms()))
    t.start()
    t.join()
    assert seen == [db.busy_timeout_ms] and db.busy_timeout_ms > GUI_BUSY_MS


def test_cli_says_the_case_is_busy_in_one_line(db, holder, monkeypatch, capsys):
    import casefile.db.session as session

    monkeypatch.setattr(session, "BUSY_TIMEOUT_MS", 200)
    code = cli_main(["--db", str(db.path), "case", "new", "Blocked"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Another program" in err and "try again" in err and len(err.strip().splitlines()) == 1


def test_cli_logs_an_unexpected_error_and_names_the_log(tmp_path: Path, monkeypatch, capsys):
    from casefile.services import cases

    log = tmp_path / "logs" / "casefile.log"
    monkeypatch.setenv("CASEFILE_LOG", str(log))
    monkeypatch.setattr(cases, "list_cases", lambda db: 1 / 0)  # a bug deep in a command
    code = cli_main(["--db", str(tmp_path / "c.sqlite"), "case", "list"])  # no file yet
    err = capsys.readouterr().err
    assert code == 70, err
    assert str(log) in err and "ZeroDivisionError" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" in log.read_text() and "ZeroDivisionError" in log.read_text()


class Emitter(QObject):
    fire = Signal()


@pytest.mark.qt_no_exception_capture
def test_the_window_boundary_catches_what_escapes_a_slot(qtbot, window, tmp_path, monkeypatch):
    log = tmp_path / "casefile.log"
    monkeypatch.setenv("CASEFILE_LOG", str(log))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: shown.append((box.windowTitle(), box.text())) or 0)
    boundary = ErrorBoundary(window).install()
    try:
        em = Emitter()

        def broken() -> None:
            raise KeyError("no such thing")

        def refused() -> None:
            raise CasefileError("that name is taken")

        em.fire.connect(broken)
        em.fire.emit()
        em.fire.disconnect(broken)
        em.fire.connect(refused)
        em.fire.emit()
    finally:
        boundary.uninstall()
    assert len(shown) == 2, shown
    (t1, m1), (_t2, m2) = shown
    assert "went wrong" in t1 and str(log) in m1 and "KeyError" in m1
    assert "Traceback" in log.read_text() and "no such thing" in log.read_text()
    assert m2 == "That name is taken"


def test_nothing_runs_an_edit_inside_a_waiting_edit(qtbot, window, db, holder, monkeypatch):
    """While the window waits for another program's lock (its event loop running), a write
    something else starts meanwhile (a timer, a queued signal) is refused instead of being
    nested inside the waiting one; the waiting change is saved once the lock is free."""
    import ui.base.errors

    monkeypatch.setattr(ui.base.errors, "QUIET_WAIT_MS", 10_000)  # never asks within this test
    ui.base.errors.guard_database(db, window)
    nested: list[str] = []

    def meanwhile() -> None:
        try:
            window.controller.create_case("Started meanwhile")
        except DatabaseBusy as exc:
            nested.append(str(exc))
        QTimer.singleShot(300, holder.release)

    QTimer.singleShot(30, meanwhile)
    window.controller.create_case("Waiting for the lock")
    titles = {c.title for c in cases.list_cases(db)}
    assert "Waiting for the lock" in titles and "Started meanwhile" not in titles
    assert nested and "still waiting" in nested[0]
    window.controller.create_case("Afterwards")  # the guard is down again
