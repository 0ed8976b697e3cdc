"""Imports stay linear in their input: distinct tags cost no query over all tags, a .qdpx whose
members differ in case builds its member map once, quotes that are nowhere do not each search
the whole text, and tag paths never grow without bound (speed itself: bench/bench_scale.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from casefile import anchoring
from casefile.errors import ValidationError
from casefile.exchange import qdpx_read
from casefile.exchange.qdpx_import import import_qdpx
from casefile.exchange.w3c_import import import_annotations
from casefile.services import highlights, tags
from tests.core.scale_inputs import annotations, case_with_article, qdpx, tag_chain


class Statements:
    """Counts the SQL statements a block sends."""

    def __init__(self, db):
        self.engine = db.engine
        self.n = 0

    def _count(self, *_args) -> None:
        self.n += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


def test_thousands_of_distinct_tags_cost_no_query_each(db):
    """Each new tag used to cost a clash query, a count over all the case's tags and two
    flushes: 16,000 distinct tags took 67 s and 50,000 ran past 15 minutes."""
    case_id, doc_id, text = case_with_article(db, 300)
    data = annotations(doc_id, text, 300, tag=lambda i: f"Sightings/Day {i}")
    with Statements(db) as sql:
        res = import_annotations(db, case_id=case_id, data=data)
    assert len(res.placed) == 300 and not res.orphans
    assert sql.n < 40, sql.n  # a fixed handful, whatever the number of tags
    paths = {t.path for t in tags.list_tags(db, case_id=case_id)}
    assert {"Sightings", "Sightings/Day 0", "Sightings/Day 299"} <= paths and len(paths) == 301
    placed = highlights.list_highlights(db, case_id=case_id)
    assert len(placed) == 300 and all(len(h.tag_ids) == 1 for h in placed)
    tops = [t for t in tags.list_tags(db, case_id=case_id) if t.parent_id is None]
    assert [t.color for t in tops] == [tags.PALETTE[0]]  # colours as one-by-one creation gives


def test_a_tag_twenty_thousand_levels_deep_is_refused_in_one_line(db):
    """A 129 KB annotation file with one 20,000-level tag made `casefile tags --json` take
    2.6 GB; now the tag is refused (the passage is still placed)."""
    case_id, doc_id, text = case_with_article(db, 3)
    data = annotations(doc_id, text, 2, tag=lambda i: "/".join(["deeper"] * 20_000) if i == 0
                       else "Sightings/Border")
    res = import_annotations(db, case_id=case_id, data=data)
    assert len(res.placed) == 2
    assert len(res.not_imported) == 1
    assert "20,000 levels deep; Casefile keeps tags up to 50 levels" in res.not_imported[0]
    assert {t.path for t in tags.list_tags(db, case_id=case_id)} == {"Sightings",
                                                                     "Sightings/Border"}


def test_listing_a_deep_chain_left_by_an_older_version_is_linear(db, case_id):
    tag_chain(db, case_id, 4000)
    listed = tags.list_tags(db, case_id=case_id)
    assert len(listed) == 4000
    longest = max(len(t.path.split("/")) for t in listed)
    assert longest == 51  # "…" and the 50 nearest levels
    assert sum(len(t.path) for t in listed) < 4000 * 51 * 12  # not 4000²/2 names
    deepest = next(t for t in listed if t.name == "level 3999")
    assert deepest.path.startswith("…/level 3950/") and deepest.path.endswith("/level 3999")


def test_every_way_to_make_a_tag_keeps_the_depth_limit(db, case_id):
    ids = tag_chain(db, case_id, 50)
    with pytest.raises(ValidationError, match="51 levels deep"):
        tags.create_tag(db, case_id=case_id, name="one too deep", parent_id=ids[-1])
    top = tags.create_tag(db, case_id=case_id, name="Elsewhere")
    tags.create_tag(db, case_id=case_id, name="child", parent_id=top.id)
    with pytest.raises(ValidationError, match="52 levels deep"):
        tags.update_tag(db, tag_id=top.id, parent_id=ids[-1])  # its child would be 52nd
    with db.write() as s, pytest.raises(ValidationError, match="levels deep"):
        tags.ensure_tag_path(s, case_id=case_id, path="/".join(["x"] * 51))
    assert tags.update_tag(db, tag_id=top.id, parent_id=ids[10]).path.count("/") == 11


def test_case_differing_members_build_the_member_map_once(tmp_path: Path, db, monkeypatch):
    """QualCoder names members as the XML says; another tool stored them in upper case: each
    miss rebuilt a lower-cased map of every member (7 minutes for a large project)."""
    path = qdpx(tmp_path / "upper.qdpx", sentences=5, selections=200, sources=200,
                member_case="upper")
    calls = []
    real = qdpx_read.Archive.member

    def counting(self, internal):
        calls.append(internal)
        return real(self, internal)

    built = []

    class Infos(dict):
        def items(self):
            built.append(1)
            return super().items()

    real_open = qdpx_read.open_archive

    def open_archive(p):
        a = real_open(p)
        a.infos = Infos(a.infos)
        return a

    monkeypatch.setattr(qdpx_read.Archive, "member", counting)
    monkeypatch.setattr("casefile.exchange.qdpx_import.open_archive", open_archive)
    res = import_qdpx(db, path=path)
    assert res.documents == 200 and res.highlights == 200
    assert len(calls) >= 200 and len(built) <= 1


def test_quotes_found_nowhere_do_not_each_search_the_whole_text(tmp_path: Path, db,
                                                                monkeypatch):
    """30,000 selections whose quote is nowhere each ran a close-match search over the whole
    text (10 minutes); the whole-text searches now share a budget per text."""
    path = qdpx(tmp_path / "missing.qdpx", sentences=400, selections=300, missing=True)
    wide = []
    real = anchoring.fuzz.partial_ratio_alignment

    def spy(needle, hay, **kw):
        if len(hay) > 20_000:
            wide.append(len(hay))
        return real(needle, hay, **kw)

    monkeypatch.setattr(anchoring.fuzz, "partial_ratio_alignment", spy)
    monkeypatch.setattr(anchoring, "WIDE_SEARCH_BUDGET", 10 * 50_000 * 70, raising=False)
    res = import_qdpx(db, path=path)
    assert res.highlights == 0
    assert 1 <= len(wide) <= 10, len(wide)
    lines = [ln for ln in res.not_imported if "not imported" in ln]
    assert len(lines) == 300
    assert "sought near that position only" in lines[-1]


def test_annotations_found_nowhere_share_the_budget_too(db, monkeypatch):
    case_id, doc_id, text = case_with_article(db, 400)
    data = annotations(doc_id, text, 200, missing=True)
    monkeypatch.setattr(anchoring, "WIDE_SEARCH_BUDGET", 5 * len(text) * 70, raising=False)
    res = import_annotations(db, case_id=case_id, data=data)
    assert len(res.orphans) == 200
    assert res.orphans[0]["reason"] == "its quote is not in the document"
    assert "near its position only" in res.orphans[-1]["reason"]
