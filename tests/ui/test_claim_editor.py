"""The claim editor: aliases resolve, dates parse live, inferred years are shown back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from casefile import dates
from casefile.services import claims, entities
from casefile.services.claims import ClaimInput
from ui.workspace.claim_editor import ClaimEditor


def make(qtbot, db, case_id, saved: list, reference=None) -> ClaimEditor:
    def save(data: ClaimInput):
        saved.append(data)
        return claims.create_claim(db, case_id=case_id, data=data)

    ed = ClaimEditor(entities=entities.list_entities(db, case_id=case_id), save=save,
                     statement="reported killed", reference=reference)
    qtbot.addWidget(ed)
    ed.show()
    return ed


def test_completer_offers_names_and_aliases_and_alias_resolves(qtbot, db, case_id):
    ent = entities.create_entity(db, case_id=case_id, name="Temur Vakhidov",
                                 aliases=("Abu Hafs al-Qalami", "Темур Вахидов"))
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    words = ed.subject.completer().model().stringList()
    assert {"Temur Vakhidov", "Abu Hafs al-Qalami", "Темур Вахидов"} <= set(words)
    qtbot.keyClicks(ed.subject, "abu hafs al-qalami")
    assert "Temur Vakhidov" in ed.subject_hint.text() and "alias" in ed.subject_hint.text()
    qtbot.keyClick(ed.subject, Qt.Key.Key_Return)
    assert not ed.isVisible()
    [c] = claims.list_claims(db, case_id=case_id)
    assert c.subject_id == ent.id  # no duplicate entity for the nom de guerre
    assert len(entities.list_entities(db, case_id=case_id)) == 1


def test_new_subject_name_creates_an_entity(qtbot, db, case_id):
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    qtbot.keyClicks(ed.subject, "Jamshed Vakhidov")
    assert "will be created" in ed.subject_hint.text()
    ed.accept()
    assert [e.name for e in entities.list_entities(db, case_id=case_id)] == ["Jamshed Vakhidov"]


def test_dates_parse_live(qtbot, db, case_id):
    ed = make(qtbot, db, case_id, [])
    for typed, shown in (("2017", "2017"), ("April 2015", "April 2015"),
                         ("3 August 2020", "3 August 2020"), ("Aug 2020", "August 2020"),
                         ("~2017", "about 2017")):
        ed.date.setText(typed)
        assert shown in ed.date_hint.text(), typed
    ed.date.setText("the day after")
    assert "cannot read" in ed.date_hint.text()
    ed.subject.setText("Temur Vakhidov")
    ed.accept()
    assert ed.isVisible() and "cannot read" in ed.error.text()
    assert claims.list_claims(db, case_id=case_id) == []


def test_year_from_article_needs_confirmation(qtbot, db, case_id):
    saved: list = []
    ed = make(qtbot, db, case_id, saved, reference=dates.PartialDate(2020, 8, 5))
    ed.subject.setText("Temur Vakhidov")
    ed.date.setText("on August 3")
    assert "2020" in ed.date_hint.text() and "article" in ed.date_hint.text()
    ed.accept()
    assert saved == [] and ed.isVisible()
    assert ed.date.text() == "3 August 2020"
    ed.accept()
    assert [s.date for s in saved] == ["2020-08-03"]


def test_missing_subject_keeps_editor_open_with_message(qtbot, db, case_id):
    ed = make(qtbot, db, case_id, [])
    ed.accept()
    assert ed.isVisible() and "subject" in ed.error.text()


def test_origin_prefills_its_reliability(qtbot, db, case_id):
    entities.create_entity(db, case_id=case_id, name="Anvar Rasulzoda", reliability="C")
    ed = make(qtbot, db, case_id, [])
    ed.origin.setText("Anvar Rasulzoda")
    assert ed.reliability.currentText().startswith("C")


def test_second_hand_chain_is_recorded_and_shown_back(qtbot, db, case_id):
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    qtbot.keyClicks(ed.subject, "Temur Vakhidov")
    qtbot.keyClicks(ed.origin, "military sources")
    qtbot.keyClicks(ed.via, "The Daily Lantern;  ; Meridian Wire")
    ed.accept()
    [c] = claims.list_claims(db, case_id=case_id)
    names = [entities.get_entity(db, entity_id=v).name for v in c.via]
    assert names == ["The Daily Lantern", "Meridian Wire"]
    again = ClaimEditor(entities=entities.list_entities(db, case_id=case_id),
                        save=lambda d: None, claim=c)
    qtbot.addWidget(again)
    assert again.via.text() == "The Daily Lantern; Meridian Wire"
    assert again.claim_input().via == ("The Daily Lantern", "Meridian Wire")


def test_a_new_origin_can_be_a_person(qtbot, db, case_id):
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    qtbot.keyClicks(ed.subject, "Temur Vakhidov")
    qtbot.keyClicks(ed.origin, "Interior Minister Anvar Rasulzoda")
    assert ed.origin_kind.currentText() == "person" and ed.origin_kind.isEnabled()
    ed.accept()
    [c] = claims.list_claims(db, case_id=case_id)
    assert entities.get_entity(db, entity_id=c.origin_id).kind == "person"


def test_the_analyst_decides_the_origin_kind(qtbot, db, case_id):
    known = entities.create_entity(db, case_id=case_id, name="Caspian Courier",
                                   kind="organization")
    saved: list = []
    ed = make(qtbot, db, case_id, saved)
    qtbot.keyClicks(ed.subject, "Temur Vakhidov")
    qtbot.keyClicks(ed.origin, "Caspian Courier")
    assert not ed.origin_kind.isEnabled()  # a known origin keeps its kind
    ed.origin.clear()
    qtbot.keyClicks(ed.origin, "Olim")
    ed.origin_kind.setCurrentText("person")
    ed.origin_kind.activated.emit(0)
    qtbot.keyClicks(ed.origin, " the elder")
    assert ed.origin_kind.currentText() == "person"
    ed.accept()
    [c] = claims.list_claims(db, case_id=case_id)
    assert c.origin_id != known.id
    assert entities.get_entity(db, entity_id=c.origin_id).kind == "person"
