"""The PDF report: printed by Qt offscreen, from the app and from a display-less CLI."""

from __future__ import annotations

import os

import pdfplumber

from tests.core.exchange_world import build_world
from tests.helpers import run_cli


def _text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_pdf_report_holds_the_case(qapp, db, tmp_path):
    from ui.report_pdf import write_report_pdf

    world = build_world(db)
    out = tmp_path / "report.pdf"
    write_report_pdf(db, case_id=world.case_id, path=out)
    assert out.read_bytes().startswith(b"%PDF")
    text = _text(out)
    assert "The Vakhidov file" in text
    assert "killed in a missile strike on Tal Hasan" in text
    assert "Conflicts" in text and "Timeline" in text
    with pdfplumber.open(out) as pdf:
        assert any(page.images for page in pdf.pages), "the timeline image is missing"


def test_cli_pdf_works_without_a_display(db, db_path, cli_env, tmp_path):
    world = build_world(db)
    db.close()
    env = {k: v for k, v in cli_env.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "report.pdf"
    run_cli("--db", str(db_path), "export", "--case", world.case_id, "--format", "pdf",
            "-o", str(out), env=env)
    assert "Temur Vakhidov" in _text(out)
    assert oct(os.stat(out).st_mode & 0o777) != "0o600"
