"""Item delegates: two-line rows (a title and a grey line of details) for narrow side lists."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.models import SubtitleRole

PAD = 4


class TwoLineDelegate(QStyledItemDelegate):
    """Title in bold on the first line, ``SubtitleRole`` in grey below, both elided to the
    width: a narrow list still shows whole words, and the tooltip has everything."""

    @staticmethod
    def row_height(font: QFont) -> int:
        return 2 * QFontMetrics(font).height() + 3 * PAD

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(120, self.row_height(option.font))

    def paint(self, p: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title, sub = opt.text, index.data(SubtitleRole) or ""
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, p, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        r = opt.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        bold = QFont(opt.font)
        bold.setBold(True)
        p.save()
        p.setFont(bold)
        p.setPen(opt.palette.color(role))
        fm = QFontMetrics(bold)
        line1 = QRect(r.left(), r.top(), r.width(), fm.height())
        p.drawText(line1, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   fm.elidedText(title, Qt.TextElideMode.ElideRight, r.width()))
        p.setFont(opt.font)
        fm2 = QFontMetrics(opt.font)
        if not selected:
            p.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        line2 = QRect(r.left(), line1.bottom() + PAD, r.width(), fm2.height())
        p.drawText(line2, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   fm2.elidedText(sub, Qt.TextElideMode.ElideRight, r.width()))
        p.restore()
