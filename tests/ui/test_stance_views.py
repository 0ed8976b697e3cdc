"""Views and Qt-made exports name a claim's stance in the core's words: PDF report, timeline
(window, PNG/SVG export), entity profile, conflicts, ACH matrix."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from PySide6.QtCore import Qt

from casefile.services import entities
from tests.core.stance_case import LABELS, SUBJECT, build_stance_case
from ui.analysis.panels import ConflictsPanel
from ui.analysis.timeline import TimelineView


@pytest.fixture
def sc(db):
    return build_stance_case(db)


def _tree_texts(tree) -> list[str]:
    out, stack = [], [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        it = stack.pop()
        out.append(it.text(0))
        stack.extend(it.child(i) for i in range(it.childCount()))
    return out


def test_pdf_report_text_shows_three_labels(qapp, db, sc, tmp_path):
    from ui.exchange.report_pdf import write_report_pdf

    out = tmp_path / "report.pdf"
    write_report_pdf(db, case_id=sc.case_id, path=out)
    with pdfplumber.open(out) as pdf:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    for label in LABELS.values():
        assert f"{label} · in " in text, label
    assert "death (denied): is alive" in text  # the conflict set lists the denial as one


def test_timeline_marks_and_its_svg_export_name_the_stance(qtbot, db, sc, tmp_path):
    view = TimelineView(db, sc.case_id)
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view.show()
    by_stance = {m.entry.stance: m.text for m in view.marks}
    assert by_stance == {"asserts": "death", "denies": "✕ death (denied)",
                         "doubts": "? death (doubted)"}
    out = tmp_path / "timeline.svg"
    view.export(str(out))
    svg = out.read_text(encoding="utf-8")
    drawn = " ".join(re.findall(r">([^<>]+)</text>", svg))
    assert "death (denied)" in drawn and "death (doubted)" in drawn


def test_entity_profile_lists_the_denial_as_a_denial(qtbot, window, db, sc):
    window.controller.set_case(sc.case_id)
    ent = entities.find_entity(db, case_id=sc.case_id, name=SUBJECT)
    dlg = window.workspace.show_profile(ent.id)
    qtbot.waitUntil(lambda: dlg.profile is not None, timeout=10000)
    texts = _tree_texts(dlg.tree)
    assert "death (denied): is alive and had telephoned the family" in texts
    assert "death (doubted): doubted that Qodirov died in the strike" in texts
    assert "was killed in an airstrike near Darband" in texts
    dlg.close()


def test_conflicts_panel_names_the_stance(qtbot, db, sc):
    panel = ConflictsPanel(db, sc.case_id)
    qtbot.addWidget(panel)
    top = panel.model.index(0, 0)
    rows = [panel.model.index(r, 0, top) for r in range(panel.model.rowCount(top))]
    texts = sorted(i.data() for i in rows)
    assert texts == ["death (denied): is alive and had telephoned the family",
                     "death (doubted): doubted that Qodirov died in the strike",
                     "was killed in an airstrike near Darband"]
    tips = [i.data(Qt.ItemDataRole.ToolTipRole) for i in rows]
    assert any("death (denied)" in t for t in tips)


def test_claims_table_kind_names_the_stance(qtbot, window, db, sc):
    window.controller.set_case(sc.case_id)
    model = window.claims_model
    kinds = {model.data(model.index(r, 2)): model.data(model.index(r, 1))
             for r in range(model.rowCount())}
    assert kinds == {"was killed in an airstrike near Darband": "death",
                     "is alive and had telephoned the family": "death (denied)",
                     "doubted that Qodirov died in the strike": "death (doubted)"}
