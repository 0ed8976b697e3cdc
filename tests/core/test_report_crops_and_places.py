"""The report says where in plain English ("in Syria", never "at Syria"), and its page crops
never cut the line above or below the passage in half."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile import importers
from casefile.exchange.caseview import load_view
from casefile.exchange.crops import MAX_HEIGHT, crop_rect
from casefile.exchange.export import export_case
from casefile.layout import PageLayout
from casefile.services import claims, documents, highlights, hypotheses

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf, filler_paragraphs

LINE_H, GAP = 12.0, 4.0  # a line of words 12 points tall, 4 points of leading


def _page(lines: int) -> PageLayout:
    """Three words per line, lines one under the other."""
    lay = PageLayout(sizes=[(600.0, 800.0)])
    offset = 0
    for n in range(lines):
        top = 100 + n * (LINE_H + GAP)
        for k in range(3):
            lay.add(0, offset, offset + 5, (72 + 60 * k, top, 122 + 60 * k, top + LINE_H))
            offset += 6
    return lay


def _words(lay: PageLayout, line: int) -> list[tuple[float, float, float, float]]:
    return [lay.box(i) for i in range(line * 3, line * 3 + 3)]


def test_a_crop_stops_between_lines():
    lay = _page(5)
    passage = (72.0, 100 + 2 * (LINE_H + GAP), 242.0, 100 + 2 * (LINE_H + GAP) + LINE_H)
    x0, y0, x1, y1 = crop_rect(lay, 0, passage, lay.sizes[0])
    above, below = _words(lay, 1), _words(lay, 3)
    assert all(b[3] <= y0 for b in above)  # the line above is out, not cut in half
    assert all(b[1] >= y1 for b in below)
    assert y0 < passage[1] and y1 > passage[3]  # a margin around the passage itself
    assert x0 < passage[0] and x1 > passage[2]


def test_a_tall_passage_shows_its_first_lines_cut_in_a_gap():
    lay = _page(30)
    last = 29 * (LINE_H + GAP) + 100 + LINE_H
    _x0, y0, _x1, y1 = crop_rect(lay, 0, (72.0, 100.0, 242.0, last), lay.sizes[0])
    assert y1 - y0 <= MAX_HEIGHT + 2 * (LINE_H + GAP)
    for n in range(30):  # no line is cut across
        top, bottom = _words(lay, n)[0][1], _words(lay, n)[0][3]
        assert bottom <= y1 or top >= y1, n


def test_crops_of_a_real_pdf_leave_the_line_above_whole(db, case_id, tmp_path):
    lead = ("Interior Minister Anvar Rasulzoda told reporters in Dushanbe on Monday that the "
            "former police sergeant Temur Vakhidov was killed in an airstrike near Wadi Sirr "
            "on 3 August, and that the family had been told by officials the same evening.")
    path = tmp_path / "report.pdf"
    path.write_bytes(article_pdf([lead, *filler_paragraphs(4)], title="Minister's claim"))
    res = importers.import_file(db, case_id=case_id, path=path)
    text = documents.get_text(db, document_id=res.id)
    start = text.index("was killed in an airstrike")
    h = highlights.create_highlight(db, document_id=res.id, start=start, end=start + 26)
    view = load_view(db, case_id=case_id)
    page, box = view.page_region(h.id)
    lay = view.layouts[res.id]
    _x0, top, _x1, bottom = crop_rect(lay, page, box, lay.sizes[page])
    for i in lay.words_on(page):
        wx0, wy0, wx1, wy1 = lay.box(i)
        if wx1 < box[0] or wx0 > box[2]:
            continue
        inside = top <= wy0 and wy1 <= bottom
        outside = wy1 <= top or wy0 >= bottom
        assert inside or outside, (text[lay.start[i]:lay.end[i]], (wy0, wy1), (top, bottom))


def test_the_report_and_drafted_hypotheses_say_in_a_place(db, case_id, tmp_path):
    doc = documents.add_document(db, case_id=case_id, doc=documents.NewDocument(
        text="He was killed in an airstrike in Syria, the minister said.", original=b"x",
        content_type="text/plain", title="Minister's claim"))
    h = highlights.create_highlight(db, document_id=doc.id, start=3, end=38)
    h2 = highlights.create_highlight(db, document_id=doc.id, start=0, end=10)
    for date, evidence in (("2019-08", h.id), ("2020-08-03", h2.id)):
        claims.create_claim(db, case_id=case_id, data=claims.ClaimInput(
            subject="Gulmurod Khalimov", kind="death", statement="was killed in an airstrike",
            place="Syria", date=date, evidence=(evidence,)))
    out = tmp_path / "report.html"
    export_case(db, case_id=case_id, fmt="html", target=out)
    html = out.read_text(encoding="utf-8")
    assert "in Syria" in html and "at Syria" not in html
    ids = [c.id for c in claims.list_claims(db, case_id=case_id)]
    drafts = hypotheses.drafts_from_conflict(db, case_id=case_id, claim_ids=ids)
    assert drafts and all("at Syria" not in d.statement for d in drafts)
    assert any("in Syria" in d.statement for d in drafts)
