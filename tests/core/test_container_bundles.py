"""Bundles carry what containers add: a forwarded post's origin, the link between a mail and its
attachment, and the keys that let a newer Telegram export add only what is new."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

from casefile import importers
from casefile.db.database import open_database
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from casefile.services import documents

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))
import mailgen  # noqa: E402
import telegram_export as te  # noqa: E402


def test_a_bundle_carries_origin_links_and_keys(db, case_id, tmp_path):
    mail = tmp_path / "casualties.eml"
    mail.write_bytes(mailgen.eml())
    export = te.write_json(tmp_path / "export").parent
    importers.import_files(db, case_id=case_id, paths=[mail, export])
    bundle = tmp_path / "case.casefile"
    export_bundle(db, case_id=case_id, out=bundle)
    other = open_database(tmp_path / "other.sqlite")
    try:
        import_bundle(other, path=bundle)
        docs = {d.title: d for d in documents.list_documents(other, case_id=case_id)}
        full = [documents.get_document(other, document_id=d.id) for d in docs.values()]
        (att,) = [d for d in full if d.parent_id == docs[mailgen.SUBJECT].id]
        assert documents.get_text(other, document_id=att.id) == mailgen.NOTE
        fwd = documents.get_document(other, document_id=docs[
            "The minister adds he will not believe it until he sees the body."].id)
        assert fwd.origin == "Khorog Herald" and fwd.source_key.startswith("telegram:")
        (again,) = importers.import_files(other, case_id=case_id, paths=[export])
        assert again.already == 3 and not again.added
    finally:
        other.close()


def test_documents_without_the_new_fields_hash_as_before(db, case_id, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Temur Vakhidov was seen in Khorog.", encoding="utf-8")
    importers.import_files(db, case_id=case_id, paths=[path])
    bundle = tmp_path / "case.casefile"
    export_bundle(db, case_id=case_id, out=bundle)
    with zipfile.ZipFile(bundle) as zf:
        (doc,) = json.loads(zf.read("case.json"))["documents"]
    assert not {"origin_id", "parent_id", "source_key"} & set(doc)
