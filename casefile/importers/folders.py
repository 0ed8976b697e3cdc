"""The folder or zip a container's files are read from (a Telegram export, a page's ``_files``),
refusing any reference that leaves it: absolute paths, ``..``, links pointing outside."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

from casefile import untrusted
from casefile.errors import ImportFailed

MAX_FILE = 200 * 1024 * 1024


def check_relative(ref: str, what: str) -> str:
    """``ref`` as a clean relative path inside its folder, or ``ImportFailed`` (one line)."""
    if not ref or "\x00" in ref:
        raise ImportFailed(f"{what} refers to a file with an empty or malformed name")
    if ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", ref) or "://" in ref:
        raise ImportFailed(f"{what} refers to a file by an absolute path ({ref[:80]!r}); "
                           "refused as hostile")
    parts = [p for p in re.split(r"[/\\]", ref) if p not in ("", ".")]
    if ".." in parts or not parts:
        raise ImportFailed(f"{what} refers to a file outside its folder ({ref[:80]!r}); "
                           "refused as hostile")
    return "/".join(parts)


class FolderFiles:
    """Files under ``root`` on disk; a link may point anywhere inside the folder, never out."""

    def __init__(self, root: Path, what: str):
        self.root = Path(os.path.realpath(root))
        self.what = what

    def names(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir())

    def path(self, ref: str) -> Path | None:
        """The file ``ref`` names, None if it is not there; refuses one leaving the folder."""
        rel = check_relative(ref, self.what)
        full = self.root / rel
        if not os.path.lexists(full):
            return None
        real = Path(os.path.realpath(full))
        if real != self.root and self.root not in real.parents:
            raise ImportFailed(f"{self.what}: {rel!r} is a link to a file outside the export "
                               "folder; refused as hostile")
        try:
            mode = real.stat().st_mode
        except OSError:
            return None
        if not stat.S_ISREG(mode):
            raise ImportFailed(f"{self.what}: {rel!r} is not an ordinary file; refused")
        return real

    def read(self, ref: str, cap: int = MAX_FILE) -> bytes:
        path = self.path(ref)
        if path is None:
            raise ImportFailed(f"{ref} is missing from the export")
        size = path.stat().st_size
        if size > cap:
            raise ImportFailed(f"{ref} is larger than {cap // 2**20} MB")
        with path.open("rb") as fh:
            data = fh.read(size + 1)
        if len(data) > size:
            raise ImportFailed(f"{ref} grew while it was read")
        return data

    def close(self) -> None:
        pass


class ZipFiles:
    """Members of a zip under one folder inside it, checked like a bundle's central directory
    (no absolute paths, ``..``, links, encryption, bombs) before anything is read."""

    def __init__(self, path: Path, what: str):
        self.what = what
        try:
            self.zf = zipfile.ZipFile(path)
        except untrusted.ZIP_ERRORS as exc:
            raise ImportFailed(f"{path.name} is not a readable zip: "
                               f"{untrusted.short(exc)}") from None
        try:
            infos = self.zf.infolist()
            untrusted.check_members(infos, allowed=re.compile(r".", re.S),
                                    what=f"the zip {what}", error=ImportFailed)
        except ImportFailed:
            self.zf.close()
            raise
        self.infos = {i.filename: i for i in infos if not i.filename.endswith("/")}
        self.prefix = ""

    def enter(self, folder: str) -> None:
        """Read references relative to ``folder`` inside the zip from now on."""
        self.prefix = folder.rstrip("/") + "/" if folder else ""

    def names(self) -> list[str]:
        out = set()
        for n in self.infos:
            if n.startswith(self.prefix):
                out.add(n[len(self.prefix):].split("/", 1)[0])
        return sorted(out)

    def path(self, ref: str) -> zipfile.ZipInfo | None:
        return self.infos.get(self.prefix + check_relative(ref, self.what))

    def read(self, ref: str, cap: int = MAX_FILE) -> bytes:
        info = self.path(ref)
        if info is None:
            raise ImportFailed(f"{ref} is missing from the export")
        if info.file_size > cap:
            raise ImportFailed(f"{ref} is larger than {cap // 2**20} MB")
        parts: list[bytes] = []
        untrusted.stream(self.zf, info, parts.append, info.file_size, error=ImportFailed)
        return b"".join(parts)

    def close(self) -> None:
        self.zf.close()
