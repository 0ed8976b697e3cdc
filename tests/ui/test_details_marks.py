"""The reader's header marks every value the importer only guessed, the author too; the details
show what a web page called itself when its title was shortened."""

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


def test_details_show_the_pages_own_title(window, db, case_id, tmp_path):
    from casefile import importers
    from tests.core.test_titles_chrome import BODY, HEADLINE

    path = tmp_path / "dw.html"
    path.write_text(f"<html><head><title>{HEADLINE} | DW | 19.01.2020</title></head><body>"
                    f"<article><h1>{HEADLINE}</h1>" + f"<p>{BODY}</p>" * 4
                    + "</article></body></html>", encoding="utf-8")
    [res] = importers.import_files(db, case_id=case_id, paths=[path])
    window.controller.set_case(case_id)
    window.open_document(res.id)
    dlg = window.workspace.edit_details()
    assert dlg.edits["title"].text() == HEADLINE
    assert dlg.page_title.text() == f"The page's own title: “{HEADLINE} | DW | 19.01.2020”"
    assert not dlg.page_title.isHidden()
    dlg.reject()
