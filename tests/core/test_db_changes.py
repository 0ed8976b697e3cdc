"""Every write transaction reports what it changed, whatever path wrote it."""

from __future__ import annotations

from sqlalchemy import delete

from casefile.db.changes import Changes
from casefile.db.models import Document
from casefile.services import claims, documents, entities, highlights
from casefile.services.claims import ClaimInput
from casefile.services.documents import NewDocument


def _doc(db, case_id: str) -> str:
    text = "Temur Vakhidov was killed in Wadi Sirr."
    return documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title="Report")).id


def test_capture_names_created_records_and_their_parents(db, case_id):
    doc = _doc(db, case_id)
    with db.capture() as cap:
        h = highlights.create_highlight(db, document_id=doc, start=0, end=14,
                                        tag_paths=("Events/Death",))
    ch = cap.changes
    assert ch.created["highlights"] == {h.id}
    assert doc in ch.parent_ids("highlights")
    assert len(ch.created["tags"]) == 2  # the tag and its parent
    assert "claims" not in ch


def test_link_rows_are_updates_of_their_owner(db, case_id):
    doc = _doc(db, case_id)
    h = highlights.create_highlight(db, document_id=doc, start=0, end=14)
    c = claims.create_claim(db, case_id=case_id, data=ClaimInput(
        statement="killed", kind="death", subject="Temur Vakhidov", evidence=(h.id,)))
    h2 = highlights.create_highlight(db, document_id=doc, start=19, end=25)
    with db.capture() as cap:
        claims.add_evidence(db, claim_id=c.id, highlight_id=h2.id)
    assert cap.changes.updated["claims"] == {c.id}
    assert h2.id in cap.changes.parent_ids("claims")


def test_cascaded_deletes_are_reported(db, case_id):
    doc = _doc(db, case_id)
    h = highlights.create_highlight(db, document_id=doc, start=0, end=14)
    with db.capture() as cap, db.write() as s:
        s.execute(delete(Document).where(Document.id == doc))
    assert cap.changes.deleted["documents"] == {doc}
    assert cap.changes.deleted["highlights"] == {h.id}


def test_rolled_back_writes_report_nothing(db, case_id):
    heard: list[Changes] = []
    db.changes.listen(heard.append)
    try:
        with db.write() as s:
            s.add(Document(case_id=case_id, title="x", text="y"))
            raise RuntimeError("abandon")
    except RuntimeError:
        pass
    entities.create_entity(db, case_id=case_id, name="Anvar Rasulzoda", kind="person")
    assert len(heard) == 1 and heard[0].kinds == {"entities"}


def test_created_then_deleted_in_one_capture_is_nothing_and_restore_is_update(db, case_id):
    doc = _doc(db, case_id)
    with db.capture() as cap:
        h = highlights.create_highlight(db, document_id=doc, start=0, end=14)
        highlights.delete_highlight(db, highlight_id=h.id)
    assert "highlights" not in cap.changes
    h = highlights.create_highlight(db, document_id=doc, start=0, end=14)
    with db.capture() as cap:
        snap = highlights.delete_highlight(db, highlight_id=h.id)
        highlights.restore_highlight(db, snapshot=snap)
    assert cap.changes.updated["highlights"] == {h.id}


def test_union_keeps_every_side():
    a = Changes.of(created={"claims": ["c1"]}, parents={"claims": ["e1"]})
    b = Changes.of(deleted={"claims": ["c1"]}, updated={"tags": ["t1"]})
    both = a | b
    assert "claims" not in both.created and "c1" not in both.ids("claims")
    assert both.updated["tags"] == {"t1"} and both.parent_ids("claims") == {"e1"}
    assert (a | Changes.all()).everything


def test_known_records_are_only_those_the_change_made_and_go_when_changes_combine(db, case_id):
    doc = _doc(db, case_id)
    with db.capture() as cap:
        made = highlights.create_highlight(db, document_id=doc, start=0, end=5)
    other = highlights.create_highlight(db, document_id=doc, start=6, end=14)
    ch = cap.changes.with_known("highlights", [made, other])
    assert ch.known_records("highlights", [made.id]) == [made]
    # a record the change did not touch is no news of it, so never handed on
    assert ch.known_records("highlights", [made.id, other.id]) is None
    assert ch == cap.changes  # known records are a shortcut, not part of what changed
    later = Changes.of(updated={"highlights": [made.id]})
    # combined with a later change the record may be stale: views read it again
    assert (ch | later).known_records("highlights", [made.id]) is None
    assert (ch | Changes()).known_records("highlights", [made.id]) == [made]
