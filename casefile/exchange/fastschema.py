"""A small compiler for the subset of JSON Schema the bundle schema uses, fast enough for
case.json files with hundreds of thousands of records.

It is never more lenient than the schema: an unknown keyword is refused when compiling, floats
are not integers, and patterns match ASCII only. ``jsonschema`` checks the same schema in the
tests, which compare the two on altered bundles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any, list[str | int]], str | None]

_IGNORED = {"$schema", "$id", "title", "description", "$defs", "$comment"}


class _Compiler:
    def __init__(self, root: dict[str, Any]):
        self.root = root
        self.defs: dict[str, Check] = {}
        self.busy: set[str] = set()

    def ref(self, ref: str) -> Check:
        if not ref.startswith("#/$defs/"):
            raise NotImplementedError(f"unsupported $ref {ref}")
        name = ref.removeprefix("#/$defs/")
        if name in self.busy:
            raise NotImplementedError(f"recursive $ref {ref}")
        if name not in self.defs:
            self.busy.add(name)
            self.defs[name] = self.compile(self.root["$defs"][name])
            self.busy.discard(name)
        return self.defs[name]

    def compile(self, schema: dict[str, Any]) -> Check:
        checks: list[Check] = []
        for key in schema:
            if key not in _IGNORED and key not in _KEYWORDS:
                raise NotImplementedError(f"unsupported JSON Schema keyword {key!r}")
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            checks.append(_type(schema["type"]))
        if "const" in schema:
            const = schema["const"]
            checks.append(lambda v, p: None if v == const and type(v) is type(const)
                          else f"{v!r} was expected to be {const!r}")
        if "enum" in schema:
            enum = schema["enum"]
            checks.append(lambda v, p: None if any(v == e and type(v) is type(e) for e in enum)
                          else f"{v!r} is not one of {enum!r}")
        if "pattern" in schema:
            rx = re.compile(schema["pattern"], re.ASCII)
            checks.append(lambda v, p: None if not isinstance(v, str) or rx.search(v)
                          else f"{v[:60]!r} does not match {rx.pattern!r}")
        for key, op, word in (("maxLength", lambda n, m: n <= m, "long"),
                              ("minLength", lambda n, m: n >= m, "short")):
            if key in schema:
                limit = schema[key]
                checks.append(lambda v, p, limit=limit, op=op, word=word:
                              None if not isinstance(v, str) or op(len(v), limit)
                              else f"string is too {word} ({len(v)} characters; limit {limit})")
        if "minimum" in schema:
            lo = schema["minimum"]
            checks.append(lambda v, p: None if not _number(v) or v >= lo
                          else f"{v} is less than the minimum of {lo}")
        if "maximum" in schema:
            hi = schema["maximum"]
            checks.append(lambda v, p: None if not _number(v) or v <= hi
                          else f"{v} is greater than the maximum of {hi}")
        if "maxItems" in schema:
            most = schema["maxItems"]
            checks.append(lambda v, p: None if not isinstance(v, list) or len(v) <= most
                          else f"array has more than {most} items")
        if "items" in schema:
            checks.append(self._items(self.compile(schema["items"])))
        if {"properties", "required", "additionalProperties", "propertyNames"} & schema.keys():
            checks.append(self._object(schema))
        if "oneOf" in schema:
            checks.append(self._one_of([self.compile(s) for s in schema["oneOf"]]))
        if len(checks) == 1:
            return checks[0]

        def all_of(v: Any, p: list[str | int]) -> str | None:
            for check in checks:
                err = check(v, p)
                if err is not None:
                    return err
            return None

        return all_of

    @staticmethod
    def _items(item: Check) -> Check:
        def items(v: Any, p: list[str | int]) -> str | None:
            if not isinstance(v, list):
                return None
            for i, x in enumerate(v):
                p.append(i)
                err = item(x, p)
                if err is not None:
                    return err
                p.pop()
            return None
        return items

    def _object(self, schema: dict[str, Any]) -> Check:
        props = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check = self.compile(extra) if isinstance(extra, dict) else None
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None

        def obj(v: Any, p: list[str | int]) -> str | None:
            if not isinstance(v, dict):
                return None
            for key in required:
                if key not in v:
                    return f"{key!r} is a required property"
            for key, x in v.items():
                if names is not None and (err := names(key, p)) is not None:
                    return f"property name {err}"
                check = props.get(key)
                if check is None:
                    if extra is False:
                        return f"additional property {key[:40]!r} is not allowed"
                    check = extra_check
                if check is not None:
                    p.append(key)
                    err = check(x, p)
                    if err is not None:
                        return err
                    p.pop()
            return None
        return obj

    @staticmethod
    def _one_of(options: list[Check]) -> Check:
        def one_of(v: Any, p: list[str | int]) -> str | None:
            passed = sum(1 for opt in options if opt(v, list(p)) is None)
            return None if passed == 1 else f"{str(v)[:60]!r} is not valid under exactly one " \
                                             "of the given schemas"
        return one_of


_KEYWORDS = {"$ref", "type", "const", "enum", "pattern", "maxLength", "minLength", "minimum",
             "maximum", "maxItems", "items", "properties", "required", "additionalProperties",
             "propertyNames", "oneOf"}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _type(name: str) -> Check:
    test = _TYPES[name]
    return lambda v, p: None if test(v) else f"{str(v)[:60]!r} is not of type {name!r}"


def compile_schema(root: dict[str, Any], part: str) -> Callable[[Any], tuple[str, str] | None]:
    """A checker for ``root['$defs'][part]`` returning None or (path, message)."""
    check = _Compiler(root).ref(f"#/$defs/{part}")

    def run(value: Any) -> tuple[str, str] | None:
        path: list[str | int] = []
        err = check(value, path)
        if err is None:
            return None
        return "/".join(str(x) for x in path) or "(top)", err

    return run
