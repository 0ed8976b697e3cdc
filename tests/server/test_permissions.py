"""Who may do what: a viewer cannot push, a non-member reads nothing of a case (records, files,
live events, members, audit log) even by its ids, a revoked token stops at once, and
row-level security hides another team's rows even from a query that skips the service's
checks."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import text

from casefile.server.db import acting, engine_for
from casefile.services import claims
from casefile.sync import engine
from casefile.sync.client import CaseNotShared, Client, NoPermission, TokenRejected
from tests.server.team_world import make_case, replica


@pytest.fixture
def shared(tmp_path, service, user):
    """A case shared by its owner: (owner db, ids, owner name)."""
    name, token = user("owner")
    db = replica(tmp_path, "owner", service.url, token)
    ids = make_case(db)
    engine.share(db, case_id=ids["case"])
    yield db, ids, name
    db.close()


def test_a_viewer_reads_but_cannot_push(tmp_path, service, user, shared):
    owner, ids, _ = shared
    name, token = user("viewer")
    engine.client_for(owner).set_member(ids["case"], name, "viewer")
    viewer = replica(tmp_path, "viewer", service.url, token)
    engine.join(viewer, case_id=ids["case"])
    assert claims.get_claim(viewer, claim_id=ids["claim"]).credibility == 3
    rec = claims.get_claim(viewer, claim_id=ids["claim"])
    claims.update_claim(viewer, claim_id=rec.id, data=claims.ClaimInput(
        **{**claims.as_input(rec).__dict__, "credibility": 1}))
    with pytest.raises(NoPermission, match="viewer"):
        engine.sync(viewer, case_id=ids["case"])
    # the local edit is kept, and the server's case is unchanged
    assert claims.get_claim(viewer, claim_id=ids["claim"]).credibility == 1
    engine.sync(owner, case_id=ids["case"])
    assert claims.get_claim(owner, claim_id=ids["claim"]).credibility == 3
    viewer.close()


def test_a_non_member_reads_nothing_of_the_case(service, user, shared):
    owner, ids, _ = shared
    _, token = user("stranger")
    stranger = Client(service.url, token)
    case_id = ids["case"]
    with owner.read() as s:
        from casefile.db.models import DocumentOriginal

        data = s.get(DocumentOriginal, ids["document"]).data
    sha = hashlib.sha256(data).hexdigest()
    for call in (lambda: stranger.pull(case_id, 0), lambda: stranger.get_file(case_id, sha),
                 lambda: stranger.members(case_id), lambda: stranger.log(case_id),
                 lambda: next(stranger.events(case_id)),
                 lambda: stranger.push(case_id, 1, []),
                 lambda: stranger.set_member(case_id, "someone", "owner"),
                 lambda: stranger.missing_files(case_id, [sha])):
        with pytest.raises(CaseNotShared):
            call()
    # a case id that does not exist answers exactly the same
    with pytest.raises(CaseNotShared) as unknown:
        stranger.pull("00000000-0000-4000-8000-000000000000", 0)
    with pytest.raises(CaseNotShared) as hidden:
        stranger.pull(case_id, 0)
    assert str(unknown.value) == str(hidden.value)


def test_only_owners_read_the_audit_log_and_manage_members(tmp_path, service, user, shared):
    owner, ids, _ = shared
    name, token = user("editor")
    engine.client_for(owner).set_member(ids["case"], name, "editor")
    editor = Client(service.url, token)
    with pytest.raises(NoPermission):
        editor.log(ids["case"])
    with pytest.raises(NoPermission):
        editor.set_member(ids["case"], name, "owner")
    assert {m["user"] for m in editor.members(ids["case"])} >= {name}
    log = engine.client_for(owner).log(ids["case"])
    assert {e["op"] for e in log} >= {"share", "create", "member"}


def test_a_revoked_token_stops_at_once(service, user, shared):
    from casefile.server.db import revoke_user

    owner, ids, _ = shared
    name, token = user("leaver")
    engine.client_for(owner).set_member(ids["case"], name, "editor")
    leaver = Client(service.url, token)
    assert leaver.pull(ids["case"], 0)["version"] >= 1
    events = leaver.events(ids["case"])
    first = next(events)
    ended = threading.Event()

    def read_on() -> None:
        try:
            for _ in events:
                pass
        except CaseNotShared:
            ended.set()

    reader = threading.Thread(target=read_on, daemon=True)
    reader.start()
    eng = engine_for(service.db, pool_size=1)
    revoke_user(eng, name=name)
    eng.dispose()
    with pytest.raises(TokenRejected):
        leaver.pull(ids["case"], 0)
    assert first >= 1
    assert ended.wait(10), "the live channel stays open after the token was revoked"


def test_row_level_security_hides_other_cases_even_without_the_services_checks(
        service, user, shared):
    _owner, ids, owner_name = shared
    name, _token = user("other")
    eng = engine_for(service.db, pool_size=1)
    try:
        with acting(eng, None) as s:
            other_id = s.execute(text("SELECT id FROM team_user WHERE name = :n"),
                                 {"n": name}).scalar()
            owner_id = s.execute(text("SELECT id FROM team_user WHERE name = :n"),
                                 {"n": owner_name}).scalar()
        queries = ("SELECT count(*) FROM team_record WHERE case_id = :c",
                   "SELECT count(*) FROM team_file WHERE case_id = :c",
                   "SELECT count(*) FROM team_change WHERE case_id = :c")
        for who in (other_id, None):
            with acting(eng, who) as s:
                for q in queries:
                    assert s.execute(text(q), {"c": ids["case"]}).scalar() == 0, (who, q)
                # nor can such a connection write into the case
                with pytest.raises(Exception, match="row-level security"):
                    s.execute(text("INSERT INTO team_record (case_id, type, record_id, version, "
                                   "deleted) VALUES (:c, 'claims', 'x', 99, false)"),
                              {"c": ids["case"]})
        with acting(eng, owner_id) as s:
            assert s.execute(text(queries[0]), {"c": ids["case"]}).scalar() > 0
    finally:
        eng.dispose()


def test_a_server_newer_than_this_casefile_is_one_sentence(monkeypatch, service, user, shared):
    from casefile.sync import client as client_module
    from casefile.sync.client import ServerTooNew

    owner, ids, _ = shared
    monkeypatch.setattr(client_module, "API_VERSION", 0)  # this Casefile predates the server's
    with pytest.raises(ServerTooNew, match="update Casefile"):
        engine.sync(owner, case_id=ids["case"])


def test_a_push_id_tells_a_non_member_nothing(service, user):
    """Asking what became of a push (by its id) is a read of the case like any other."""
    from casefile.db.models import new_id
    from casefile.sync.client import CaseNotShared, Client

    _name_a, token_a = user("owner")
    _name_x, token_x = user("outsider")
    owner = Client(service.url, token_a)
    case_id = new_id()
    owner.share(case_id)
    push_id = new_id()
    assert owner.push(case_id, 0, [], push_id)["version"] == 0
    assert owner.pull(case_id, 0, push=push_id)["push"] == 0
    assert owner.pull(case_id, 0, push=new_id())["push"] is None
    with pytest.raises(CaseNotShared):
        Client(service.url, token_x).pull(case_id, 0, push=push_id)
