"""The one import path: sniffing, refusals, duplicates, progress and cancel, and the CLI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.importers import html as html_importer
from casefile.importers import reading
from casefile.importers.sniff import sniff
from casefile.services import documents
from tests.helpers import run_cli

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
MERIDIAN = ARTICLES / "meridian_wadi_sirr.html"
sys.path.insert(0, str(ARTICLES))
from pdfgen import article_pdf, filler_paragraphs  # noqa: E402


def _pdf_of_meridian() -> bytes:
    """The Meridian Wire article printed to PDF: same text, different bytes and format."""
    doc = html_importer.extract(MERIDIAN.read_bytes(), MERIDIAN.name)
    title, *paras = doc.text.split("\n\n")
    return article_pdf(paras, title=title, header="meridianwire.example")


@pytest.mark.parametrize("name, data, message", [
    ("empty.html", b"", "empty"),
    ("noise.pdf", os.urandom(5000), "binary data"),
    ("noise.html", os.urandom(5000), "binary data"),
    ("noise.txt", os.urandom(5000), "binary data"),
    ("page.pdf", MERIDIAN.read_bytes(), "web page"),
    ("report.html", article_pdf(["A short report."]), "a PDF"),
    ("report.docx", b"Plain words, not a Word file.", "text file"),
    ("archive.docx", b"PK\x03\x04" + os.urandom(200), "ZIP"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(500), ".doc"),
    ("plain.html", b"Just some words without any markup at all.", "text file"),
])
def test_files_that_lie_or_are_empty_get_an_error_and_store_nothing(db, case_id, tmp_path, name,
                                                                     data, message):
    path = tmp_path / name
    path.write_bytes(data)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert not res.ok and res.id is None
    assert message in res.error
    assert documents.list_documents(db, case_id=case_id) == []


def test_content_decides_when_the_name_says_nothing():
    assert sniff(MERIDIAN.read_bytes(), "download") == "html"
    assert sniff(article_pdf(["x"]), "download.bin") == "pdf"
    assert sniff(b"Some words.", "notes") == "text"
    assert sniff(b"<p>html source</p> kept as text", "source.txt") == "text"


def test_size_limit(db, case_id, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert not res.ok and "up to" in res.error and "MB" in res.error


def test_same_bytes_twice_is_a_duplicate_not_an_error(db, case_id, tmp_path):
    first = importers.import_file(db, case_id=case_id, path=MERIDIAN)
    copy = tmp_path / "copy-of-page.html"
    copy.write_bytes(MERIDIAN.read_bytes())
    again = importers.import_file(db, case_id=case_id, path=copy)
    assert again.ok
    assert again.as_json() == {
        "file": str(copy), "id": first.id, "duplicate_of": first.id,
        "warning": "already imported as “Minister says militant Temur Vakhidov killed in strike "
                   "near Wadi Sirr”"}
    assert len(documents.list_documents(db, case_id=case_id)) == 1


def test_same_article_in_another_format_is_stored_with_a_warning(db, case_id, tmp_path):
    html_res = importers.import_file(db, case_id=case_id, path=MERIDIAN)
    pdf_path = tmp_path / "meridian-print.pdf"
    pdf_path.write_bytes(_pdf_of_meridian())
    other = tmp_path / "other.pdf"
    other.write_bytes(article_pdf(filler_paragraphs(6), title="Minister says militant Temur "
                                  "Vakhidov killed in strike near Wadi Sirr"))
    pdf_res, other_res = importers.import_files(db, case_id=case_id, paths=[pdf_path, other])
    assert pdf_res.ok and pdf_res.id != html_res.id and pdf_res.duplicate_of is None
    assert html_res.id in pdf_res.warning and "same article" in pdf_res.warning
    assert other_res.ok and other_res.warning is None  # same title, different text
    assert len(documents.list_documents(db, case_id=case_id)) == 3


def test_a_broken_file_never_stops_the_rest_and_progress_is_reported(db, case_id, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    good = ARTICLES / "courier_alive.md"
    seen = []
    results = importers.import_files(db, case_id=case_id, paths=[bad, good, MERIDIAN],
                                     progress=lambda i, n, name: seen.append((i, n, name)))
    assert [r.ok for r in results] == [False, True, True]
    assert seen == [(0, 3, "bad.pdf"), (1, 3, "courier_alive.md"),
                    (2, 3, "meridian_wadi_sirr.html"), (3, 3, "")]


def test_cancel_between_files(db, case_id):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    results = importers.import_files(db, case_id=case_id, paths=[MERIDIAN, ARTICLES /
                                     "courier_alive.md"], cancelled=cancelled)
    assert len(results) == 1 and results[0].ok
    assert len(documents.list_documents(db, case_id=case_id)) == 1


def test_an_unexpected_parser_failure_is_reported_not_raised(db, case_id, monkeypatch,
                                                              tmp_path):
    def boom(data, name, **kw):
        raise KeyError("parser bug")

    monkeypatch.setenv("CASEFILE_LOG", str(tmp_path / "casefile.log"))
    monkeypatch.setattr(html_importer, "extract", boom)
    res = importers.import_file(db, case_id=case_id, path=MERIDIAN)
    assert not res.ok and "KeyError" not in res.error  # one plain sentence for the analyst
    assert str(tmp_path / "casefile.log") in res.error  # the detail in the log it names
    assert "KeyError: 'parser bug'" in (tmp_path / "casefile.log").read_text()


def test_cli_imports_two_reports_one_error_exits_1(cli_env, tmp_path):
    a = tmp_path / "a.html"
    a.write_bytes(MERIDIAN.read_bytes())
    b = tmp_path / "b.pdf"
    b.write_bytes(article_pdf(filler_paragraphs(30), title="Vakhidov reported killed in 2017",
                              header="THE DAILY LANTERN"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b.read_bytes()[:3000])
    proc = run_cli("import", str(a), str(b), str(broken), "--json", env=cli_env, check=False)
    assert proc.returncode == 1, proc.stderr
    import json

    out = json.loads(proc.stdout)
    assert [("id" in r, "error" in r) for r in out] == [(True, False), (True, False),
                                                        (False, True)]
    assert "truncated" in out[2]["error"]
    docs = json.loads(run_cli("docs", "--json", env=cli_env).stdout)
    assert sorted(d["title"] for d in docs) == [
        "Minister says militant Temur Vakhidov killed in strike near Wadi Sirr",
        "Vakhidov reported killed in 2017"]
    pdf_doc = next(d for d in docs if d["content_type"] == "application/pdf")
    assert pdf_doc["pages"] >= 3
