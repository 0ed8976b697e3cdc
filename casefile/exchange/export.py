"""One entry point for every Qt-free export format, writing atomically to a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casefile.db.database import Database
from casefile.errors import ValidationError

FORMATS = ("bundle", "qdpx", "jsonld", "csv", "qdc", "html")


def write_atomically(target: Path, write: Callable[[Path], Any]) -> None:
    """Write through a temporary file in the target's folder, so a failure leaves no half file
    (and an existing file stays as it was)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private; give it the usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_case(db: Database, *, case_id: str, fmt: str, target: Path) -> dict[str, Any]:
    """Export the case in ``fmt`` (one of ``FORMATS``) to ``target``; a small summary back.

    Safe on a worker thread. The PDF report needs Qt and lives in ``ui.report_pdf``."""
    summary: dict[str, Any] = {"case_id": case_id, "format": fmt, "output": str(target)}
    if fmt == "bundle":
        from casefile.exchange.bundle import export_bundle

        def write(p: Path) -> None:
            res = export_bundle(db, case_id=case_id, out=p)
            summary.update(records=res.records, sources=res.sources)
    elif fmt == "qdpx":
        from casefile.exchange.qdpx_export import export_qdpx

        def write(p: Path) -> None:
            res = export_qdpx(db, case_id=case_id, out=p)
            summary.update(documents=res.documents, highlights=res.highlights, tags=res.tags,
                           entities=res.entities, claims=res.claims)
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
    write_atomically(target, write)
    summary["bytes"] = target.stat().st_size
    return summary
