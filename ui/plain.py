"""Showing untrusted text (article quotes, titles, names) in Qt without it being read as HTML."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


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
