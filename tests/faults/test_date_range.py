"""Dates have one validated range everywhere: typed in the CLI, stored, shown in the report and
the timeline (issue 10, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from casefile import dates
from casefile.cli import main as cli_main
from casefile.db.database import open_database
from casefile.db.models import Claim, Document
from casefile.errors import ValidationError
from casefile.exchange.report import report_html
from casefile.services.consistency import consistency_problems
from tests.core.exchange_world import build_world


@pytest.mark.parametrize("text", ["9999-12-31", "0000", "0999", "3000-01", "2017-13-45"])
def test_out_of_range_dates_are_refused_when_typed(text: str):
    with pytest.raises(ValidationError):
        dates.normalize(text)


def test_the_range_edges_are_usable():
    assert dates.normalize(f"{dates.MIN_YEAR}-01-01") == f"{dates.MIN_YEAR}-01-01"
    assert dates.normalize(f"{dates.MAX_YEAR}-12-31") == f"{dates.MAX_YEAR}-12-31"


def test_cli_refuses_a_claim_dated_9999(tmp_path: Path, capsys):
    path = tmp_path / "c.sqlite"
    db = open_database(path)
    world = build_world(db)
    db.close()
    code = cli_main(["--db", str(path), "claim", "add", "--evidence", world.highlights[0],
                     "--subject", "Temur Vakhidov", "--kind", "death", "--date", "9999-12-31"])
    err = capsys.readouterr().err
    assert code == 2 and "not a usable year" in err, err


def test_report_and_timeline_survive_a_stored_date_out_of_range(tmp_path: Path):
    """A database written before the range existed may hold 9999-12-31: the report, the
    timeline and ``check`` treat it as unusable instead of failing."""
    from casefile.analysis.facts import load_facts
    from casefile.analysis.timeline import build_timeline

    db = open_database(tmp_path / "c.sqlite")
    try:
        world = build_world(db)
        with db.write() as s:
            s.execute(update(Claim).where(Claim.id == world.claims[0]).values(date="9999-12-31"))
            s.execute(update(Document).where(Document.id == world.docs[0])
                      .values(published="0000"))
        html = report_html(db, case_id=world.case_id)
        assert "<svg" in html
        facts = load_facts(db, case_id=world.case_id)
        build_timeline(facts.claims)
        build_timeline(facts.claims, by="reported")
        problems = consistency_problems(db)
        assert any("unusable date" in p for p in problems)
        assert any("unusable publication date" in p for p in problems)
    finally:
        db.close()
