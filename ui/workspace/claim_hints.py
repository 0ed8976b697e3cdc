"""The claim editor's hint lines: room kept for them (fields never jump while typing), and a
one-click "did you mean …?" before a new entity is made for a name close to a known one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

HINT_LINES = 2  # a hint wraps to two lines at most in the editor's width


def reserved_row(label: QLabel, *extras: QWidget, lines: int = HINT_LINES) -> QWidget:
    """``label`` (word-wrapped, top-aligned) and ``extras`` in a row whose height is fixed at
    ``lines`` lines of text, shown or empty: the fields below stay where they are."""
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(6)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    lay.addWidget(label, 1)
    for w in extras:
        lay.addWidget(w, 0, Qt.AlignmentFlag.AlignTop)
    row.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 4)
    return row


class DidYouMean(QPushButton):
    """A flat link-like button "Use Gulmurod Khalimov": one click puts the known name in the
    field. Hidden unless offered."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QPushButton { color: #0d47a1; text-decoration: underline; "
                           "padding: 0 2px; border: none; text-align: left; }")
        self.name = ""
        self._use: Callable[[str], None] | None = None
        self.clicked.connect(lambda _c=False: self._use and self._use(self.name))
        self.hide()

    def offer(self, name: str, use: Callable[[str], None]) -> None:
        self.name, self._use = name, use
        self.setText(f"Use {name.replace('&', '&&')}")
        self.setToolTip("Make the claim about this entity (no new one is created)")
        self.show()

    def withdraw(self) -> None:
        self.name, self._use = "", None
        self.hide()
