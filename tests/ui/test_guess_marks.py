"""The reader's header marks every value the importer only guessed, the author too."""

from __future__ import annotations

from datetime import datetime

from tests.core.test_file_properties import _docx, _import


def test_reader_header_marks_a_guessed_author_title_and_date(window, db, case_id, tmp_path):
    doc = _import(db, case_id, _docx(tmp_path, heading="Former mayor detained",
                                     title="Weekly digest template", author="Nodira Saidova",
                                     created=datetime(2018, 3, 20, 9, 0)))
    window.controller.set_case(case_id)
    window.open_document(doc.id)
    header = window.reader.header.text()
    assert "by Nodira Saidova (guess)" in header
    assert "20 March 2018 (guess)" in header
    assert "Weekly digest template</b> <i>(guess)</i>" in header
