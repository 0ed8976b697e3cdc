"""Opening a .qdpx nobody should trust: the zip checked like a bundle, the XML without entities.

A REFI-QDA project is a zip holding one ``*.qde`` XML file and a ``sources/`` (or ``Sources/``)
folder. Members are checked with the bundle reader's helpers (names, links, sizes, bombs) and
read as capped streams; nothing is extracted to disk. The XML is parsed by lxml with entity
resolution, DTD loading and network access off, and a document that declares a DTD at all is
refused (REFI-QDA files never need one; it is how entity attacks arrive).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casefile.db.files import check_input_file
from casefile.exchange import BundleError
from casefile.exchange.bundle import (
    _ZIP_ERRORS,
    MAX_TOTAL_BYTES,
    _check_member_info,
    _short,
    _stream,
)
from casefile.limits import MAX_FILE_BYTES

MAX_QDE_BYTES = 256 * 1024**2
MAX_SOURCE_BYTES = MAX_FILE_BYTES
_NAME = re.compile(r"^(?:[^/\\]+\.qde|[Ss]ources/(?:[^/\\]+)?)$")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)


class QdpxError(BundleError):
    """A .qdpx that is refused whole; nothing was changed."""


@dataclass
class Archive:
    """The checked zip of a project: its XML root and a way to read a member by its path."""

    path: Path
    zf: zipfile.ZipFile
    root: Any  # lxml element of <Project>
    ns: str
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    _lowered: dict[str, zipfile.ZipInfo] | None = None  # built on the first miss, once

    def q(self, name: str) -> str:
        """The qualified tag of ``name`` in the project's namespace."""
        return f"{{{self.ns}}}{name}"

    def member(self, internal: str) -> zipfile.ZipInfo | None:
        """The zip member an ``internal://NAME`` path (or a bare name) refers to."""
        name = internal.removeprefix("internal://").lstrip("/")
        for folder in ("sources/", "Sources/"):
            info = self.infos.get(folder + name)
            if info is not None:
                return info
        if self._lowered is None:
            self._lowered = {}
            for k, v in self.infos.items():
                self._lowered.setdefault(k.lower(), v)
        return self._lowered.get("sources/" + name.lower())

    def read(self, info: zipfile.ZipInfo) -> bytes:
        parts: list[bytes] = []
        _stream(self.zf, info, parts.append, min(info.file_size, MAX_SOURCE_BYTES))
        return b"".join(parts)


def parse_xml(data: bytes, what: str) -> Any:
    """Parse untrusted XML: no DTD, no entities, no network; a refusal names the problem."""
    from lxml import etree

    if _DOCTYPE.search(data[:1_000_000]):
        raise QdpxError(f"{what} declares a DTD, which REFI-QDA files never need "
                        "(refused: entity declarations can read local files)")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as exc:
        raise QdpxError(f"{what} is not well-formed XML: {exc}") from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise QdpxError(f"{what} declares a DTD (refused: entity declarations can read "
                        "local files)")
    return tree.getroot()


def open_archive(path: Path | str) -> Archive:
    """Check the zip and parse its project XML; raises ``QdpxError`` naming the problem.

    The caller closes ``archive.zf`` (use ``with archive.zf:``)."""
    path = check_input_file(path, what="REFI-QDA project", max_bytes=MAX_TOTAL_BYTES)
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise QdpxError(f"{path.name} is not a REFI-QDA project (not a readable zip): "
                        f"{_short(exc)}") from exc
    try:
        infos = zf.infolist()
        _check_member_info(infos, allowed=_NAME, what="the project")
        by_name = {i.filename: i for i in infos if not i.filename.endswith("/")}
        qdes = [n for n in by_name if n.endswith(".qde")]
        if not qdes:
            raise QdpxError(f"{path.name} holds no project.qde: not a REFI-QDA project")
        name = "project.qde" if "project.qde" in qdes else qdes[0]
        if len(qdes) > 1 and name != "project.qde":
            raise QdpxError(f"{path.name} holds several project files ({', '.join(qdes)})")
        info = by_name[name]
        if info.file_size > MAX_QDE_BYTES:
            raise QdpxError(f"{name} is implausibly large ({info.file_size:,} bytes)")
        parts: list[bytes] = []
        _stream(zf, info, parts.append, info.file_size)
        root = parse_xml(b"".join(parts), name)
        tag = root.tag if isinstance(root.tag, str) else ""
        if not (tag.startswith("{urn:QDA-XML:project:") and tag.endswith("}Project")):
            raise QdpxError(f"{name} is not a REFI-QDA project (its root is {tag or '?'!s})")
        ns = tag[1:tag.index("}")]
        return Archive(path, zf, root, ns, by_name)
    except BaseException:
        zf.close()
        raise
