"""One article imported as text, as a PNG scan and as a scanned PDF: three rows with one title
must say which is which, in the documents list and in search hits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from casefile.services import claims, documents, highlights, search
from casefile.services.documents import NewDocument
from ui.analysis.panels import SearchPanel

TITLE = "Tajikistan: Relatives of Islamic State recruiter questioned in Dushanbe"
TEXT = ("The brother of Temur Vakhidov was questioned for six hours in Dushanbe, "
        "relatives told the Caravanserai.")


def _three(db, case_id) -> dict[str, str]:
    made = {}
    for name, ct in (("relatives.txt", "text/plain"), ("scan-1.png", "image/png"),
                     ("scan.pdf", "application/pdf")):
        made[name] = documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=TEXT, original=name.encode() + TEXT.encode(), content_type=ct, title=TITLE,
            source_name=name, published="2020-01-19", outlet="Caravanserai")).id
    made["other"] = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text="Another report entirely.", original=b"another", content_type="text/plain",
        title="Another report", source_name="another.txt")).id
    return made


def test_rows_with_one_title_say_format_and_file_name(qtbot, window, db, case_id):
    from ui.base.delegates import elide_keeping_end
    from ui.base.tables import KeepEndRole

    made = _three(db, case_id)
    window.controller.set_case(case_id)
    model = window.documents_model
    shown = {name: model.index(model.row_of(doc), 0).data() for name, doc in made.items()}
    assert shown["relatives.txt"] == f"{TITLE} (TXT · relatives.txt)"
    assert shown["scan-1.png"] == f"{TITLE} (PNG · scan-1.png)"
    assert shown["scan.pdf"] == f"{TITLE} (PDF · scan.pdf)"
    assert shown["other"] == "Another report"  # a title of its own needs nothing more
    # In a narrow list the title is shortened, never the part that tells the twins apart.
    view = window.documents_panel.view
    fm = QFontMetrics(view.font())
    for name in ("scan-1.png", "scan.pdf"):
        index = model.index(model.row_of(made[name]), 0)
        ends = index.data(KeepEndRole)
        assert ends[0] in index.data()
        for width in (170, 400):
            drawn = elide_keeping_end(fm, index.data(), tuple(ends), width)
            assert drawn.endswith(ends) and "…" in drawn
            assert fm.horizontalAdvance(drawn) <= width
        assert drawn.endswith(ends[0])  # wide enough: the whole "(PNG · scan-1.png)"
    short = {model.index(model.row_of(made[n]), 0).data(KeepEndRole)[-1] for n in made
             if n != "other"}
    assert short == {" (TXT)", " (PNG)", " (PDF)"}  # in a narrow list, the format says it
    # the filter finds a file by its name
    window.documents_panel.filter.setText("scan-1")
    assert window.documents_panel.proxy.rowCount() == 1


def test_search_hits_name_their_document(qtbot, db, case_id):
    made = _three(db, case_id)
    text = documents.get_text(db, document_id=made["scan-1.png"])
    start = text.index("questioned")
    h = highlights.create_highlight(db, document_id=made["scan-1.png"], start=start,
                                    end=start + len("questioned for six hours"))
    claims.create_claim(db, case_id=case_id, data=claims.ClaimInput(
        subject="Jamshed Vakhidov", kind="arrest", statement="questioned for six hours",
        evidence=(h.id,)))
    hits = search.search(db, case_id=case_id, query="questioned six hours")
    by_type: dict[str, set[str]] = {}
    for hit in hits:
        by_type.setdefault(hit.type, set()).add(hit.document)
    assert by_type["document"] == {f"{TITLE} (TXT · relatives.txt)",
                                   f"{TITLE} (PNG · scan-1.png)", f"{TITLE} (PDF · scan.pdf)"}
    assert by_type["highlight"] == {f"{TITLE} (PNG · scan-1.png)"}
    assert by_type["claim"] == {f"{TITLE} (PNG · scan-1.png)"}  # its passage's document
    panel = SearchPanel(db, case_id)
    qtbot.addWidget(panel)
    panel.search("questioned six hours")
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(panel.model.columnCount())]
    assert "Document" in headers
    col = headers.index("Document")
    named = {panel.model.index(r, col).data() for r in range(panel.model.rowCount())}
    assert f"{TITLE} (PNG · scan-1.png)" in named
