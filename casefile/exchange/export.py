"""One entry point for every Qt-free export format, writing atomically to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from casefile.db.database import Database
from casefile.db.files import atomic_write
from casefile.errors import ValidationError

FORMATS = ("bundle", "jsonld", "csv", "qdc", "html")


def write_atomically(target: Path, write: Callable[[Path], Any], *,
                     db_path: Path | None = None) -> None:
    """Write through a temporary file in the target's folder, so a failure leaves no half file
    (and an existing file stays as it was); never onto ``db_path`` or its own files."""
    atomic_write(target, write, db_path=db_path, what="export")


def export_case(db: Database, *, case_id: str, fmt: str, target: Path) -> dict[str, Any]:
    """Export the case in ``fmt`` (one of ``FORMATS``) to ``target``; a small summary back.

    Safe on a worker thread. The PDF report needs Qt and lives in ``ui.report_pdf``."""
    summary: dict[str, Any] = {"case_id": case_id, "format": fmt, "output": str(target)}
    if fmt == "bundle":
        from casefile.exchange.bundle import export_bundle

        def write(p: Path) -> None:
            with p.open("wb") as fh:
                res = export_bundle(db, case_id=case_id, out=fh)
            summary.update(records=res.records, sources=res.sources)
    elif fmt in FORMATS:
        from casefile.exchange import csv_export, jsonld, qdc, report

        fn = {"jsonld": jsonld.write_jsonld, "csv": csv_export.write_claims_csv,
              "qdc": qdc.write_codebook, "html": report.write_report_html}[fmt]

        def write(p: Path) -> None:
            if fmt == "qdc":
                with p.open("wb") as fh:
                    fn(db, case_id=case_id, out=fh)
            else:
                with p.open("w", encoding="utf-8", newline="") as fh:
                    fn(db, case_id=case_id, out=fh)
    else:
        raise ValidationError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    write_atomically(target, write, db_path=db.path)
    summary["bytes"] = target.stat().st_size
    return summary
