"""One change path: every edit — undoable command, undo, redo, bundle merge, ACH rating,
another program's commit — reaches the views as ``Changes`` through the one notifier, and a
highlight click costs one write and at most two reads."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from casefile.db.changes import Changes
from casefile.exchange.export import export_case
from casefile.exchange.merge import import_bundle
from casefile.services import cases, claims, documents, entities, highlights, hypotheses
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument
from casefile.services.hypotheses import HypothesisInput
from ui.analysis.ach_commands import RateCells
from ui.base.merges import MergeEntities, ResolveConflict

TEXT = ("Temur Vakhidov was killed in an airstrike near Wadi Sirr, the minister Anvar "
        "Rasulzoda said. His brother Olim Vakhidov said he did not believe it.")


class Heard:
    """Every ``Changes`` the window's notifier publishes."""

    def __init__(self, window):
        self.all: list[Changes] = []
        window.controller.notifier.changed.connect(self.all.append)

    def take(self) -> Changes:
        assert self.all, "nothing was published"
        out = Changes()
        for ch in self.all:
            out = out | ch
        self.all.clear()
        return out


@pytest.fixture
def ready(window, db, case_id):
    window.controller.set_case(case_id)
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=TEXT, original=TEXT.encode(), content_type="text/plain", title="Report")).id
    window.open_document(doc)
    return window, doc, Heard(window)


def span(word: str) -> tuple[int, int]:
    i = TEXT.index(word)
    return i, i + len(word)


def test_each_undoable_edit_publishes_what_it_changed_on_do_undo_and_redo(ready, db, case_id):
    w, doc, heard = ready
    ctl, stack = w.controller, w.controller.undo_stack

    h = ctl.create_highlight(doc, *span("killed in an airstrike"))
    ch = heard.take()
    assert ch.created["highlights"] == {h.id} and doc in ch.parent_ids("highlights")
    stack.undo()
    assert heard.take().deleted["highlights"] == {h.id}
    stack.redo()
    assert h.id in heard.take().live_ids("highlights")

    c = ctl.create_claim(ClaimInput(subject="Temur Vakhidov", kind="death"),
                         passage=(doc, *span("Temur Vakhidov was killed")))
    ch = heard.take()
    assert ch.created["claims"] == {c.id}
    assert len(ch.created["entities"]) == 1 and len(ch.created["highlights"]) == 1
    stack.undo()
    ch = heard.take()
    assert ch.deleted["claims"] == {c.id} and ch.deleted["entities"] and ch.deleted["highlights"]
    stack.redo()
    assert heard.take().live_ids("claims") == {c.id}

    ctl.update_claim(c.id, ClaimInput(subject="Temur Vakhidov", kind="death", stance="doubts",
                                      evidence=c.evidence))
    assert heard.take().updated["claims"] == {c.id}
    ctl.add_evidence(c.id, passage=(doc, *span("Wadi Sirr")))
    ch = heard.take()
    assert ch.updated["claims"] == {c.id} and len(ch.created["highlights"]) == 1

    ctl.update_document(doc, title="Airstrike report")
    assert heard.take().updated["documents"] == {doc}
    stack.undo()
    assert heard.take().updated["documents"] == {doc}

    e = ctl.create_entity("Olim Vakhidov")
    assert heard.take().created["entities"] == {e.id}
    ctl.edit_entity(e.id, add_aliases=("Olim Vahidov",), description="the brother")
    assert heard.take().updated["entities"] == {e.id}
    ctl.delete_entity(e.id)
    assert heard.take().deleted["entities"] == {e.id}
    stack.undo()
    assert heard.take().live_ids("entities") == {e.id}

    t = ctl.create_tag("Events")
    assert heard.take().created["tags"] == {t.id}
    ctl.update_tag(t.id, color="#ff0000")
    assert heard.take().updated["tags"] == {t.id}
    ctl.update_highlight(h.id, tag_paths=("Events/Death",))
    ch = heard.take()
    assert ch.updated["highlights"] == {h.id} and len(ch.created["tags"]) == 1

    ctl.delete_claim(c.id)
    assert heard.take().deleted["claims"] == {c.id}
    ctl.delete_highlight(h.id)
    assert heard.take().deleted["highlights"] == {h.id}


def test_analysis_edits_publish_their_changes(ready, db, case_id):
    w, _doc, heard = ready
    ctl = w.controller
    keep = entities.create_entity(db, case_id=case_id, name="Temur Vakhidov")
    other = entities.create_entity(db, case_id=case_id, name="Temur Vahidov")
    a = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject=keep.id, kind="death", date="2015"))
    b = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        subject=other.id, kind="death", date="2017"))
    heard.take()

    ctl.apply(MergeEntities(ctl, keep.id, other.id))
    ch = heard.take()
    assert other.id in ch.deleted["entities"] and b.id in ch.updated["claims"]
    ctl.undo_stack.undo()
    ch = heard.take()
    assert other.id in ch.live_ids("entities") and b.id in ch.updated["claims"]

    ctl.apply(ResolveConflict(ctl, keep.id, "death", (a.id, b.id), a.id, "the later report"))
    assert heard.take().created["resolutions"]

    h = hypotheses.add_hypothesis(db, case_id=case_id, data=HypothesisInput(
        statement="Killed in 2015", subject=keep.id, kind="death", date="2015"))
    assert heard.take().created["hypotheses"] == {h.id}
    ctl.apply(RateCells(ctl, [hypotheses.RatingRecord(h.id, a.id, "CC")], "Rate CC"))
    assert len(heard.take().created["ratings"]) == 1
    ctl.undo_stack.undo()
    assert len(heard.take().deleted["ratings"]) == 1


def test_writes_without_a_command_reach_the_notifier(ready, db, case_id, tmp_path, qtbot):
    """A bundle merge (any thread), or a command run beside the window."""
    w, _doc, heard = ready
    other = cases.create_case(db, title="Colleague's file").id
    heard.take()
    documents.add_document(db, case_id=other, doc=NewDocument(
        text="Olim Vakhidov was seen in Khorog.", original=b"x", content_type="text/plain"))
    heard.take()
    bundle = tmp_path / "colleague.casefile"
    export_case(db, case_id=other, fmt="bundle", target=bundle)
    import_bundle(db, path=bundle, into=case_id)
    ch = heard.take()
    assert len(ch.created["documents"]) == 1
    assert ch.created["documents"] <= {d.id for d in w.documents_model.rows}  # shown already

    from threading import Thread

    t = Thread(target=lambda: entities.create_entity(db, case_id=case_id, name="Khorog",
                                                     kind="place"))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(heard.all))
    assert heard.take().created["entities"]

    # another program's commit: the window learns of it on its next poll
    from casefile.db.database import open_database

    elsewhere = open_database(db.path)
    try:
        entities.create_entity(elsewhere, case_id=case_id, name="Anvar Rasulzoda")
    finally:
        elsewhere.close()
    assert w.controller.poll_elsewhere()
    assert heard.take().everything


@contextmanager
def counting(db, monkeypatch):
    """Reads and writes the window's thread makes (work handed to background threads, such
    as the analysis panels' loads, never holds the window)."""
    import threading

    calls = {"read": 0, "write": 0}
    for name in calls:
        real = getattr(db, name)

        def counted(real=real, name=name):
            calls[name] += threading.current_thread() is threading.main_thread()
            return real()

        monkeypatch.setattr(db, name, counted)
    yield calls


def test_a_highlight_click_is_one_write_and_at_most_two_reads(ready, db, monkeypatch, qtbot):
    from PySide6.QtCore import Qt

    w, _doc, _heard = ready
    view = w.reader.view
    start, end = span("was killed in an airstrike")
    view.select_range(start, end)
    view.setFocus()
    with counting(db, monkeypatch) as calls:
        qtbot.keyClick(view, Qt.Key.Key_H)
    assert calls["write"] == 1, calls
    # the new highlight travels with the change; only the documents list's count is read
    assert calls["read"] <= 1, calls
    assert any(r.start == start and r.end == end for r in view.records.values())
    row = w.documents_model.rows[w.documents_model.row_of(w.reader.document.id)]
    assert row.highlights == 1  # the list's count followed


def test_a_claim_on_a_new_passage_is_one_write(ready, db, monkeypatch):
    """The passage's highlight and the claim commit together (and undo takes both back)."""
    from casefile.services.claims import ClaimInput

    w, doc, _heard = ready
    start, end = span("was killed in an airstrike")
    with counting(db, monkeypatch) as calls:
        rec = w.controller.create_claim(ClaimInput(subject="Temur Vakhidov", kind="death"),
                                        passage=(doc, start, end))
    assert calls["write"] == 1, calls
    assert [(h.start, h.end) for h in w.reader.view.records.values()] == [(start, end)]
    assert len(rec.evidence) == 1
    w.controller.undo_stack.undo()
    assert not w.reader.view.records and not w.claims_model.rows


def test_a_claim_on_a_passage_reaches_the_views_without_reading_them_again(ready, db,
                                                                          monkeypatch):
    """The claim and its passage travel with the change: only the documents list's count is
    read (once the claim's entities exist), and the views show what a fresh read gives."""
    w, doc, _heard = ready
    w.controller.create_claim(ClaimInput(subject="Temur Vakhidov", kind="death"),
                              passage=(doc, *span("Temur Vakhidov")))
    start, end = span("was killed in an airstrike")
    with counting(db, monkeypatch) as calls:
        rec = w.controller.create_claim(ClaimInput(subject="Temur Vakhidov", kind="death"),
                                        passage=(doc, start, end))
    assert calls == {"read": 1, "write": 1}
    [hl] = [h for h in w.reader.view.records.values() if h.start == start]
    assert hl == highlights.get_highlight(db, highlight_id=hl.id)
    assert hl.claim_ids == (rec.id,)
    assert w.claims_model.rows == claims.list_claims(db, case_id=w.controller.case_id)
