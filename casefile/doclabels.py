"""How a document is named where titles collide: its format and file name after the title."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import PurePath

FORMATS = {"text/plain": "TXT", "text/markdown": "Markdown", "text/html": "HTML",
           "application/xhtml+xml": "HTML", "application/pdf": "PDF",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
           "image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF", "image/webp": "WebP"}


def format_name(content_type: str, source_name: str = "") -> str:
    """"PDF", "PNG", "DOCX" …: what kind of file a document came from."""
    known = FORMATS.get(content_type.split(";")[0].strip().lower())
    if known:
        return known
    suffix = PurePath(source_name).suffix.lstrip(".")
    return suffix.upper() if suffix else (content_type or "file")


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def distinct_suffixes(docs: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """Document id -> " (PNG · scan-1.png)" for every document whose title another document
    of the list shares (ignoring case and spacing); ``docs`` are (id, title, content type,
    file name). Documents with a title of their own get no entry."""
    docs = list(docs)
    counts = Counter(_key(title) for _id, title, _ct, _name in docs)
    out = {}
    for doc_id, title, content_type, name in docs:
        if counts[_key(title)] > 1:
            bits = [format_name(content_type, name)]
            if name:
                bits.append(PurePath(name).name)
            out[doc_id] = f" ({' · '.join(bits)})"
    return out


def short_suffixes(docs: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """Like ``distinct_suffixes`` but as short as still tells the twins apart: the format
    alone when their formats differ (" (PDF)"), else the file name alone (" (scan-1.png)")."""
    docs = list(docs)
    full = distinct_suffixes(docs)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for doc_id, title, content_type, name in docs:
        if doc_id in full:
            groups.setdefault(_key(title), []).append((doc_id, content_type, name))
    out = {}
    for members in groups.values():
        formats = [format_name(ct, name) for _i, ct, name in members]
        names = [PurePath(name).name for _i, _ct, name in members]
        for (doc_id, _ct, _n), fmt, name in zip(members, formats, names, strict=True):
            if len(set(formats)) == len(formats):
                out[doc_id] = f" ({fmt})"
            elif name and len(set(names)) == len(names):
                out[doc_id] = f" ({name})"
            else:
                out[doc_id] = full[doc_id]
    return out


def distinct_titles(docs: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """Document id -> its title, with format and file name added where titles collide."""
    docs = list(docs)
    suffixes = distinct_suffixes(docs)
    return {doc_id: title + suffixes.get(doc_id, "") for doc_id, title, _ct, _n in docs}


def twin_endings(docs: Iterable[tuple[str, str, str, str]]) -> dict[str, tuple[str, str]]:
    """Document id -> (whole ending, short ending) for documents sharing a title."""
    docs = list(docs)
    short = short_suffixes(docs)
    return {doc_id: (end, short[doc_id]) for doc_id, end in distinct_suffixes(docs).items()}
