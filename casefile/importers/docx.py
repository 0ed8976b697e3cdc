"""Word .docx files via python-docx: paragraphs and table rows in order, core properties."""

from __future__ import annotations

import io
import re
import zipfile

from casefile.errors import ImportFailed
from casefile.importers.fileprops import prop_date, prop_text, prop_title
from casefile.importers.text import normalize_text
from casefile.services.documents import NewDocument

EXTRACTOR = "python-docx"
MAX_UNCOMPRESSED = 512 * 1024 * 1024
_WS = re.compile(r"[ \t\u00a0]+")


def version() -> str:
    try:
        from importlib.metadata import version as dist_version

        return dist_version("python-docx")
    except Exception:  # pragma: no cover
        return ""


def check_archive(data: bytes) -> None:
    """Refuse a damaged archive or one that would inflate to an absurd size (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(f"this Word file is damaged ({exc})") from None
    if total > MAX_UNCOMPRESSED:
        raise ImportFailed(f"this Word file would unpack to {total / 2**20:.0f} MB; refused")


def extract(data: bytes, name: str) -> NewDocument:
    """A .docx as a document: body paragraphs (headings included) and table rows."""
    import docx
    from docx.table import Table

    check_archive(data)
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise ImportFailed(f"this Word file cannot be read ({type(exc).__name__}: {exc})"
                           ) from None
    paras: list[str] = []
    title = ""
    for block in d.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [_WS.sub(" ", c.text).strip() for c in row.cells]
                line = " | ".join(dict.fromkeys(c for c in cells if c))
                if line:
                    paras.append(line)
            continue
        txt = _WS.sub(" ", block.text).strip()
        if not txt:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if not title and style.lower() in ("title", "heading 1"):
            title = txt
        paras.append(("• " + txt) if style.lower().startswith("list") else txt)
    text = normalize_text("\n\n".join(paras))
    if not text.strip():
        raise ImportFailed("this Word file holds no text")
    # The core properties are what the file says of itself (often a template's or the
    # generator's): each value taken from them is a guess until the analyst confirms it. The
    # file's creation date is not the publication date either.
    props = d.core_properties
    made = props.created
    read = {"title": prop_title(props.title), "author": prop_text(props.author),
            "published": prop_date(made.year, made.month, made.day) if made else ""}
    if read["title"].casefold() == title.casefold():  # the document prints it: no guess
        read["title"] = ""
    return NewDocument(
        text=text, original=data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        title=read["title"] or title or name, author=read["author"],
        published=read["published"], guessed=tuple(f for f, v in read.items() if v),
        source_name=name, extractor=EXTRACTOR, extractor_version=version())
