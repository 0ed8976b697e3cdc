"""Property: whatever is done to a valid bundle — bytes flipped, zip structure changed, JSON
values replaced — importing it either merges it whole (and ``check`` passes) or refuses it whole
with a one-line reason, never a traceback, leaving the database file byte-for-byte unchanged.

CI runs a modest number of examples; ``CASEFILE_FUZZ_EXAMPLES=2000`` runs more.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from casefile.db.database import open_database
from casefile.errors import CasefileError
from casefile.exchange.merge import import_bundle
from tests.faults.bundles import case_of, check_ok, load, make_setting, write

EXAMPLES = int(os.environ.get("CASEFILE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get(
    "CASEFILE_FUZZ_RANDOM"), suppress_health_check=list(HealthCheck))


class World:
    """One good bundle and a pristine closed database, built once for every example."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="casefile-fuzz-"))
        st_ = make_setting(self.root)
        self.pristine = self.root / "pristine.sqlite"
        shutil.copyfile(st_.db_path, self.pristine)
        self.good = st_.good.read_bytes()
        self.manifest, self.members = load(st_.good)
        self.case = case_of(self.members)
        self.paths = list(_paths(self.case))
        self.ids = [r["id"] for key in self.case if isinstance(self.case[key], list)
                    for r in self.case[key] if isinstance(r, dict)]
        self.n = 0

    def fresh_db(self) -> Path:
        self.n += 1
        folder = self.root / f"run{self.n}"
        folder.mkdir()
        path = folder / "case.sqlite"
        shutil.copyfile(self.pristine, path)
        return path


def _paths(value: Any, prefix: tuple = ()) -> Any:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            yield from _paths(v, (*prefix, i))


_world: World | None = None


def world() -> World:
    global _world
    if _world is None:
        _world = World()
    return _world


def _set(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    target = doc
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    return doc


# -- strategies -------------------------------------------------------------------------------

HOSTILE_TEXT = ["<img src=\"/nonexistent/x.png\">", "\ud800", "", " ", "a/b", "../x",
                "2020-99-99T99:99:99", "0000-01-01T00:00:00", "2021-02-30T00:00:00",
                "2020-01-01T24:00:00", "9999-12-31T23:59:59", "2017-13-45", "0000",
                "9999-12-31", "~2020-02-30", "2020-02-29", "x" * 3000]
scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70), st.integers(-3, 300),
    st.floats(allow_nan=False), st.text(max_size=40), st.sampled_from(HOSTILE_TEXT))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@st.composite
def json_edit(draw) -> bytes:
    """case.json with a few values replaced (ids of other records among the candidates), and a
    manifest that matches it, so the bundle reaches the deepest checks."""
    w = world()
    case = copy.deepcopy(w.case)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(w.paths))
        kind = draw(st.integers(0, 5))
        if kind == 0:
            value: Any = draw(st.sampled_from(w.ids))
        elif kind == 1 and path:
            try:
                parent = case
                for p in path[:-1]:
                    parent = parent[p]
            except (TypeError, IndexError, KeyError):
                continue  # an earlier edit changed the shape here
            if isinstance(parent, list) and parent:
                parent.append(copy.deepcopy(parent[0]))  # a duplicated record or item
            continue
        elif kind == 2:
            depth = draw(st.sampled_from([20, 200, 990]))
            value = json.loads("[" * depth + "]" * depth)
        else:
            value = draw(json_values)
        try:
            case = _set(case, path, value)
        except (TypeError, IndexError, KeyError):
            continue
    text = json.dumps(case)
    manifest = copy.deepcopy(w.manifest)
    out = Path(tempfile.mkstemp(dir=w.root, suffix=".casefile")[1])
    write(out, manifest, dict(w.members), case_text=text)
    return out.read_bytes()


@st.composite
def zip_edit(draw) -> bytes:
    """The zip's structure changed: members dropped, doubled, renamed, added, recompressed,
    flagged as encrypted, or the manifest altered."""
    w = world()
    members = dict(w.members)
    manifest = copy.deepcopy(w.manifest)
    names = sorted(members)
    what = draw(st.sampled_from(["drop", "rename", "add", "method", "manifest", "encrypt",
                                 "double"]))
    method = zipfile.ZIP_DEFLATED
    extra: list[tuple[str, bytes]] = []
    if what == "drop":
        members.pop(draw(st.sampled_from(names)))
    elif what == "rename":
        old = draw(st.sampled_from(names))
        members[draw(st.sampled_from(["../x", "/etc/x", "sources/" + "0" * 64, "case.JSON",
                                      "sources/../../x", "c:\\x"]))] = members.pop(old)
    elif what == "add":
        members[draw(st.sampled_from(["extra.txt", "sources/" + "a" * 64]))] = b"extra"
    elif what == "method":
        method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2,
                                       zipfile.ZIP_LZMA]))
    elif what == "manifest":
        manifest = _set(manifest, draw(st.sampled_from(list(_paths(manifest)))),
                        draw(json_values))
    elif what == "double":
        name = draw(st.sampled_from(names))
        extra.append((name, members[name]))
    path = Path(tempfile.mkstemp(dir=w.root, suffix=".casefile")[1])
    try:
        write(path, manifest if isinstance(manifest, dict) else {"members": {}}, members,
              compression=method)
    except (TypeError, AttributeError, KeyError, ValueError):
        path.write_bytes(w.good)
    if extra:
        with zipfile.ZipFile(path, "a") as zf:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for name, data in extra:
                    zf.writestr(name, data)
    raw = bytearray(path.read_bytes())
    if what == "encrypt":
        for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            pos = raw.find(sig)
            while pos != -1:
                raw[pos + at] |= 1
                pos = raw.find(sig, pos + 4)
    return bytes(raw)


@st.composite
def byte_edit(draw) -> bytes:
    """Raw bytes changed: flipped, cut short, inserted, or a header field overwritten."""
    raw = bytearray(world().good)
    for _ in range(draw(st.integers(1, 4))):
        what = draw(st.integers(0, 3))
        pos = draw(st.integers(0, max(len(raw) - 1, 0)))
        if what == 0 and raw:
            raw[pos] ^= draw(st.integers(1, 255))
        elif what == 1:
            del raw[pos:]
        elif what == 2:
            raw[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif raw:
            sig = raw.find(b"PK\x01\x02")
            if sig != -1 and sig + 46 <= len(raw):
                struct.pack_into("<I", raw, sig + draw(st.sampled_from([16, 20, 24, 42])),
                                 draw(st.integers(0, 2**32 - 1)))
    return bytes(raw)


bundles = st.one_of(json_edit(), zip_edit(), byte_edit())


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name.endswith(".sqlite")}


@pytest.mark.slow
@FUZZ
@given(data=bundles)
def test_mutated_bundles_merge_whole_or_are_refused_whole(data: bytes):
    w = world()
    db_path = w.fresh_db()
    bundle = db_path.parent / "in.casefile"
    bundle.write_bytes(data)
    before = fingerprint(db_path.parent)
    db = open_database(db_path)
    try:
        try:
            import_bundle(db, path=bundle)
        except CasefileError as exc:
            message = str(exc)
            assert message and "\n" not in message and "Traceback" not in message
            accepted = False
            event("refused: " + " ".join(message.split()[:3]))
        else:
            accepted = True
            event("merged")
    finally:
        db.close()
    if accepted:
        assert check_ok(db_path) == []
    else:
        assert fingerprint(db_path.parent) == before, "a refused bundle changed the database"
    shutil.rmtree(db_path.parent)
