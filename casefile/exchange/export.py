"""One entry point for every export format, writing atomically to a file.

The core's own formats are written here; a format whose writer lives outside the core (the PDF
report, drawn with Qt's printing by ``ui``) is found through the ``casefile.writers`` entry
point group, so the core never imports the window's code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from casefile.db.database import Database
from casefile.db.files import atomic_write
from casefile.errors import ValidationError

FORMATS = ("bundle", "qdpx", "jsonld", "csv", "codebook-csv", "qdc", "html")
WRITERS_GROUP = "casefile.writers"  # entry points: name → write(db, *, case_id, path)
# Text formats: the file's encoding (CSV carries a BOM so that spreadsheets read UTF-8).
_ENCODINGS = {"jsonld": "utf-8", "html": "utf-8", "csv": "utf-8-sig", "codebook-csv": "utf-8-sig"}


def evidence_path(target: Path) -> Path:
    """Where ``--format csv`` puts the evidence beside the claims: NAME-evidence.csv."""
    return target.with_name(f"{target.stem}-evidence{target.suffix or '.csv'}")


def write_atomically(target: Path, write: Callable[[Path], Any], *,
                     db_path: Path | None = None) -> None:
    """Write through a temporary file in the target's folder, so a failure leaves no half file
    (and an existing file stays as it was); never onto ``db_path`` or its own files."""
    atomic_write(target, write, db_path=db_path, what="export")


def plugin_writer(fmt: str) -> Callable[..., None] | None:
    """The writer another installed package registers for ``fmt`` (see the module docstring)."""
    from importlib.metadata import entry_points

    for ep in entry_points(group=WRITERS_GROUP, name=fmt):
        return ep.load()
    return None


def export_case(db: Database, *, case_id: str, fmt: str, target: Path) -> dict[str, Any]:
    """Export the case in ``fmt`` (one of ``FORMATS``, or a registered writer's: ``pdf``) to
    ``target``; a small summary back. The core's formats are safe on a worker thread."""
    summary: dict[str, Any] = {"case_id": case_id, "format": fmt, "output": str(target)}
    plugin = plugin_writer(fmt) if fmt not in FORMATS else None
    if plugin is not None:
        def write(p: Path) -> None:
            plugin(db, case_id=case_id, path=p)
    elif fmt == "bundle":
        from casefile.exchange.bundle import export_bundle

        def write(p: Path) -> None:
            with p.open("wb") as fh:
                res = export_bundle(db, case_id=case_id, out=fh)
            summary.update(records=res.records, sources=res.sources)
    elif fmt == "qdpx":
        from casefile.exchange.qdpx_export import export_qdpx

        def write(p: Path) -> None:
            res = export_qdpx(db, case_id=case_id, out=p)
            summary.update(documents=res.documents, highlights=res.highlights, tags=res.tags,
                           entities=res.entities, claims=res.claims)
    elif fmt == "qdc":
        from casefile.exchange.qdc import write_codebook

        def write(p: Path) -> None:
            with p.open("wb") as fh:
                write_codebook(db, case_id=case_id, out=fh)
    elif fmt in _ENCODINGS:
        from casefile.exchange import csv_export, jsonld, report

        fn = {"jsonld": jsonld.write_jsonld, "csv": csv_export.write_claims_csv,
              "codebook-csv": csv_export.write_codebook_csv,
              "html": report.write_report_html}[fmt]
        write = _text_writer(db, case_id, fn, _ENCODINGS[fmt])
    else:
        from importlib.metadata import entry_points

        known = (*FORMATS, *sorted(ep.name for ep in entry_points(group=WRITERS_GROUP)))
        raise ValidationError(f"unknown export format {fmt!r}; use one of {', '.join(known)}")
    write_atomically(target, write, db_path=db.path)
    if fmt == "csv":  # after the claims file: a refused target leaves no evidence file behind
        evidence = evidence_path(target)
        write_atomically(evidence, _text_writer(db, case_id, csv_export.write_evidence_csv,
                                                _ENCODINGS[fmt]), db_path=db.path)
        summary["evidence_output"] = str(evidence)
    summary["bytes"] = target.stat().st_size
    return summary


def _text_writer(db: Database, case_id: str, fn: Callable[..., None], encoding: str
                 ) -> Callable[[Path], None]:
    def write(p: Path) -> None:
        with p.open("w", encoding=encoding, newline="") as fh:
            fn(db, case_id=case_id, out=fh)

    return write
