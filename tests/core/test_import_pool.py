"""Batch import on every core: files are extracted in worker processes and stored in the
order given, duplicates within the batch caught, cancel honoured."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile import importers
from casefile.services import documents
from tests.helpers import cli_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs


def _files(tmp_path: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        path = tmp_path / f"report{i:02d}.html"
        body = "".join(f"<p>{p}</p>" for p in filler_paragraphs(4 + i))
        path.write_text(f"<html><head><title>Report {i}</title></head><body><article>"
                        f"<h1>Report number {i} on the Vakhidov file</h1>{body}</article>"
                        "</body></html>", encoding="utf-8")
        out.append(path)
    return out


def test_batch_in_workers_is_stored_in_order(db, case_id, tmp_path):
    paths = _files(tmp_path, 9)
    (tmp_path / "again.html").write_bytes(paths[2].read_bytes())
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(article_pdf(filler_paragraphs(3), title="The PDF report"))
    paths += [tmp_path / "again.html", pdf, tmp_path / "missing.html"]
    seen: list[str] = []
    results = importers.import_files(db, case_id=case_id, paths=paths, workers=2,
                                     progress=lambda i, n, name: seen.append(name))
    assert [r.file for r in results] == [str(p) for p in paths]
    assert seen == [p.name for p in paths] + [""]
    assert all(r.ok for r in results[:11]) and "no such file" in results[11].error
    assert results[9].duplicate_of == results[2].id
    for i in range(9):
        assert f"Report number {i} on" in documents.get_text(db, document_id=results[i].id)
    assert documents.get_text(db, document_id=results[10].id).startswith("The PDF report")
    assert len(documents.list_documents(db, case_id=case_id)) == 10


def test_cancel_stops_the_workers_and_stores_nothing_more(db, case_id, tmp_path):
    paths = _files(tmp_path, 12)
    stored: list[str] = []
    results = importers.import_files(
        db, case_id=case_id, paths=paths, workers=2,
        progress=lambda i, n, name: stored.append(name),
        cancelled=lambda: len(stored) >= 4)
    assert [r.ok for r in results] == [True] * 4  # the rest got no result
    assert len(documents.list_documents(db, case_id=case_id)) == 4


def test_command_line_batch_runs_in_workers(cli_env, tmp_path):
    paths = _files(tmp_path, 9)
    out = cli_json("import", *map(str, paths), env=cli_env)
    assert [r["file"] for r in out] == [str(p) for p in paths]
    assert all("id" in r and "error" not in r for r in out)
    assert len(cli_json("docs", env=cli_env)) == 9
