"""Keeps shortcuts where they belong: single letters only in the reader, window commands
(Ctrl+E, Ctrl+Shift+F …) working even while a text field has the focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

# Keys a text field needs for itself: these always stay with the field.
EDITING = frozenset(QKeySequence(k).toString() for k in (
    "Ctrl+A", "Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+Backspace",
    "Ctrl+Delete", "Ctrl+Left", "Ctrl+Right", "Ctrl+Shift+Left", "Ctrl+Shift+Right",
    "Ctrl+Home", "Ctrl+End", "Ctrl+Shift+Home", "Ctrl+Shift+End", "Ctrl+Insert",
    "Shift+Insert", "Shift+Delete"))
TEXT_INPUTS = (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QComboBox)


def scope_to(widget, actions: list[QAction]) -> None:
    """Make ``actions`` fire from the keyboard only while the focus is inside ``widget`` (menus
    and toolbars still trigger them): a letter typed in a table or a field never annotates."""
    window = widget.window()
    for a in actions:
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if window is not widget:
            window.removeAction(a)
        widget.addAction(a)


class WindowShortcutGuard(QObject):
    """Event filter on the application: while a text field of ``window`` has the focus, a
    window command with a modifier (Ctrl+E …) is not swallowed by the field's own key bindings
    (QLineEdit takes Ctrl+E as "end of line" on Linux) unless the field needs it for editing."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def _window_keys(self) -> set[str]:
        keys: set[str] = set()
        for a in self.window.actions():
            if a.isEnabled() and a.shortcutContext() == Qt.ShortcutContext.WindowShortcut:
                keys.update(s.toString() for s in a.shortcuts())
        return keys

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if (e.type() == QEvent.Type.ShortcutOverride and isinstance(obj, TEXT_INPUTS)
                and isinstance(e, QKeyEvent)
                and e.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                     | Qt.KeyboardModifier.AltModifier)
                and obj.window() is self.window):
            key = QKeySequence(e.keyCombination()).toString()
            if key not in EDITING and key in self._window_keys():
                e.ignore()  # not overridden: the window's shortcut runs
                return True
        return False
