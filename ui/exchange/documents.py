"""Updating an open document from a newer version of its file, or reading a scan again by OCR in
other languages, re-anchoring its highlights."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from casefile import importers
from casefile.importers.sniff import EXTENSIONS, IMAGE_EXTENSIONS
from casefile.services import highlights
from casefile.services.documents import ReplaceResult
from ui.base import filedialogs, plain
from ui.base.tasks import Task, run_task

if TYPE_CHECKING:
    from ui.base.shell import Shell

def _patterns(extensions) -> str:
    return " ".join(f"*{e}" for e in extensions)


_ARTICLES = _patterns(e for e in EXTENSIONS if e not in IMAGE_EXTENSIONS)
_SCANS = f"*.pdf {_patterns(IMAGE_EXTENSIONS)}"
_CONTAINERS = "*.warc *.warc.gz *.eml *.msg result.json *.json *.zip"
# File › Import. The first filter is the default: every kind of file Casefile imports, images
# and the files that hold many documents (exports, archives, mail) included.
IMPORT_FILTER = (
    f"Everything Casefile imports ({_patterns(EXTENSIONS)} {_CONTAINERS});;"
    f"Articles ({_ARTICLES});;"
    f"Scans and screenshots ({_SCANS});;"
    "Saved pages and web archives (*.mht *.mhtml *.warc *.warc.gz);;"
    "E-mail (*.eml *.msg);;"
    "Telegram exports (result.json messages*.html *.zip);;"
    "All files (*)")
# a newer version of one document
ARTICLE_FILTER = (f"Articles and scans ({_patterns(EXTENSIONS)});;Articles ({_ARTICLES});;"
                  f"Scans and screenshots ({_SCANS});;All files (*)")


def import_folder(settings) -> str:
    """Where the import dialogs open: the folder the last import came from (kept across
    restarts), else the home folder."""
    folder = str(settings.value("importFolder", "") or "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_import_folder(settings, path: str | Path) -> None:
    settings.setValue("importFolder", str(Path(path).parent))


def update_document(w: Shell, path: Path | None = None) -> Task | None:
    """Ask for the newer file (unless given), replace the open document's text in the
    background, and report which highlights moved, were re-anchored loosely, or became
    orphans. The text change cannot be undone, so the undo history is cleared."""
    doc = w.reader.document
    if doc is None:
        w.statusBar().showMessage("Open the document to update first", 4000)
        return None
    if path is None:
        name = filedialogs.open_file_name(w, f"Newer version of “{doc.title}”",
                                          import_folder(w.settings), ARTICLE_FILTER)
        if not name:
            return None
        path = Path(name)
        remember_import_folder(w.settings, path)

    def done(result: ReplaceResult) -> None:
        w.controller.undo_stack.clear()
        w.reader.clear()
        w.open_document(doc.id)
        summary = (f"Updated “{result.document.title}”: {len(result.placed)} highlight(s) "
                   f"placed, {len(result.fuzzy)} re-anchored approximately, "
                   f"{len(result.orphans)} could not be placed.")
        w.statusBar().showMessage(summary, 8000)
        if result.fuzzy or result.orphans:
            plain.information(w, "Document updated", summary + "\n\n" + _details(w, result))

    return run_task(w, "Updating document…", lambda _progress, cancelled: importers.reimport_file(
        w.db, document_id=doc.id, path=path, cancelled=cancelled), done, cancellable=True)


def ocr_choices() -> list[tuple[str, list[str]]]:
    """(label, languages) for the re-OCR menu: automatic first, then each installed language
    (with English beside a language of another script)."""
    from casefile.importers import ocr_engine

    have = ocr_engine.installed()
    out: list[tuple[str, list[str]]] = [("Automatic (each page by its script)", [])]
    for script, langs in ocr_engine.SCRIPT_LANGS.items():
        for lang in langs:
            if lang in have:
                extra = ["eng"] if script != "LATIN" and "eng" in have else []
                out.append((f"{ocr_engine.name_of(lang)} ({'+'.join([lang, *extra])})",
                            [lang, *extra]))
    return out


def reocr_document(w: Shell, languages: list[str] | None = None) -> Task | None:
    """Read the open scan again by OCR in languages the analyst picks (asked for unless
    given), in the background; highlights are re-anchored on the new text."""
    from PySide6.QtWidgets import QInputDialog

    from casefile.importers import ocr, ocr_engine

    doc = w.reader.document
    if doc is None or doc.extractor != ocr.EXTRACTOR:
        w.statusBar().showMessage("Open a document that was read by OCR first", 4000)
        return None
    if languages is None:
        choices = ocr_choices()
        current = ocr_engine.read_version_note(doc.extractor_version)[0]
        labels = [c[0] for c in choices]
        start = next((i for i, c in enumerate(choices) if c[1] == current), 0)
        label, ok = QInputDialog.getItem(
            w, "Re-OCR", f"Read “{doc.title}” again by OCR in:\n(other languages: install "
            "tesseract-ocr-LANG packages, e.g. tesseract-ocr-rus)", labels, start, False)
        if not ok:
            return None
        languages = choices[labels.index(label)][1]

    def done(result: ReplaceResult) -> None:
        w.controller.undo_stack.clear()
        w.reader.clear()
        w.open_document(doc.id)
        rec = result.document
        summary = (f"{ocr_engine.document_note(rec.extractor, rec.extractor_version)}: "
                   f"{len(result.placed)} highlight(s) placed, {len(result.fuzzy)} re-anchored "
                   f"approximately, {len(result.orphans)} could not be placed.")
        w.statusBar().showMessage(summary, 8000)
        if result.fuzzy or result.orphans:
            plain.information(w, "Read again by OCR", summary + "\n\n" + _details(w, result))

    return run_task(w, "Reading the scan again…", lambda progress: ocr.reread(
        w.db, document_id=doc.id, languages=languages,
        progress=lambda d, t: progress(d, t, "")), done)


def _details(w: Shell, result: ReplaceResult) -> str:
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
