"""Checks on untrusted bundle JSON: the JSON Schema, then what a schema cannot say."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from casefile.exchange import BundleError
from casefile.exchange.casedata import TYPES
from casefile.exchange.fastschema import compile_schema

SCHEMA_PATH = "schema/bundle.schema.json"


@cache
def schema() -> dict[str, Any]:
    """The bundle JSON Schema shipped with the package."""
    text = resources.files("casefile.exchange").joinpath(SCHEMA_PATH).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator(part: str):
    import jsonschema

    full = dict(schema())
    full.pop("oneOf", None)
    full["$ref"] = f"#/$defs/{part}"
    cls = jsonschema.validators.validator_for(full)
    return cls(full)


@cache
def _fast(part: str):
    return compile_schema(schema(), part)


def against_schema(value: Any, part: str, what: str) -> None:
    """Raise ``BundleError`` with the first schema violation in ``value`` (``part``: manifest or
    case). The manifest is checked by ``jsonschema``; case.json, which may hold hundreds of
    thousands of records, by the compiled checker in ``fastschema``."""
    if part == "case":
        found = _fast(part)(value)
        if found is None:
            return
        where, msg = found
    else:
        err = next(iter(_validator(part).iter_errors(value)), None)
        if err is None:
            return
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        msg = err.message
    msg = msg if len(msg) < 200 else msg[:197] + "…"
    raise BundleError(f"{what} fails the bundle schema at {where}: {msg}")


def _check_one_per_cell(case: dict[str, Any]) -> None:
    """Records with a natural key (a rating per cell, a passage per highlight) appear once, and
    a rating rates exactly one claim or one passage."""
    for rt in TYPES:
        if not rt.natural_key:
            continue
        seen: set[tuple] = set()
        for rec in case[rt.key]:
            key = tuple(rec[f] for f in rt.natural_key)
            if key in seen:
                raise BundleError(f"case.json holds two {rt.key} for one "
                                  f"{' and '.join(f for f in rt.natural_key if rec[f])}")
            seen.add(key)
    for r in case["hypothesis_ratings"]:
        if (r["claim_id"] is None) == (r["highlight_id"] is None):
            raise BundleError(f"rating {r['id']} must rate exactly one claim or one passage")


def check_case(case: dict[str, Any], *, manifest: dict[str, Any], max_records: int) -> None:
    """Refuse a schema-valid case.json whose records do not hold together.

    Checks: the case id is the manifest's; record count; ids unique; every reference resolves
    inside the bundle; tags form no cycle; highlights lie inside their documents and quote
    them; documents' sources are members of the bundle.
    """
    err = BundleError
    if case["case"]["id"] != manifest["case_id"]:
        raise err("case.json is not the case the manifest names")
    _check_one_per_cell(case)
    total = sum(len(case[rt.key]) for rt in TYPES)
    if total > max_records:
        raise err(f"case.json has too many entries ({total:,}; the limit is {max_records:,})")
    ids: dict[str, set[str]] = {}
    seen: set[str] = {case["case"]["id"]}
    for rt in TYPES:
        own = {r["id"] for r in case[rt.key]}
        if len(own) != len(case[rt.key]) or own & seen:
            raise err(f"case.json repeats an id among its {rt.key}")
        seen |= own
        ids[rt.key] = own
    for rt in TYPES:
        for rec in case[rt.key]:
            for fld, target in rt.refs.items():
                ref = rec[fld]
                if ref is not None and ref not in ids[target]:
                    raise err(f"{rt.key} {rec['id']} refers to a missing {target[:-1]} {ref}")
            for fld, target in rt.list_refs.items():
                for ref in rec[fld]:
                    if ref not in ids[target]:
                        raise err(f"{rt.key} {rec['id']} refers to a missing {target[:-1]} "
                                  f"{ref}")
    _check_tag_tree(case["tags"])
    texts = {d["id"]: d["text"] for d in case["documents"]}
    for h in case["highlights"]:
        text = texts[h["document_id"]]
        if not (0 <= h["start"] < h["end"] <= len(text)):
            raise err(f"highlight {h['id']} points outside its document "
                      f"({h['start']}–{h['end']} of {len(text)} characters)")
        if text[h["start"]:h["end"]] != h["quote"]:
            raise err(f"highlight {h['id']} does not quote its document at {h['start']}–"
                      f"{h['end']}")
    members = manifest["members"]
    for d in case["documents"]:
        if d["source"] is not None and f"sources/{d['source']}" not in members:
            raise err(f"document {d['id']} names a source file the bundle does not hold")
        if any(p > len(d["text"]) for p in d["page_starts"]):
            raise err(f"document {d['id']} has a page starting past its end")


def _check_tag_tree(tags: list[dict[str, Any]]) -> None:
    parent = {t["id"]: t["parent_id"] for t in tags}
    for start in parent:
        steps, node = 0, parent[start]
        while node is not None:
            steps += 1
            if node == start or steps > len(parent):
                raise BundleError(f"the tags form a cycle through tag {start}")
            node = parent.get(node)
