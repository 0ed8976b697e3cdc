"""PDFs: paragraphs reflowed, running header kept once, page numbers gone, offsets, refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.errors import ImportFailed
from casefile.importers import pdf as pdf_importer
from casefile.importers.reflow import Line, Page, join_lines, reflow
from casefile.services import documents

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

LEAD = ("Interior Minister Anvar Rasulzoda said on Monday that Temur Vakhidov, the militant "
        "commander known as Abu Hafs al-Qalami, was killed in an airstrike near Wadi Sirr on "
        "3 August.")
HYPHENATED = ["The strike, officials said, destroyed a house used by the com-",
              "mander and four of his guards, and the government pre-",
              "sented it as a turning point for the al-",
              "Qalami network."]
HEADER = "MERIDIAN WIRE — WORLD NEWS"


def _article(**kw) -> bytes:
    kw.setdefault("title", "Minister says Vakhidov killed near Wadi Sirr")
    kw.setdefault("byline", "By Lena Okafor | 4 August 2020")
    kw.setdefault("header", HEADER)
    return article_pdf([LEAD, HYPHENATED, *filler_paragraphs(24)], **kw)


@pytest.fixture(scope="module")
def article() -> bytes:
    return _article()


@pytest.fixture(scope="module")
def extracted(article):
    return pdf_importer.extract(article, "wadi-sirr.pdf")


def test_several_pages_reflowed_into_paragraphs(extracted):
    text = extracted.text
    assert len(extracted.page_starts) >= 3
    assert LEAD in text  # wrapped lines joined with single spaces
    assert ("The strike, officials said, destroyed a house used by the commander and four of his "
            "guards, and the government presented it as a turning point for the al-Qalami "
            "network.") in text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == HEADER  # the running header, kept once
    assert paragraphs[1] == "Minister says Vakhidov killed near Wadi Sirr"
    assert paragraphs[3] == LEAD
    for i, para in enumerate(filler_paragraphs(24)):
        assert para in paragraphs, i  # including the ones that run across a page break
    assert "\n" not in paragraphs[4]


def test_running_header_kept_once_and_page_numbers_dropped(extracted):
    assert extracted.text.count(HEADER) == 1
    assert "Page " not in extracted.text and " of 3" not in extracted.text


def test_page_offsets_point_at_each_page_first_line(extracted):
    starts = extracted.page_starts
    assert starts[0] == 0
    assert list(starts) == sorted(starts) and len(set(starts)) == len(starts)
    for s in starts[1:]:
        # A page begins mid-paragraph (the text flows on) at a word, not inside one.
        assert extracted.text[s - 1] in " \n"
        assert extracted.text[s].isalnum()


def test_metadata_from_first_page_when_info_is_empty(extracted):
    assert extracted.title == "Minister says Vakhidov killed near Wadi Sirr"
    assert extracted.author == "Lena Okafor"
    assert extracted.published == "2020-08-04"
    assert extracted.content_type == "application/pdf"


def test_metadata_from_info_dictionary():
    doc = pdf_importer.extract(_article(info_title="Vakhidov: minister's statement",
                                        info_author="Meridian Wire desk", byline=""), "x.pdf")
    assert doc.title == "Vakhidov: minister's statement"
    assert doc.author == "Meridian Wire desk"


def test_import_stores_page_offsets(db, case_id, tmp_path, article):
    path = tmp_path / "a.pdf"
    path.write_bytes(article)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    rec = documents.get_document(db, document_id=res.id)
    assert rec.page_starts[0] == 0 and len(rec.page_starts) >= 3
    assert documents.get_text(db, document_id=res.id).startswith(HEADER + "\n\nMinister says")


@pytest.mark.parametrize("make, message", [
    (lambda a: a[: len(a) // 2], "truncated"),
    (lambda a: b"", "empty"),
    (lambda a: b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", "PDF"),
    (lambda a: _article(encrypt="s3cret"), "encrypted"),
    (lambda a: article_pdf(["x"], empty_text=True), "no readable text"),
])
def test_bad_pdfs_refused_with_a_reason_and_nothing_stored(db, case_id, tmp_path, article,
                                                           make, message):
    path = tmp_path / "bad.pdf"
    path.write_bytes(make(article))
    res = importers.import_file(db, case_id=case_id, path=path)
    assert not res.ok
    assert message in res.error
    assert documents.list_documents(db, case_id=case_id) == []


@pytest.mark.parametrize("padding", [b"\x00" * 20000, b"\r\n" * 5000 + b"\x00" * 3])
def test_padding_after_the_end_marker_is_read(db, case_id, tmp_path, article, padding):
    path = tmp_path / "padded.pdf"
    path.write_bytes(article + padding)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    assert LEAD in documents.get_text(db, document_id=res.id)


def test_time_limit_stops_the_child(article):
    with pytest.raises(ImportFailed, match=r"made no progress|took longer than"):
        pdf_importer.extract(article, "a.pdf", timeout=0.01)


def test_memory_cap_stops_the_child(article):
    with pytest.raises(ImportFailed, match="memory"):
        pdf_importer.extract(article, "a.pdf", memory_limit=40 * 2**20)


def test_cancel_stops_the_child(article):
    from casefile.importers.sandbox import ImportCancelled

    with pytest.raises(ImportCancelled):
        pdf_importer.extract(article, "a.pdf", cancelled=lambda: True)


# Reflow on hand-made lines: [text, x0, x1, top, bottom, size]

def _page(*lines: tuple[str, float, float, float], size: float = 10.0) -> Page:
    return Page(600, 800, tuple(Line(t, x0, x1, top, top + size, size) for t, x0, x1, top in lines))


def test_join_lines_spaces_and_attached_hyphens():
    assert join_lines("said", "that") == ("", " ")
    assert join_lines("in 2015 -", "then") == ("", " ")
    assert join_lines("the 2015-", "16 season") == ("", "")
    assert join_lines("Wäh\u00ad", "rend") == ("\u00ad", "")


def test_reflow_gap_indent_and_short_line_start_paragraphs():
    page = _page(("First paragraph line one goes right to the edge", 50, 550, 100),
                 ("and ends here.", 50, 200, 112),
                 ("Second paragraph after a short line goes to the", 50, 550, 124),
                 ("edge and continues", 50, 550, 136),
                 ("Third after a gap.", 50, 300, 160),
                 ("Indented fourth paragraph starts here and goes to", 70, 550, 172),
                 ("its end.", 50, 100, 184))
    text, starts = reflow([page])
    assert text.split("\n\n") == [
        "First paragraph line one goes right to the edge and ends here.",
        "Second paragraph after a short line goes to the edge and continues",
        "Third after a gap.",
        "Indented fourth paragraph starts here and goes to its end."]
    assert starts == (0,)


def test_reflow_keeps_an_empty_page_offset_in_order():
    p1 = _page(("Only page one text.", 50, 300, 100))
    empty = Page(600, 800, ())
    p3 = _page(("Page three text.", 50, 300, 100))
    text, starts = reflow([p1, empty, p3])
    assert text == "Only page one text.\n\nPage three text."
    assert starts == (0, len("Only page one text."), len("Only page one text.\n\n"))
