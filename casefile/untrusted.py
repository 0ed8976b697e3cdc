"""Reading untrusted archives and JSON: a zip's directory checked before anything is read,
members streamed under a cap, JSON no code should walk refused. Shared by bundles, REFI-QDA
projects and the containers the importers open (Telegram exports)."""

from __future__ import annotations

import hashlib
import lzma
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from casefile.errors import CasefileError

MAX_MEMBERS = 100_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 64 * 1024  # smaller members cannot be bombs, whatever their ratio
MAX_DEPTH = 16  # case.json nests five deep; anything far deeper is hostile
_INT_LIMIT = 2**63 - 1  # SQLite's integers
_SURROGATE = re.compile("[\ud800-\udfff]")
_CHUNK = 1024 * 1024

# What the zip module raises on damaged or hostile input (a bad header, a truncated deflate
# stream, an unknown method, a name in a broken encoding, an encrypted member).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
               RuntimeError, ValueError, OverflowError, struct.error, lzma.LZMAError)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:159] + "…"


def short(exc: BaseException) -> str:
    """An exception's message on one line, cut to a length a message can quote."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:159] + "…"


def check_members(infos: list[zipfile.ZipInfo], *, allowed: re.Pattern[str], what: str,
                  error: type[CasefileError] = CasefileError) -> None:
    """Refuse a zip whose central directory is hostile: too many entries, absolute or parent
    paths, links, names ``allowed`` does not match, duplicates, or sizes that are a bomb.

    ``what`` names the file in messages ("the bundle"); ``error`` is the refusal raised."""
    if len(infos) > MAX_MEMBERS:
        raise error(f"{what} has too many entries ({len(infos)}; the limit is "
                          f"{MAX_MEMBERS})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            raise error(f"{what} holds an absolute path: {name!r}")
        if ".." in re.split(r"[/\\]", name):
            raise error(f"{what} holds a path leaving its folder: {name!r}")
        if info.flag_bits & 0x1:
            raise error(f"{what}: {name!r} is encrypted, which Casefile cannot read")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise error(f"{what}: {name!r} uses a compression method Casefile does not "
                              f"read (method {info.compress_type})")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise error(f"{what} holds a link: {name!r}")
        if not allowed.match(name):
            raise error(f"{what} holds an unexpected member: {name!r}")
        if name in seen:
            raise error(f"{what} holds {name!r} twice")
        seen.add(name)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise error(f"{what} would unpack to more than {MAX_TOTAL_BYTES:,} bytes")
        if (info.file_size > RATIO_FLOOR_BYTES
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise error(f"{name!r} is compressed more than {MAX_RATIO}:1 "
                              "(a zip bomb?)")


def stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink: Callable[[bytes], Any], cap: int,
           error: type[CasefileError] = CasefileError) -> str:
    """Feed a member to ``sink`` in chunks, refusing beyond ``cap`` bytes; return its SHA-256."""
    digest = hashlib.sha256()
    n = 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                n += len(chunk)
                if n > cap:
                    raise error(f"{info.filename!r} is larger than it declares")
                digest.update(chunk)
                sink(chunk)
    except ZIP_ERRORS as exc:
        raise error(f"{info.filename!r} is damaged: {short(exc)}") from exc
    return digest.hexdigest()


def check_plain_json(value: Any, what: str,
                     error: type[CasefileError] = CasefileError) -> None:
    """Refuse JSON that no schema check should even walk: nesting deeper than ``MAX_DEPTH``
    (recursive code would overflow), text holding lone surrogates (not Unicode: it cannot be
    stored or hashed), integers SQLite cannot hold. Iterative, so it cannot overflow itself."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                raise error(f"{what} holds text that is not valid Unicode (a lone "
                                  "surrogate)")
        elif isinstance(v, bool) or v is None or isinstance(v, float):
            continue
        elif isinstance(v, int):
            if not -_INT_LIMIT <= v <= _INT_LIMIT:
                raise error(f"{what} holds a number too large to store")
        elif depth > MAX_DEPTH:
            raise error(f"{what} nests values more than {MAX_DEPTH} levels deep")
        elif isinstance(v, dict):
            for k, x in v.items():
                stack.append((k, depth + 1))
                stack.append((x, depth + 1))
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)
