"""The .casefile bundle: writing one from a case, and reading one that nobody should trust."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casefile import __version__, untrusted
from casefile.db.database import Database
from casefile.db.files import atomic_write, check_input_file
from casefile.db.models import DocumentOriginal, SyncBaseline, utcnow
from casefile.exchange import BundleError, validate
from casefile.exchange.casedata import (
    CASE_FORMAT,
    collect_case,
    fill_later_lists,
    iter_records,
    record_hash,
)
from casefile.untrusted import ZIP_ERRORS as _ZIP_ERRORS
from casefile.untrusted import short as _short

BUNDLE_FORMAT = "casefile-bundle"
FORMAT_VERSION = 2  # 2: hypotheses, matrix passages and ratings (ACH)
# Content types already compressed: stored as they are rather than deflated again.
_STORED_TYPES = ("application/pdf", "application/vnd.openxmlformats", "image/", "application/zip")

# Limits on what a bundle may hold; module-level so tests can lower them.
MAX_TOTAL_BYTES = untrusted.MAX_TOTAL_BYTES
MAX_MANIFEST_BYTES = 32 * 1024**2
MAX_RECORDS = 5_000_000
_CHUNK = 1024 * 1024
_NAME = re.compile(r"^(manifest\.json|case\.json|sources/[0-9a-f]{64})$")

Progress = Callable[[int, int, str], None]
@dataclass
class ExportResult:
    path: Path | None
    case_id: str
    records: int
    sources: int
    bytes_written: int
    raw_source_bytes: int


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def case_json_bytes(data: dict[str, Any]) -> bytes:
    """case.json as written: the format header, then the records, stable key order."""
    body = {"format": CASE_FORMAT, "format_version": FORMAT_VERSION, **data}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _compression(content_type: str) -> int:
    return zipfile.ZIP_STORED if content_type.startswith(_STORED_TYPES) else zipfile.ZIP_DEFLATED


def export_bundle(db: Database, *, case_id: str, out: Path | str | IO[bytes],
                  progress: Progress | None = None) -> ExportResult:
    """Write the case as a bundle to ``out`` (a path or a binary file object).

    Records the exported records as sync baselines where none exists yet, so a later merge can
    tell edits made since this exchange from the version shared. Safe to call from a worker
    thread (its own short sessions). A path is written atomically (temporary file, then
    rename) and never onto the database's own files.
    """
    if isinstance(out, str | Path):
        made: list[ExportResult] = []

        def write(p: Path) -> None:
            with p.open("wb") as fh:
                made.append(export_bundle(db, case_id=case_id, out=fh, progress=progress))

        target = atomic_write(out, write, db_path=db.path, what="bundle")
        return replace(made[0], path=target)
    fh = out
    with db.read() as s:
        data = collect_case(s, case_id)
        validate.check_exportable(data, "bundle")
        docs_by_source: dict[str, str] = {}
        for d in data["documents"]:
            if d["source"] and d["source"] not in docs_by_source:
                docs_by_source[d["source"]] = d["id"]
    types = {d["id"]: d["content_type"] for d in data["documents"]}
    total = len(docs_by_source) + 1
    members: dict[str, dict[str, Any]] = {}
    raw = 0
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        body = case_json_bytes(data)
        zf.writestr("case.json", body)
        members["case.json"] = {"sha256": hashlib.sha256(body).hexdigest(),
                                "size": len(body)}
        pending = sorted(docs_by_source.items())
        for first in range(0, len(pending), 50):
            batch = dict(pending[first:first + 50])
            with db.read() as s:  # a batch at a time: never every original in memory
                blobs = {did: data for did, data in s.execute(
                    select(DocumentOriginal.document_id, DocumentOriginal.data)
                    .where(DocumentOriginal.document_id.in_(batch.values())))}
            for n, (sha, doc_id) in enumerate(batch.items(), start=first + 1):
                blob = blobs[doc_id]
                raw += len(blob)
                name = f"sources/{sha}"
                zf.writestr(name, blob, compress_type=_compression(types[doc_id]))
                members[name] = {"sha256": sha, "size": len(blob)}
                if progress:
                    progress(n, total, name)
        manifest = {"format": BUNDLE_FORMAT, "format_version": FORMAT_VERSION,
                    "app_version": __version__, "exported_at": _now(),
                    "case_id": case_id, "members": members}
        zf.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    written = fh.tell() if fh.seekable() else 0
    _record_first_baselines(db, case_id, data)
    if progress:
        progress(total, total, "done")
    records = sum(1 for _ in iter_records(data))
    return ExportResult(None, case_id, records, len(docs_by_source), written, raw)


def _record_first_baselines(db: Database, case_id: str, data: dict[str, Any]) -> None:
    with db.read() as s:
        known = set(s.scalars(select(SyncBaseline.record_id)
                              .where(SyncBaseline.case_id == case_id)))
    rows = [{"case_id": case_id, "record_id": rec["id"], "record_type": rt.key,
             "content_hash": record_hash(rec), "synced_at": utcnow()}
            for rt, rec in iter_records(data) if rec["id"] not in known]
    if not rows:
        return
    stmt = sqlite_insert(SyncBaseline.__table__).on_conflict_do_nothing(
        index_elements=["case_id", "record_id"])
    with db.write() as s:
        s.connection().execute(stmt, rows)


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Bundle:
    """A bundle that passed every check: its manifest, case data, and source files on disk.

    ``sources`` maps a SHA-256 to a file inside a temporary folder that is removed when the
    ``open_bundle`` block ends.
    """

    manifest: dict[str, Any]
    case: dict[str, Any]
    sources: dict[str, Path] = field(default_factory=dict)

    def source_bytes(self, sha: str) -> bytes:
        return self.sources[sha].read_bytes()


def _check_member_info(infos: list[zipfile.ZipInfo], *, allowed: re.Pattern[str] = _NAME,
                       what: str = "the bundle") -> None:
    untrusted.check_members(infos, allowed=allowed, what=what, error=BundleError)


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink: Callable[[bytes], Any],
            cap: int) -> str:
    return untrusted.stream(zf, info, sink, cap, error=BundleError)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _read_json(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> tuple[Any, str]:
    parts: list[bytes] = []
    sha = _stream(zf, info, parts.append, cap)
    try:
        value = json.loads(b"".join(parts).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"{info.filename} is not valid JSON: {_short(exc)}") from exc
    validate.check_plain_json(value, info.filename)
    return value, sha


def _check_manifest(manifest: Any, infos: dict[str, zipfile.ZipInfo]) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError("manifest.json does not describe a Casefile bundle")
    version = manifest.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise BundleError(f"the bundle uses format version {version}, newer than this Casefile "
                          f"understands ({FORMAT_VERSION}); update Casefile to import it")
    validate.against_schema(manifest, "manifest", "manifest.json")
    listed = set(manifest["members"])
    present = set(infos) - {"manifest.json"}
    if present - listed:
        raise BundleError("the bundle holds members its manifest does not list: "
                          + ", ".join(sorted(present - listed)[:5]))
    if listed - present:
        raise BundleError("members listed in the manifest are missing: "
                          + ", ".join(sorted(listed - present)[:5]))
    if "case.json" not in listed:
        raise BundleError("the bundle has no case.json")
    for name, meta in manifest["members"].items():
        if infos[name].file_size != meta["size"]:
            raise BundleError(f"{name} is not the size the manifest gives")
        if name.startswith("sources/") and name.removeprefix("sources/") != meta["sha256"]:
            raise BundleError(f"{name} is not named by its SHA-256")


def _read_head(zf: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, Any],
                                             dict[str, zipfile.ZipInfo]]:
    """The checked manifest and case.json (against its schema) of an open bundle, and its
    members by name."""
    infos_list = zf.infolist()
    _check_member_info(infos_list)
    infos = {i.filename: i for i in infos_list}
    if "manifest.json" not in infos:
        raise BundleError("the bundle has no manifest.json")
    if infos["manifest.json"].file_size > MAX_MANIFEST_BYTES:
        raise BundleError("manifest.json is implausibly large")
    manifest, _ = _read_json(zf, infos["manifest.json"], infos["manifest.json"].file_size)
    _check_manifest(manifest, infos)
    case_info = infos["case.json"]
    case, sha = _read_json(zf, case_info, case_info.file_size)
    if sha != manifest["members"]["case.json"]["sha256"]:
        raise BundleError("case.json does not match its SHA-256 in the manifest")
    if isinstance(case, dict) and isinstance(case.get("format_version"), int) \
            and case["format_version"] > FORMAT_VERSION:
        raise BundleError(f"case.json uses format version {case['format_version']}, newer "
                          "than this Casefile understands")
    validate.against_schema(case, "case", "case.json")
    return manifest, case, infos


@dataclass(frozen=True)
class BundleInfo:
    """What a bundle holds, read before importing it: its case's id and title, and size."""

    case_id: str
    title: str
    documents: int
    claims: int


def _open_zip(path: Path | str) -> zipfile.ZipFile:
    path = check_input_file(path, what="bundle", max_bytes=MAX_TOTAL_BYTES + MAX_MANIFEST_BYTES)
    try:
        return zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise BundleError(f"{path.name} is not a Casefile bundle (not a readable zip): "
                          f"{_short(exc)}") from exc


def peek_bundle(path: Path | str) -> BundleInfo:
    """The case a bundle carries, without importing it (the window asks where it should go).
    Raises ``BundleError`` for anything that is not a readable bundle."""
    with _open_zip(path) as zf:
        try:
            _manifest, case, _infos = _read_head(zf)
        except _ZIP_ERRORS as exc:
            raise BundleError(f"{Path(path).name} cannot be read: {_short(exc)}") from exc
    head = case["case"]
    return BundleInfo(str(head["id"]), str(head.get("title") or ""),
                      len(case.get("documents") or ()), len(case.get("claims") or ()))


@contextmanager
def open_bundle(path: Path | str, *, progress: Progress | None = None) -> Iterator[Bundle]:
    """Read and check a bundle; yield it with its sources unpacked into a temporary folder.

    Raises ``BundleError`` naming the first problem found. Members are read as capped streams
    against a whitelist of names; nothing is extracted or written outside the temporary folder.
    """
    zf = _open_zip(path)
    with zf, tempfile.TemporaryDirectory(prefix="casefile-bundle-") as tmp:
        manifest, case, infos = _read_head(zf)
        members = manifest["members"]
        fill_later_lists(case)
        validate.check_case(case, manifest=manifest, max_records=MAX_RECORDS)
        bundle = Bundle(manifest=manifest, case=case)
        names = sorted(n for n in members if n.startswith("sources/"))
        for n, name in enumerate(names, start=1):
            target = Path(tmp) / name.removeprefix("sources/")
            with target.open("wb") as out:
                got = _stream(zf, infos[name], out.write, infos[name].file_size)
            if got != members[name]["sha256"]:
                raise BundleError(f"{name} does not match its SHA-256 in the manifest")
            bundle.sources[got] = target
            if progress:
                progress(n, len(names), name)
        yield bundle
