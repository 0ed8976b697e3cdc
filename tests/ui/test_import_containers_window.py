"""Containers through the window: a Telegram export asks per message or per day, the details
show a mail's attachment (and open it), a forwarded post offers its origin to the claim
editor, and a 50-message import reports progress and can be cancelled."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile.importers.items import PER_DAY, Options
from casefile.services import documents

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))
import mailgen  # noqa: E402
import telegram_export as te  # noqa: E402


def _import(qtbot, window, paths, **kw):
    worker = window.import_paths([str(p) for p in paths], **kw)
    assert worker is not None
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=30_000)
    return window.last_import


def test_a_telegram_export_asks_per_message_or_per_day(qtbot, window, db, tmp_path,
                                                       monkeypatch):
    import ui.exchange.importing

    asked = []

    def ask(parent):
        asked.append(parent)
        return Options(per=PER_DAY, username="pamirdispatch")

    monkeypatch.setattr(ui.exchange.importing, "ask_telegram_options", ask)
    window.new_case("Vakhidov")
    (res,) = _import(qtbot, window, [te.write_json(tmp_path / "export").parent])
    assert asked == [window] and res.ok
    docs = [documents.get_document(db, document_id=i) for i in res.added]
    assert [d.published for d in docs] == ["2020-08-03", "2020-09-12"]
    assert docs[0].url == "https://t.me/pamirdispatch/2"
    assert "2 documents added" in window.report.table.item(0, 1).text()  # and what was left
    assert "without text or photo" in window.report.table.item(0, 1).text()


def test_cancelling_the_choice_imports_nothing(qtbot, window, tmp_path, monkeypatch):
    import ui.exchange.importing

    monkeypatch.setattr(ui.exchange.importing, "ask_telegram_options", lambda parent: None)
    assert window.import_paths([str(te.write_json(tmp_path / "export"))]) is None


def test_the_choice_dialog_gives_the_options(qtbot, window):
    from ui.exchange.importing import TelegramChoice

    dlg = TelegramChoice(window)
    qtbot.addWidget(dlg)
    assert dlg.options() == Options()
    dlg.per_day.setChecked(True)
    dlg.username.setText("@pamirdispatch")
    assert dlg.options() == Options(per=PER_DAY, username="pamirdispatch")


def test_a_forwarded_post_offers_its_origin_to_the_claim_editor(qtbot, window, db, tmp_path):
    window.new_case("Vakhidov")
    (res,) = _import(qtbot, window, [te.write_json(tmp_path / "export")],
                     options=Options())
    forwarded = res.added[1]
    window.open_document(forwarded)
    assert "forwarded from Khorog Herald" in window.reader.header.text()
    window.reader.view.select_range(4, 20)
    editor = window.annotator.new_claim()
    assert editor.origin.text() == "Khorog Herald"
    editor.reject()


def test_the_details_of_a_mail_list_its_attachment_and_open_it(qtbot, window, db, tmp_path):
    from ui.workspace.details import DocumentDetails

    window.new_case("Vakhidov")
    path = tmp_path / "casualties.eml"
    path.write_bytes(mailgen.eml())
    (res,) = _import(qtbot, window, [path])
    mail_id, att_id = res.added
    dlg = DocumentDetails(window, documents.get_document(db, document_id=mail_id))
    qtbot.addWidget(dlg)
    assert list(dlg.link_buttons) == [att_id]
    dlg.link_buttons[att_id].click()
    assert window.reader.document.id == att_id
    back = DocumentDetails(window, documents.get_document(db, document_id=att_id))
    qtbot.addWidget(back)
    assert list(back.link_buttons) == [mail_id]


def test_a_long_export_shows_progress_and_can_be_cancelled(qtbot, window, db, tmp_path,
                                                          monkeypatch):
    from casefile.importers import containers

    monkeypatch.setattr(containers, "BATCH", 50)
    window.new_case("Vakhidov")
    path = te.write_json(tmp_path / "export", te.messages(n=2000))
    worker = window.import_paths([str(path)], options=Options())
    qtbot.waitUntil(lambda: window.progress.maximum() == 2000, timeout=30_000)
    assert "of 2,000 messages" in window.statusBar().currentMessage()
    window.cancel_import()
    qtbot.waitUntil(lambda: window.import_worker is None, timeout=30_000)
    (res,) = window.last_import
    assert worker.cancelled and 0 < len(res.added) < 2000 and "cancelled" in res.warning
    assert len(documents.list_documents(db, case_id=window.controller.case_id)) == len(res.added)
