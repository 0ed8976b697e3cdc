"""The analysis panels and bundle exchange, wired into the real window."""

from __future__ import annotations

from casefile.exchange.export import export_case
from casefile.services import cases, entities
from ui.analysis.models import ROW_ROLE
from ui.exchange.actions import MergeReportDialog


def _loaded(qtbot, lazy):
    """Wait for a lazily built panel's background load; return the panel."""
    qtbot.waitUntil(lambda: lazy.refresher is not None and not lazy.refresher.busy,
                    timeout=20000)
    return lazy.panel


def _entity_rows(model) -> int:
    """Entities shown in the tree (kind groups at the top level, entities beneath)."""
    return sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount()))


def test_panels_are_built_only_when_shown(sample_window, qtbot):
    area = sample_window.analysis
    assert area.timeline.panel is None and area.graph.panel is None
    area.timeline_action.trigger()
    qtbot.waitUntil(lambda: area.timeline.panel is not None)
    _loaded(qtbot, area.timeline)
    assert area.timeline.panel.case_id == sample_window.controller.case_id
    assert area.timeline.panel.marks, "the sample case has dated claims"
    assert area.graph.panel is None  # tabified behind the timeline, not shown yet


def test_conflict_jumps_to_the_passage(sample_window, qtbot):
    area = sample_window.analysis
    area._show_tab(area.conflicts)
    panel = _loaded(qtbot, area.conflicts)
    assert panel.model.rowCount() >= 1, "the sample case reports the death four times"
    index = panel.model.index(0, 0)
    child = panel.model.index(0, 0, index)
    fact = child.data(ROW_ROLE)
    assert fact.passages, "every sample claim cites a passage"
    panel._activated(child)
    qtbot.waitUntil(lambda: sample_window.reader.document is not None)
    passage = fact.passages[0]
    assert sample_window.reader.document.id == passage.document_id
    view = sample_window.reader.view
    assert view.omap.to_utf16(passage.start) == view.textCursor().position()


def test_merge_from_duplicates_tab_refreshes_models_and_undoes(sample_window, db, qtbot):
    area = sample_window.analysis
    case_id = sample_window.controller.case_id
    keep = entities.create_entity(db, case_id=case_id, name="Jamshed Vakhidov")
    entities.create_entity(db, case_id=case_id, name="Jamshed Vahidov")
    area._show_tab(area.candidates)
    panel = _loaded(qtbot, area.candidates)
    names = [(c.a, c.b) for c in panel.model.rows]
    row = next(i for i, (a, b) in enumerate(names)
               if {a, b} == {"Jamshed Vakhidov", "Jamshed Vahidov"})
    panel.view.selectRow(row)
    before = len(entities.list_entities(db, case_id=case_id))
    assert panel.merge_selected()
    after = entities.list_entities(db, case_id=case_id)
    assert len(after) == before - 1
    assert _entity_rows(sample_window.entities_model) == before - 1
    sample_window.controller.undo_stack.undo()
    _loaded(qtbot, area.candidates)
    assert len(entities.list_entities(db, case_id=case_id)) == before
    assert _entity_rows(sample_window.entities_model) == before
    assert entities.get_entity(db, entity_id=keep.id).name == "Jamshed Vakhidov"


def test_import_bundle_from_the_window(sample_window, db, qtbot, tmp_path):
    case_id = sample_window.controller.case_id
    bundle = tmp_path / "sample.casefile"
    export_case(db, case_id=case_id, fmt="bundle", target=bundle)
    cases.delete_case(db, case_id=case_id)
    sample_window.controller.set_case("")
    assert sample_window.documents_model.rowCount() == 0
    sample_window.exchange.import_bundle(bundle)
    qtbot.waitUntil(lambda: bool(sample_window.findChildren(MergeReportDialog)), timeout=15000)
    assert sample_window.controller.case_id == case_id
    assert sample_window.documents_model.rowCount() == 4
    dialog = sample_window.findChildren(MergeReportDialog)[-1]
    assert dialog.isVisible() and "New case created" in dialog.browser.toHtml()
    dialog.close()


def test_analysis_loads_off_the_gui_thread(sample_window, qtbot, monkeypatch):
    import threading

    from casefile.services import analysis

    threads = []
    real = analysis.timeline

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "timeline", spy)
    area = sample_window.analysis
    area.timeline_action.trigger()
    qtbot.waitUntil(lambda: area.timeline.panel is not None)
    panel = _loaded(qtbot, area.timeline)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert panel.marks
    # an edit while the dock is open reloads it, again in the background
    sample_window.controller.delete_claim(sample_window.claims_model.rows[0].id)
    _loaded(qtbot, area.timeline)
    assert len(threads) == 2 and threads[1] is not threading.main_thread()
    panel.set_clock("reported")
    _loaded(qtbot, area.timeline)
    assert len(threads) == 3 and threads[2] is not threading.main_thread()
    assert panel.info.text().endswith("in conflict sets") and "report date" in panel.info.text()
