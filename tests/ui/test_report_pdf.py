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
    from ui.exchange.report_pdf import write_report_pdf

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


def test_characters_no_font_draws_become_visible_placeholders():
    from ui.exchange.report_pdf import with_placeholders

    def no_emoji(ch: str) -> bool:
        return ord(ch) < 0x2600

    assert with_placeholders("Sirr 🙂 — «ok»", no_emoji) == \
        "Sirr [slightly smiling face] — «ok»"
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert with_placeholders(family, no_emoji) == "[man][woman][girl]"
    assert with_placeholders("I \u2764\ufe0f it", no_emoji) == "I [heavy black heart] it"
    assert with_placeholders("Café e\u0301", no_emoji) == "Café e\u0301"  # all drawable


def _claim_with_two_passages_and_emoji(db):
    from dataclasses import replace

    from casefile.services import claims, documents, highlights

    world = build_world(db)
    text = documents.get_text(db, document_id=world.docs[2])
    quote = "«Темур Вахидов» — 🙂 — was buried"
    start = text.index(quote)
    hid = highlights.create_highlight(db, document_id=world.docs[2], start=start,
                                      end=start + len(quote)).id
    claims.add_evidence(db, claim_id=world.claims[2], highlight_id=hid)
    rec = claims.get_claim(db, claim_id=world.claims[2])
    claims.update_claim(db, claim_id=rec.id, data=replace(
        claims.as_input(rec), statement="Killed in an airstrike 💥 near Wadi Sirr"))
    return world


def test_emoji_never_reach_the_pdf_as_empty_boxes(qapp, db, tmp_path):
    from ui.exchange.report_pdf import installed_fonts_draw, placeholder, write_report_pdf

    world = _claim_with_two_passages_and_emoji(db)
    out = tmp_path / "report.pdf"
    write_report_pdf(db, case_id=world.case_id, path=out)
    text = _text(out)
    assert "\x00" not in text and "\ufffd" not in text
    for emoji in ("🙂", "💥"):
        shown = emoji if installed_fonts_draw(emoji) else placeholder(emoji)
        assert shown in text.replace("\n", " ")
    assert "«Темур Вахидов»" in text


def test_a_claims_second_citation_lines_up_with_the_first(qapp, db, tmp_path):
    from ui.exchange.report_pdf import write_report_pdf

    world = _claim_with_two_passages_and_emoji(db)
    out = tmp_path / "report.pdf"
    write_report_pdf(db, case_id=world.case_id, path=out)
    lines: list[list[dict]] = []  # the words of each printed line, in reading order
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for w in page.extract_words():
                if lines and abs(lines[-1][0]["top"] - w["top"]) < 2 and \
                        lines[-1][0]["page"] == page.page_number:
                    lines[-1].append(w)
                else:
                    lines.append([{**w, "page": page.page_number}])
    texts = [" ".join(w["text"] for w in ln) for ln in lines]
    first = texts.index("Claims by subject")
    last = next(i for i, t in enumerate(texts) if i > first and t == "Conflicts")
    citations = [ln[0]["x0"] for ln, t in zip(lines[first:last], texts[first:last], strict=True)
                 if t.split(",")[0] in ("Northern Ledger", "Meridian Wire", "Rivertown Gazette",
                                        "The Daily Lantern")]
    assert len(citations) == 5  # four claims, one of them with two passages
    assert max(citations) - min(citations) < 1, f"citations start at {citations}"
