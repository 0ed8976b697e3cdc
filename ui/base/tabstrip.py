"""Tabs that wrap onto a second row instead of hiding behind scroll arrows: every tab of a
narrow case file stays one click away, its whole name readable."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.base.flow import FlowLayout

STYLE = """
QToolButton#caseTab { border: none; border-bottom: 2px solid transparent; padding: 3px 5px;
                      color: #455a64; }
QToolButton#caseTab:hover { color: #0d47a1; border-bottom-color: #b0bec5; }
QToolButton#caseTab:checked { color: #0d47a1; font-weight: bold;
                              border-bottom-color: #1e88e5; }
QWidget#caseTabs { border-bottom: 1px solid #dde3e6; }
"""


class TabStrip(QWidget):
    """One checkable button per tab of ``tabs`` (whose own bar is hidden), wrapping to as many
    rows as the width needs. Follows the tab widget: its current tab, texts and tooltips."""

    def __init__(self, tabs: QTabWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caseTabs")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.tabs = tabs
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(tabs.setCurrentIndex)
        self.flow = FlowLayout(self)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        tabs.currentChanged.connect(self._current)

    def buttons(self) -> list[QToolButton]:
        return [self.group.button(i) for i in range(len(self.group.buttons()))]

    def sync(self) -> None:
        """Rebuild the buttons from the tab widget's tabs."""
        for b in self.group.buttons():
            self.group.removeButton(b)
            self.flow.removeWidget(b)
            b.deleteLater()
        for i in range(self.tabs.count()):
            b = QToolButton(self)
            b.setObjectName("caseTab")
            b.setCheckable(True)
            b.setText(self.tabs.tabText(i))
            b.setToolTip(self.tabs.tabToolTip(i) or self.tabs.tabText(i).replace("&", ""))
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.group.addButton(b, i)
            self.flow.addWidget(b)
        self._current(self.tabs.currentIndex())
        self.updateGeometry()

    def _current(self, index: int) -> None:
        b = self.group.button(index)
        if b is not None and not b.isChecked():
            b.setChecked(True)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.flow.heightForWidth(width)

    def sizeHint(self) -> QSize:
        return QSize(self.flow.minimumSize().width(), self.heightForWidth(max(1, self.width())))

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        if self.height() != self.heightForWidth(self.width()):
            self.setFixedHeight(self.heightForWidth(self.width()))


def boxed(tabs: QTabWidget) -> tuple[QWidget, TabStrip]:
    """A widget holding a wrapping strip over ``tabs`` (its own bar hidden)."""
    box = QWidget()
    strip = TabStrip(tabs, box)
    tabs.tabBar().hide()
    tabs.setDocumentMode(True)
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    lay.addWidget(strip)
    lay.addWidget(tabs, 1)
    return box, strip
