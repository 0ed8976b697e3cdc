"""Every Qt model passes qtmodeltester over the sample case, and shows what the analyst needs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from ui.base.tables import IdRole, SortRole


@pytest.mark.parametrize("name", ["cases_model", "documents_model", "claims_model",
                                  "entities_model", "tags_model"])
def test_models_pass_qtmodeltester(qtmodeltester, sample_window, name):
    model = getattr(sample_window, name)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_models_pass_qtmodeltester_when_empty(qtmodeltester, window):
    for m in (window.documents_model, window.claims_model, window.entities_model,
              window.tags_model, window.cases_model):
        qtmodeltester.check(m, force_py=True)


def test_documents_sort_by_date_and_filter(sample_window):
    proxy: QSortFilterProxyModel = sample_window.documents_panel.proxy
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    outlets = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    assert outlets == ["Northern Ledger", "Meridian Wire", "Caspian Courier",
                       "Rivertown Gazette"]
    sample_window.documents_panel.filter.setText("gazette")
    assert proxy.rowCount() == 1
    assert proxy.index(0, 1).data() == "Rivertown Gazette"


def test_claims_table_columns(sample_window):
    m = sample_window.claims_model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers[:7] == ["Subject", "Kind", "Statement", "Date", "Place", "Origin", "Stance"]
    row = next(r for r in range(m.rowCount()) if m.index(r, 4).data() == "Wadi Sirr"
               and m.index(r, 6).data() == "asserts")
    assert m.index(row, 0).data() == "Temur Vakhidov"
    assert m.index(row, 3).data() == "3 August 2020"
    assert m.index(row, 5).data() == "Anvar Rasulzoda"
    assert m.index(row, 7).data() == 3
    assert m.index(row, 8).data() == 1
    # Dates sort chronologically, not alphabetically.
    keys = sorted(k for r in range(m.rowCount()) if (k := m.index(r, 3).data(SortRole)))
    assert keys[0].startswith("2015-04") and keys[-1].startswith("2021")


def test_entities_grouped_by_kind_with_aliases(sample_window):
    m = sample_window.entities_model
    groups = [m.index(r, 0).data() for r in range(m.rowCount())]
    assert any(g.startswith("People") for g in groups)
    assert any(g.startswith("Places") for g in groups)
    people = m.index(next(r for r, g in enumerate(groups) if g.startswith("People")), 0)
    names = [m.index(r, 0, people).data() for r in range(m.rowCount(people))]
    row = names.index("Temur Vakhidov")
    aliases = m.index(row, 1, people).data()
    for spelling in ("Timur Vakhidov", "Temur Vahidov", "Темур Вахидов",
                     "Abu Hafs al-Qalami", "Vakhidov Temur"):
        assert spelling in aliases
    ent_idx = m.index(row, 0, people)
    assert m.rowCount(ent_idx) >= 6  # one child per alias


def test_tags_tree_is_hierarchical_with_colours(sample_window):
    m = sample_window.tags_model
    top = {m.index(r, 0).data(): m.index(r, 0) for r in range(m.rowCount())}
    assert "Events" in top
    events = top["Events"]
    children = {m.index(r, 0, events).data() for r in range(m.rowCount(events))}
    assert {"Death", "Alive"} <= children
    death = next(m.index(r, 0, events) for r in range(m.rowCount(events))
                 if m.index(r, 0, events).data() == "Death")
    assert m.data(death, Qt.ItemDataRole.DecorationRole).name() == "#ef9a9a"
    assert m.data(death, IdRole)


def test_editing_a_claim_keeps_the_tables_selection_and_sort(sample_window, db):
    from dataclasses import replace

    from casefile.services import claims

    panel = sample_window.case_panel
    view = panel.claims_view
    view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    order = [panel.claims_proxy.index(r, 0).data(IdRole)
             for r in range(panel.claims_proxy.rowCount())]
    chosen = order[2]
    panel.select_claims([chosen])
    resets, changed = [], []
    model = sample_window.claims_model
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.row(), b.row())))
    other = claims.get_claim(db, claim_id=order[0])
    sample_window.controller.update_claim(
        other.id, replace(claims.as_input(other), note="checked against the Lantern archive"))
    row = model.row_of(other.id)
    assert resets == [] and changed == [(row, row)]  # one row repaints; views keep scroll
    assert panel.current_claim_id() == chosen
    assert [panel.claims_proxy.index(r, 0).data(IdRole)
            for r in range(panel.claims_proxy.rowCount())] == order
    assert claims.get_claim(db, claim_id=other.id).note.startswith("checked")


def test_claims_table_counts_independent_origins(sample_window, db, qtbot):
    from casefile.services import analysis

    model = sample_window.claims_model
    qtbot.waitUntil(lambda: not model.refresher.busy and bool(model.corroboration))
    corr = analysis.corroboration(db, case_id=sample_window.controller.case_id)
    col = model.INDEPENDENT
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Indep."
    for row, rec in enumerate(model.rows):
        shown = model.index(row, col).data()
        assert shown == corr[rec.id].independent_origins
        tip = model.index(row, col).data(Qt.ItemDataRole.ToolTipRole)
        assert f"Suggested credibility {corr[rec.id].suggested_credibility}" in tip


def test_claim_editor_suggests_but_does_not_impose_a_grade(sample_window, qtbot):
    model = sample_window.claims_model
    qtbot.waitUntil(lambda: not model.refresher.busy and bool(model.corroboration))
    rec = model.rows[0]
    corr = model.corroboration[rec.id]
    editor = sample_window.annotator.edit_claim(rec.id)
    assert f"Suggested credibility: {corr.suggested_credibility}" in editor.suggestion.text()
    assert editor.credibility.currentIndex() + 1 == rec.credibility  # the analyst's own grade
    editor.reject()
