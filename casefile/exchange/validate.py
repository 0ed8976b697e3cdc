"""Checks on untrusted bundle JSON: the JSON Schema, then what a schema cannot say."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from casefile import dates, untrusted
from casefile.errors import ValidationError
from casefile.exchange import BundleError, ExportRefused
from casefile.exchange.casedata import CASE, TYPES
from casefile.exchange.fastschema import compile_schema
from casefile.limits import text_too_long
from casefile.services.tags import MAX_DEPTH as MAX_TAG_DEPTH
from casefile.services.tags import tag_cycles, tag_depths

SCHEMA_PATH = "schema/bundle.schema.json"


def check_plain_json(value: Any, what: str) -> None:
    untrusted.check_plain_json(value, what, error=BundleError)


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
                ref = rec.get(fld)
                if ref is not None and ref not in ids[target]:
                    raise err(f"{rt.key} {rec['id']} refers to a missing {_one(target)} {ref}")
            for fld, target in rt.list_refs.items():
                for ref in rec[fld]:
                    if ref not in ids[target]:
                        raise err(f"{rt.key} {rec['id']} refers to a missing {_one(target)} "
                                  f"{ref}")
    for key, fld, what in (("highlights", "tags", "tag"), ("claims", "evidence", "passage")):
        for rec in case[key]:
            if len(set(rec[fld])) != len(rec[fld]):
                raise err(f"{key} {rec['id']} lists the same {what} twice")
    _check_dates(case, manifest)
    _check_tag_tree(case["tags"])
    if tag_cycles({d["id"]: d.get("parent_id") for d in case["documents"]}):
        raise err("the documents form a cycle (a document came inside itself)")
    for d in case["documents"]:
        if (too_long := text_too_long(d["text"], f"document “{d['title'][:80]}”'s text")):
            raise err(too_long)
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
        starts = d["page_starts"]
        if starts and (starts[0] != 0 or any(a > b for a, b in pairwise(starts))
                       or starts[-1] > len(d["text"])):
            raise err(f"document {d['id']} has page offsets out of order or past its end")


def _check_dates(case: dict[str, Any], manifest: dict[str, Any]) -> None:
    """Timestamps must be real moments and partial dates real dates, in Casefile's one range
    of years (``casefile.dates``)."""
    try:
        dates.parse_timestamp(manifest["exported_at"])
    except ValidationError as exc:
        raise BundleError(f"manifest.json: exported_at: {exc}") from exc
    for rt in (CASE, *TYPES):
        for rec in [case["case"]] if rt is CASE else case[rt.key]:
            for fld in rt.datetimes:
                try:
                    dates.parse_timestamp(rec[fld])
                except ValidationError as exc:
                    raise BundleError(f"{rt.key} {rec['id']}: {fld}: {exc}") from exc
    for key, fld in (("documents", "published"), ("claims", "date")):
        for rec in case[key]:
            if not dates.is_canonical(rec[fld]):
                raise BundleError(f"{key} {rec['id']}: {rec[fld][:20]!r} is not a usable date "
                                  f"(years {dates.MIN_YEAR}–{dates.MAX_YEAR}, as YYYY, YYYY-MM "
                                  "or YYYY-MM-DD)")


def _check_tag_tree(tags: list[dict[str, Any]]) -> None:
    """Refuse a cycle among the tags' parents, or a tag nested deeper than Casefile keeps,
    in one pass over any depth."""
    parents = {t["id"]: t["parent_id"] for t in tags}
    if tag_cycles(parents):
        raise BundleError("the tags form a cycle (a tag is its own ancestor)")
    depths = tag_depths(parents)
    deepest = max(depths.values(), default=0)
    if deepest > MAX_TAG_DEPTH:
        name = next(t["name"] for t in tags if depths[t["id"]] == deepest)
        raise BundleError(f"the tag “{name[:80]}” is nested {deepest:,} levels deep; "
                          f"Casefile keeps tags up to {MAX_TAG_DEPTH} levels")


def _one(key: str) -> str:
    """The singular of a record list's name, for messages ("entities" → "entity")."""
    irregular = {"entities": "entity", "hypotheses": "hypothesis", "aliases": "alias"}
    return irregular.get(key, key[:-1] if key.endswith("s") else key)


def check_exportable(case: dict[str, Any], fmt: str) -> None:
    """Refuse to export a case that the export could not carry whole or that could not be
    read back: a tag nested deeper than Casefile keeps (or hanging off a cycle, left by an
    older version), a document's text over the article limit."""
    parents = {t["id"]: t["parent_id"] for t in case["tags"]}
    depths = tag_depths(parents)
    for t in case["tags"]:
        if depths[t["id"]] > MAX_TAG_DEPTH:
            raise ExportRefused(
                f"the tag “{t['name'][:80]}” is nested more than {MAX_TAG_DEPTH} levels deep "
                f"(or under a loop of tags); a {fmt} export would lose its place. Move it "
                "nearer the top of the codebook and export again")
    for d in case["documents"]:
        if (too_long := text_too_long(d["text"], f"the text of “{d['title'][:80]}”")):
            raise ExportRefused(f"{too_long}; a {fmt} export could not be read back")
