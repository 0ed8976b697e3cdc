"""Updating an open document from a newer version of its file, re-anchoring its highlights."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casefile import importers
from casefile.services import highlights
from casefile.services.documents import ReplaceResult
from ui import filedialogs, plain
from ui.tasks import Task, run_task

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ARTICLE_FILTER = ("Articles (*.html *.htm *.xhtml *.pdf *.docx *.txt *.md *.markdown);;"
                  "Scans and screenshots (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.webp);;"
                  "All files (*)")


def update_document(w: MainWindow, path: Path | None = None) -> Task | None:
    """Ask for the newer file (unless given), replace the open document's text in the
    background, and report which highlights moved, were re-anchored loosely, or became
    orphans. The text change cannot be undone, so the undo history is cleared."""
    doc = w.reader.document
    if doc is None:
        w.statusBar().showMessage("Open the document to update first", 4000)
        return None
    if path is None:
        name = filedialogs.open_file_name(w, f"Newer version of “{doc.title}”", "",
                                          ARTICLE_FILTER)
        if not name:
            return None
        path = Path(name)

    def done(result: ReplaceResult) -> None:
        w.controller.undo_stack.clear()
        w.reader.clear()
        w.open_document(doc.id)
        w.controller.notify({"documents", "highlights", "claims"})
        summary = (f"Updated “{result.document.title}”: {len(result.placed)} highlight(s) "
                   f"placed, {len(result.fuzzy)} re-anchored approximately, "
                   f"{len(result.orphans)} could not be placed.")
        w.statusBar().showMessage(summary, 8000)
        if result.fuzzy or result.orphans:
            plain.information(w, "Document updated", summary + "\n\n" + _details(w, result))

    return run_task(w, "Updating document…", lambda _progress, cancelled: importers.reimport_file(
        w.db, document_id=doc.id, path=path, cancelled=cancelled), done, cancellable=True)


def _details(w: MainWindow, result: ReplaceResult) -> str:
    lines = []
    for label, ids in (("Check these approximate placements", result.fuzzy),
                       ("Kept as orphans (not drawn; their quotes and claims are kept)",
                        result.orphans)):
        if ids:
            lines.append(label + ":")
            for hid in ids[:20]:
                quote = highlights.get_highlight(w.db, highlight_id=hid).quote
                lines.append(f"  • “{quote[:90]}{'…' if len(quote) > 90 else ''}”")
    return "\n".join(lines)
