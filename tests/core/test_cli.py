"""The CLI contract, end to end through a subprocess."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import cli_json, run_cli

ARTICLE = (
    "Minister doubts reports of Vakhidov’s death\n"
    "By Lena Marsh\n"
    "\n"
    "Interior Minister Anvar Rasulzoda said on Tuesday that Temur Vakhidov was killed in an "
    "airstrike near Wadi Sirr on 3 August 2020.\n"
    "\n"
    "“I will not believe it until I see the body,” he added a week later.\n"
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "minister.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_case_new_and_list(cli_env, tmp_path):
    db = tmp_path / "x.sqlite"
    made = cli_json("--db", str(db), "case", "new", "T", env=cli_env)
    assert made["title"] == "T" and len(made["id"]) == 36
    listed = cli_json("--db", str(db), "case", "list", env=cli_env)
    assert [c["id"] for c in listed] == [made["id"]]
    assert {"id", "title"} <= listed[0].keys()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    conn.close()


def test_annotating_from_the_command_line(cli_env, article, tmp_path):
    bad = tmp_path / "missing.txt"
    proc = run_cli("import", str(article), str(bad), "--json", env=cli_env, check=False)
    assert proc.returncode == 1
    results = json.loads(proc.stdout)
    assert results[0]["file"] == str(article) and "id" in results[0]
    assert results[1]["file"] == str(bad) and "error" in results[1]
    doc_id = results[0]["id"]

    docs = cli_json("docs", env=cli_env)
    assert docs[0]["id"] == doc_id
    assert docs[0]["title"] == "Minister doubts reports of Vakhidov’s death"
    assert docs[0]["author"] == "Lena Marsh"
    assert set(docs[0]) >= {"id", "title", "author", "outlet", "published", "url",
                            "content_type", "chars", "pages"}

    text = run_cli("text", doc_id, env=cli_env).stdout
    assert text.startswith("Minister doubts") and docs[0]["chars"] == len(text)

    # typed with a straight apostrophe and quotes; the article has typographic ones
    h = cli_json("highlight", doc_id, "--quote", '"I will not believe it', "--tag",
                 "Stance/Doubt", env=cli_env)
    assert text[h["start"]:h["end"]] == h["quote"] == "“I will not believe it"
    h2 = cli_json("highlight", doc_id, "--quote", "Vakhidov was killed in an airstrike",
                  "--note", "first announcement", env=cli_env)
    by_offsets = cli_json("highlight", doc_id, "--start", str(h2["start"]), "--end",
                          str(h2["end"]), env=cli_env)
    assert by_offsets["quote"] == h2["quote"]

    claim = cli_json("claim", "add", "--evidence", h2["id"], "--subject", "Temur Vakhidov",
                     "--kind", "death", "--date", "2020-08-03", "--place", "Wadi Sirr",
                     "--origin", "Anvar Rasulzoda", "--credibility", "3", env=cli_env)
    doubt = cli_json("claim", "add", "--evidence", h["id"], "--subject", "Temur Vakhidov",
                     "--kind", "death", "--stance", "doubts", "--date", "~2020-08",
                     "--origin", "Anvar Rasulzoda", "--value", "not confirmed", env=cli_env)
    listed = cli_json("claims", env=cli_env)
    assert [c["id"] for c in listed] == [claim["id"], doubt["id"]]
    first = listed[0]
    assert first["subject"] == "Temur Vakhidov" and first["place"] == "Wadi Sirr"
    assert first["date"] == "2020-08-03" and first["evidence"] == [h2["id"]]
    assert first["credibility"] == 3 and first["stance"] == "asserts"
    assert listed[1]["value"] == "not confirmed" and listed[1]["date"] == "~2020-08"
    assert set(first) >= {"id", "statement", "kind", "subject", "object", "value", "date",
                          "place", "origin", "stance", "credibility", "evidence"}

    ents = cli_json("entities", env=cli_env)
    names = {e["name"]: e for e in ents}
    assert names["Temur Vakhidov"]["kind"] == "person"
    assert names["Wadi Sirr"]["kind"] == "place"
    assert all("aliases" in e for e in ents)
    assert [t["path"] for t in cli_json("tags", env=cli_env)] == ["Stance", "Stance/Doubt"]
    assert run_cli("check", env=cli_env).stdout.strip() == "ok"


def test_errors_go_to_stderr_with_nonzero_exit(cli_env, article):
    proc = run_cli("text", "no-such-document", env=cli_env, check=False)
    assert proc.returncode != 0 and proc.stdout == ""
    assert "no document" in proc.stderr
    doc_id = cli_json("import", str(article), env=cli_env)[0]["id"]
    proc = run_cli("highlight", doc_id, "--quote", "alive and well", env=cli_env, check=False)
    assert proc.returncode != 0 and "not in" in proc.stderr
    proc = run_cli("highlight", doc_id, "--start", "5", "--end", "99999", env=cli_env,
                   check=False)
    assert proc.returncode != 0 and "inside the text" in proc.stderr


def test_several_cases_need_case_option(cli_env, article):
    a = cli_json("case", "new", "A", env=cli_env)
    cli_json("case", "new", "B", env=cli_env)
    proc = run_cli("docs", "--json", env=cli_env, check=False)
    assert proc.returncode != 0 and a["id"] in proc.stderr
    assert cli_json("docs", "--case", a["id"], env=cli_env) == []


def test_no_case_creates_one(cli_env, article):
    cli_json("import", str(article), env=cli_env)
    assert len(cli_json("case", "list", env=cli_env)) == 1


def test_newer_database_refused_by_cli(cli_env, tmp_path):
    db = tmp_path / "future.sqlite"
    cli_json("--db", str(db), "case", "new", "T", env=cli_env)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='zzzz'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db.read_bytes()
    proc = run_cli("--db", str(db), "case", "list", env=cli_env, check=False)
    assert proc.returncode != 0 and "newer version" in proc.stderr
    assert db.read_bytes() == before


def test_backups_and_restore(cli_env, tmp_path):
    from casefile.db import backup

    db = tmp_path / "r.sqlite"
    cli_json("--db", str(db), "case", "new", "Before", env=cli_env)
    made = backup.make_backup(db, reason="test")
    cli_json("--db", str(db), "case", "new", "After", env=cli_env)
    listed = cli_json("--db", str(db), "backups", env=cli_env)
    assert listed[0]["path"] == str(made.path)
    run_cli("--db", str(db), "restore", str(made.path), env=cli_env)
    assert [c["title"] for c in cli_json("--db", str(db), "case", "list", env=cli_env)] == [
        "Before"]
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"not a database at all" * 100)
    proc = run_cli("--db", str(db), "restore", str(bogus), env=cli_env, check=False)
    assert proc.returncode != 0 and "not a Casefile backup" in proc.stderr
    assert [c["title"] for c in cli_json("--db", str(db), "case", "list", env=cli_env)] == [
        "Before"]
