"""Hostile containers are refused in one line and leave the database as it was: bombs, paths
leaving the export, links out of it, huge declared records, floods of attachments, nesting."""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path

import pytest

from casefile import importers
from casefile.services import documents

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))
import telegram_export as te  # noqa: E402


def refused(db, case_id, path: Path, match: str) -> str:
    before = documents.list_documents(db, case_id=case_id)
    (res,) = importers.import_files(db, case_id=case_id, paths=[path])
    assert res.error, f"accepted: {res}"
    assert match in res.error, res.error
    assert "\n" not in res.error and len(res.error) < 300
    assert documents.list_documents(db, case_id=case_id) == before
    return res.error


def _with_photo(ref: str) -> list[dict]:
    msgs = te.messages()
    msgs[2]["photo"] = ref
    return msgs


@pytest.mark.parametrize("ref", ["../../etc/passwd", "photos/../../secret.jpg", "/etc/hosts",
                                 "C:\\Windows\\win.ini"])
def test_a_photo_path_leaving_the_export_is_refused(db, case_id, tmp_path, ref):
    path = te.write_json(tmp_path / "export", _with_photo(ref))
    refused(db, case_id, path, "refused as hostile")


def test_a_photo_linked_out_of_the_export_is_refused(db, case_id, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    path = te.write_json(tmp_path / "export", _with_photo("photos/p.png"))
    (path.parent / "photos").mkdir()
    os.symlink(secret, path.parent / "photos" / "p.png")
    refused(db, case_id, path, "outside the export folder")


def test_a_json_bomb_is_refused_before_it_is_parsed(db, case_id, tmp_path, monkeypatch):
    from casefile.importers import telegram

    monkeypatch.setattr(telegram, "MAX_JSON_VALUES", 10_000)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "result.json").write_text(
        '{"name": "x", "type": "public_channel", "id": 1, "messages": [' + ",".join(
            ["[]"] * 20_000) + "]}")
    refused(db, case_id, folder, "JSON bomb")


def test_deep_nesting_is_refused(db, case_id, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    deep = "[" * 50_000 + "]" * 50_000
    (folder / "result.json").write_text(
        '{"name": "x", "type": "public_channel", "id": 1, "messages": [' + deep + "]}")
    refused(db, case_id, folder, "nested too deeply")


def test_a_zip_bomb_export_is_refused(db, case_id, tmp_path):
    folder = te.write_json(tmp_path / "ChatExport").parent
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder / "result.json", "ChatExport/result.json")
        zf.writestr("ChatExport/photos/huge.jpg", b"\0" * (50 * 2**20))
    refused(db, case_id, bomb, "a zip bomb")


@pytest.mark.parametrize("name", ["../result.json", "/abs/result.json"])
def test_a_zip_export_with_paths_leaving_it_is_refused(db, case_id, tmp_path, name):
    bad = tmp_path / "export.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("result.json", json.dumps({"name": "x", "type": "public_channel",
                                               "id": 1, "messages": te.messages()}))
        zf.writestr(name, "{}")
    refused(db, case_id, bad, "path")


def test_an_export_that_is_not_json_is_refused(db, case_id, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "result.json").write_text('{"messages": [1, 2,')
    refused(db, case_id, folder, "not valid JSON")


import mailgen  # noqa: E402
import pagegen  # noqa: E402


@pytest.mark.parametrize("gzip", [False, True])
def test_a_warc_record_declaring_2_gb_is_refused_before_reading(db, case_id, tmp_path, gzip):
    path = tmp_path / ("big.warc.gz" if gzip else "big.warc")
    path.write_bytes(pagegen.warc_declaring(2 * 1024**3, gzip=gzip))
    refused(db, case_id, path, "declares 2.0 GB")


@pytest.mark.parametrize("gzip", [False, True])
def test_a_warc_cut_short_in_a_page_is_refused(db, case_id, tmp_path, gzip):
    data = pagegen.warc(gzip=gzip)
    path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    path.write_bytes(data[:len(data) // 2])  # inside the page's record
    refused(db, case_id, path, "cut short")


def test_a_mail_with_10000_attachments_is_refused(db, case_id, tmp_path):
    path = tmp_path / "flood.eml"
    path.write_bytes(mailgen.flood(10_000))
    refused(db, case_id, path, "10,000 attachments")


@pytest.mark.parametrize("name", ["../../.bashrc", "/etc/passwd", "C:\\Users\\x\\evil.txt",
                                  "..\\..\\evil.txt"])
def test_an_attachment_named_with_a_path_is_refused(db, case_id, tmp_path, name):
    path = tmp_path / "paths.eml"
    msg = mailgen.mail(attachments=[("note.txt", b"x", "text/plain")])
    att = next(msg.iter_attachments())
    quoted = name.replace("\\", "\\\\")  # a quoted MIME string escapes its backslashes
    att.replace_header("Content-Disposition", f'attachment; filename="{quoted}"')
    path.write_bytes(msg.as_bytes())
    refused(db, case_id, path, "refused as hostile")


@pytest.mark.parametrize("suffix", [".eml", ".mhtml"])
def test_deeply_nested_multiparts_are_refused(db, case_id, tmp_path, suffix):
    path = tmp_path / f"deep{suffix}"
    data = mailgen.nested(3000)
    if suffix == ".mhtml":
        data = data.replace(b"multipart/mixed", b"multipart/related")
    path.write_bytes(data)
    refused(db, case_id, path, "")
