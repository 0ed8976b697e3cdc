"""Convergence, property-based: three analysts make random creates, edits and deletes on one
shared case, syncing at random moments, while the service is stopped and started and a sync
is killed mid-push. After a final round every replica equals the server record for record, no
acknowledged edit is lost, and no edit vanished without being merged or listed as a conflict.

``HYPOTHESIS_PROFILE=soak`` runs many more and longer examples (CI runs the default few);
``CONVERGENCE_TRACE=1`` prints each step.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from casefile.db.database import Database
from casefile.db.team import SyncDirty
from casefile.errors import CasefileError
from casefile.services import claims, documents, highlights, tags
from casefile.sync import engine
from casefile.sync.client import Client, ServerUnreachable
from tests.server.cluster import ROOT, Service
from tests.server.team_world import make_case, replica, snapshot

# CI runs the same two examples every time (a gate must not depend on a random draw); the
# soak profile explores. tests/server/replays/ keeps examples the soak found failing (fixed since):
# CONVERGENCE_REPLAY=tests/server/replays/lost_note_edit.json replays one.
settings.register_profile("ci", max_examples=2, deadline=None, phases=[Phase.generate],
                          derandomize=True, suppress_health_check=list(HealthCheck))
settings.register_profile("soak", max_examples=40, deadline=None, phases=[Phase.generate],
                          suppress_health_check=list(HealthCheck))
SOAK = os.environ.get("HYPOTHESIS_PROFILE") == "soak"
STEPS = (150, 260) if SOAK else (120, 200)
LOCAL_OPS = ("new_claim", "edit_claim", "delete_claim", "new_highlight", "edit_highlight",
             "tag_highlight", "delete_highlight", "new_tag", "rename_tag", "delete_tag")
# what happens next: mostly edits, often a sync, now and then trouble
OPS = (*LOCAL_OPS, *("sync",) * 4, "resolve", "down", "up", "kill")
STEP = st.tuples(st.integers(0, 2), st.sampled_from(OPS))
STATS: Counter[str] = Counter()


@dataclass
class Analyst:
    name: str
    db: Database
    path: Path
    # (type, id, field) -> value edited here and not yet acknowledged by a sync
    pending: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    acked: list[tuple[str, str, str, Any]] = field(default_factory=list)
    owner: Database | None = None  # the case owner's replica: it may read the audit log


@pytest.fixture(scope="module")
def own_service(server_db):
    svc = Service(server_db).start()
    yield svc
    svc.stop()


@pytest.fixture(scope="module")
def counter():
    return iter(range(10**9))


@pytest.mark.slow
@settings(settings.get_profile("soak" if SOAK else "ci"))
@given(data=st.data())
def test_three_replicas_converge(tmp_path_factory, own_service, user, counter, data):
    folder = tmp_path_factory.mktemp("convergence")
    seed = data.draw(st.integers(0, 2**32), label="seed")
    steps = data.draw(st.lists(STEP, min_size=STEPS[0], max_size=STEPS[1]), label="steps")
    play(folder, own_service, user, counter, seed, steps)


@pytest.mark.skipif(not os.environ.get("CONVERGENCE_REPLAY"),
                    reason="replays one example: CONVERGENCE_REPLAY=FILE, a JSON object "
                           '{"seed": N, "steps": [[who, op], ...]} (what hypothesis printed)')
def test_replay(tmp_path, own_service, user, counter):
    found = json.loads(Path(os.environ["CONVERGENCE_REPLAY"]).read_text())
    play(tmp_path, own_service, user, counter, found["seed"],
         [tuple(step) for step in found["steps"]])


def play(folder: Path, svc: Service, user, counter, seed: int,
         steps: list[tuple[int, str]]) -> None:
    """One example: three analysts share a case, take ``steps``, then settle and compare."""
    if svc.proc is None:
        svc.start()
    rng = random.Random(seed)
    people = [user(p) for p in ("ayla", "bek", "cyrus")]
    team = [Analyst(name, replica(folder, name, svc.url, token), folder / f"{name}.sqlite")
            for name, token in people]
    a = team[0]
    for analyst in team:
        analyst.owner = a.db
    ids = make_case(a.db)
    case_id = ids["case"]
    engine.share(a.db, case_id=case_id)
    for other in team[1:]:
        engine.client_for(a.db).set_member(case_id, other.name, "editor")
        engine.join(other.db, case_id=case_id)
    text = documents.get_text(a.db, document_id=ids["document"])
    try:
        for n, (who, op) in enumerate(steps):
            me = team[who]
            if os.environ.get("CONVERGENCE_TRACE"):
                print(f"step {n}: {me.name} {op}")
            if op in ("down", "up", "kill") and who != 0:
                continue  # trouble comes a third as often as a sync
            if op == "down":
                svc.stop()
            elif op == "up":
                if svc.proc is None:
                    svc.start()
            elif op == "kill":
                if svc.proc is not None:
                    victim = rng.choice(team)
                    _killed_sync(victim, rng)
                    # it may have sent some edits before it died (or finished)
                    _acknowledge(victim, case_id)
            elif op == "sync":
                _sync(me, case_id, up=svc.proc is not None)
            elif op == "resolve":
                _resolve_one(me, rng)
            else:
                _local(me, op, case_id, ids["document"], text, rng, counter)
        if svc.proc is None:
            svc.start()
        _final_rounds(team, case_id, rng)
        _check(team, case_id, svc)
        STATS["examples"] += 1
        STATS["acked"] += sum(len(m.acked) for m in team)
        print(f"convergence: {dict(STATS)}")
    finally:
        for analyst in team:
            analyst.db.close()


def _local(me: Analyst, op: str, case_id: str, doc_id: str, text: str, rng: random.Random,
           counter) -> None:
    """One edit by ``me``, as the window would make it (through the services)."""
    db = me.db
    unique = f"{me.name}-{next(counter)}"
    cls = claims.list_claims(db, case_id=case_id)
    hls = highlights.list_highlights(db, case_id=case_id)
    tgs = tags.list_tags(db, case_id=case_id)
    try:
        if op == "new_claim":
            evidence = tuple(h.id for h in rng.sample(hls, min(len(hls), rng.randint(0, 2))))
            rec = claims.create_claim(db, case_id=case_id, data=claims.ClaimInput(
                subject=rng.choice(("Temur Vakhidov", "Anvar Rasulzoda", "Lena Marsh")),
                kind="death", note=unique, evidence=evidence))
            me.pending[("claims", rec.id, "note")] = unique
        elif op == "edit_claim" and cls:
            c = rng.choice(cls)
            fld, value = rng.choice((("note", unique), ("statement", unique),
                                     ("credibility", rng.randint(1, 6))))
            claims.update_claim(db, claim_id=c.id, data=claims.ClaimInput(
                **{**claims.as_input(c).__dict__, fld: value}))
            if getattr(c, fld) != value:
                # setting a field to the value it has is no edit of it (a teammate's change
                # of it since the last sync then rightly wins, without a conflict)
                me.pending[("claims", c.id, fld)] = value
        elif op == "delete_claim" and cls:
            claims.delete_claim(db, claim_id=rng.choice(cls).id)
        elif op == "new_highlight":
            start = rng.randrange(0, len(text) - 10)
            rec = highlights.create_highlight(db, document_id=doc_id, start=start,
                                              end=start + rng.randint(3, 10), note=unique)
            me.pending[("highlights", rec.id, "note")] = unique
        elif op == "edit_highlight" and hls:
            h = rng.choice(hls)
            highlights.update_highlight(db, highlight_id=h.id, note=unique)
            me.pending[("highlights", h.id, "note")] = unique
        elif op == "tag_highlight" and hls and tgs:
            h = rng.choice(hls)
            chosen = tuple(t.id for t in rng.sample(tgs, min(len(tgs), rng.randint(0, 3))))
            highlights.update_highlight(db, highlight_id=h.id, tag_ids=chosen)
        elif op == "delete_highlight" and hls:
            highlights.delete_highlight(db, highlight_id=rng.choice(hls).id)
        elif op == "new_tag":
            parent = rng.choice([None, *(t.id for t in tgs)])
            rec = tags.create_tag(db, case_id=case_id, name=unique, parent_id=parent)
            me.pending[("tags", rec.id, "name")] = unique
        elif op == "rename_tag" and tgs:
            t = rng.choice(tgs)
            tags.update_tag(db, tag_id=t.id, name=unique)
            me.pending[("tags", t.id, "name")] = unique
        elif op == "delete_tag" and tgs:
            tags.delete_tag(db, tag_id=rng.choice(tgs).id)
    except CasefileError:
        pass  # refused edits (e.g. a name already used) change nothing
    _forget_deleted(me)


def _forget_deleted(me: Analyst) -> None:
    """Edits of records the analyst has since deleted (or a cascade did) are superseded by
    that deletion: a conflict about the deletion stands for them."""
    from casefile.sync import records

    with me.db.read() as s:
        here = records.read(s, {(k, r) for k, r, _f in me.pending})
    for key3 in [k for k in me.pending if (k[0], k[1]) not in here]:
        del me.pending[key3]


def _sync(me: Analyst, case_id: str, *, up: bool) -> None:
    try:
        result = engine.sync(me.db, case_id=case_id)
    except ServerUnreachable:
        assert not up, "a sync failed although the service was up"
        STATS["offline syncs"] += 1
        return
    STATS["syncs"] += 1
    STATS["conflicts seen"] += result.conflicts
    _acknowledge(me, case_id)


def _acknowledge(me: Analyst, case_id: str) -> None:
    """After a sync that succeeded: each pending edit was sent (and is now acknowledged), is
    in a conflict, waits behind one, or its record is gone here. An edit whose value was
    replaced here without any of these was silently lost."""
    conflicts = {(c.type, c.record_id): c.field
                 for c in engine.list_conflicts(me.db, case_id=case_id)}
    conflicted = {(c.type, c.record_id, c.field)
                  for c in engine.list_conflicts(me.db, case_id=case_id)}
    with me.db.read() as s:
        dirty = {(k, r) for k, r in s.query(SyncDirty.type, SyncDirty.record_id)}
    from casefile.sync import records

    with me.db.read() as s:
        here = records.read(s, {(k, r) for k, r, _f in me.pending})
    for key3, value in list(me.pending.items()):
        kind, rid, fld = key3
        rec = here.get((kind, rid))
        if rec is None:
            del me.pending[key3]  # deleted here (by the analyst, a cascade, or a settled merge)
            continue
        if key3 in conflicted or (kind, rid, "(deleted)") in conflicted:
            continue
        if (kind, rid) in dirty:
            continue  # held back (waits for a conflict elsewhere), still pending
        if rec[fld] != value and _reached_server(me, case_id, rid, fld, value):
            # its push's answer was lost (a killed sync) and a teammate changed the value
            # afterwards, knowing it: acknowledged, then superseded — not lost
            me.acked.append((kind, rid, fld, value))
            del me.pending[key3]
            STATS["acked after a lost answer"] += 1
            continue
        assert rec[fld] == value, (f"{me.name}'s edit of {kind} {rid} {fld} to {value!r} was "
                                   f"replaced by {rec[fld]!r} without a conflict; the "
                                   f"server's history of it:\n{_history(me, case_id, rid)}")
        me.acked.append((kind, rid, fld, value))
        del me.pending[key3]
    del conflicts


def _reached_server(me: Analyst, case_id: str, rid: str, fld: str, value: Any) -> bool:
    """Whether the server applied ``me``'s edit of the field to ``value`` (its audit log)."""
    log = engine.client_for(me.owner).log(case_id)
    return any(e["user"] == me.name and e["record"]["id"] == rid and fld in e["changes"]
               and e["changes"][fld][1] == value for e in log)


def _history(me: Analyst, case_id: str, rid: str) -> str:
    log = engine.client_for(me.owner).log(case_id)
    return "\n".join(f"  v{e.get('version', '?')} {e['user']} {e['op']} {e['changes']}"
                     for e in reversed(log) if e["record"]["id"] == rid)


def _resolve_one(me: Analyst, rng: random.Random) -> None:
    found = engine.list_conflicts(me.db)
    if not found:
        return
    c = rng.choice(found)
    keep = rng.choice(("mine", "theirs"))
    try:
        engine.resolve(me.db, conflict_id=c.id, keep=keep)
    except CasefileError:
        engine.resolve(me.db, conflict_id=c.id, keep="theirs" if keep == "mine" else "mine")
        keep = "theirs" if keep == "mine" else "mine"
    if keep == "theirs":
        for key3 in [k for k in me.pending if (k[0], k[1]) == (c.type, c.record_id)
                     and (k[2] == c.field or c.field == "(deleted)")]:
            del me.pending[key3]  # the analyst chose the teammate's value


def _killed_sync(me: Analyst, rng: random.Random) -> None:
    """``casefile sync`` in another process, killed at a random moment (mid-push, often)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), CASEFILE_DB=str(me.path))
    proc = subprocess.Popen([sys.executable, "-m", "casefile.cli", "sync"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # the command needs ~0.4 s to start and ~0.2 s to sync a case this size: most kills
    # land before or inside the sync, a few after it finished
    time.sleep(rng.uniform(0.2, 1.2))
    proc.send_signal(signal.SIGKILL)
    STATS["killed" if proc.wait() == -signal.SIGKILL else "finished before the kill"] += 1


def _final_rounds(team: list[Analyst], case_id: str, rng: random.Random) -> None:
    for _round in range(10):
        quiet = True
        for me in team:
            while engine.list_conflicts(me.db):
                _resolve_one(me, rng)
                quiet = False
            result = engine.sync(me.db, case_id=case_id)
            _acknowledge(me, case_id)
            quiet &= result.pushed == 0 and result.pulled == 0 and result.conflicts == 0
        if quiet:
            return
    raise AssertionError("the replicas did not settle in ten rounds")


def _check(team: list[Analyst], case_id: str, svc: Service) -> None:
    token_db = team[0].db
    client = engine.client_for(token_db)
    server = {(c["type"], c["id"]): c["data"] for c in client.pull(case_id, 0)["changes"]
              if not c.get("deleted")}
    for me in team:
        snap = snapshot(me.db, case_id)
        mine = {("case", snap["case"]["id"]): snap["case"]}
        for key, recs in snap.items():
            if key != "case":
                mine.update({(key, r["id"]): r for r in recs})
        assert mine == server, f"{me.name}'s replica differs from the server"
        assert me.pending == {}, f"{me.name} has edits that never reached the server"
    log = client.log(case_id)
    for me in team:
        for kind, rid, fld, value in me.acked:
            if not isinstance(value, str):
                continue
            assert any(e["user"] == me.name and e["record"]["id"] == rid
                       and fld in e["changes"] and e["changes"][fld][1] == value
                       for e in log), f"{me.name}'s acknowledged {kind} {fld}={value!r} is " \
                                      "not in the audit log"
    assert isinstance(client, Client)
