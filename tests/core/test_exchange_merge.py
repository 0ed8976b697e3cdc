"""Merging bundles: two laptops diverge from one bundle, exchange, and end with the union."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from casefile.db.database import open_database
from casefile.db.models import Claim, Highlight
from casefile.errors import NotFound
from casefile.exchange.bundle import export_bundle
from casefile.exchange.casedata import collect_case
from casefile.exchange.merge import import_bundle
from casefile.services import cases, claims, entities, highlights
from casefile.services.claims import ClaimInput
from tests.core.exchange_world import build_world, read_member
from tests.helpers import cli_json, run_cli


def _edit_claim(db, claim_id: str, **changes) -> None:
    rec = claims.get_claim(db, claim_id=claim_id)
    claims.update_claim(db, claim_id=claim_id,
                        data=dataclasses.replace(claims.as_input(rec), **changes))


def _state(db, case_id: str) -> dict:
    with db.read() as s:
        return collect_case(s, case_id)


@pytest.fixture
def laptops(tmp_path: Path):
    a = open_database(tmp_path / "a.sqlite")
    b = open_database(tmp_path / "b.sqlite")
    world = build_world(a)
    b0 = tmp_path / "b0.casefile"
    export_bundle(a, case_id=world.case_id, out=b0)
    assert import_bundle(b, path=b0).new_case
    yield a, b, world, tmp_path
    a.close()
    b.close()


def test_diverged_databases_converge_on_the_union(laptops):
    a, b, w, tmp = laptops
    # A: edits claim 0, edits claim 1, adds a claim about a relative.
    _edit_claim(a, w.claims[0], credibility=2)
    _edit_claim(a, w.claims[1], note="A: the strike date is uncertain")
    a_new = claims.create_claim(a, case_id=w.case_id, data=ClaimInput(
        subject="Jamshed Vakhidov", kind="relationship", object="Temur Vakhidov",
        value="brother", origin="Meridian Wire")).id
    # B: edits claim 1 later, edits an entity, adds a highlight and a claim on it.
    _edit_claim(b, w.claims[1], note="B: Tal Hasan strike confirmed by a second outlet")
    entities.update_entity(b, entity_id=w.subject, description="Subject; born about 1990")
    start, end = highlights.locate_quote(b, document_id=w.docs[3], quote="Olim Vakhidov")
    b_hl = highlights.create_highlight(b, document_id=w.docs[3], start=start, end=end).id
    b_new = claims.create_claim(b, case_id=w.case_id, data=ClaimInput(
        subject="Olim Vakhidov", kind="relationship", object="Temur Vakhidov",
        value="relative", evidence=(b_hl,))).id

    bundle_a, bundle_b = tmp / "a.casefile", tmp / "b.casefile"
    export_bundle(a, case_id=w.case_id, out=bundle_a)
    export_bundle(b, case_id=w.case_id, out=bundle_b)
    rep_a = import_bundle(a, path=bundle_b)
    rep_b = import_bundle(b, path=bundle_a)

    state_a, state_b = _state(a, w.case_id), _state(b, w.case_id)
    assert state_a == state_b
    claim_ids = {c["id"] for c in state_a["claims"]}
    assert {a_new, b_new, *w.claims} <= claim_ids
    by_id = {c["id"]: c for c in state_a["claims"]}
    assert by_id[w.claims[0]]["credibility"] == 2
    assert by_id[w.claims[1]]["note"].startswith("B:")  # the newer edit wins on both sides
    subject = next(e for e in state_a["entities"] if e["id"] == w.subject)
    assert subject["description"] == "Subject; born about 1990"

    for rep in (rep_a, rep_b):
        conflicts = [(k, c["id"]) for k, t in rep.types.items() for c in t.conflicts]
        assert conflicts == [("claims", w.claims[1])]
        assert rep.types["claims"].conflicts[0]["winner"] == ("incoming" if rep is rep_a
                                                              else "local")
    assert b_new in rep_a.types["claims"].added and b_hl in rep_a.types["highlights"].added
    assert w.claims[0] in rep_b.types["claims"].updated
    assert w.subject in rep_a.types["entities"].updated
    assert w.claims[0] in rep_a.types["claims"].kept_local

    # Importing the same bundles again changes nothing.
    again = import_bundle(a, path=bundle_b)
    assert not again.changed
    assert _state(a, w.case_id) == state_a


def test_conflict_unites_evidence_of_both_versions(laptops):
    a, b, w, tmp = laptops
    _edit_claim(a, w.claims[2], evidence=(w.highlights[2], w.highlights[1]))
    _edit_claim(b, w.claims[2], evidence=(w.highlights[2], w.highlights[0]), credibility=2)
    export_bundle(b, case_id=w.case_id, out=tmp / "b.casefile")
    rep = import_bundle(a, path=tmp / "b.casefile")
    assert [c["id"] for c in rep.types["claims"].conflicts] == [w.claims[2]]
    rec = claims.get_claim(a, claim_id=w.claims[2])
    assert rec.credibility == 2
    assert set(rec.evidence) == {w.highlights[0], w.highlights[1], w.highlights[2]}


def test_local_records_missing_from_bundle_are_kept(laptops):
    a, b, w, tmp = laptops
    extra = claims.create_claim(b, case_id=w.case_id, data=ClaimInput(
        subject="Temur Vakhidov", kind="location", value="Wadi Sirr")).id
    export_bundle(a, case_id=w.case_id, out=tmp / "a.casefile")
    rep = import_bundle(b, path=tmp / "a.casefile")
    assert not rep.changed
    assert claims.get_claim(b, claim_id=extra).value == "Wadi Sirr"


def test_import_into_named_case_remaps_ids_used_elsewhere(laptops):
    a, _b, w, tmp = laptops
    bundle = tmp / "a.casefile"
    export_bundle(a, case_id=w.case_id, out=bundle)
    other = cases.create_case(a, title="Merged copy").id
    rep = import_bundle(a, path=bundle, into=other)
    assert rep.case_id == other and not rep.new_case and rep.remapped_ids > 0
    with a.read() as s:
        assert s.query(Claim).filter_by(case_id=other).count() == len(w.claims)
        assert s.query(Claim).filter_by(case_id=w.case_id).count() == len(w.claims)
    assert not import_bundle(a, path=bundle, into=other).changed
    with pytest.raises(NotFound):
        import_bundle(a, path=bundle, into="no-such-case")


def test_failed_merge_rolls_back_everything(laptops, monkeypatch):
    a, b, w, tmp = laptops
    _edit_claim(b, w.claims[0], note="B edit")
    export_bundle(b, case_id=w.case_id, out=tmp / "b.casefile")
    before = _state(a, w.case_id)
    import casefile.exchange.merge as merge

    def boom(*args, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge, "_orphan_misplaced", boom)
    with pytest.raises(RuntimeError):
        import_bundle(a, path=tmp / "b.casefile")
    assert _state(a, w.case_id) == before


def test_highlight_on_locally_changed_text_becomes_orphan(laptops):
    a, b, w, tmp = laptops
    # B edits a highlight's note; A's copy of the document text is replaced meanwhile.
    highlights.update_highlight(b, highlight_id=w.highlights[3], note="check this")
    with a.write() as s:
        from casefile.db.models import Document

        doc = s.get(Document, w.docs[3])
        doc.text = "Entirely different text now."
    export_bundle(b, case_id=w.case_id, out=tmp / "b.casefile")
    rep = import_bundle(a, path=tmp / "b.casefile")
    assert rep.warnings
    with a.read() as s:
        assert s.get(Highlight, w.highlights[3]).anchor == "orphan"


def test_cli_export_and_import_bundle(cli_env, tmp_path: Path):
    db1, db2 = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    a = open_database(db1)
    w = build_world(a)
    a.close()
    out = tmp_path / "vakhidov.casefile"
    run_cli("--db", db1, "export", "--case", w.case_id, "--format", "bundle", "-o", str(out),
            env=cli_env)
    rep = cli_json("--db", db2, "import-bundle", str(out), env=cli_env)
    assert rep["new_case"] and rep["case_id"] == w.case_id
    assert sorted(rep["records"]["claims"]["added"]) == sorted(w.claims)
    rep = cli_json("--db", db2, "import-bundle", str(out), env=cli_env)
    assert not rep["new_case"]
    assert all(c["added"] == c["updated"] == c["conflicts"] == 0 for c in rep["summary"].values())
    assert len(rep["records"]["claims"]["unchanged"]) == len(w.claims)
    manifest = read_member(out, "manifest.json")
    assert manifest["format"] == "casefile-bundle" and "case.json" in manifest["members"]


def test_a_merge_into_an_existing_case_is_preceded_by_a_backup(tmp_path):
    from casefile.db import backup
    from casefile.db.database import open_database
    from casefile.exchange.bundle import export_bundle
    from casefile.exchange.merge import import_bundle
    from casefile.services import cases

    db = open_database(tmp_path / "a.sqlite")
    try:
        case = cases.create_case(db, title="Vakhidov").id
        bundle = tmp_path / "v.casefile"
        export_bundle(db, case_id=case, out=bundle)
        before = len(backup.list_backups(db.path))
        import_bundle(db, path=bundle)
        made = backup.list_backups(db.path)
        assert len(made) == before + 1 and "before-merge" in made[0].path.name
    finally:
        db.close()
    other = open_database(tmp_path / "b.sqlite")
    try:
        import_bundle(other, path=bundle)  # a new case: nothing to protect
        assert backup.list_backups(other.path) == []
    finally:
        other.close()
