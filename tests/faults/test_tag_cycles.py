"""Tag trees stay trees: a deep chain is refused in linear time, two honest merges that would
make a cycle are broken the same way on both sides (and reported), ``check`` finds cycles, and a
move that would make one is refused (issue 10, item 8)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import update

from casefile.db.database import open_database
from casefile.db.models import Tag
from casefile.errors import ValidationError
from casefile.exchange import BundleError
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from casefile.services import cases, tags
from casefile.services.consistency import consistency_problems
from tests.faults.bundles import case_of, check_ok, load, make_setting, write


class CountingDict(dict):
    lookups = 0

    def get(self, *a):
        CountingDict.lookups += 1
        return super().get(*a)

    def __getitem__(self, k):
        CountingDict.lookups += 1
        return super().__getitem__(k)


def test_cycle_check_is_linear_in_a_deep_chain():
    n = 4000
    CountingDict.lookups = 0
    parents = CountingDict((f"t{i}", f"t{i - 1}" if i else None) for i in range(n))
    assert tags.tag_cycles(parents) == []
    assert CountingDict.lookups <= 3 * n, CountingDict.lookups


def test_a_deep_chain_of_tags_is_refused_in_one_line(tmp_path: Path):
    """40,000 tags each under the previous one (13 minutes before the check was linear) are
    refused: Casefile keeps tags up to 50 levels; a chain of 50 imports."""
    st = make_setting(tmp_path)
    manifest, members = load(st.good)
    case = case_of(members)
    stamp = case["tags"][0]["created_at"]
    case["tags"] += [{"id": f"deep-{i}", "parent_id": f"deep-{i - 1}" if i else None,
                      "name": f"level {i}", "color": "", "description": "",
                      "created_at": stamp, "updated_at": stamp} for i in range(40_000)]
    db = open_database(st.db_path)
    try:
        with pytest.raises(BundleError, match="nested 40,000 levels deep; Casefile keeps tags "
                                              "up to 50 levels"):
            import_bundle(db, path=write(tmp_path / "deep.casefile", manifest, members,
                                         case=case))
        case["tags"] = case["tags"][:50]
        report = import_bundle(db, path=write(tmp_path / "ok.casefile", manifest, members,
                                              case=case))
        assert len(report.types["tags"].added) == 50
    finally:
        db.close()


def _tag(db, case_id: str, name: str) -> str:
    return next(t.id for t in tags.list_tags(db, case_id=case_id) if t.name == name)


def test_two_honest_merges_do_not_make_a_cycle(tmp_path: Path):
    one = open_database(tmp_path / "one.sqlite")
    case_id = cases.create_case(one, title="Shared").id
    a = tags.create_tag(one, case_id=case_id, name="A").id
    b = tags.create_tag(one, case_id=case_id, name="B").id
    export_bundle(one, case_id=case_id, out=tmp_path / "start.casefile")
    two = open_database(tmp_path / "two.sqlite")
    import_bundle(two, path=tmp_path / "start.casefile")
    tags.update_tag(one, tag_id=a, parent_id=b)  # A under B on one laptop
    tags.update_tag(two, tag_id=b, parent_id=a)  # B under A on the other
    export_bundle(one, case_id=case_id, out=tmp_path / "from-one.casefile")
    export_bundle(two, case_id=case_id, out=tmp_path / "from-two.casefile")
    r_one = import_bundle(one, path=tmp_path / "from-two.casefile")
    r_two = import_bundle(two, path=tmp_path / "from-one.casefile")
    try:
        for db, report in ((one, r_one), (two, r_two)):
            assert consistency_problems(db) == []
            assert any("moved to the top level" in w for w in report.warnings), report.warnings
        tree = [{(t.name, t.parent_id) for t in tags.list_tags(db, case_id=case_id)}
                for db in (one, two)]
        assert tree[0] == tree[1], "the two laptops broke the cycle differently"
        # and a later bundle is still accepted on both sides
        export_bundle(one, case_id=case_id, out=tmp_path / "later.casefile")
        import_bundle(two, path=tmp_path / "later.casefile")
        assert consistency_problems(two) == []
    finally:
        one.close()
        two.close()


def test_check_finds_a_cycle(db, case_id):
    a = tags.create_tag(db, case_id=case_id, name="A").id
    b = tags.create_tag(db, case_id=case_id, name="B", parent_id=a).id
    with db.write() as s:
        s.execute(update(Tag).where(Tag.id == a).values(parent_id=b))
    problems = consistency_problems(db)
    assert any("form a cycle" in p for p in problems), problems


def test_moves_that_would_make_a_cycle_are_refused(db, case_id):
    a = tags.create_tag(db, case_id=case_id, name="A").id
    b = tags.create_tag(db, case_id=case_id, name="B", parent_id=a).id
    c = tags.create_tag(db, case_id=case_id, name="C", parent_id=b).id
    with pytest.raises(ValidationError, match="under itself or one of its sub-tags"):
        tags.update_tag(db, tag_id=a, parent_id=c)
    with pytest.raises(ValidationError):
        tags.update_tag(db, tag_id=a, parent_id=a)
    other = cases.create_case(db, title="Other").id
    foreign = tags.create_tag(db, case_id=other, name="F").id
    with pytest.raises(ValidationError, match="another case"):
        tags.update_tag(db, tag_id=a, parent_id=foreign)
    assert check_ok(db.path) == []


def test_a_move_near_old_damage_does_not_hang(db, case_id):
    """A cycle left by an old merge must not make the next move spin forever."""
    x = tags.create_tag(db, case_id=case_id, name="X").id
    y = tags.create_tag(db, case_id=case_id, name="Y", parent_id=x).id
    with db.write() as s:
        s.execute(update(Tag).where(Tag.id == x).values(parent_id=y))
    z = tags.create_tag(db, case_id=case_id, name="Z").id
    outcome: list[object] = []

    def move() -> None:
        try:
            outcome.append(tags.update_tag(db, tag_id=z, parent_id=x))
        except Exception as exc:
            outcome.append(exc)

    t = threading.Thread(target=move, daemon=True)
    t.start()
    t.join(20)
    assert outcome, "moving a tag next to an old cycle never finished"
