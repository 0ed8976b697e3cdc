"""Page mode of the reader: a bar (page / text toggle, page box, zoom) over the page view, kept in
step with the text view, so selections, highlights and find work the same in both.

The text view stays the source of truth the window and the annotator read: a selection made on
the page is mirrored into it, a click moves its cursor. Installed by ``install(window)``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from casefile.importers import layouts as rebuild
from casefile.importers import ocr_engine
from casefile.layout import PageLayout
from casefile.pages import PageSource, is_paged
from casefile.services import documents, layouts
from ui.base import tasks
from ui.workspace.pagerender import PageRenderer
from ui.workspace.pageview import PageHighlight, PageView

if TYPE_CHECKING:
    from ui.shell.window import MainWindow
    from ui.workspace.reader import ReaderView

log = logging.getLogger(__name__)
ZOOMS = (("Fit width", "width"), ("Fit page", "page"), ("50%", 0.5), ("75%", 0.75),
         ("100%", 1.0), ("125%", 1.25), ("150%", 1.5), ("200%", 2.0), ("300%", 3.0))
SCREEN_DPI = 96 / 72  # 100% shows a page at its printed size on a 96-dpi screen


class PageBar(QWidget):
    """Page / Text toggle, "page N of M", zoom, and a note (OCR confidence, progress)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pageBar")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 2, 6, 2)
        outer.setSpacing(2)
        lay = QHBoxLayout()
        lay.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(lay)
        self.page_button = QToolButton(text="Page view", checkable=True)
        self.text_button = QToolButton(text="Text view", checkable=True)
        self.page_button.setToolTip("Show the pages as printed (Ctrl+Shift+P toggles)")
        self.text_button.setToolTip("Show the text reflowed (Ctrl+Shift+P toggles)")
        group = QButtonGroup(self)
        group.setExclusive(True)
        for b in (self.page_button, self.text_button):
            group.addButton(b)
            lay.addWidget(b)
        self.page_box = QSpinBox()
        self.page_box.setKeyboardTracking(False)
        self.page_box.setToolTip("Go to page")
        self.of_pages = QLabel()
        self.zoom = QComboBox()
        for label, _value in ZOOMS:
            self.zoom.addItem(label)
        self.zoom.setToolTip("Zoom (Ctrl+wheel over the page)")
        self.note = QLabel()
        self.note.setObjectName("pageNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #455a64;")
        for w in (QLabel("Page"), self.page_box, self.of_pages, self.zoom):
            lay.addWidget(w)
        lay.addStretch(1)
        outer.addWidget(self.note)
        self.note.hide()

    def set_note(self, text: str) -> None:
        """A line under the controls (OCR confidence, word positions being prepared)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))


class PageReader(QObject):
    """Connects the page view to the reader pane and the window's services."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.w = window
        self.reader = window.reader
        self.text_view: ReaderView = window.reader.view
        self.view = PageView()
        self.bar = PageBar()
        self.renderer: PageRenderer | None = None
        self.document_id: str | None = None
        self.mode = "page"  # what the analyst chose last: "page" or "text"
        self._mirroring = False
        self._layout_task: tasks.Task | None = None
        self.stack = QStackedWidget()
        lay = self.reader.layout()
        index = lay.indexOf(self.text_view)
        lay.removeWidget(self.text_view)
        self.stack.addWidget(self.text_view)
        self.stack.addWidget(self.view)
        lay.insertWidget(index, self.bar)
        lay.insertWidget(index + 1, self.stack, 1)
        self.bar.hide()

        self.view.describe = self._describe
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.reader.document_shown.connect(self._document_shown)
        self.text_view.highlights_changed.connect(self._sync_highlights)
        self.text_view.passage_shown.connect(self._passage_shown)
        self.view.selection_changed.connect(self._page_selection)
        self.view.clicked.connect(self._page_clicked)
        self.view.page_changed.connect(self._page_changed)
        self.view.zoom_changed.connect(self._zoom_changed)
        self.bar.page_button.clicked.connect(lambda: self.set_mode("page"))
        self.bar.text_button.clicked.connect(lambda: self.set_mode("text"))
        self.bar.page_box.valueChanged.connect(lambda n: self.view.go_to_page(n - 1))
        self.bar.zoom.activated.connect(self._zoom_chosen)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.w and e.type() == QEvent.Type.Close:
            self._close()  # stop the render thread before the window goes
        return False

    # -- documents --------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether the page view is what the reader shows now."""
        return self.stack.currentWidget() is self.view

    def _close(self) -> None:
        self.view.set_document(None, "")
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None
        self.document_id = None

    def _document_shown(self) -> None:
        rec = self.reader.document
        if rec is not None and rec.id == self.document_id:
            return
        self._close()
        if rec is None or not is_paged(rec.content_type):
            self._show(self.text_view)
            self.bar.hide()
            return
        try:
            data = documents.get_original(self.w.db, document_id=rec.id)
            source = PageSource(data, rec.content_type)
        except Exception as exc:  # a damaged original: the text is still there to read
            log.warning("cannot show the pages of %s: %s", rec.id, exc)
            self._show(self.text_view)
            self.bar.hide()
            self.w.statusBar().showMessage("The pages of this document cannot be shown; "
                                           "showing its text", 5000)
            return
        self.document_id = rec.id
        self.renderer = PageRenderer(source, self)
        self.view.set_document(self.renderer, self.text_view.text)
        self._sync_highlights()
        self.bar.page_box.blockSignals(True)
        self.bar.page_box.setRange(1, max(1, len(source)))
        self.bar.page_box.setValue(1)
        self.bar.page_box.blockSignals(False)
        self.bar.of_pages.setText(f"of {len(source)}")
        self.bar.set_note("")
        self.bar.show()
        self._show(self.view if self.mode == "page" else self.text_view)
        self._load_layout(rec.id)

    def _load_layout(self, document_id: str) -> None:
        info = layouts.get_layout(self.w.db, document_id=document_id)
        if info is not None:
            self._layout_ready(document_id, info)
            return
        self.bar.set_note("Finding the words on the pages…")

        def work(progress):
            return rebuild.build_layout(self.w.db, document_id=document_id)

        task = tasks.Task(work)
        task.signals.finished.connect(lambda info: self._layout_ready(document_id, info))
        task.signals.failed.connect(lambda msg: self._layout_failed(document_id, msg))
        self._layout_task = tasks.start(task, self.w.pool)

    def _layout_ready(self, document_id: str, info: layouts.LayoutInfo | None) -> None:
        if document_id != self.document_id:
            return
        layout: PageLayout | None = info.layout if info is not None else None
        self.view.set_layout(layout)
        note = ""
        if info is not None and info.ocr_confidence is not None:
            rec = self.reader.document
            said = ocr_engine.document_note(rec.extractor, rec.extractor_version) if rec \
                else ""
            note = (f"{said or 'Read by OCR'} · mean confidence {info.ocr_confidence:.0f}% · "
                    "uncertain words underlined in orange")
        elif layout is None or not len(layout):
            note = "No word positions: select and highlight in the Text view"
        self.bar.set_note(note)

    def _layout_failed(self, document_id: str, message: str) -> None:
        if document_id == self.document_id:
            self.bar.set_note(f"Word positions unavailable ({message}); use the Text view")

    # -- modes ----------------------------------------------------------------------------
    def _show(self, widget: QWidget) -> None:
        self.stack.setCurrentWidget(widget)
        page = widget is self.view
        self.bar.page_button.setChecked(page)
        self.bar.text_button.setChecked(not page)
        self.bar.page_box.setEnabled(page)
        self.bar.zoom.setEnabled(page)
        self.reader.find_bar.view = widget  # type: ignore[assignment]
        if self.reader.find_bar.isVisible():
            self.reader.find_bar._search(self.reader.find_bar.edit.text())

    def set_mode(self, mode: str) -> None:
        """Switch between the page and the text view, at the same place in the document."""
        self.mode = mode
        if self.document_id is None or (mode == "page") == self.active:
            return
        if mode == "page":
            offset = text_top_offset(self.text_view)
            sel = self.text_view.selected_range()
            self._show(self.view)
            self.view.setFocus()
            if sel:
                self._mirroring = True
                self.view.set_selection(*sel)
                self._mirroring = False
            # after the stack has given the view its size
            QTimer.singleShot(0, lambda: self.view.scroll_to_offset(offset))
            self.view.scroll_to_offset(offset)
        else:
            offset = self.view.top_offset()
            self._show(self.text_view)
            self.text_view.setFocus()
            if offset is not None:
                scroll_text_to(self.text_view, offset)

    def toggle(self) -> None:
        self.set_mode("text" if self.active else "page")

    # -- keeping the two views in step ------------------------------------------------------
    def _sync_highlights(self) -> None:
        if self.document_id is None:
            return
        tv = self.text_view
        emph = tv.painter.emphasis
        self.view.set_highlights(
            PageHighlight(r.id, r.start, r.end, tv.color_of(r), r.id in emph)
            for r in tv.records.values() if r.anchor != "orphan")

    def _passage_shown(self, start: int, end: int) -> None:
        if self.active:
            self.view.show_range(start, end)

    def _page_selection(self, start: int, end: int) -> None:
        if self._mirroring:
            return
        self._mirroring = True
        try:
            if start >= 0:
                self.text_view.select_range(start, end)
            else:
                c = self.text_view.textCursor()
                c.clearSelection()
                self.text_view.setTextCursor(c)
        finally:
            self._mirroring = False

    def _page_clicked(self, offset: int, ids: tuple) -> None:
        c = self.text_view.textCursor()
        c.setPosition(self.text_view.omap.to_utf16(offset))
        self.text_view.setTextCursor(c)
        self.text_view.highlight_clicked.emit(ids)

    def _page_changed(self, page: int) -> None:
        self.bar.page_box.blockSignals(True)
        self.bar.page_box.setValue(page + 1)
        self.bar.page_box.blockSignals(False)

    def _zoom_chosen(self, index: int) -> None:
        value = ZOOMS[index][1]
        if isinstance(value, str):
            self.view.set_fit(value)
        else:
            self.view.set_zoom(value * SCREEN_DPI)

    def _zoom_changed(self, zoom: float) -> None:
        fit = {"width": 0, "page": 1}.get(self.view.fit)
        if fit is None:
            label = f"{round(zoom / SCREEN_DPI * 100)}%"
            i = self.bar.zoom.findText(label)
            if i < 0:
                self.bar.zoom.addItem(label)  # shown only; choosing it again keeps the zoom
                i = self.bar.zoom.count() - 1
            fit = i
        self.bar.zoom.setCurrentIndex(fit)

    def _describe(self, ids: list[str]) -> str:
        recs = [self.text_view.records[i] for i in ids if i in self.text_view.records]
        return self.text_view.describe(recs) if recs else ""


def text_top_offset(view: ReaderView) -> int:
    """The code-point offset at the top-left of the text view."""
    return view.omap.to_codepoint(view.cursorForPosition(view.viewport().rect().topLeft())
                                  .position())


def scroll_text_to(view: ReaderView, offset: int) -> None:
    """Scroll the text view so the line holding ``offset`` is the first one shown (and put the
    cursor there). Wrapped lines are counted by the laid-out view, so it steps until there."""
    c = view.textCursor()
    c.setPosition(view.omap.to_utf16(min(offset, len(view.text))))
    view.setTextCursor(c)
    bar = view.verticalScrollBar()
    step = max(1, view.fontMetrics().lineSpacing())
    for _ in range(8):
        lines = round((view.cursorRect().top() - view.document().documentMargin() / 2) / step)
        if lines == 0 or not bar.minimum() <= bar.value() + lines <= bar.maximum():
            break
        bar.setValue(bar.value() + lines)


def install(window: MainWindow) -> PageReader:
    """Give the window's reader its page mode; returns the controller (``window.pages``)."""
    pages = PageReader(window)
    window.addAction(_toggle_action(window, pages))
    pages.view.addActions([*window.actions_.selection_actions,
                           window.actions_.delete_highlight])
    return pages


def _toggle_action(window: MainWindow, pages: PageReader):
    from PySide6.QtGui import QAction, QKeySequence

    act = QAction("Toggle page / text view", window)
    act.setShortcut(QKeySequence("Ctrl+Shift+P"))
    act.triggered.connect(pages.toggle)
    return act

