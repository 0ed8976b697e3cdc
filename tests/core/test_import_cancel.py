"""Every import can be stopped with nothing written: annotations, projects, bundles, a newer
version of a document, article files; and Ctrl-C in the command line ends it the same way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.errors import ImportCancelled
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from casefile.exchange.qdpx_import import import_qdpx
from casefile.exchange.w3c_import import import_annotations
from casefile.services import cases, documents, highlights, tags
from tests.core.exchange_world import build_world
from tests.core.scale_inputs import annotations, article, case_with_article, qdpx
from tests.helpers import cli_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from rawpdf import text_ops, text_pdf


def after(n: int):
    """A ``cancelled()`` that says yes from its ``n``-th call on."""
    calls = [0]

    def cancelled() -> bool:
        calls[0] += 1
        return calls[0] >= n

    cancelled.calls = calls  # type: ignore[attr-defined]
    return cancelled


def _state(db) -> tuple:
    ids = [c.id for c in cases.list_cases(db)]
    return (tuple(ids),
            tuple(len(highlights.list_highlights(db, case_id=c)) for c in ids),
            tuple(len(tags.list_tags(db, case_id=c)) for c in ids),
            tuple(len(documents.list_documents(db, case_id=c)) for c in ids))


def calls_of(run) -> int:
    """How many times an import that is never cancelled asks."""
    counter = after(10**9)
    run(counter)
    return counter.calls[0]


@pytest.mark.parametrize("when", ["first", "midway", "last"])  # "last": just before commit
def test_cancelled_annotations_write_nothing(db, tmp_path, when):
    from casefile.db.database import open_database

    def run(db, cancelled):
        case_id, doc_id, text = case_with_article(db, 1200)
        data = annotations(doc_id, text, 1200)
        return case_id, data, lambda: import_annotations(db, case_id=case_id, data=data,
                                                         cancelled=cancelled)

    dry = open_database(tmp_path / "dry.sqlite")
    total = calls_of(lambda c: run(dry, c)[2]())
    dry.close()
    n = {"first": 1, "midway": 2, "last": total}[when]
    case_id, data, go = run(db, after(n))
    before = _state(db)
    with pytest.raises(ImportCancelled, match="nothing was imported"):
        go()
    assert _state(db) == before
    assert len(import_annotations(db, case_id=case_id, data=data).placed) == 1200


def test_a_cancelled_project_writes_nothing(db, tmp_path):
    path = qdpx(tmp_path / "p.qdpx", sentences=20, selections=40, sources=4)
    before = _state(db)
    total = calls_of(lambda c: import_qdpx(db, path=path, cancelled=c))
    before_again = _state(db)
    assert len(before_again[0]) == len(before[0]) + 1
    for when in (1, 3, total):
        with pytest.raises(ImportCancelled):
            import_qdpx(db, path=path, cancelled=after(when))
        assert _state(db) == before_again
    assert import_qdpx(db, path=path).documents == 4


def test_a_cancelled_bundle_writes_nothing(db, tmp_path):
    from casefile.db.database import open_database

    world = build_world(db)
    export_bundle(db, case_id=world.case_id, out=tmp_path / "w.casefile")
    other = open_database(tmp_path / "other.sqlite")
    try:
        total = calls_of(lambda c: import_bundle(db, path=tmp_path / "w.casefile",
                                                 cancelled=c))
        before = _state(other)
        for when in (1, 2, total):
            with pytest.raises(ImportCancelled):
                import_bundle(other, path=tmp_path / "w.casefile", cancelled=after(when))
            assert _state(other) == before
    finally:
        other.close()


def test_a_cancelled_update_leaves_the_document_as_it_was(db, case_id, tmp_path):
    (tmp_path / "v1.txt").write_text("Nazarov crossed at Qalat Nur on Monday.", "utf-8")
    (tmp_path / "v2.txt").write_text("Nazarov crossed at Qalat Nur on Tuesday.", "utf-8")
    [res] = importers.import_files(db, case_id=case_id, paths=[tmp_path / "v1.txt"])
    with pytest.raises(ImportCancelled):
        importers.reimport_file(db, document_id=res.id, path=tmp_path / "v2.txt",
                                cancelled=after(1))
    assert documents.get_text(db, document_id=res.id).endswith("Monday.")


def _env(tmp_path: Path) -> dict[str, str]:
    root = Path(__file__).resolve().parents[2]
    return dict(os.environ, CASEFILE_DB=str(tmp_path / "cli.sqlite"),
                CASEFILE_LOG=str(tmp_path / "casefile.log"), PYTHONPATH=str(root))


def _interrupt_when(args: list[str], env: dict[str, str], marker: str
                    ) -> subprocess.CompletedProcess:
    """Run the CLI with ``-v``, press Ctrl-C (SIGINT to its process group, as a terminal
    does) once ``marker`` shows on stderr, and return what it did."""
    proc = subprocess.Popen([sys.executable, "-m", "casefile.cli", "-v", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    seen = []
    assert proc.stderr is not None
    for line in proc.stderr:
        seen.append(line)
        if marker in line:
            os.killpg(proc.pid, signal.SIGINT)
            break
    _out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, "", "".join(seen) + err)


def test_ctrl_c_stops_an_annotation_import_with_nothing_written(tmp_path):
    env = _env(tmp_path)
    case = cli_json("case", "new", "Nazarov", env=env)
    (tmp_path / "log.txt").write_text(article(20_000), "utf-8")
    [doc] = cli_json("import", str(tmp_path / "log.txt"), env=env)
    from casefile.db.database import open_database

    db = open_database(tmp_path / "cli.sqlite")
    try:
        data = annotations(doc["id"], documents.get_text(db, document_id=doc["id"]), 20_000,
                           tag=lambda i: f"Sightings/Day {i}")
    finally:
        db.close()
    (tmp_path / "notes.jsonld").write_text(json.dumps(data), "utf-8")
    done = _interrupt_when(["import-annotations", str(tmp_path / "notes.jsonld"), "--case",
                            case["id"]], env, "importing 1001 of 20000")
    assert done.returncode == 130, done.stderr[-3000:]
    assert "casefile: interrupted" in done.stderr and "Traceback" not in done.stderr
    assert cli_json("tags", env=env) == []
    cli_json("import-annotations", str(tmp_path / "notes.jsonld"), env=env)  # placeable
    assert len(cli_json("tags", env=env)) == 20_001


def test_ctrl_c_stops_reading_a_long_pdf_with_nothing_written(tmp_path):
    env = _env(tmp_path)
    pages = [text_ops([f"Entry {n}: the border commission met at Qalat Nur.",
                       f"It heard witness {n * 7 % 97} about the courier."]) for n in range(600)]
    (tmp_path / "minutes.pdf").write_bytes(text_pdf(pages))
    done = _interrupt_when(["import", str(tmp_path / "minutes.pdf")], env,
                           "minutes.pdf: page 20 of 600")
    assert done.returncode == 130, done.stderr[-3000:]
    assert "casefile: interrupted" in done.stderr and "Traceback" not in done.stderr
    assert cli_json("docs", env=env) == []
