"""What a room (workspace, analysis, exchange, team) may ask of the window that assembles it.

The rooms never import one another: anything one room offers another goes through these names,
which ``ui.shell.window.MainWindow`` implements (import-linter's third contract in
pyproject.toml checks the imports). A room also uses the window as the ``QMainWindow`` it is
(status bar, docks, actions, settings) — those are Qt's, not listed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

    from PySide6.QtCore import QSettings, QThreadPool
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

    from casefile.db.database import Database
    from casefile.services.records import HighlightRecord
    from ui.base.controller import Controller


class Shell(Protocol):
    """The window as its rooms see it."""

    db: Database
    controller: Controller  # the case, the undo stack and the notifier (one change path)
    settings: QSettings
    pool: QThreadPool
    toolbar: QToolBar
    view_menu: QMenu
    view_actions: dict[str, QAction]
    actions_: Any  # ui.shell.actions.Actions: the menus and the window-wide actions
    # the workspace's widgets, which other rooms place themselves beside or read from
    reader: Any
    case_panel: Any
    documents_panel: Any

    # navigation
    def open_document(self, document_id: str) -> None: ...
    def open_passage(self, document_id: str, start: int, end: int) -> None: ...
    def open_claim(self, claim_id: str) -> None: ...
    def select_claim(self, claim_id: str) -> None: ...
    def show_entity_claims(self, entity_id: str) -> None: ...
    def show_centre(self) -> None: ...

    # what one room offers the others
    def current_highlight(self) -> HighlightRecord | None: ...
    def selected_entity(self) -> str | None: ...
    def find_mentions(self, entity_id: str | None = None) -> None: ...
    def tag_nodes(self) -> Iterator[Any]: ...

    # placing a room's parts
    def add_file_actions(self, actions: list[QAction]) -> None: ...
    def add_toolbar_actions(self, actions: list[QAction]) -> None: ...
    def reveal_dock(self, dock: QDockWidget) -> None: ...
