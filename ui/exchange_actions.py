"""File › Export and File › Import for the main window: dialogs, background work, merge report.

Wiring (for the main window): ``export_case(parent, db, case_id)`` and
``import_bundle_file(parent, db, on_imported)``; both return at once and do the work in a
``QRunnable`` with a progress dialog. ``on_imported(report)`` runs on the GUI thread after a
successful import, so the window can refresh and select ``report.case_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.exchange.merge import MergeReport
from ui import plain
from ui.tasks import Task, run_task

# Format → (file dialog filter, default suffix)
EXPORT_FORMATS = {
    "bundle": ("Casefile bundle (*.casefile)", ".casefile"),
    "pdf": ("PDF report (*.pdf)", ".pdf"),
    "html": ("HTML report (*.html)", ".html"),
    "jsonld": ("Web Annotation JSON-LD (*.jsonld)", ".jsonld"),
    "csv": ("Claims as CSV (*.csv)", ".csv"),
    "qdc": ("REFI-QDA codebook (*.qdc)", ".qdc"),
}
_TYPE_NAMES = {"case": "Case", "entities": "Entities", "documents": "Documents",
               "aliases": "Aliases", "tags": "Tags", "highlights": "Highlights",
               "claims": "Claims", "claim_links": "Claim links",
               "conflict_resolutions": "Conflict verdicts"}


def export_to(parent: QWidget | None, db: Database, case_id: str, fmt: str, path: Path,
              on_done: Callable[[Path], None] | None = None) -> Task | None:
    """Export without asking; the PDF is printed on the GUI thread (Qt painting), the rest in
    the background."""
    from casefile.exchange.export import export_case, write_atomically

    done = on_done or (lambda p: None)
    if fmt == "pdf":
        from ui.report_pdf import write_report_pdf

        try:
            write_atomically(path, lambda p: write_report_pdf(db, case_id=case_id, path=p),
                             db_path=db.path)
        except CasefileError as exc:
            plain.warning(parent, "Export", str(exc))
            return None
        done(path)
        return None
    return run_task(parent, "Exporting…",
                    lambda progress: export_case(db, case_id=case_id, fmt=fmt, target=path),
                    lambda _summary: done(path))


def export_case(parent: QWidget | None, db: Database, case_id: str) -> Task | None:
    """File › Export: ask for a format and a file name, then export."""
    filters = ";;".join(f for f, _ in EXPORT_FORMATS.values())
    name, chosen = QFileDialog.getSaveFileName(parent, "Export case", "", filters)
    if not name:
        return None
    fmt = next(k for k, (f, _) in EXPORT_FORMATS.items() if f == chosen) if chosen else "bundle"
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(EXPORT_FORMATS[fmt][1])
    return export_to(parent, db, case_id, fmt, path)


def import_from(parent: QWidget | None, db: Database, path: Path,
                on_imported: Callable[[MergeReport], None], *, into: str | None = None,
                show_report: bool = True) -> Task:
    from casefile.exchange.merge import import_bundle

    def done(report: MergeReport) -> None:
        on_imported(report)
        if show_report:
            MergeReportDialog(report, parent).open()

    return run_task(parent, "Importing bundle…",
                    lambda progress: import_bundle(db, path=path, into=into, progress=progress),
                    done)


def import_bundle_file(parent: QWidget | None, db: Database,
                       on_imported: Callable[[MergeReport], None]) -> Task | None:
    """File › Import: choose a .casefile bundle, merge it, show what changed."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import case bundle", "",
                                          "Casefile bundle (*.casefile);;All files (*)")
    return import_from(parent, db, Path(name), on_imported) if name else None


def merge_report_html(report: MergeReport) -> str:
    """The merge report for people: counts per record type, then every conflict."""
    verb = "New case created" if report.new_case else "Merged into the existing case"
    out = [f"<p><b>{verb}</b> ({escape(report.case_id)}).</p>",
           "<table border='1' cellpadding='3'><tr><th></th><th>added</th><th>updated</th>"
           "<th>in conflict</th><th>kept yours</th><th>unchanged</th></tr>"]
    for key, t in report.types.items():
        c = t.counts()
        if not any(c.values()):
            continue
        out.append(f"<tr><td>{_TYPE_NAMES.get(key, key)}</td><td>{c['added']}</td>"
                   f"<td>{c['updated']}</td><td>{c['conflicts']}</td><td>{c['kept_local']}</td>"
                   f"<td>{c['unchanged']}</td></tr>")
    out.append("</table>")
    conflicts = [(k, c) for k, t in report.types.items() for c in t.conflicts]
    if conflicts:
        out.append("<p><b>Edited on both sides</b> — the newer version was kept:</p><ul>")
        for key, c in conflicts:
            who = "your version" if c["winner"] == "local" else "your colleague's version"
            out.append(f"<li>{_TYPE_NAMES.get(key, key)}: “{escape(c['label'])}” — kept "
                       f"{who} (yours {escape(c['local_updated_at'] or '')}, theirs "
                       f"{escape(c['incoming_updated_at'] or '')})</li>")
        out.append("</ul>")
    for w in report.warnings:
        out.append(f"<p>⚠ {escape(w)}</p>")
    return "".join(out)


class MergeReportDialog(QDialog):
    """Shows what an import added, updated, and which records were edited on both sides."""

    def __init__(self, report: MergeReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Bundle imported")
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(merge_report_html(report))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
