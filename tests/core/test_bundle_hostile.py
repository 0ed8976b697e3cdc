"""Hostile bundles are refused whole: a message names the problem, the database file is
byte-for-byte unchanged, and nothing is written outside a temporary folder."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path

import pytest

from casefile import untrusted
from casefile.db.database import open_database
from casefile.exchange import BundleError
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from tests.core.exchange_world import build_world
from tests.helpers import run_cli


def _load(path: Path) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


def _write(path: Path, manifest: dict, members: dict[str, bytes], *, fix: bool = True,
           extra: tuple[tuple[zipfile.ZipInfo, bytes], ...] = ()) -> Path:
    if fix:
        for name, data in members.items():
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(),
                                         "size": len(data)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for info, data in extra:
            zf.writestr(info, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


@pytest.fixture
def setup(tmp_path: Path):
    """A database holding one case, closed; a good bundle of a second case to tamper with."""
    db_path = tmp_path / "db" / "case.sqlite"
    db = open_database(db_path)
    build_world(db, title="Local file")
    other = open_database(tmp_path / "other.sqlite")
    world = build_world(other, title="Colleague's file")
    good = tmp_path / "good.casefile"
    export_bundle(other, case_id=world.case_id, out=good)
    other.close()
    db.close()
    return db_path, good, tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def _refused(setup, bad: Path, match: str) -> None:
    db_path, _good, root = setup
    before = _snapshot(root)
    db = open_database(db_path)
    try:
        with pytest.raises(BundleError, match=match):
            import_bundle(db, path=bad)
    finally:
        db.close()
    assert _snapshot(root) == before, "refusing a bundle changed files"


def _case(members: dict[str, bytes]) -> dict:
    return json.loads(members["case.json"])


def test_good_bundle_is_accepted(setup):
    db_path, good, _ = setup
    db = open_database(db_path)
    assert import_bundle(db, path=good).new_case
    db.close()


def test_parent_path_member(setup):
    manifest, members = _load(setup[1])
    bad = _write(setup[2] / "bad.casefile", manifest, members,
                 extra=((zipfile.ZipInfo("../evil.txt"), b"pwned"),))
    _refused(setup, bad, "leaving its folder")
    assert not (setup[2].parent / "evil.txt").exists()


def test_absolute_path_member(setup):
    manifest, members = _load(setup[1])
    bad = _write(setup[2] / "bad.casefile", manifest, members,
                 extra=((zipfile.ZipInfo("/tmp/casefile-evil.txt"), b"pwned"),))
    _refused(setup, bad, "absolute path")


def test_symlink_member(setup):
    manifest, members = _load(setup[1])
    target = b"/etc/passwd"
    sha = hashlib.sha256(target).hexdigest()
    info = zipfile.ZipInfo(f"sources/{sha}")
    info.external_attr = (0o120777 << 16)
    manifest["members"][info.filename] = {"sha256": sha, "size": len(target)}
    bad = _write(setup[2] / "bad.casefile", manifest, members, extra=((info, target),))
    _refused(setup, bad, "link")


def test_member_not_in_manifest(setup):
    manifest, members = _load(setup[1])
    data = b"smuggled"
    members[f"sources/{hashlib.sha256(data).hexdigest()}"] = data
    bad = _write(setup[2] / "bad.casefile", manifest, members, fix=False)
    _refused(setup, bad, "does not list")


def test_unexpected_member_name(setup):
    manifest, members = _load(setup[1])
    bad = _write(setup[2] / "bad.casefile", manifest, members,
                 extra=((zipfile.ZipInfo("autorun.sh"), b"echo hi"),))
    _refused(setup, bad, "unexpected member")


def test_declared_total_size_over_limit(setup):
    """The central directory claims 3 GB for case.json: refused before anything is read."""
    manifest, members = _load(setup[1])
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    raw = bytearray(bad.read_bytes())
    sig = b"PK\x01\x02"
    pos = raw.find(sig)
    while pos != -1:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46:pos + 46 + name_len] == b"case.json":
            struct.pack_into("<I", raw, pos + 24, 3 * 1024**3)
        pos = raw.find(sig, pos + 4)
    bad.write_bytes(bytes(raw))
    _refused(setup, bad, "more than")


def test_total_size_limit(setup, monkeypatch):
    monkeypatch.setattr(untrusted, "MAX_TOTAL_BYTES", 1000)
    _refused(setup, setup[1], "more than 1,000 bytes")


def test_compression_ratio_bomb(setup):
    manifest, members = _load(setup[1])
    bomb = bytes(4 * 1024 * 1024)
    members[f"sources/{hashlib.sha256(bomb).hexdigest()}"] = bomb
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "200:1")


def test_member_longer_than_declared(setup):
    """Declared sizes lie (manifest and zip agree on a smaller size): the capped stream or the
    zip's own check refuses it."""
    manifest, members = _load(setup[1])
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    raw = bytearray(bad.read_bytes())
    real = len(members["case.json"])
    for sig, size_off, name_off, len_off in ((b"PK\x03\x04", 22, 30, 26),
                                             (b"PK\x01\x02", 24, 46, 28)):
        pos = raw.find(sig)
        while pos != -1:
            n = struct.unpack_from("<H", raw, pos + len_off)[0]
            if raw[pos + name_off:pos + name_off + n] == b"case.json":
                struct.pack_into("<I", raw, pos + size_off, real - 100)
            pos = raw.find(sig, pos + 4)
    bad.write_bytes(bytes(raw))
    _refused(setup, bad, "case.json")


def test_sha256_mismatch(setup):
    manifest, members = _load(setup[1])
    members["case.json"] = members["case.json"].replace(b"Colleague's file", b"Colleague's FILE")
    bad = _write(setup[2] / "bad.casefile", manifest, members, fix=False)
    _refused(setup, bad, "SHA-256")


def test_source_sha256_mismatch(setup):
    manifest, members = _load(setup[1])
    name = next(n for n in members if n.startswith("sources/"))
    members[name] = members[name][:-1] + b"!"
    manifest["members"][name]["size"] = len(members[name])
    bad = _write(setup[2] / "bad.casefile", manifest, members, fix=False)
    _refused(setup, bad, "SHA-256")


def test_schema_violation(setup):
    manifest, members = _load(setup[1])
    case = _case(members)
    case["claims"][0]["credibility"] = 9
    members["case.json"] = json.dumps(case).encode()
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "fails the bundle schema at claims/0/credibility")


def test_not_json(setup):
    manifest, members = _load(setup[1])
    members["case.json"] = b"{not json"
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "not valid JSON")


def test_newer_format_version(setup):
    manifest, members = _load(setup[1])
    manifest["format_version"] = 99
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "format version 99, newer")


def test_highlight_outside_document(setup):
    manifest, members = _load(setup[1])
    case = _case(members)
    h = case["highlights"][0]
    doc = next(d for d in case["documents"] if d["id"] == h["document_id"])
    h["end"] = len(doc["text"]) + 10
    members["case.json"] = json.dumps(case).encode()
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "points outside its document")


def test_highlight_quote_mismatch(setup):
    manifest, members = _load(setup[1])
    case = _case(members)
    case["highlights"][0]["quote"] = "words the article never said"
    members["case.json"] = json.dumps(case).encode()
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "does not quote its document")


def test_dangling_reference(setup):
    manifest, members = _load(setup[1])
    case = _case(members)
    case["claims"][0]["evidence"] = ["00000000-0000-4000-8000-000000000000"]
    members["case.json"] = json.dumps(case).encode()
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "refers to a missing highlight")


def test_tag_cycle(setup):
    manifest, members = _load(setup[1])
    case = _case(members)
    tag = case["tags"][0]
    tag["parent_id"] = tag["id"]
    members["case.json"] = json.dumps(case).encode()
    bad = _write(setup[2] / "bad.casefile", manifest, members)
    _refused(setup, bad, "cycle")


def test_too_many_entries(setup, monkeypatch):
    monkeypatch.setattr(untrusted, "MAX_MEMBERS", 3)
    _refused(setup, setup[1], "too many entries")


def test_not_a_zip(setup):
    bad = setup[2] / "bad.casefile"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    _refused(setup, bad, "not a Casefile bundle")


def test_cli_refuses_and_leaves_database_file_unchanged(setup, cli_env):
    db_path, good, root = setup
    manifest, members = _load(good)
    bad = _write(root / "bad.casefile", manifest, members,
                 extra=((zipfile.ZipInfo("../evil.txt"), b"pwned"),))
    before = db_path.read_bytes()
    proc = run_cli("--db", str(db_path), "import-bundle", str(bad), "--json", env=cli_env,
                   check=False)
    assert proc.returncode == 2
    assert "leaving its folder" in proc.stderr
    assert db_path.read_bytes() == before
