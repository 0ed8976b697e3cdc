"""Hostile .qdpx archives are refused whole, like hostile bundles: a message names the problem,
the database file is unchanged, and nothing is written outside a temporary folder."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from casefile import untrusted
from casefile.db.database import open_database
from casefile.exchange import BundleError
from casefile.exchange.qdpx_export import export_qdpx
from casefile.exchange.qdpx_import import import_qdpx
from casefile.services import cases
from tests.core.exchange_world import build_world
from tests.core.test_bundle_hostile import _snapshot
from tests.helpers import run_cli

PROJECT = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="{name}"><Description>{body}'
           '</Description></Project>')


@pytest.fixture
def setup(tmp_path: Path):
    """A closed database holding one case, and a good .qdpx of another to tamper with."""
    db_path = tmp_path / "db" / "case.sqlite"
    db = open_database(db_path)
    build_world(db, title="Local file")
    good = tmp_path / "good.qdpx"
    other = open_database(tmp_path / "other.sqlite")
    export_qdpx(other, case_id=build_world(other, title="Colleague's file").case_id, out=good)
    other.close()
    db.close()
    return db_path, good, tmp_path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path: Path, members: dict[str, bytes],
           extra: tuple[tuple[zipfile.ZipInfo, bytes], ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for info, data in extra:
            zf.writestr(info, data)
    return path


def _refused(setup, bad: Path, match: str) -> None:
    db_path, _good, root = setup
    before = _snapshot(root)
    db = open_database(db_path)
    try:
        with pytest.raises(BundleError, match=match):
            import_qdpx(db, path=bad)
        assert [c.title for c in cases.list_cases(db)] == ["Local file"]
    finally:
        db.close()
    assert _snapshot(root) == before, "refusing a project changed files"


def test_good_project_is_accepted(setup):
    db = open_database(setup[0])
    assert import_qdpx(db, path=setup[1]).documents == 4
    db.close()


@pytest.mark.parametrize("name, match", [
    ("../evil.txt", "leaving its folder"),
    ("sources/../../evil.txt", "leaving its folder"),
    ("/tmp/casefile-evil.txt", "absolute path"),
    ("C:/evil.txt", "absolute path"),
    ("autorun.sh", "unexpected member"),
    ("sources/deeper/file.txt", "unexpected member"),
])
def test_members_outside_the_layout(setup, name, match):
    bad = _write(setup[2] / "bad.qdpx", _members(setup[1]),
                 extra=((zipfile.ZipInfo(name), b"pwned"),))
    _refused(setup, bad, match)
    assert not (setup[2].parent / "evil.txt").exists()


def test_symlink_member(setup):
    info = zipfile.ZipInfo("sources/passwd.txt")
    info.external_attr = 0o120777 << 16
    bad = _write(setup[2] / "bad.qdpx", _members(setup[1]), extra=((info, b"/etc/passwd"),))
    _refused(setup, bad, "link")


def test_compression_bomb(setup):
    members = _members(setup[1])
    members["sources/bomb.txt"] = bytes(4 * 1024 * 1024)
    _refused(setup, _write(setup[2] / "bad.qdpx", members), "200:1")


def test_declared_size_over_the_limit(setup):
    bad = _write(setup[2] / "bad.qdpx", _members(setup[1]))
    raw = bytearray(bad.read_bytes())
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46:pos + 46 + name_len] == b"project.qde":
            struct.pack_into("<I", raw, pos + 24, 3 * 1024**3)
        pos = raw.find(b"PK\x01\x02", pos + 4)
    bad.write_bytes(bytes(raw))
    _refused(setup, bad, "more than")


def test_too_many_entries(setup, monkeypatch):
    monkeypatch.setattr(untrusted, "MAX_MEMBERS", 3)
    _refused(setup, setup[1], "too many entries")


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;">]>\n'
          '<Project xmlns="urn:QDA-XML:project:1.0" name="&d;"/>')
NETWORK = ('<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "http://127.0.0.1:9/x.dtd">\n'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="n"/>')


@pytest.mark.parametrize("xml, match", [
    (XXE.encode(), "DTD"),
    (LAUGHS.encode(), "DTD"),
    (NETWORK.encode(), "DTD"),
    # The DTD hidden from a byte search by UTF-16: caught after parsing.
    (XXE.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
     .replace('name="&x;"/>', 'name="p"><Description>&x;</Description></Project>')
     .encode("utf-16"), "DTD"),
    (b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'><unclosed></Project>",
     "not well-formed"),
    (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>", "not a REFI-QDA project"),
    (b"\x00\x01binary", "not well-formed"),
])
def test_hostile_or_broken_xml(setup, xml, match):
    bad = _write(setup[2] / "bad.qdpx", {"project.qde": xml})
    _refused(setup, bad, match)


def test_not_a_zip_and_no_project_file(setup):
    bad = setup[2] / "bad.qdpx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    _refused(setup, bad, "not a REFI-QDA project")
    _refused(setup, _write(setup[2] / "empty.qdpx", {"sources/a.txt": b"text"}),
             "no project.qde")


def test_a_member_that_lies_about_its_size(setup):
    members = {"project.qde": PROJECT.format(name="Lies", body="x" * 5000).encode()}
    bad = _write(setup[2] / "bad.qdpx", members)
    raw = bytearray(bad.read_bytes())
    for sig, size_off, name_off, len_off in ((b"PK\x03\x04", 22, 30, 26),
                                             (b"PK\x01\x02", 24, 46, 28)):
        pos = raw.find(sig)
        while pos != -1:
            n = struct.unpack_from("<H", raw, pos + len_off)[0]
            if raw[pos + name_off:pos + name_off + n] == b"project.qde":
                struct.pack_into("<I", raw, pos + size_off, 100)
            pos = raw.find(sig, pos + 4)
    bad.write_bytes(bytes(raw))
    _refused(setup, bad, "project.qde")


def test_cli_refuses_and_leaves_the_database_file_unchanged(setup, cli_env):
    db_path, good, root = setup
    bad = _write(root / "bad.qdpx", _members(good),
                 extra=((zipfile.ZipInfo("../evil.txt"), b"pwned"),))
    before = db_path.read_bytes()
    proc = run_cli("--db", str(db_path), "import-qdpx", str(bad), "--json", env=cli_env,
                   check=False)
    assert proc.returncode == 2 and "leaving its folder" in proc.stderr
    assert db_path.read_bytes() == before


def test_a_pipe_or_folder_is_refused_without_reading(setup):
    import os

    from casefile.errors import CasefileError

    fifo = setup[2] / "project.qdpx"
    os.mkfifo(fifo)
    db = open_database(setup[0])
    try:
        for path, match in ((fifo, "not an ordinary file"), (setup[2], "folder")):
            with pytest.raises(CasefileError, match=match):
                import_qdpx(db, path=path)
    finally:
        db.close()


def test_a_source_in_broken_utf16_is_imported_with_the_damage_listed(setup):
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           'name="UTF-16"><Sources><TextSource guid="00000000-0000-4000-8000-000000000001" '
           'name="s.txt" plainTextPath="internal://s.txt"/></Sources></Project>')
    data = "Some words".encode("utf-16") + b"\x00\xd8"  # ends in half a surrogate pair
    bad = _write(setup[2] / "utf16.qdpx", {"project.qde": xml.encode(), "sources/s.txt": data})
    db = open_database(setup[0])
    try:
        res = import_qdpx(db, path=bad)
    finally:
        db.close()
    assert res.documents == 1 and "not valid UTF-16" in res.not_imported[0]
