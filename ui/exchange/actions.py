"""File › Export and File › Import for the main window: dialogs, background work, reports.

Wiring (for the main window): ``export_case(parent, db, case_id)`` and
``import_bundle_file(parent, db, on_imported)``; both return at once and do the work in a
``QRunnable`` with a progress dialog. Import takes a .casefile bundle (merged) or a REFI-QDA
.qdpx project (a new case). ``on_imported(report)`` runs on the GUI thread after a successful
import, so the window can refresh and select ``report.case_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.exchange.merge import MergeReport
from casefile.exchange.qdpx_import import QdpxImport
from casefile.exchange.w3c_import import AnnotationImport
from ui.base import filedialogs, plain
from ui.base import paths as save_paths
from ui.base.tasks import Task, run_task

# Format → (file dialog filter, default suffix)
EXPORT_FORMATS = {
    "bundle": ("Casefile bundle (*.casefile)", ".casefile"),
    "qdpx": ("REFI-QDA project for QualCoder, ATLAS.ti, MAXQDA, NVivo (*.qdpx)", ".qdpx"),
    "pdf": ("PDF report (*.pdf)", ".pdf"),
    "html": ("HTML report (*.html)", ".html"),
    "jsonld": ("Web Annotation JSON-LD (*.jsonld)", ".jsonld"),
    "csv": ("Claims as CSV, evidence beside them in NAME-evidence.csv (*.csv)", ".csv"),
    "codebook-csv": ("Codebook as CSV for Taguette (*.csv)", ".csv"),
    "qdc": ("REFI-QDA codebook (*.qdc)", ".qdc"),
}
_TYPE_NAMES = {"case": "Case", "entities": "Entities", "documents": "Documents",
               "aliases": "Aliases (spellings)", "tags": "Tags", "highlights": "Highlights",
               "claims": "Claims", "claim_links": "Links between claims",
               "conflict_resolutions": "Conflict verdicts", "hypotheses": "Hypotheses",
               "ach_passages": "Passages weighed as evidence",
               "hypothesis_ratings": "Ratings of hypotheses"}


def type_name(key: str) -> str:
    """A record type as people say it ("hypothesis_ratings" → "Ratings of hypotheses"); a type
    a newer bundle brings is at least spelled out, never shown as a table name."""
    return _TYPE_NAMES.get(key) or key.replace("_", " ").capitalize()


def export_to(parent: QWidget | None, db: Database, case_id: str, fmt: str, path: Path,
              on_done: Callable[[Path], None] | None = None) -> Task | None:
    """Export without asking; the PDF is printed on the GUI thread (Qt painting), the rest in
    the background."""
    from casefile.exchange.export import export_case, write_atomically

    done = on_done or (lambda p: None)
    if fmt == "pdf":
        from ui.exchange.report_pdf import write_report_pdf

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


def format_for(path: Path, chosen: str) -> str:
    """The format a file name asks for: "report.pdf" is a PDF report whatever type was
    selected in the dialog (a bundle named .pdf would mislead whoever receives it); a name
    without a known suffix keeps the chosen type."""
    suffix = path.suffix.lower()
    if not suffix or EXPORT_FORMATS[chosen][1] == suffix:
        return chosen
    return next((k for k, (_f, ext) in EXPORT_FORMATS.items() if ext == suffix), chosen)


def export_case(parent: QWidget | None, db: Database, case_id: str) -> Task | None:
    """File › Export: ask for a format and a file name, then export."""
    from casefile.services import cases

    filters = ";;".join(f for f, _ in EXPORT_FORMATS.values())
    title = cases.get_case(db, case_id=case_id).title
    start = save_paths.suggested_path(save_paths.safe_name(title, ".casefile"))
    name, chosen = filedialogs.save_file_name(parent, "Export case", str(start), filters)
    if not name:
        return None
    fmt = next(k for k, (f, _) in EXPORT_FORMATS.items() if f == chosen) if chosen else "bundle"
    path = Path(name)
    fmt = format_for(path, fmt)
    if path.suffix.lower() != EXPORT_FORMATS[fmt][1]:  # "notes" or "notes.txt": say what it is
        path = path.with_name(path.name + EXPORT_FORMATS[fmt][1])
    save_paths.remember(path)

    def written(p: Path) -> None:
        status = getattr(parent, "statusBar", None)
        if callable(status):
            status().showMessage(f"Exported “{title}” to {p}", 8000)
    return export_to(parent, db, case_id, fmt, path, written)


def _import(parent: QWidget | None, title: str, work: Callable[[Any, Any], Any],
            on_imported: Callable[[Any], None], report: Callable[[Any], QDialog] | None
            ) -> Task:
    """Run ``work(progress, cancelled)`` in the background behind a dialog with Cancel; hand its
    result on, then show its report."""

    def done(result: Any) -> None:
        on_imported(result)
        if report is not None:
            report(result).open()

    return run_task(parent, title, work, done, cancellable=True)


def import_from(parent: QWidget | None, db: Database, path: Path,
                on_imported: Callable[[MergeReport], None], *, into: str | None = None,
                show_report: bool = True) -> Task:
    from casefile.exchange.merge import import_bundle
    from casefile.services import cases

    def report(r: MergeReport) -> MergeReportDialog:
        return MergeReportDialog(r, parent, cases.get_case(db, case_id=r.case_id).title)

    return _import(parent, "Importing bundle…",
                   lambda progress, cancelled: import_bundle(db, path=path, into=into,
                                                              progress=progress,
                                                              cancelled=cancelled),
                   on_imported, report if show_report else None)


def import_qdpx_from(parent: QWidget | None, db: Database, path: Path,
                     on_imported: Callable[[QdpxImport], None], *,
                     show_report: bool = True) -> Task:
    """Import a REFI-QDA project as a new case in the background; then list what was left."""
    from casefile.exchange.qdpx_import import import_qdpx

    return _import(parent, "Importing project…",
                   lambda progress, cancelled: import_qdpx(db, path=path, progress=progress,
                                                           cancelled=cancelled), on_imported,
                   (lambda r: ReportDialog("Project imported", qdpx_report_html(r), parent))
                   if show_report else None)


def import_annotations_from(parent: QWidget | None, db: Database, path: Path, case_id: str,
                            on_imported: Callable[[AnnotationImport], None], *,
                            show_report: bool = True) -> Task:
    """Place W3C Web Annotations (ours, Hypothesis's) on the case's documents; list orphans."""
    from casefile.exchange.w3c_import import import_annotations

    return _import(parent, "Importing annotations…",
                   lambda progress, cancelled: import_annotations(
                       db, case_id=case_id, path=path, progress=progress, cancelled=cancelled),
                   on_imported,
                   (lambda r: ReportDialog("Annotations imported", annotations_report_html(r),
                                           parent)) if show_report else None)


IMPORT_FILTER = ("Bundle, project or annotations (*.casefile *.qdpx *.jsonld *.json);;"
                 "Casefile bundle (*.casefile);;REFI-QDA project (*.qdpx);;"
                 "Web annotations, Hypothesis export (*.jsonld *.json);;All files (*)")
Imported = MergeReport | QdpxImport | AnnotationImport


def import_bundle_file(parent: QWidget | None, db: Database,
                       on_imported: Callable[[Imported], None], *,
                       case_id: str | None = None,
                       bundle: Callable[[Path], Any] | None = None) -> Task | None:
    """File › Import: a .casefile bundle is merged (and what changed is shown); a .qdpx project
    from QualCoder, ATLAS.ti, MAXQDA or NVivo becomes a new case; Web Annotations (.jsonld,
    a Hypothesis export) are placed on the documents of the open case ``case_id``. With
    ``bundle``, a bundle's path is handed to it instead (the window asks where it goes)."""
    name = filedialogs.open_file_name(parent, "Import", "", IMPORT_FILTER)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() == ".qdpx":
        return import_qdpx_from(parent, db, path, on_imported)
    if path.suffix.lower() in (".jsonld", ".json"):
        if not case_id:
            plain.information(parent, "Import annotations",
                              "Open the case whose documents the annotations belong to first.")
            return None
        return import_annotations_from(parent, db, path, case_id, on_imported)
    if bundle is not None:
        bundle(path)
        return None
    return import_from(parent, db, path, on_imported)


def annotations_report_html(result: AnnotationImport) -> str:
    """Placed, approximate, merged and orphaned annotations (untrusted text escaped)."""
    out = [f"<p>{len(result.placed)} highlights placed; {len(result.fuzzy)} placed by a close "
           f"match (check them); {len(result.merged)} passages already highlighted gained tags "
           f"or notes; {len(result.unchanged)} were already there; {len(result.orphans)} "
           "orphans.</p>"]
    if result.orphans:
        out.append("<p><b>Not placed</b>:</p><ul>")
        out += [f"<li>“{escape(o['quote'][:120])}” ({escape(o['id'])}): "
                f"{escape(o['reason'])}</li>" for o in result.orphans]
        out.append("</ul>")
    out += [f"<p>⚠ {escape(line)}</p>" for line in result.not_imported]
    return "".join(out)


def qdpx_report_html(result: QdpxImport) -> str:
    """What a project import created, then every part it could not map (text escaped)."""
    origin = f" from {escape(result.origin)}" if result.origin else ""
    out = [f"<p><b>New case “{escape(result.title)}”</b>{origin}: {result.documents} "
           f"documents, {result.highlights} highlights, {result.tags} tags, "
           f"{result.entities} entities, {result.claims} claims.</p>"]
    if result.not_imported:
        out.append("<p><b>Not imported</b>:</p><ul>")
        out += [f"<li>{escape(line)}</li>" for line in result.not_imported]
        out.append("</ul>")
    else:
        out.append("<p>Everything in the project was imported.</p>")
    return "".join(out)


def merge_report_html(report: MergeReport, title: str = "") -> str:
    """The merge report for people: where it went, counts per kind of record, then every
    record edited on both sides (``title``: the case's, escaped here)."""
    name = f"“{escape(title)}”" if title else "the case"
    verb = (f"New case created: {name}" if report.new_case
            else f"Merged into {name}, already in this database")
    out = [f"<p><b>{verb}</b>.</p>",
           "<table border='1' cellpadding='3'><tr><th></th><th>added</th><th>updated</th>"
           "<th>in conflict</th><th>kept yours</th><th>unchanged</th></tr>"]
    for key, t in report.types.items():
        c = t.counts()
        if not any(c.values()):
            continue
        out.append(f"<tr><td>{escape(type_name(key))}</td><td>{c['added']}</td>"
                   f"<td>{c['updated']}</td><td>{c['conflicts']}</td><td>{c['kept_local']}</td>"
                   f"<td>{c['unchanged']}</td></tr>")
    out.append("</table>")
    conflicts = [(k, c) for k, t in report.types.items() for c in t.conflicts]
    if conflicts:
        out.append("<p><b>Edited on both sides</b> — the newer version was kept:</p><ul>")
        for key, c in conflicts:
            who = "your version" if c["winner"] == "local" else "your colleague's version"
            out.append(f"<li>{escape(type_name(key))}: “{escape(c['label'])}” — kept "
                       f"{who} (yours {escape(c['local_updated_at'] or '')}, theirs "
                       f"{escape(c['incoming_updated_at'] or '')})</li>")
        out.append("</ul>")
    for w in report.warnings:
        out.append(f"<p>⚠ {escape(w)}</p>")
    return "".join(out)


class ReportDialog(QDialog):
    """A read-only report after an import (HTML built with every untrusted text escaped)."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(html)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class MergeReportDialog(ReportDialog):
    """Shows what an import added, updated, and which records were edited on both sides."""

    def __init__(self, report: MergeReport, parent: QWidget | None = None, title: str = ""):
        super().__init__("Bundle imported", merge_report_html(report, title), parent)
