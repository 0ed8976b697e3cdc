"""Telegram Desktop exports: each message (or day) a document with the channel as outlet, the
date, the message link and forwarded-from as origin; photos read by OCR and linked; a newer
export adds only what is new; the HTML form reads like the JSON form."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from casefile import importers
from casefile.importers.items import PER_DAY, Options
from casefile.services import documents

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "articles"))
import telegram_export as te  # noqa: E402
from scangen import screenshot_png  # noqa: E402

PHOTO_TEXT = "Statement of the Khorog council on the missing engineer"


def _import(db, case_id, path, **opts):
    (res,) = importers.import_files(db, case_id=case_id, paths=[path], options=Options(**opts))
    return res


def _docs(db, ids):
    return [documents.get_document(db, document_id=i) for i in ids]


def _texts(db, ids):
    return [documents.get_text(db, document_id=i) for i in ids]


def test_each_message_becomes_a_document_with_its_channel_date_link_and_origin(
        db, case_id, tmp_path):
    res = _import(db, case_id, te.write_json(tmp_path / "export").parent)
    assert res.ok, res.error
    docs = _docs(db, res.added)
    assert [d.title[:22] for d in docs] == ["Reports from Wadi Sirr", "The minister adds he w",
                                          "Relatives in Khorog sa"]
    assert _texts(db, res.added)[0] == te.POSTS[0]  # bold entity joined into the text
    assert {d.outlet for d in docs} == {te.CHANNEL}
    assert [d.published for d in docs] == ["2020-08-03", "2020-08-03", "2020-09-12"]
    assert docs[1].url == f"https://t.me/c/{te.CHANNEL_ID}/3"
    assert [d.origin for d in docs] == ["", "Khorog Herald", ""]
    assert "2 messages without text or photo" in res.warning  # service message, sticker
    assert "3 documents added" in res.summary


def test_a_username_gives_public_links(db, case_id, tmp_path):
    res = _import(db, case_id, te.write_json(tmp_path / "export"), username="pamirdispatch")
    assert _docs(db, res.added)[0].url == "https://t.me/pamirdispatch/2"


def test_a_photo_is_read_by_ocr_and_linked_to_its_message(db, case_id, tmp_path):
    png, _ = screenshot_png([PHOTO_TEXT])
    res = _import(db, case_id, te.write_json(tmp_path / "export", photo_png=png))
    assert res.ok, res.error
    post, photo = (d for d in _docs(db, res.added) if d.published == "2020-09-12")
    assert photo.ocr and photo.content_type == "image/png"
    assert PHOTO_TEXT in documents.get_text(db, document_id=photo.id)
    assert photo.parent_id == post.id and photo.outlet == te.CHANNEL
    assert photo.url == post.url
    links = documents.get_links(db, document_id=post.id)
    assert [c.id for c in links.children] == [photo.id]
    assert documents.get_links(db, document_id=photo.id).parent.id == post.id


def test_the_html_form_gives_the_same_messages(db, case_id, tmp_path):
    json_res = _import(db, case_id, te.write_json(tmp_path / "j"))
    html_res = _import(db, case_id, te.write_html(tmp_path / "h", per_page=2))
    assert html_res.ok, html_res.error
    assert _texts(db, html_res.added) == _texts(db, json_res.added)
    hd = _docs(db, html_res.added)
    assert [d.origin for d in hd] == ["", "Khorog Herald", ""]
    assert [d.published for d in hd] == ["2020-08-03", "2020-08-03", "2020-09-12"]


def test_one_document_per_day(db, case_id, tmp_path):
    res = _import(db, case_id, te.write_json(tmp_path / "export"), per=PER_DAY)
    docs = _docs(db, res.added)
    assert [d.published for d in docs] == ["2020-08-03", "2020-09-12"]
    first = documents.get_text(db, document_id=docs[0].id)
    assert te.POSTS[0] in first and te.POSTS[1] in first
    assert "(forwarded from Khorog Herald)" in first


def test_a_newer_export_adds_only_new_messages_and_updates_edited_ones(db, case_id, tmp_path):
    msgs = te.messages()
    first = _import(db, case_id, te.write_json(tmp_path / "old", msgs[:2]))
    assert len(first.added) == 1  # message 2 (1 is the channel's creation)
    newer = te.messages()
    newer[1]["text"] = te.POSTS[0] + " (corrected)"
    second = _import(db, case_id, te.write_json(tmp_path / "new", newer))
    assert len(second.added) == 2 and second.updated == first.added and second.already == 0
    assert "2 documents added" in second.summary and "1 message updated" in second.summary
    assert documents.get_text(db, document_id=first.added[0]).endswith("(corrected)")
    third = _import(db, case_id, te.write_json(tmp_path / "again", newer))
    assert third.ok and not third.added and third.already == 3
    assert "3 messages already in the case" in third.summary
    assert len(documents.list_documents(db, case_id=case_id)) == 3


def test_cancel_keeps_what_was_stored_and_a_second_import_adds_the_rest(
        db, case_id, tmp_path, monkeypatch):
    from casefile.importers import containers

    monkeypatch.setattr(containers, "BATCH", 10)
    path = te.write_json(tmp_path / "big", te.messages(n=35))
    seen = []

    def progress(done, total, name):
        seen.append(done)

    (res,) = importers.import_files(db, case_id=case_id, paths=[path], progress=progress,
                                    cancelled=lambda: len(seen) > 2)
    assert len(res.added) == 20 and "cancelled" in res.warning
    again = _import(db, case_id, path)
    assert len(again.added) == 15 and again.already == 20


def test_a_full_account_export_imports_its_chats(db, case_id, tmp_path):
    folder = tmp_path / "account"
    folder.mkdir()
    root = {"about": "…", "personal_information": {"first_name": "Nodira"},
            "chats": {"about": "…", "list": [
                {"name": te.CHANNEL, "type": "public_channel", "id": te.CHANNEL_ID,
                 "messages": te.messages()},
                {"name": "Farrukh", "type": "personal_chat", "id": 55,
                 "messages": [{**te.messages()[2], "from": "Farrukh", "forwarded_from": None}]}]}}
    (folder / "result.json").write_text(json.dumps(root), encoding="utf-8")
    res = _import(db, case_id, folder)
    docs = _docs(db, res.added)
    assert [d.outlet for d in docs] == [te.CHANNEL] * 3 + ["Farrukh"]
    assert docs[-1].author == "Farrukh" and docs[-1].url == ""


@pytest.mark.parametrize("zipped", [False, True])
def test_a_zipped_export_imports_like_its_folder(db, case_id, tmp_path, zipped):
    import shutil

    folder = te.write_json(tmp_path / "ChatExport_2020-10-01").parent
    path = Path(shutil.make_archive(str(tmp_path / "export"), "zip", tmp_path,
                                    folder.name)) if zipped else folder
    res = _import(db, case_id, path)
    assert res.ok, res.error
    assert len(res.added) == 3


def test_the_cli_imports_per_day_with_a_username_and_shows_the_origin(cli_env, tmp_path):
    from tests.helpers import cli_json

    folder = te.write_json(tmp_path / "export").parent
    (res,) = cli_json("import", str(folder), "--per", "day", "--telegram-username",
                      "@pamirdispatch", env=cli_env)
    assert len(res["documents"]) == 2 and res["already"] == 0
    day = cli_json("doc", "show", res["documents"][0], env=cli_env)
    assert day["url"] == "https://t.me/pamirdispatch/2" and day["published"] == "2020-08-03"
    (msg,) = [cli_json("doc", "show", d, env=cli_env) for d in cli_json(
        "import", str(folder), env=cli_env)[0]["documents"][1:2]]
    assert msg["origin"] == "Khorog Herald"


@pytest.mark.parametrize("text", [
    json.dumps({"name": "x", "type": "public_channel", "id": 1, "messages": te.messages()}),
    json.dumps({"chats": {"about": "", "list": [{"name": "a", "messages": te.messages()},
                                                {"name": "b", "messages": []}]}}, indent=2),
    '{"messages": [], "chats": {"list": [[], {}, 1.5, null, "s"]}}', "[]", '"x"'])
def test_the_stepwise_parser_reads_what_json_reads(text):
    from casefile.importers.telegram import loads_stepwise

    assert loads_stepwise(text) == json.loads(text)


@pytest.mark.parametrize("text", ['{"messages": [1, 2', '{"a": 1} x', '{"a" 1}', "[1,]",
                                  '{"a": NaN}', ""])
def test_the_stepwise_parser_refuses_what_json_refuses(text):
    from casefile.importers.telegram import loads_stepwise

    with pytest.raises(ValueError):
        json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    with pytest.raises(ValueError):
        loads_stepwise(text)
