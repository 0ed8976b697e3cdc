"""Several original files in one HTTP body: a JSON line naming each file's SHA-256 and size,
then their bytes one after another. Used both ways between the desktop and the server."""

from __future__ import annotations

import json

MAX_HEADER = 4 * 1024**2


def frame(files: list[tuple[str, bytes]]) -> bytes:
    head = json.dumps({"files": [[sha, len(data)] for sha, data in files]}).encode("utf-8")
    return b"".join([head, b"\n", *(data for _sha, data in files)])


def unframe(raw: bytes) -> list[tuple[str, bytes]]:
    """The files of a framed body; ``ValueError`` when it does not add up."""
    end = raw.find(b"\n", 0, MAX_HEADER)
    if end < 0:
        raise ValueError("no header line")
    head = json.loads(raw[:end])
    listed = head.get("files") if isinstance(head, dict) else None
    if not isinstance(listed, list):
        raise ValueError("the header lists no files")
    out, at = [], end + 1
    for item in listed:
        if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str)
                or not isinstance(item[1], int) or item[1] < 0):
            raise ValueError("a file is listed without its SHA-256 and size")
        sha, size = item
        if at + size > len(raw):
            raise ValueError("the body is shorter than its files")
        out.append((sha, raw[at:at + size]))
        at += size
    if at != len(raw):
        raise ValueError("the body is longer than its files")
    return out
