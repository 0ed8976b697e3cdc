"""The profile lists every document a spelling was seen in, each a double-click away."""

from __future__ import annotations

from PySide6.QtCore import Qt

from casefile.services import identity
from tests.core.test_alias_provenance import _case


def test_profile_lists_each_document_of_a_merged_spelling(qtbot, window, db, case_id):
    docs, keep, other = _case(db, case_id)
    identity.merge_entities(db, keep_id=keep, other_id=other)
    window.controller.set_case(case_id)
    dlg = window.workspace.show_profile(keep)
    qtbot.waitUntil(lambda: dlg.profile is not None, timeout=10000)
    spellings = dlg.tree.topLevelItem(0)
    rows = {spellings.child(i).text(0): spellings.child(i) for i in range(spellings.childCount())}
    item = rows["Gulmorod — seen in 3 documents"]
    under = [(item.child(i).text(0), item.child(i).data(0, Qt.ItemDataRole.UserRole))
             for i in range(item.childCount())]
    assert under == [("“Commander seen in Raqqa”", ("document", docs[0])),
                     ("“Colonel's family speaks”", ("document", docs[1])),
                     ("“Police chief's past”", ("document", docs[3]))]
    assert "Gulmorod Kh. — seen in “Police chief's past”" in rows
    dlg.tree.itemActivated.emit(item.child(1), 0)
    assert window.reader.document.id == docs[1]
    dlg.close()
