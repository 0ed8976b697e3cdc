"""A new highlight's quote and context are read from a window of the stored text (a book is
megabytes): they must be exactly the text's characters, in every script and beyond the BMP."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.anchoring import CONTEXT
from casefile.errors import NotFound, ValidationError
from casefile.services import cases, highlights
from casefile.services.documents import NewDocument, add_document

TEXT = ("Temur Vakhidov 🙂 was reported killed near Wadi Sirr. Темур Вахидов, "
        "تيمور واحيدوف، 𝔊ulmurod — the minister said. ") * 20


@pytest.fixture(scope="module")
def doc_id(tmp_path_factory):
    from casefile.db.database import open_database

    db = open_database(tmp_path_factory.mktemp("ctx") / "c.sqlite")
    case = cases.create_case(db, title="Context")
    doc = add_document(db, case_id=case.id, doc=NewDocument(
        text=TEXT, original=TEXT.encode(), content_type="text/plain", title="T"))
    yield db, doc.id
    db.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, len(TEXT) - 1), length=st.integers(1, 80))
def test_quote_and_context_are_the_texts_own_characters(doc_id, start, length):
    db, did = doc_id
    end = min(len(TEXT), start + length)
    if not TEXT[start:end].strip():
        return
    rec, _before = highlights.highlight_passage(db, document_id=did, start=start, end=end)
    assert rec.quote == TEXT[start:end]
    assert rec.prefix == TEXT[max(0, start - CONTEXT):start]
    assert rec.suffix == TEXT[end:end + CONTEXT]


def test_outside_the_text_or_an_unknown_document_is_refused(doc_id):
    db, did = doc_id
    with pytest.raises(ValidationError, match=f"0–{len(TEXT)}"):
        highlights.create_highlight(db, document_id=did, start=len(TEXT) - 2, end=len(TEXT) + 5)
    with pytest.raises(NotFound):
        highlights.create_highlight(db, document_id="nope", start=0, end=5)
