"""A panel's background loads: a burst of requests is one load (plus one for what came during
it), the newest state is what is shown, and the edit's own repaint never waits for a load."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from ui.base.background import Refresher


class Panel(QObject):
    def __init__(self):
        super().__init__()
        self.state = 0  # what the panel would show now (its case, its options)
        self.loads: list[int] = []
        self.shown: list[int] = []
        self.gate = threading.Event()

    def fetcher(self):
        state = self.state

        def load():
            self.loads.append(state)
            self.gate.wait(5)
            return state
        return load

    def show_data(self, data):
        self.shown.append(data)

    def show_error(self, message):
        raise AssertionError(message)


def test_a_burst_of_requests_is_one_load_and_the_newest_state_is_shown(qtbot):
    panel = Panel()
    refresher = Refresher(panel)
    for n in range(10):
        panel.state = n
        refresher.request()
    assert refresher.busy and panel.loads == []  # nothing started with the edit itself
    qtbot.waitUntil(lambda: panel.loads == [9], timeout=5000)
    for n in range(10, 20):  # more edits while that load runs
        panel.state = n
        refresher.request()
    panel.gate.set()
    qtbot.waitUntil(lambda: not refresher.busy, timeout=5000)
    assert panel.loads == [9, 19]  # two loads for twenty requests
    assert panel.shown == [19]  # the superseded result is never shown


def test_a_steady_stream_of_requests_still_gets_a_load(qtbot):
    """Edits arriving faster than the quiet time (a long sync pulling changes) never keep the
    panel stale for more than about a second."""
    import time

    from ui.base.background import MAX_WAIT_S

    panel = Panel()
    panel.gate.set()
    refresher = Refresher(panel)
    started = time.monotonic()
    while not panel.loads and time.monotonic() - started < 3 * MAX_WAIT_S:
        panel.state += 1
        refresher.request()
        qtbot.wait(50)
    assert panel.loads, "no load while requests kept coming"
    assert time.monotonic() - started < 2 * MAX_WAIT_S
