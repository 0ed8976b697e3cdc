"""Share, join and sync through the real service on real PostgreSQL: changes travel both
ways, both-sides edits become conflicts the analyst settles, nothing is decided silently."""

from __future__ import annotations

import pytest

from casefile.services import claims, documents, highlights, tags
from casefile.sync import engine
from tests.server.team_world import make_case, replica, snapshot


@pytest.fixture
def team(tmp_path, service, user):
    """Two analysts' replicas of one shared case: (a, b, ids)."""
    _, token_a = user("ayla")
    name_b, token_b = user("bek")
    a = replica(tmp_path, "a", service.url, token_a)
    b = replica(tmp_path, "b", service.url, token_b)
    ids = make_case(a)
    engine.share(a, case_id=ids["case"])
    engine.client_for(a).set_member(ids["case"], name_b, "editor")
    engine.join(b, case_id=ids["case"])
    yield a, b, ids
    a.close()
    b.close()


def test_join_brings_every_record_and_original(team):
    a, b, ids = team
    assert snapshot(b, ids["case"]) == snapshot(a, ids["case"])
    assert documents.get_original(b, document_id=ids["document"]) == \
        documents.get_original(a, document_id=ids["document"])


def test_an_edit_travels_and_a_noop_sync_does_nothing(team):
    a, b, ids = team
    rec = claims.get_claim(a, claim_id=ids["claim"])
    claims.update_claim(a, claim_id=rec.id, data=claims.ClaimInput(
        **{**claims.as_input(rec).__dict__, "credibility": 2}))
    assert engine.sync(a, case_id=ids["case"]).pushed == 1
    got = engine.sync(b, case_id=ids["case"])
    assert got.pulled == 1 and got.written.updated["claims"] == [ids["claim"]]
    assert claims.get_claim(b, claim_id=ids["claim"]).credibility == 2
    again = engine.sync(b, case_id=ids["case"])
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)
    assert snapshot(b, ids["case"]) == snapshot(a, ids["case"])


def _edit(db, claim_id, **fields):
    rec = claims.get_claim(db, claim_id=claim_id)
    claims.update_claim(db, claim_id=claim_id, data=claims.ClaimInput(
        **{**claims.as_input(rec).__dict__, **fields}))


def test_edits_of_different_fields_merge(team):
    a, b, ids = team
    _edit(a, ids["claim"], note="seen by Ayla")
    _edit(b, ids["claim"], credibility=5)
    engine.sync(a, case_id=ids["case"])
    assert engine.sync(b, case_id=ids["case"]).conflicts == 0
    engine.sync(a, case_id=ids["case"])
    for db in (a, b):
        c = claims.get_claim(db, claim_id=ids["claim"])
        assert (c.note, c.credibility) == ("seen by Ayla", 5)
    assert snapshot(a, ids["case"]) == snapshot(b, ids["case"])


def test_both_sides_edit_is_a_conflict_settled_by_the_analyst(team):
    a, b, ids = team
    _edit(a, ids["claim"], note="Ayla: the minister retracted")
    _edit(b, ids["claim"], note="Bek: two outlets repeat the minister")
    engine.sync(a, case_id=ids["case"])
    result = engine.sync(b, case_id=ids["case"])
    assert result.conflicts == 1
    [conflict] = engine.list_conflicts(b)
    assert (conflict.field, conflict.mine, conflict.theirs) == (
        "note", "Bek: two outlets repeat the minister", "Ayla: the minister retracted")
    # until settled, B keeps its own text and does not send it
    assert claims.get_claim(b, claim_id=ids["claim"]).note.startswith("Bek")
    engine.sync(a, case_id=ids["case"])
    assert claims.get_claim(a, claim_id=ids["claim"]).note.startswith("Ayla")
    engine.resolve(b, conflict_id=conflict.id, keep="mine")
    engine.sync(b, case_id=ids["case"])
    engine.sync(a, case_id=ids["case"])
    assert claims.get_claim(a, claim_id=ids["claim"]).note.startswith("Bek")
    assert snapshot(a, ids["case"]) == snapshot(b, ids["case"])
    assert engine.list_conflicts(b) == []


def test_keep_theirs_takes_the_servers_value(team):
    a, b, ids = team
    _edit(a, ids["claim"], credibility=1)
    _edit(b, ids["claim"], credibility=5)
    engine.sync(a, case_id=ids["case"])
    engine.sync(b, case_id=ids["case"])
    [conflict] = engine.list_conflicts(b)
    engine.resolve(b, conflict_id=conflict.id, keep="theirs")
    assert claims.get_claim(b, claim_id=ids["claim"]).credibility == 1
    result = engine.sync(b, case_id=ids["case"])
    assert result.conflicts == 0
    assert snapshot(a, ids["case"]) == snapshot(b, ids["case"])


def test_tags_added_on_both_sides_are_united(team):
    a, b, ids = team
    case_id = ids["case"]
    ta = tags.create_tag(a, case_id=case_id, name="Sources")
    engine.sync(a, case_id=case_id)
    engine.sync(b, case_id=case_id)
    tb = tags.create_tag(b, case_id=case_id, name="Places")
    highlights.update_highlight(a, highlight_id=ids["highlight"],
                                tag_ids=(ids["tag"], ta.id))
    highlights.update_highlight(b, highlight_id=ids["highlight"], tag_ids=(tb.id,))  # swaps
    engine.sync(a, case_id=case_id)
    assert engine.sync(b, case_id=case_id).conflicts == 0
    engine.sync(a, case_id=case_id)
    for db in (a, b):
        # B removed Events/Death and added Places; A added Sources: all of it counts
        assert set(highlights.get_highlight(db, highlight_id=ids["highlight"]).tag_ids) == {
            ta.id, tb.id}
    assert snapshot(a, case_id) == snapshot(b, case_id)


def test_edit_against_delete_is_a_conflict(team):
    a, b, ids = team
    claims.delete_claim(a, claim_id=ids["claim"])
    _edit(b, ids["claim"], note="still relevant")
    engine.sync(a, case_id=ids["case"])
    result = engine.sync(b, case_id=ids["case"])
    assert result.conflicts == 1
    [conflict] = engine.list_conflicts(b)
    assert conflict.field == "(deleted)"
    assert claims.get_claim(b, claim_id=ids["claim"]).note == "still relevant"
    engine.resolve(b, conflict_id=conflict.id, keep="mine")
    engine.sync(b, case_id=ids["case"])
    engine.sync(a, case_id=ids["case"])
    assert claims.get_claim(a, claim_id=ids["claim"]).note == "still relevant"
    assert snapshot(a, ids["case"]) == snapshot(b, ids["case"])


def test_a_document_deleted_by_a_teammate_stays_while_a_new_highlight_needs_it(team):
    a, b, ids = team
    case_id = ids["case"]
    documents.delete_document(a, document_id=ids["document"], backup_first=False)
    hl = highlights.create_highlight(b, document_id=ids["document"], start=0, end=3)
    engine.sync(a, case_id=case_id)
    result = engine.sync(b, case_id=case_id)
    assert result.conflicts >= 1
    assert highlights.get_highlight(b, highlight_id=hl.id).document_id == ids["document"]
    [conflict] = [c for c in engine.list_conflicts(b) if c.type == "documents"]
    assert (conflict.mine, conflict.theirs) == ("used here", "deleted on the server")
    engine.resolve(b, conflict_id=conflict.id, keep="mine")
    engine.sync(b, case_id=case_id)
    engine.sync(a, case_id=case_id)
    assert snapshot(a, case_id)["highlights"] == snapshot(b, case_id)["highlights"]
    assert hl.id in {h["id"] for h in snapshot(a, case_id)["highlights"]}
    assert snapshot(a, case_id) == snapshot(b, case_id)


def test_edits_of_a_local_only_case_are_not_kept_as_changes_to_send(team):
    from casefile.db.team import SyncDirty
    from casefile.services import cases

    a, _b, ids = team
    private = cases.create_case(a, title="My own notes")
    tags.create_tag(a, case_id=private.id, name="Private")
    _edit(a, ids["claim"], note="shared edit")
    assert engine.pending_changes(a, case_id=ids["case"]) == 1
    assert engine.sync(a, case_id=ids["case"]).pushed == 1
    with a.read() as s:
        assert s.query(SyncDirty).count() == 0
    assert engine.pending_changes(a, case_id=ids["case"]) == 0


def test_a_deletion_here_stays_a_conflict_while_a_teammate_keeps_editing(team):
    a, b, ids = team
    claims.delete_claim(b, claim_id=ids["claim"])
    _edit(a, ids["claim"], note="Ayla: still relevant")
    engine.sync(a, case_id=ids["case"])
    assert engine.sync(b, case_id=ids["case"]).conflicts == 1  # restored, pending a decision
    _edit(a, ids["claim"], credibility=2)
    engine.sync(a, case_id=ids["case"])
    assert engine.sync(b, case_id=ids["case"]).conflicts == 1
    [conflict] = engine.list_conflicts(b)
    assert (conflict.field, conflict.mine) == ("(deleted)", "deleted here")
    assert claims.get_claim(b, claim_id=ids["claim"]).credibility == 2
    engine.resolve(b, conflict_id=conflict.id, keep="mine")
    engine.sync(b, case_id=ids["case"])
    engine.sync(a, case_id=ids["case"])
    assert claims.list_claims(a, case_id=ids["case"]) == []
    assert snapshot(a, ids["case"]) == snapshot(b, ids["case"])


def test_an_edit_of_the_copy_brought_back_after_a_deletion_here_is_never_lost(team):
    """Bek deletes a claim Ayla changed: it comes back to him as a conflict. He edits it
    (he needs it after all), then Ayla deletes it too. The conflict he then sees is his edit
    against her deletion — keeping his side keeps his edit; it must not read "deleted here"
    and throw the edit away."""
    a, b, ids = team
    case_id = ids["case"]
    claims.delete_claim(b, claim_id=ids["claim"])
    _edit(a, ids["claim"], credibility=2)
    engine.sync(a, case_id=case_id)
    assert engine.sync(b, case_id=case_id).conflicts == 1  # brought back for a decision
    _edit(b, ids["claim"], note="Bek: needed for the timeline")
    claims.delete_claim(a, claim_id=ids["claim"])
    engine.sync(a, case_id=case_id)
    engine.sync(b, case_id=case_id)
    [conflict] = engine.list_conflicts(b)
    assert (conflict.field, conflict.mine, conflict.theirs) == (
        "(deleted)", "changed here", "deleted on the server")
    engine.resolve(b, conflict_id=conflict.id, keep="mine")
    engine.sync(b, case_id=case_id)
    engine.sync(a, case_id=case_id)
    assert claims.get_claim(a, claim_id=ids["claim"]).note == "Bek: needed for the timeline"
    assert snapshot(a, case_id) == snapshot(b, case_id)


def test_an_edit_of_the_copy_brought_back_merges_with_the_teammates_later_edits(team):
    """Editing the copy a deletion conflict brought back is taking it back: a teammate's
    later edit then merges with it instead of reviving the stale "deleted here"."""
    a, b, ids = team
    case_id = ids["case"]
    claims.delete_claim(b, claim_id=ids["claim"])
    _edit(a, ids["claim"], credibility=2)
    engine.sync(a, case_id=case_id)
    engine.sync(b, case_id=case_id)
    _edit(b, ids["claim"], note="Bek: needed after all")
    _edit(a, ids["claim"], credibility=4)
    engine.sync(a, case_id=case_id)
    assert engine.sync(b, case_id=case_id).conflicts == 0
    engine.sync(a, case_id=case_id)
    got = claims.get_claim(a, claim_id=ids["claim"])
    assert (got.note, got.credibility) == ("Bek: needed after all", 4)
    assert snapshot(a, case_id) == snapshot(b, case_id)


def _server_records(db, case_id):
    pulled = engine.client_for(db).pull(case_id, 0)["changes"]
    return {(c["type"], c["id"]): c.get("data") for c in pulled}


def test_a_tag_deleted_here_waits_while_a_highlight_in_conflict_still_uses_it(team, tmp_path,
                                                                              user):
    """Found by the convergence soak (seed 5975): the deletion of a tag went to the server
    while the highlight that, there, still carried the tag was held back by a conflict; the
    server then held a highlight tagged with a deleted tag and no replica could pull it."""
    a, b, ids = team
    case_id = ids["case"]
    highlights.update_highlight(b, highlight_id=ids["highlight"], note="Bek's reading")
    engine.sync(b, case_id=case_id)
    highlights.update_highlight(a, highlight_id=ids["highlight"], note="Ayla's reading")
    tags.delete_tag(a, tag_id=ids["tag"])
    assert engine.sync(a, case_id=case_id).conflicts == 1  # the note; the highlight waits
    server = _server_records(a, case_id)
    for (kind, _rid), rec in server.items():
        if kind == "highlights" and rec is not None:
            assert all(server.get(("tags", t)) is not None for t in rec["tags"])
    name_c, token_c = user("cyrus")
    engine.client_for(a).set_member(case_id, name_c, "editor")
    c = replica(tmp_path, "c", engine.remote_url(a), token_c)
    engine.join(c, case_id=case_id)  # the whole case, consistent
    [conflict] = engine.list_conflicts(a)
    engine.resolve(a, conflict_id=conflict.id, keep="mine")
    engine.sync(a, case_id=case_id)
    for db in (b, c):
        engine.sync(db, case_id=case_id)
    assert snapshot(a, case_id) == snapshot(b, case_id) == snapshot(c, case_id)
    assert ids["tag"] not in {t["id"] for t in snapshot(c, case_id)["tags"]}
    c.close()


@pytest.fixture
def lossy(team, service):
    """A's replica talks to the service through a proxy that can lose push answers."""
    from casefile.db.team import SyncRemote
    from tests.server.lossy import LossyProxy

    proxy = LossyProxy(service.url).start()
    a = team[0]
    with a.write() as s:
        s.get(SyncRemote, engine.REMOTE).url = proxy.url
    yield proxy
    proxy.stop()


def test_a_push_whose_answer_was_lost_is_not_a_conflict_with_oneself(team, lossy):
    """The push reached the server but its answer never came back (both tries): at the next
    sync the replica must know the server took it, even after a teammate built on it."""
    from casefile.sync.client import ServerUnreachable

    a, b, ids = team
    case_id = ids["case"]
    _edit(a, ids["claim"], note="Ayla: the minister retracted")
    new = claims.create_claim(a, case_id=case_id, data=claims.ClaimInput(
        subject="Lena Marsh", kind="death", note="Ayla's new claim"))
    lossy.lose_pushes = 2  # the push and the client's own retry of it
    with pytest.raises(ServerUnreachable):
        engine.sync(a, case_id=case_id)
    assert lossy.lost == 2
    # the server took it; a teammate reads it and edits on top of it
    engine.sync(b, case_id=case_id)
    assert claims.get_claim(b, claim_id=ids["claim"]).note == "Ayla: the minister retracted"
    _edit(b, ids["claim"], note="Bek: the retraction was denied")
    _edit(b, new.id, credibility=5)
    engine.sync(b, case_id=case_id)
    result = engine.sync(a, case_id=case_id)
    assert (result.conflicts, engine.list_conflicts(a)) == (0, [])
    assert claims.get_claim(a, claim_id=ids["claim"]).note == "Bek: the retraction was denied"
    assert claims.get_claim(a, claim_id=new.id).credibility == 5
    assert snapshot(a, case_id) == snapshot(b, case_id)
    again = engine.sync(a, case_id=case_id)
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)


def test_a_push_whose_answer_was_lost_once_is_answered_on_the_retry(team, lossy):
    a, b, ids = team
    case_id = ids["case"]
    _edit(a, ids["claim"], note="Ayla: once")
    lossy.lose_pushes = 1
    result = engine.sync(a, case_id=case_id)
    assert (lossy.lost, result.pushed, result.conflicts) == (1, 1, 0)
    engine.sync(b, case_id=case_id)
    assert claims.get_claim(b, claim_id=ids["claim"]).note == "Ayla: once"
    assert snapshot(a, case_id) == snapshot(b, case_id)


def test_the_same_passage_put_into_the_matrix_on_both_sides_is_one_passage(team):
    """A highlight is in a case's ACH matrix at most once (ach_passage is unique per case and
    highlight). Two analysts who both put it in make two passage records under different ids:
    the second to sync takes the first one's id, and their notes merge like any field."""
    from casefile.services import hypotheses

    a, b, ids = team
    case_id = ids["case"]
    h = hypotheses.add_hypothesis(a, case_id=case_id, data=hypotheses.HypothesisInput(
        statement="Vakhidov died in the airstrike"))
    engine.sync(a, case_id=case_id)
    engine.sync(b, case_id=case_id)
    pa = hypotheses.add_passage(a, highlight_id=ids["highlight"], note="Ayla: the key line")
    pb = hypotheses.add_passage(b, highlight_id=ids["highlight"], note="Bek: the key line")
    hypotheses.rate(b, hypothesis_id=h.id, evidence_id=ids["highlight"], rating="C")
    assert pa.id != pb.id
    engine.sync(a, case_id=case_id)
    result = engine.sync(b, case_id=case_id)
    assert result.conflicts == 1
    [conflict] = engine.list_conflicts(b)
    assert (conflict.type, conflict.record_id, conflict.field) == ("ach_passages", pa.id, "note")
    assert (conflict.mine, conflict.theirs) == ("Bek: the key line", "Ayla: the key line")
    assert [p.id for p in hypotheses.list_passages(b, case_id=case_id)] == [pa.id]
    engine.resolve(b, conflict_id=conflict.id, keep="mine")
    engine.sync(b, case_id=case_id)
    engine.sync(a, case_id=case_id)
    for db in (a, b):
        [p] = hypotheses.list_passages(db, case_id=case_id)
        assert (p.id, p.note) == (pa.id, "Bek: the key line")
        assert [r.rating for r in hypotheses.list_ratings(db, case_id=case_id)] == ["C"]
    assert snapshot(a, case_id) == snapshot(b, case_id)
    server = _server_records(a, case_id)
    assert [k for k, v in server.items() if k[0] == "ach_passages" and v] == [
        ("ach_passages", pa.id)]


def test_the_server_refuses_a_second_passage_of_one_highlight(team):
    """The server's own line: a push that would give a highlight a second passage in the
    matrix (a client that did not merge first) is refused with a reason, and changes nothing."""
    from casefile.sync.client import SyncError

    a, _b, ids = team
    case_id = ids["case"]
    client = engine.client_for(a)
    version = client.pull(case_id, 0)["version"]
    stamp = "2026-12-06T10:00:00.000000"

    def passage(pid):
        return {"type": "ach_passages", "id": pid, "data": {
            "id": pid, "highlight_id": ids["highlight"], "note": "", "created_at": stamp,
            "updated_at": stamp}}

    first = client.push(case_id, version, [passage("p-first")])
    with pytest.raises(SyncError, match="already has that ach_passages record"):
        client.push(case_id, first["version"], [passage("p-second")])
    with pytest.raises(SyncError, match="two ach_passages records"):
        client.push(case_id, first["version"], [passage("p-third"), passage("p-fourth")])
    assert client.pull(case_id, 0)["version"] == first["version"]


def test_saving_a_field_unchanged_is_no_edit_of_it(team):
    """From the convergence soak (seed 115527048): Cyrus saved a claim with its credibility
    as it was (6) while Bek changed it to 4. Only Bek changed the field: Bek's value is taken,
    with no conflict (the soak's bookkeeping had counted the save as an edit to 6)."""
    a, b, ids = team
    case_id = ids["case"]
    _edit(a, ids["claim"], credibility=6)
    engine.sync(a, case_id=case_id)
    engine.sync(b, case_id=case_id)
    _edit(b, ids["claim"], credibility=4)
    _edit(a, ids["claim"], credibility=6, note="Ayla looked again")
    engine.sync(b, case_id=case_id)
    assert engine.sync(a, case_id=case_id).conflicts == 0
    engine.sync(b, case_id=case_id)
    for db in (a, b):
        c = claims.get_claim(db, claim_id=ids["claim"])
        assert (c.credibility, c.note) == (4, "Ayla looked again")
    assert snapshot(a, case_id) == snapshot(b, case_id)


def test_a_cases_pushes_are_remembered_ninety_days_then_forgotten(team, pg, server_db):
    """The server keeps each push's answer for a client whose connection dropped before it
    came; a push forgets the case's pushes older than 90 days (under row-level security, as
    the service's unprivileged role) and keeps the recent ones."""
    a, _b, ids = team
    database = server_db.rsplit("/", 1)[1]

    def pushes() -> list[str]:
        return pg.psql(f"SELECT push_id FROM team_push WHERE case_id = '{ids['case']}' "
                       "ORDER BY at", database=database).split()

    before = pushes()
    _edit(a, ids["claim"], note="first")
    engine.sync(a, case_id=ids["case"])
    first = [p for p in pushes() if p not in before]
    assert len(first) == 1
    pg.psql("UPDATE team_push SET at = at - interval '100 days' "
            f"WHERE case_id = '{ids['case']}'", database=database)
    _edit(a, ids["claim"], note="second")
    engine.sync(a, case_id=ids["case"])
    second = pushes()
    assert len(second) == 1 and second != first  # the old ones forgotten, this one kept
    _edit(a, ids["claim"], note="third")
    engine.sync(a, case_id=ids["case"])
    assert len(pushes()) == 2 and pushes()[0] == second[0]  # recent ones stay
