"""Every bundle is merged whole or refused whole with a one-line reason — never a traceback —
and an accepted bundle leaves a database that passes ``check`` (issue 10, items 6 and 7)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from casefile.db.database import open_database
from casefile.exchange import BundleError
from casefile.exchange.merge import import_bundle
from tests.faults.bundles import Setting, case_of, check_ok, files_of, load, make_setting, write


@pytest.fixture
def setting(tmp_path: Path) -> Setting:
    return make_setting(tmp_path)


def refused(st: Setting, bad: Path, match: str) -> str:
    before = files_of(st.db_path.parent)
    db = open_database(st.db_path)
    try:
        with pytest.raises(BundleError, match=match) as err:
            import_bundle(db, path=bad)
    finally:
        db.close()
    assert files_of(st.db_path.parent) == before, "refusing a bundle changed the database"
    assert "\n" not in str(err.value)
    return str(err.value)


def accepted(st: Setting, bundle: Path):
    db = open_database(st.db_path)
    try:
        report = import_bundle(db, path=bundle)
    finally:
        db.close()
    assert check_ok(st.db_path) == []
    return report


# -- item 6: tracebacks -------------------------------------------------------------------------

def test_encrypted_member(setting: Setting):
    manifest, members = load(setting.good)
    bad = write(setting.root / "bad.casefile", manifest, members)
    raw = bytearray(bad.read_bytes())
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers
        pos = raw.find(sig)
        while pos != -1:
            raw[pos + flag_at] |= 0x1
            pos = raw.find(sig, pos + 4)
    bad.write_bytes(bytes(raw))
    refused(setting, bad, "encrypted")


def test_damaged_lzma_member(setting: Setting):
    manifest, members = load(setting.good)
    bad = write(setting.root / "bad.casefile", manifest, members, compression=zipfile.ZIP_LZMA)
    raw = bytearray(bad.read_bytes())
    start = raw.find(b"PK\x03\x04") + 30 + len("case.json") + 20
    raw[start:start + 40] = b"\x00" * 40
    bad.write_bytes(bytes(raw))
    refused(setting, bad, "compression method|damaged")


@pytest.mark.parametrize("depth", [600, 900, 990])
@pytest.mark.parametrize("where", ["title", "entities", "page_starts", "outlet_id"])
def test_deep_nesting(setting: Setting, where: str, depth: int):
    manifest, members = load(setting.good)
    deep = "[" * depth + "]" * depth
    case = case_of(members)
    text = json.dumps(case)
    marker = {"title": json.dumps(case["case"]["title"]),
              "entities": json.dumps(case["entities"][0]["name"]),
              "page_starts": json.dumps(case["documents"][0]["page_starts"]),
              "outlet_id": json.dumps(case["documents"][0]["outlet_id"])}[where]
    bad = write(setting.root / "bad.casefile", manifest, members,
                case_text=text.replace(marker, deep, 1))
    refused(setting, bad, "levels deep|not valid JSON")


@pytest.mark.parametrize("stamp", ["2020-99-99T99:99:99", "0000-01-01T00:00:00",
                                   "2021-02-30T10:00:00", "2020-01-01T24:00:00",
                                   "9999-12-31T23:59:59"])
def test_impossible_timestamps(setting: Setting, stamp: str):
    manifest, members = load(setting.good)
    case = case_of(members)
    case["claims"][0]["updated_at"] = stamp
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "not a real date|usable year")


def test_impossible_export_stamp(setting: Setting):
    manifest, members = load(setting.good)
    manifest["exported_at"] = "2020-02-31T00:00:00"
    refused(setting, write(setting.root / "bad.casefile", manifest, members), "exported_at")


def test_same_tag_twice_on_a_highlight(setting: Setting):
    manifest, members = load(setting.good)
    case = case_of(members)
    h = next(h for h in case["highlights"] if h["tags"])
    h["tags"] = h["tags"] * 2
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "same tag twice")


def test_same_passage_twice_as_evidence(setting: Setting):
    manifest, members = load(setting.good)
    case = case_of(members)
    case["claims"][0]["evidence"] = case["claims"][0]["evidence"] * 2
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "same passage twice")


def test_ids_that_collide_with_another_local_case(setting: Setting):
    """A new case whose entity and tag ids are already used by the local case: merged, with
    ids of its own, and the local case untouched."""
    db = open_database(setting.db_path)
    from casefile.services import entities, tags

    local_entity = entities.list_entities(db, case_id=setting.local_case)[0].id
    local_tag = tags.list_tags(db, case_id=setting.local_case)[0].id
    db.close()
    manifest, members = load(setting.good)
    text = members["case.json"].decode()
    case = case_of(members)
    text = text.replace(case["entities"][0]["id"], local_entity)
    text = text.replace(case["tags"][0]["id"], local_tag)
    report = accepted(setting, write(setting.root / "clash.casefile", manifest, members,
                                     case_text=text))
    assert report.new_case and report.remapped_ids >= 2
    db = open_database(setting.db_path)
    try:
        assert entities.get_entity(db, entity_id=local_entity).case_id == setting.local_case
        assert {t.id for t in tags.list_tags(db, case_id=setting.local_case)} >= {local_tag}
    finally:
        db.close()


@pytest.mark.parametrize("field", ["statement", "name", "text", "title"])
def test_lone_surrogate(setting: Setting, field: str):
    manifest, members = load(setting.good)
    case = case_of(members)
    rec = {"statement": case["claims"][0], "name": case["entities"][0],
           "text": case["documents"][0], "title": case["case"]}[field]
    rec[field] = rec[field] + "\ud800"
    text = json.dumps(case)  # ensure_ascii writes the escape "\\ud800"
    assert "\\ud800" in text
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case_text=text),
            "not valid Unicode")


def test_huge_integer(setting: Setting):
    manifest, members = load(setting.good)
    case = case_of(members)
    case["highlights"][0]["start"] = 10**30
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "too large")


def test_nan_is_not_a_number(setting: Setting):
    manifest, members = load(setting.good)
    text = json.dumps(case_of(members)).replace('"credibility": 4', '"credibility": NaN', 1)
    assert "NaN" in text
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case_text=text),
            "not valid JSON")


# -- item 7: accepted bundles pass check ----------------------------------------------------------

def test_page_offsets_out_of_order(setting: Setting):
    manifest, members = load(setting.good)
    case = case_of(members)
    case["documents"][0]["page_starts"] = [0, 40, 20]
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "page offsets")


def test_first_page_not_at_zero(setting: Setting):
    manifest, members = load(setting.good)
    case = case_of(members)
    case["documents"][0]["page_starts"] = [5]
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "page offsets")


def test_highlight_beyond_its_text(setting: Setting):
    manifest, members = load(setting.good)
    case = case_of(members)
    h = case["highlights"][0]
    h["end"] = 10**6
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "outside its document")


@pytest.mark.parametrize(("key", "field", "value"), [
    ("claims", "date", "2017-13-45"), ("claims", "date", "0000"),
    ("claims", "date", "9999-12-31"), ("documents", "published", "2021-02-30"),
    ("documents", "published", "~0999")])
def test_unusable_partial_dates(setting: Setting, key: str, field: str, value: str):
    manifest, members = load(setting.good)
    case = case_of(members)
    case[key][0][field] = value
    refused(setting, write(setting.root / "bad.casefile", manifest, members, case=case),
            "not a usable date")


def test_highlight_on_a_document_whose_text_differs_here_passes_check(setting: Setting):
    """A colleague's highlight that does not fit this database's (shorter) text of the same
    document is kept as an orphan, and ``check`` accepts the result."""
    first = accepted(setting, setting.good)
    db = open_database(setting.db_path)
    from sqlalchemy import update

    from casefile.db.models import Document, SyncBaseline
    with db.write() as s:  # this side shortened the document since the exchange
        s.execute(update(Document).where(Document.case_id == first.case_id)
                  .values(text="Short."))
        s.execute(update(SyncBaseline).values(content_hash="x"))
    db.close()
    manifest, members = load(setting.good)
    case = case_of(members)
    for h in case["highlights"]:
        h["note"] = "edited there"
        h["updated_at"] = "2030-01-01T00:00:00.000000"
    accepted(setting, write(setting.root / "again.casefile", manifest, members, case=case))


def test_deep_nesting_in_the_manifest(setting: Setting):
    manifest, members = load(setting.good)
    bad = write(setting.root / "bad.casefile", manifest, members)
    with zipfile.ZipFile(bad) as zf:
        text = zf.read("manifest.json").decode()
    deep = "[" * 990 + "]" * 990
    text = text.replace(json.dumps(manifest["app_version"]), deep, 1)
    rebuilt = setting.root / "deep.casefile"
    with zipfile.ZipFile(bad) as src, zipfile.ZipFile(rebuilt, "w") as zf:
        for name in src.namelist():
            zf.writestr(name, text if name == "manifest.json" else src.read(name))
    refused(setting, rebuilt, "levels deep|not valid JSON")
