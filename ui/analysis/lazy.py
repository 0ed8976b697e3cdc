"""A panel built the first time it is shown, loading its data in the background and reloading
only while visible."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.base.background import Refresher


class LazyPanel(QWidget):
    """Builds its panel the first time it is shown, loads its data in the background, and
    reloads only while visible: a hidden timeline or graph costs nothing while the analyst
    annotates, and a large case never freezes the window."""

    def __init__(self, build: Callable[[str], QWidget], case_id: Callable[[], str],
                 shows: frozenset[str], parent: QWidget | None = None):
        super().__init__(parent)
        self._build, self._case_id = build, case_id
        self.shows = shows  # the record kinds whose changes make it reload
        self.panel: QWidget | None = None
        self.refresher: Refresher | None = None
        self._dirty = False
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget | None:
        """The panel, built now if needed (its data arrives shortly); None without a case."""
        case_id = self._case_id()
        if not case_id:
            return None
        if self.panel is None:
            self.panel = self._build(case_id)
            self.refresher = Refresher(self.panel)
            if hasattr(self.panel, "reload"):  # the panel's own reloads (timeline clock) too
                self.panel.reload = self._load
            self._lay.addWidget(self.panel)
            self._load()
        elif self._dirty or self.panel.case_id != case_id:
            self.panel.case_id = case_id
            self._load()
        return self.panel

    def _load(self) -> None:
        self._dirty = False
        label = getattr(self.panel, "status", None) or getattr(self.panel, "info", None)
        if label is not None:
            label.setText("Loading…")
        self.refresher.request()

    def invalidate(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.ensure()

    def showEvent(self, e: QShowEvent) -> None:
        super().showEvent(e)
        self.ensure()
