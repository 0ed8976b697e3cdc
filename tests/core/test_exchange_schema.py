"""The bundle JSON Schema: valid Draft 2020-12, and the fast checker agrees with jsonschema."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.db.database import open_database
from casefile.exchange import BundleError, validate
from casefile.exchange.bundle import case_json_bytes
from casefile.exchange.casedata import collect_case
from casefile.exchange.fastschema import compile_schema
from tests.core.exchange_world import build_world


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(validate.schema())


@pytest.fixture(scope="module")
def case_doc(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("schema") / "db.sqlite")
    world = build_world(db)
    with db.read() as s:
        doc = json.loads(case_json_bytes(collect_case(s, world.case_id)))
    db.close()
    return doc


BAD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 9), st.floats(0, 2),
                       st.text(max_size=5), st.sampled_from(["~2017", "2020-13-45", "x" * 3000,
                                                             "asserts", "٢٠٢٠"]),
                       st.lists(st.integers(0, 3), max_size=2), st.just({}))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fast_checker_is_never_more_lenient_than_jsonschema(case_doc, data):
    doc = copy.deepcopy(case_doc)
    lists = [k for k, v in doc.items() if isinstance(v, list) and v]
    key = data.draw(st.sampled_from([*lists, "case", "format_version"]))
    if key == "format_version":
        doc[key] = data.draw(BAD_VALUES)
    else:
        rec = doc[key][0] if key != "case" else doc["case"]
        field = data.draw(st.sampled_from(sorted(rec)))
        if data.draw(st.booleans()):
            rec[field] = data.draw(BAD_VALUES)
        else:
            del rec[field]
    full = dict(validate.schema())
    full.pop("oneOf")
    full["$ref"] = "#/$defs/case"
    reference_ok = jsonschema.Draft202012Validator(full).is_valid(doc)
    fast_ok = compile_schema(validate.schema(), "case")(doc) is None
    if fast_ok:
        assert reference_ok, "the fast checker accepted what jsonschema refuses"


def test_valid_case_passes_both(case_doc):
    assert compile_schema(validate.schema(), "case")(case_doc) is None
    validate.against_schema(case_doc, "case", "case.json")


def test_schema_error_names_the_field(case_doc):
    doc = copy.deepcopy(case_doc)
    doc["entities"][0]["reliability"] = "Z"
    with pytest.raises(BundleError, match="entities/0/reliability"):
        validate.against_schema(doc, "case", "case.json")
