"""The team commands exactly as documented, through subprocesses against the real service:
remote, share, join, sync, conflicts, resolve, members, log, claim edit/delete — and the
one-line errors (server down, token revoked, no permission, case deleted on the server)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import cli_json, run_cli
from tests.server.cluster import Service
from tests.server.team_world import REPORT

pytestmark = pytest.mark.slow  # a few dozen command-line processes


def _env(cli_env: dict[str, str], db: Path) -> dict[str, str]:
    return {**cli_env, "CASEFILE_DB": str(db)}


@pytest.fixture
def desk(tmp_path, cli_env, service, user):
    """Two analysts' databases: A has shared a case with one claim, B is an editor who
    joined. Returns (env_a, env_b, case_id, claim_id, name_b)."""
    _, token_a = user("cli-a")
    name_b, token_b = user("cli-b")
    env_a, env_b = _env(cli_env, tmp_path / "a.sqlite"), _env(cli_env, tmp_path / "b.sqlite")
    remote = cli_json("remote", "set", service.url, "--token", token_a, env=env_a)
    assert remote["remote"] == service.url and token_a not in json.dumps(remote)
    article = tmp_path / "ledger.txt"
    article.write_text(REPORT, encoding="utf-8")
    case_id = cli_json("case", "new", "The Vakhidov file", env=env_a)["id"]
    cli_json("import", str(article), env=env_a)
    doc_id = cli_json("docs", env=env_a)[0]["id"]
    hl = cli_json("highlight", doc_id, "--quote", "was killed in an airstrike", env=env_a)
    claim = cli_json("claim", "add", "--evidence", hl["id"], "--subject", "Temur Vakhidov",
                     "--kind", "death", "--date", "2020-08", env=env_a)
    shared = cli_json("share", env=env_a)
    assert shared == {"case": case_id, "remote": service.url, "version": shared["version"]}
    assert shared["version"] >= 1
    run_cli("member", "add", case_id, name_b, "--role", "editor", env=env_a)
    run_cli("remote", "set", service.url, "--token", token_b, env=env_b)
    joined = cli_json("join", case_id, env=env_b)
    assert joined["case"] == case_id and joined["version"] == shared["version"]
    return env_a, env_b, case_id, claim["id"], name_b


def test_share_join_edit_sync_and_log(desk):
    env_a, env_b, case_id, claim_id, name_b = desk
    assert cli_json("claims", env=env_b)[0]["id"] == claim_id
    edited = cli_json("claim", "edit", claim_id, "--credibility", "2", "--place", "Wadi Sirr",
                      env=env_a)
    assert edited["credibility"] == 2 and edited["place"] == "Wadi Sirr"
    pushed = cli_json("sync", env=env_a)
    assert set(pushed) == {"pushed", "pulled", "version", "conflicts"}
    assert pushed["pushed"] >= 1 and pushed["conflicts"] == 0
    pulled = cli_json("sync", "--case", case_id, env=env_b)
    assert pulled["pulled"] >= 1 and pulled["version"] == pushed["version"]
    [claim] = cli_json("claims", env=env_b)
    assert (claim["credibility"], claim["place"]) == (2, "Wadi Sirr")
    noop = cli_json("sync", env=env_b)
    assert (noop["pushed"], noop["pulled"]) == (0, 0)
    # nothing to do is answered without loading the ORM (the command's start-up is its cost)
    light = subprocess.run([sys.executable, "-c", "import sys; from casefile.cli import main; "
                            "code = main(['sync', '--json']); "
                            "assert 'sqlalchemy' not in sys.modules; sys.exit(code)"],
                           env=env_b, capture_output=True, text=True, timeout=120)
    assert light.returncode == 0, light.stderr
    assert json.loads(light.stdout) == {**noop, "version": pulled["version"]}

    run_cli("claim", "delete", claim_id, env=env_b)
    cli_json("sync", env=env_b)
    cli_json("sync", env=env_a)
    assert cli_json("claims", env=env_a) == []

    log = cli_json("log", env=env_a)
    assert {"at", "user", "op", "record", "changes"} <= log[0].keys()
    deletion = next(e for e in log if e["op"] == "delete")
    assert deletion["user"] == name_b and deletion["record"]["id"] == claim_id
    update = next(e for e in log if e["op"] == "update" and e["record"]["id"] == claim_id)
    assert update["changes"]["credibility"] == [6, 2]
    members = cli_json("member", "list", case_id, env=env_a)
    assert {"user": name_b, "role": "editor"} in members


def test_conflicts_listed_and_resolved(desk):
    env_a, env_b, _case_id, claim_id, _ = desk
    run_cli("claim", "edit", claim_id, "--note", "A: the minister retracted", env=env_a)
    run_cli("claim", "edit", claim_id, "--note", "B: repeated by two outlets", env=env_b)
    cli_json("sync", env=env_a)
    assert cli_json("sync", env=env_b)["conflicts"] == 1
    [conflict] = cli_json("sync", "conflicts", env=env_b)
    assert {"id", "record", "field", "mine", "theirs"} <= conflict.keys()
    assert (conflict["field"], conflict["mine"], conflict["theirs"]) == (
        "note", "B: repeated by two outlets", "A: the minister retracted")
    run_cli("sync", "resolve", conflict["id"], "--keep", "theirs", env=env_b)
    assert cli_json("sync", "conflicts", env=env_b) == []
    assert cli_json("sync", env=env_b)["conflicts"] == 0
    assert cli_json("claims", env=env_b)[0]["note"] == "A: the minister retracted"


def _one_line_error(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr


def test_errors_are_one_line_and_harm_nothing(desk, service, user, server_db):
    env_a, env_b, case_id, claim_id, name_b = desk
    # no permission: B becomes a viewer, edits, and cannot send
    run_cli("member", "add", case_id, name_b, "--role", "viewer", env=env_a)
    run_cli("claim", "edit", claim_id, "--note", "kept here", env=env_b)
    err = _one_line_error(run_cli("sync", env=env_b, check=False))
    assert "viewer" in err and "your work is kept here" in err
    assert cli_json("claims", env=env_b)[0]["note"] == "kept here"
    # token revoked
    from casefile.server.db import engine_for, revoke_user

    eng = engine_for(server_db, pool_size=1)
    revoke_user(eng, name=name_b)
    eng.dispose()
    err = _one_line_error(run_cli("sync", env=env_b, check=False))
    assert "refused your token" in err and "casefile remote set" in err
    # the case deleted on the server (by its owner)
    name_c, token_c = user("cli-c")
    env_c = {**env_b, "CASEFILE_DB": str(Path(env_b["CASEFILE_DB"]).with_name("c.sqlite"))}
    run_cli("member", "add", case_id, name_c, "--role", "editor", env=env_a)
    run_cli("remote", "set", service.url, "--token", token_c, env=env_c)
    run_cli("join", case_id, env=env_c)
    _delete_case_as_owner(env_a, case_id)
    err = _one_line_error(run_cli("sync", env=env_c, check=False))
    assert "deleted on the team server" in err
    assert cli_json("claims", env=env_c)[0]["id"] == claim_id  # the local copy is intact
    run_cli("unshare", env=env_c)
    assert cli_json("claims", env=env_c)[0]["id"] == claim_id


def _delete_case_as_owner(env_a: dict[str, str], case_id: str) -> None:
    from casefile.db.database import open_database
    from casefile.sync import engine

    db = open_database(env_a["CASEFILE_DB"])
    try:
        engine.client_for(db).delete_case(case_id)
    finally:
        db.close()


def test_server_down_is_one_line_and_the_case_is_kept(tmp_path, cli_env, server_db, user):
    own = Service(server_db).start()
    try:
        _, token = user("offline")
        env = _env(cli_env, tmp_path / "o.sqlite")
        run_cli("remote", "set", own.url, "--token", token, env=env)
        run_cli("case", "new", "Offline file", env=env)
        cli_json("share", env=env)
        own.stop()
        run_cli("case", "rename", cli_json("case", "list", env=env)[0]["id"], "Renamed",
                env=env)
        err = _one_line_error(run_cli("sync", env=env, check=False))
        assert "cannot reach the team server" in err and "sync again" in err
        own.start()
        assert cli_json("sync", env=env)["pushed"] == 1
    finally:
        own.stop()
