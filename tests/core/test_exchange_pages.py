"""Exports of highlights in PDFs and scans: an RFC 3778 fragment in JSON-LD, a page crop in the
report."""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from pathlib import Path

import pdfplumber
from PIL import Image

from casefile import importers
from casefile.exchange import jsonld, report
from casefile.services import claims, highlights
from casefile.services.claims import ClaimInput

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

PHRASE = "was killed in an airstrike near Wadi Sirr"


def _setup(db, case_id, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(article_pdf([*filler_paragraphs(9), f"Officials said Vakhidov {PHRASE}."],
                                 title="Digest"))
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    start, end = highlights.locate_quote(db, document_id=res.id, quote=PHRASE)
    h = highlights.create_highlight(db, document_id=res.id, start=start, end=end)
    claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject="Temur Vakhidov", statement="Killed near Wadi Sirr", kind="death",
        evidence=(h.id,)))
    return path, h


def _phrase_box(path: Path) -> tuple[int, tuple[float, float, float, float]]:
    words = PHRASE.split()
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages):
            got = page.extract_words()
            texts = [w["text"].rstrip(".") for w in got]
            for i in range(len(texts)):
                if texts[i:i + len(words)] == words:
                    first = got[i]
                    on = [w for w in got[i:i + len(words)] if w["top"] == first["top"]]
                    right = on[-1]["x1"]
                    if on[-1]["text"].endswith("."):  # the quote stops before the full stop
                        right = max(c["x0"] for c in page.chars
                                    if c["text"] == "." and abs(c["x1"] - right) < 0.01)
                    return n, (on[0]["x0"], min(w["top"] for w in on), right,
                               max(w["bottom"] for w in on))
    raise AssertionError("phrase not found")


def test_jsonld_carries_a_pdf_fragment_selector(db, case_id, tmp_path):
    path, h = _setup(db, case_id, tmp_path)
    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=case_id, out=out)
    [anno] = [a for a in json.loads(out.getvalue())["first"]["items"]
              if a["id"].endswith(h.id)]
    [frag] = [s for s in anno["target"]["selector"] if s["type"] == "FragmentSelector"]
    assert frag["conformsTo"] == "http://tools.ietf.org/rfc/rfc3778"
    m = re.fullmatch(r"page=(\d+)&viewrect=([\d.]+),([\d.]+),([\d.]+),([\d.]+)", frag["value"])
    assert m
    page, (x0, y0, x1, y1) = _phrase_box(path)
    assert int(m.group(1)) == page + 1 >= 2  # the phrase is on a later page
    x, y, w, hgt = map(float, m.groups()[1:])
    assert abs(x - x0) < 0.6 and abs(y - y0) < 0.6
    # the end of a word cut by the quote is placed by its share of characters: within 1.5 pt
    assert abs(x + w - x1) < 1.5 and abs(y + hgt - y1) < 0.6


def test_the_report_shows_the_passage_cropped_from_its_page(db, case_id, tmp_path):
    _setup(db, case_id, tmp_path)
    html = report.report_html(db, case_id=case_id)
    [src] = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    img = Image.open(io.BytesIO(base64.b64decode(src)))
    assert img.width > 200 and 20 < img.height < 120  # one line of text, padded
    dark = sum(img.convert("L").histogram()[:128])
    assert dark > 200  # it shows the printed words, not a blank region
    assert html.index(PHRASE) < html.index("data:image/png")  # next to its quote
