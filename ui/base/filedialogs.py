"""File dialogs that never open the files they list.

Qt's file dialog guesses each file's type by reading its first bytes. Opening and closing the
case database (or its -wal/-shm) in this process drops every POSIX lock SQLite holds on it —
locks belong to the process and one close() ends them all — and another Casefile command may
then checkpoint and delete the journal this window still writes to: saved edits vanish. So every
dialog here uses Qt's own widget dialog (a native one may read files in-process too) with an icon
provider that decides by name alone, and hides the database's own files from the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo, QSortFilterProxyModel
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget

from casefile.db.files import is_own_path

TYPES = {"pdf": "PDF document", "html": "Web page", "htm": "Web page", "xhtml": "Web page",
         "txt": "Text", "md": "Markdown", "markdown": "Markdown", "docx": "Word document",
         "png": "PNG image", "jpg": "JPEG image", "jpeg": "JPEG image", "tif": "TIFF image",
         "tiff": "TIFF image", "webp": "WebP image", "casefile": "Casefile bundle",
         "qdpx": "REFI-QDA project", "qdc": "REFI-QDA codebook", "csv": "CSV table",
         "jsonld": "Web annotations", "json": "JSON", "svg": "SVG drawing",
         "sqlite": "Casefile database"}


class NameOnlyIcons(QAbstractFileIconProvider):
    """Icons and type names from the file name only: nothing is opened or read."""

    def icon(self, what) -> QIcon:  # type: ignore[override]
        style = QApplication.style()
        if isinstance(what, QFileInfo) and what.isDir():
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        if isinstance(what, QAbstractFileIconProvider.IconType):
            if what in (QAbstractFileIconProvider.IconType.Folder,
                        QAbstractFileIconProvider.IconType.Drive):
                return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
            if what == QAbstractFileIconProvider.IconType.Computer:
                return style.standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
        return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix().lower()
        return TYPES.get(suffix, f"{suffix.upper()} file" if suffix else "File")


class _HideDatabase(QSortFilterProxyModel):
    """Leaves the open database's own files (journal, lock, backups) out of the listing."""

    def __init__(self, db_path: Path | None, parent=None):
        super().__init__(parent)
        self.db_path = db_path

    def filterAcceptsRow(self, row: int, parent) -> bool:
        if self.db_path is None:
            return True
        model = self.sourceModel()
        path = model.filePath(model.index(row, 0, parent))  # type: ignore[attr-defined]
        return not path or not is_own_path(Path(path), self.db_path)


def _dialog(parent: QWidget | None, caption: str, start: str, filters: str,
            mode: QFileDialog.FileMode, save: bool) -> QFileDialog:
    dlg = QFileDialog(parent, caption, start, filters)
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setIconProvider(NameOnlyIcons())
    db = None
    w = parent
    while w is not None and db is None:  # a dialog is its own window: ask up the parents
        db = getattr(w, "db", None)
        w = w.parentWidget()
    dlg.setProxyModel(_HideDatabase(getattr(db, "path", None), dlg))
    dlg.setFileMode(mode)
    if save:
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return dlg


def _run(dlg: QFileDialog) -> tuple[list[str], str]:
    if dlg.exec() != QFileDialog.DialogCode.Accepted:
        return [], ""
    return dlg.selectedFiles(), dlg.selectedNameFilter()


def open_file_names(parent: QWidget | None, caption: str, start: str = "",
                    filters: str = "") -> list[str]:
    files, _ = _run(_dialog(parent, caption, start, filters,
                            QFileDialog.FileMode.ExistingFiles, save=False))
    return files


def open_file_name(parent: QWidget | None, caption: str, start: str = "",
                   filters: str = "") -> str:
    files, _ = _run(_dialog(parent, caption, start, filters,
                            QFileDialog.FileMode.ExistingFile, save=False))
    return files[0] if files else ""


def save_file_name(parent: QWidget | None, caption: str, start: str = "",
                   filters: str = "") -> tuple[str, str]:
    """(chosen path or "", the chosen filter)."""
    files, chosen = _run(_dialog(parent, caption, start, filters,
                                 QFileDialog.FileMode.AnyFile, save=True))
    return (files[0] if files else ""), chosen
