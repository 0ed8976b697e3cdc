"""Coming back where the analyst left off: after a restart the reader shows the same place of
the open document (text or page view), and the documents list is scrolled to that document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView

from ui.workspace.pagepane import scroll_text_to, text_top_offset

if TYPE_CHECKING:
    from ui.shell.window import MainWindow

KEY = "readerOffset"  # code point at the top of the reader when the window closed
TRIES, EVERY_MS = 30, 100  # a PDF's word positions may still be loading: wait a little


class Resume(QObject):
    """Saves the reader's place when the window closes; puts it back once it is shown."""

    def __init__(self, w: MainWindow):
        super().__init__(w)
        self.w = w
        s = w.settings
        self.pending: tuple[str, int] | None = (str(s.value("document", "") or ""),
                                                int(s.value(KEY, -1) or -1))
        self._tries = 0
        w.installEventFilter(self)

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.w:
            if e.type() == QEvent.Type.Close:
                self.save()
            elif e.type() == QEvent.Type.Show and self.pending is not None:
                QTimer.singleShot(0, self.restore)
        return False

    def place(self) -> int | None:
        """The code point at the top of the reader now (page or text view)."""
        pages = self.w.pages
        if pages.active:
            return pages.view.top_offset()
        return text_top_offset(self.w.reader.view)

    def save(self) -> None:
        at = self.place() if self.w.reader.document is not None else None
        self.w.settings.setValue(KEY, at if at is not None else -1)

    def restore(self) -> None:
        """Scroll the documents list to the open document and the reader to where it was."""
        if self.pending is None:
            return
        doc_id, offset = self.pending
        w = self.w
        if w.reader.document is None or w.reader.document.id != doc_id:
            self.pending = None
            return
        panel = w.documents_panel
        current = panel.view.currentIndex()
        if current.isValid():
            panel.view.scrollTo(current, QAbstractItemView.ScrollHint.PositionAtCenter)
        if offset <= 0:
            self.pending = None
            return
        pages = w.pages
        if pages.active and not pages.view.scroll_to_offset(offset):
            self._tries += 1  # word positions not loaded yet
            if self._tries < TRIES:
                QTimer.singleShot(EVERY_MS, self.restore)
                return
        elif not pages.active:
            scroll_text_to(w.reader.view, offset)
        self.pending = None


def install(w: MainWindow) -> Resume:
    return Resume(w)
