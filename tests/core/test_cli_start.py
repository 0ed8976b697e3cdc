"""The command line starts light: the parser loads no database or parser library, and a
database already at head opens without alembic."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "trafilatura", "pdfplumber", "lxml", "rapidfuzz", "docx",
         "PySide6", "wordfreq")


def _modules_after(code: str, env: dict[str, str]) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         env=env, capture_output=True, text=True, check=True, timeout=120)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_building_the_parser_imports_nothing_heavy(cli_env):
    loaded = _modules_after("from casefile.cli import build_parser; build_parser()", cli_env)
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)


def test_a_database_at_head_opens_without_alembic(cli_env, tmp_path):
    path = tmp_path / "c.sqlite"
    code = f"from casefile.db.database import open_database; open_database({str(path)!r})"
    assert "alembic" in {m.split(".")[0] for m in _modules_after(code, cli_env)}  # created
    assert "alembic" not in {m.split(".")[0] for m in _modules_after(code, cli_env)}


def test_scanned_revisions_agree_with_alembic():
    from alembic.script import ScriptDirectory

    from casefile.db.revisions import alembic_config, scan_revisions

    script = ScriptDirectory.from_config(alembic_config())
    head, known = scan_revisions()
    assert head == script.get_current_head()
    assert known == {rev.revision for rev in script.walk_revisions()}


def test_cli_rating_choices_match_the_analysis():
    from casefile.analysis.ach import RATINGS
    from casefile.cli import ach

    assert ach.RATINGS == RATINGS


def test_listing_cases_reads_without_the_orm_and_agrees_with_the_service(cli_env, tmp_path):
    from casefile.db.database import open_database
    from casefile.services import cases
    from tests.helpers import cli_json

    for title in ("Vakhidov file", "Halimov file"):
        cli_json("case", "new", title, env=cli_env)
    code = ("import sys, json\nfrom casefile.cli import main\nmain(['case', 'list', '--json'])\n"
            "sys.stderr.write(json.dumps('sqlalchemy' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True,
                         text=True, check=True, timeout=120)
    assert json.loads(out.stderr.strip().splitlines()[-1]) is False
    fast = json.loads(out.stdout)
    db = open_database(cli_env["CASEFILE_DB"])
    full = cases.list_cases(db)
    db.close()
    assert [c["id"] for c in fast] == [c.id for c in full]
    assert [(c["title"], c["documents"], c["updated_at"]) for c in fast] == [
        (c.title, c.documents, c.updated_at.isoformat()) for c in full]


def test_listing_cases_of_a_new_database_takes_the_full_path(cli_env, tmp_path):
    from tests.helpers import cli_json

    cli_env["CASEFILE_DB"] = str(tmp_path / "new" / "c.sqlite")
    assert cli_json("case", "list", env=cli_env) == []
    assert (tmp_path / "new" / "c.sqlite").exists()


def test_documents_and_text_read_without_the_orm(cli_env, tmp_path):
    from tests.helpers import cli_json, run_cli

    page = tmp_path / "note.md"
    page.write_text("Vakhidov seen in Qalat Nur\n\nWitnesses said he was alive in May.\n",
                    encoding="utf-8")
    doc_id = cli_json("import", str(page), env=cli_env)[0]["id"]
    code = ("import sys, json\nfrom casefile.cli import main\n"
            f"main(['docs', '--json'])\nmain(['text', {doc_id!r}])\n"
            "sys.stderr.write(json.dumps('sqlalchemy' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], env=cli_env, capture_output=True,
                         text=True, check=True, timeout=120)
    assert json.loads(out.stderr.strip().splitlines()[-1]) is False
    listed = json.loads(out.stdout[:out.stdout.rindex("]") + 1])
    assert [d["id"] for d in listed] == [doc_id]
    assert out.stdout.endswith("Witnesses said he was alive in May.")
    missing = run_cli("text", "no-such-document", env=cli_env, check=False)
    assert missing.returncode != 0 and "no-such-document" in missing.stderr
