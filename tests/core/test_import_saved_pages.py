"""A page saved as one file (MHTML), with its ``_files`` folder, or captured in a WARC gives
the same article text as the page itself; nothing inside is fetched or run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.importers import sniff
from casefile.services import documents

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))
import pagegen  # noqa: E402


def _one(db, case_id, path: Path):
    results = importers.import_files(db, case_id=case_id, paths=[path])
    assert len(results) == 1 and results[0].ok, results
    return results[0]


@pytest.fixture
def original_text(tmp_path) -> str:
    doc = importers.extract(pagegen.article(), "wadi-sirr.html")
    assert "INJECTED" not in doc.text
    return doc.text


@pytest.mark.parametrize("encoding", ["quoted-printable", "base64"])
def test_an_mhtml_page_gives_the_article_text(db, case_id, tmp_path, original_text, encoding):
    path = tmp_path / "wadi-sirr.mhtml"
    path.write_bytes(pagegen.mhtml(encoding))
    assert sniff.sniff(path.read_bytes(), "saved") == sniff.MHTML  # content, not the name
    res = _one(db, case_id, path)
    rec = documents.get_document(db, document_id=res.id)
    assert documents.get_text(db, document_id=res.id) == original_text
    assert rec.outlet == "Meridian Wire" and rec.published == "2020-08-04"
    assert rec.content_type == "multipart/related"
    assert documents.get_original(db, document_id=res.id) == path.read_bytes()


def test_a_page_saved_with_its_files_folder(db, case_id, tmp_path, original_text):
    page = pagegen.write_saved_folder(tmp_path / "saved")
    results = importers.import_files(db, case_id=case_id,
                                     paths=[page, page.with_name("wadi-sirr_files")])
    assert [r.file for r in results] == [str(page)] and results[0].ok  # the folder is the page's
    assert documents.get_text(db, document_id=results[0].id) == original_text
    (alone,) = importers.import_files(db, case_id=case_id,
                                      paths=[page.with_name("wadi-sirr_files")])
    assert "import that page's .html file" in alone.error


@pytest.mark.parametrize("gzip,content_encoding", [(False, False), (True, False), (True, True)])
def test_a_warc_page_gives_the_article_text(db, case_id, tmp_path, original_text, gzip,
                                            content_encoding):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    path.write_bytes(pagegen.warc(gzip=gzip, content_encoding=content_encoding))
    res = _one(db, case_id, path)
    assert len(res.added) == 1  # the picture and the style sheet are not documents
    assert documents.get_text(db, document_id=res.added[0]) == original_text
    assert "2 other records" in res.warning or "3 other records" in res.warning
    again = _one(db, case_id, path)
    assert again.already == 1 and not again.added
