"""PDFs at the edges, as a browser engine's test suite has them: files pdfminer refuses but PDFium
reads, page trees that loop, lines repeated on every page that are content, words set without
space characters, one plain sentence for every failure, a page limit, progress page by page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.errors import ImportFailed
from casefile.importers import pdf as pdf_importer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import pages_pdf
from rawpdf import looping_tree_pdf, stream, text_ops, text_pdf, write

LINES = ["Report from the Qalat Nur crossing, 3 August 2020.",
         "The courier Daler Nazarov was seen at the checkpoint by two guards,",
         "who say he crossed on foot before the border closed for the night."]
# Messages that show the analyst a parser's insides.
LEAKS = ("Error", "Exception", "NoneType", "Traceback", "object", "(", "image")


def test_a_pdf_pdfminer_refuses_is_read_from_pdfiums_text_layer():
    """A stream whose hex encoding has a stray digit stopped pdfminer ("Non-hexadecimal digit
    found"); PDFium reads past it. pdf.js's suite had three such files refused."""
    bad = stream(b"20 2G 41>", "/Filter /ASCIIHexDecode ")
    data = text_pdf([text_ops(LINES)], extra_streams=[bad])
    doc = pdf_importer.extract(data, "crossing.pdf")
    assert doc.extractor == "pypdfium2"
    assert doc.text == (LINES[0] + "\n\n" + LINES[1] + " " + LINES[2])
    assert doc.page_starts == (0,)
    from casefile.layout import PageLayout

    lay = PageLayout.decode(doc.layout)
    assert len(lay) == len(doc.text.split())  # every word has its box on the page


def test_a_page_tree_that_loops_is_named_as_such():
    with pytest.raises(ImportFailed) as err:
        importers.extract(looping_tree_pdf(), "loop.pdf")
    assert str(err.value) == ("this PDF's page tree loops back on itself (a damaged or crafted "
                              "file), so it has no pages to read")


def test_a_pdf_no_reader_can_open_gets_one_plain_sentence_and_the_detail_goes_to_the_log(
        tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_LOG", str(tmp_path / "casefile.log"))
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    data = write([catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                  b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                  stream(b"\x00" * 64, "/Filter /BrotliDecode ")])
    data = data.replace(b"/Type /Pages", b"/Type /Pagez")  # nothing left to read
    with pytest.raises(ImportFailed) as err:
        importers.extract(data, "broken.pdf")
    msg = str(err.value)
    assert msg in ("this PDF has no pages", "this PDF is damaged and cannot be read")
    assert not any(word in msg for word in LEAKS)


def test_a_parser_crash_is_one_sentence_with_the_detail_in_the_log(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_LOG", str(tmp_path / "casefile.log"))
    bad = stream(b"20 2G 41>", "/Filter /ASCIIHexDecode ")
    data = text_pdf([text_ops(LINES)], extra_streams=[bad])
    from casefile.importers import pdf_worker

    def no_pdfium(*_a):
        raise TypeError("'NoneType' object is not iterable")

    monkeypatch.setattr(pdf_worker, "_pdfium", no_pdfium)
    got = pdf_worker.read_pages(data)
    assert got["error"] == "this PDF is damaged and cannot be read"
    assert "Non-hexadecimal digit found" in got["detail"] and "NoneType" in got["detail"]
    from casefile.importers import sandbox

    with pytest.raises(ImportFailed, match=r"^this PDF is damaged and cannot be read$"):
        sandbox._result(0, __import__("json").dumps(got).encode(), b"", what="PDF",
                        memory_limit=1)
    assert "Non-hexadecimal digit found" in (tmp_path / "casefile.log").read_text()


COLOURS = "A, B, C = 0.75, 0.00, 0.00  A, B, C = 0.80, 0.00, 0.00  A, B, C = 0.90, 0.00, 0.00"


def test_a_long_line_repeated_at_every_page_foot_is_content_and_kept():
    """A colour-space test file prints the same row of values at the foot of each page; it
    was dropped as a running footer (-10 % of the words)."""
    pages = [[f"Gamma {1 + n / 10:.1f}", "WhitePoint 0.9505 1.0000 1.0890",
              "Samples of the colour space follow."] for n in range(4)]
    doc = pdf_importer.extract(pages_pdf(pages, footer=COLOURS), "calrgb.pdf")
    assert doc.text.count(COLOURS.split("  ")[0]) == 4
    assert doc.text.count("WhitePoint 0.9505 1.0000 1.0890") == 4


def test_a_short_label_whose_values_change_is_content_too():
    gammas = ["1.8", "2.2", "1.0", "2.4"]
    doc = pdf_importer.extract(text_pdf([
        text_ops([f"Gamma {g} calibrated", "", "", "Samples of the colour space follow."],
                 top=760) for g in gammas]), "gamma.pdf")
    for g in gammas:  # values, not page numbers: the label is data
        assert f"Gamma {g} calibrated" in doc.text
    pages = [["Samples of the colour space follow."] for _ in range(4)]
    doc = pdf_importer.extract(pages_pdf(pages, header="Border commission · minutes",
                                         footer="page {n}"), "minutes.pdf")
    assert doc.text.count("Border commission · minutes") == 1  # chrome: kept once


def test_words_set_without_space_characters_stay_apart():
    """LaTeX sets words with gaps, not spaces; a fixed 3-point tolerance glued them
    ("AndreasGal,BrendanEich"): 42 % of PDFium's words were missing on pdf.js's files."""
    content = (b"BT /F1 10 Tf 72 720 Td [(Daler) -260 (Nazarov,) -260 (courier) -260 (at) -260 "
               b"(Qalat) -260 (Nur.)] TJ ET")
    doc = pdf_importer.extract(text_pdf([content]), "tight.pdf")
    assert doc.text == "Daler Nazarov, courier at Qalat Nur."


WEEK = ["Monday: the crossing stayed closed.", "Tuesday: two lorries were turned back.",
        "Wednesday: the guards changed shifts.", "Thursday: a courier was questioned.",
        "Friday: rain closed the mountain road.", "Saturday: the market reopened.",
        "Sunday: nobody crossed.", "Monday again: the commission met."]


def _week(n: int) -> list[bytes]:
    return [text_ops([WEEK[k]]) for k in range(n)]


def test_a_pdf_over_the_page_limit_is_refused_before_any_page_is_read(monkeypatch):
    monkeypatch.setenv("CASEFILE_MAX_PAGES", "5")
    pages = _week(8)
    seen = []
    with pytest.raises(ImportFailed) as err:
        pdf_importer.extract(text_pdf(pages), "log.pdf",
                             page_progress=lambda d, t: seen.append(d))
    assert str(err.value) == ("this PDF has 8 pages; Casefile reads PDFs of up to 5 pages "
                              "(raise the limit with --max-pages or CASEFILE_MAX_PAGES to "
                              "import it)")
    assert not [d for d in seen if d > 0]
    monkeypatch.setenv("CASEFILE_MAX_PAGES", "8")
    assert pdf_importer.extract(text_pdf(pages), "log.pdf").text.count("day") == 8


def test_a_long_pdf_reports_each_page_read(db, case_id, tmp_path):
    (tmp_path / "log.pdf").write_bytes(text_pdf(_week(6)))
    seen: list[str] = []
    [res] = importers.import_files(db, case_id=case_id, paths=[tmp_path / "log.pdf"],
                                   progress=lambda d, t, name: seen.append(name))
    assert res.ok, res.error
    assert [f"log.pdf: page {n} of 6" for n in range(1, 7)] == [
        s for s in dict.fromkeys(seen) if s.startswith("log.pdf: page")]


def test_the_cli_shows_page_progress_with_v(cli_env, tmp_path):
    from tests.helpers import run_cli

    (tmp_path / "log.pdf").write_bytes(text_pdf(_week(4)))
    (tmp_path / "long.pdf").write_bytes(text_pdf(_week(3)))
    out = run_cli("-v", "import", str(tmp_path / "log.pdf"), env=cli_env)
    assert "importing 1 of 1: log.pdf: page 4 of 4" in out.stderr
    out = run_cli("import", "--max-pages", "2", str(tmp_path / "long.pdf"), env=cli_env,
                  check=False)
    assert out.returncode == 1 and "reads PDFs of up to 2 pages" in out.stderr
