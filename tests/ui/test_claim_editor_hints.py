"""The claim editor keeps room for its hint lines (nothing jumps while typing), starts with the
subject the passage names, and offers a known entity for a new name that is close to it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from casefile import dates
from casefile.services import claims, entities
from ui.workspace.claim_editor import ClaimEditor


def _editor(qtbot, db, case_id, statement="reported killed", reference=None) -> ClaimEditor:
    ed = ClaimEditor(entities=entities.list_entities(db, case_id=case_id),
                     save=lambda data: claims.create_claim(db, case_id=case_id, data=data),
                     statement=statement, reference=reference)
    qtbot.addWidget(ed)
    ed.show()
    QApplication.processEvents()
    return ed


def _ys(ed: ClaimEditor) -> list[int]:
    return [w.mapTo(ed, QPoint(0, 0)).y() for w in (ed.object, ed.value, ed.date, ed.place,
                                                     ed.origin, ed.note)]


def test_fields_stay_put_while_hints_come_and_go(qtbot, db, case_id):
    entities.create_entity(db, case_id=case_id, name="Gulmurod Khalimov")
    ed = _editor(qtbot, db, case_id, reference=dates.parse_date("19 January 2020"))
    before, height = _ys(ed), ed.height()
    qtbot.keyClicks(ed.subject, "Gulmorod Khalimov")  # a new name, close to a known one
    qtbot.keyClicks(ed.date, "3 August")  # the year comes from the article: a long hint
    QApplication.processEvents()
    assert ed.subject_hint.text() and ed.date_hint.text()
    assert _ys(ed) == before and ed.height() == height
    assert ed.did_you_mean.isVisible()
    ed.date.setText("the day after")  # an error message instead
    QApplication.processEvents()
    assert _ys(ed) == before
    for hint in (ed.subject_hint, ed.date_hint):  # every hint is readable in its room
        assert hint.heightForWidth(hint.width()) <= hint.parentWidget().height()


def test_the_subject_starts_as_the_entity_the_passage_names(qtbot, db, case_id):
    entities.create_entity(db, case_id=case_id, name="Temur Vakhidov",
                           aliases=("Abu Hafs al-Qalami", "Vakhidov"))
    entities.create_entity(db, case_id=case_id, name="Jamshed Vakhidov", aliases=("Vakhidov",))
    entities.create_entity(db, case_id=case_id, name="Qalat Nur", kind="place")
    for passage, subject in (
            ("Temur Vakhidov was killed in April 2015 near Qalat Nur", "Temur Vakhidov"),
            ("the recruiter known as Abu Hafs al-Qalami", "Temur Vakhidov"),  # by alias
            ("His brother, Jamshed Vakhidov, said", "Jamshed Vakhidov"),  # the longest
            ("Vakhidov was killed", ""),  # a spelling two people share says nothing
            ("was killed near Qalat Nur", "")):  # a place is not what claims are about
        ed = _editor(qtbot, db, case_id, statement=passage)
        assert ed.subject.text() == subject, passage
        assert ed.cancel()  # nothing typed by the analyst: closes without asking


def test_a_close_new_name_offers_the_known_entity(qtbot, db, case_id):
    known = entities.create_entity(db, case_id=case_id, name="Gulmurod Khalimov")
    entities.create_entity(db, case_id=case_id, name="Temur Vakhidov")
    ed = _editor(qtbot, db, case_id)
    qtbot.keyClicks(ed.subject, "Jamshed Vakhidov")  # a relative, not a spelling
    assert not ed.did_you_mean.isVisible()
    ed.subject.clear()
    qtbot.keyClicks(ed.subject, "Gulmorod Khalimov")
    assert ed.did_you_mean.isVisible()
    assert ed.did_you_mean.text() == "Use Gulmurod Khalimov"
    assert "did you mean" in ed.subject_hint.text()
    qtbot.mouseClick(ed.did_you_mean, Qt.MouseButton.LeftButton)
    assert ed.subject.text() == "Gulmurod Khalimov"
    assert ed.subject_hint.text() == "= Gulmurod Khalimov"
    assert not ed.did_you_mean.isVisible()
    ed.accept()
    [c] = claims.list_claims(db, case_id=case_id)
    assert c.subject_id == known.id
    assert len(entities.list_entities(db, case_id=case_id)) == 2  # no new person
