"""Showing untrusted text (article quotes, titles, names) in Qt without it being read as HTML."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def tooltip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` literally: Qt renders tooltips that look like HTML as rich
    text, and an article's words must never become markup (or a local image reference)."""
    if text is None:
        return None
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def label(text: str = "", parent=None) -> QLabel:
    """A label that never interprets its text as HTML."""
    lbl = QLabel(parent)
    lbl.setTextFormat(Qt.TextFormat.PlainText)
    lbl.setText(text)
    return lbl


def message_box(parent, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton
                ) -> QMessageBox:
    """A message box whose text is plain: QMessageBox's static helpers guess "rich text" for
    anything that looks like markup, and messages quote names, file names and bundle members."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def _show(parent, icon: QMessageBox.Icon, title: str, text: str) -> None:
    message_box(parent, icon, title, text).exec()


def warning(parent, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Warning, title, text)


def critical(parent, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Critical, title, text)


def information(parent, title: str, text: str) -> None:
    _show(parent, QMessageBox.Icon.Information, title, text)


def question(parent, title: str, text: str,
             buttons: QMessageBox.StandardButton = (QMessageBox.StandardButton.Yes
                                                    | QMessageBox.StandardButton.No),
             default: QMessageBox.StandardButton = QMessageBox.StandardButton.No
             ) -> QMessageBox.StandardButton:
    """Ask with plain text; returns the button pressed."""
    return QMessageBox.StandardButton(
        message_box(parent, QMessageBox.Icon.Question, title, text, buttons, default).exec())
