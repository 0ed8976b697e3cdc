"""The REFI-QDA codebook: valid for an empty case, and tags that share a name stay apart in
tools that key codes by name (QualCoder merges a repeated name into the first code)."""

from __future__ import annotations

import io

from casefile.exchange import qdc, refi
from casefile.services import cases, tags
from tests.core.refi_shape import CODEBOOK, check_codebook


def _codebook(db, case_id: str):
    out = io.BytesIO()
    qdc.write_codebook(db, case_id=case_id, out=out)
    return check_codebook(out.getvalue())


def _names(root) -> dict[str, str]:
    return {c.get("guid"): c.get("name") for c in root.iter(f"{{{CODEBOOK}}}Code")}


def test_same_leaf_names_are_qualified_until_they_differ(db):
    case_id = cases.create_case(db, title="Codes").id

    def tag(name, parent=None):
        return tags.create_tag(db, case_id=case_id, name=name, parent_id=parent).id

    a, b = tag("Syria"), tag("Iraq")
    ax, bx = tag("Strikes", a), tag("Strikes", b)
    deep_a, deep_b = tag("Death", ax), tag("death", bx)
    top = tag("Death")
    lone = tag("Travel", a)
    names = _names(_codebook(db, case_id))
    assert names[refi.guid(top)] == "Death"  # a top-level tag keeps its name
    assert names[refi.guid(deep_a)] == "Death (Syria/Strikes)"
    assert names[refi.guid(deep_b)] == "death (Iraq/Strikes)"
    assert names[refi.guid(ax)] == "Strikes (Syria)" and names[refi.guid(bx)] == "Strikes (Iraq)"
    assert names[refi.guid(lone)] == "Travel"
    # What QualCoder's import does with names (UNIQUE in code_name): nothing is merged.
    assert len({n for n in names.values()}) == len(names)


def test_qualified_names_read_back_as_the_tag_names(db):
    assert refi.unqualified("Death (Syria/Strikes)", ["Strikes", "Syria"]) == "Death"
    assert refi.unqualified("Strikes (Syria)", ["Syria"]) == "Strikes"
    assert refi.unqualified("Death (Iraq)", ["Strikes", "Syria"]) == "Death (Iraq)"


def test_an_empty_codebook_is_valid(db):
    case_id = cases.create_case(db, title="Nothing yet").id
    codes = list(_codebook(db, case_id).iter(f"{{{CODEBOOK}}}Code"))
    assert [(c.get("name"), c.get("isCodable")) for c in codes] == [("Nothing yet", "false")]
