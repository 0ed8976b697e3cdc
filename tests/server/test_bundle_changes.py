"""Bundles and pushes speak one record format: a bundle's case.json, as a change list, is a
push the server takes, and joining that case gives back the same records. A bundle merged into
a shared replica is seen by the change tracking and sent at the next sync."""

from __future__ import annotations

from casefile.exchange.bundle import export_bundle, open_bundle
from casefile.exchange.casedata import from_changes, to_changes
from casefile.exchange.merge import import_bundle
from casefile.services import claims
from casefile.sync import engine
from tests.server.team_world import make_case, replica, snapshot


def test_a_bundle_is_a_push(tmp_path, service, user):
    _, token = user("courier")
    home = replica(tmp_path, "home", service.url, token)
    ids = make_case(home)
    bundle_path = tmp_path / "case.casefile"
    export_bundle(home, case_id=ids["case"], out=bundle_path)
    client = engine.client_for(home)
    with open_bundle(bundle_path) as bundle:
        body = {k: v for k, v in bundle.case.items() if k not in ("format", "format_version")}
        changes = to_changes(body)
        assert from_changes(changes) == (body, [])
        client.share(ids["case"])
        for sha, path in bundle.sources.items():
            client.put_file(ids["case"], sha, path.read_bytes())
        assert client.push(ids["case"], 0, changes)["version"] == 1
    away = replica(tmp_path, "away", service.url, token)
    engine.join(away, case_id=ids["case"])
    assert snapshot(away, ids["case"]) == body
    home.close()
    away.close()


def test_a_bundle_merged_into_a_shared_case_is_sent(tmp_path, service, user):
    _, token = user("merger")
    a = replica(tmp_path, "a", service.url, token)
    ids = make_case(a)
    engine.share(a, case_id=ids["case"])
    b = replica(tmp_path, "b", service.url, token)
    engine.join(b, case_id=ids["case"])
    # an air-gapped colleague edits a copy and sends a bundle back
    rec = claims.get_claim(b, claim_id=ids["claim"])
    claims.update_claim(b, claim_id=rec.id, data=claims.ClaimInput(
        **{**claims.as_input(rec).__dict__, "note": "from the field office"}))
    export_bundle(b, case_id=ids["case"], out=tmp_path / "back.casefile")
    import_bundle(a, path=tmp_path / "back.casefile")
    assert engine.sync(a, case_id=ids["case"]).pushed == 1
    a.close()
    b.close()
