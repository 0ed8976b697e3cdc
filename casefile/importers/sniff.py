"""Decide a file's format from content and name; a file that lies about its type is refused."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from casefile.errors import ImportFailed

PDF, HTML, DOCX, TEXT, MARKDOWN = "pdf", "html", "docx", "text", "markdown"
MHTML = "mhtml"
PNG, JPEG, TIFF, WEBP = "png", "jpeg", "tiff", "webp"
IMAGES = {PNG: "image/png", JPEG: "image/jpeg", TIFF: "image/tiff", WEBP: "image/webp"}

_BY_EXTENSION = {
    ".pdf": PDF, ".html": HTML, ".htm": HTML, ".xhtml": HTML, ".shtml": HTML, ".xht": HTML,
    ".docx": DOCX, ".txt": TEXT, ".text": TEXT, ".md": MARKDOWN, ".markdown": MARKDOWN,
    ".mht": MHTML, ".mhtml": MHTML,
    ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".tif": TIFF, ".tiff": TIFF, ".webp": WEBP,
}
EXTENSIONS = tuple(_BY_EXTENSION)  # every file name ending the importer knows
IMAGE_EXTENSIONS = tuple(e for e, f in _BY_EXTENSION.items() if f in IMAGES)
_NAMES = {PDF: "a PDF", HTML: "a web page", MHTML: "a page saved as one file (MHTML)",
          DOCX: "a Word document", TEXT: "a text file",
          MARKDOWN: "a Markdown file", PNG: "a PNG image", JPEG: "a JPEG image",
          TIFF: "a TIFF image", WEBP: "a WebP image"}
_HTML_START = re.compile(
    rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title|base)\b",
    re.I | re.S)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|head)\b[^>]*>", re.I)
HTML_SNIFF = 1024 * 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def claimed_format(name: str) -> str | None:
    """The format a file's extension claims, or None for no or an unknown extension."""
    dot = name.rfind(".")
    return _BY_EXTENSION.get(name[dot:].lower()) if dot > 0 else None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _looks_html(data: bytes) -> bool:
    """A page starts with markup, or holds an html/head/body tag somewhere in its first
    megabyte (after a long script, style block or PHP warning the server printed first)."""
    head = data[:HTML_SNIFF]
    if head.startswith(_BOMS):
        head = head[3:] if head.startswith(_BOMS[0]) else head[2:].replace(b"\x00", b"")
    return bool(_HTML_START.match(head[:4096]) or _HTML_ANYWHERE.search(head))


def _looks_text(data: bytes) -> bool:
    from casefile.importers.text import decode, looks_binary

    try:
        return not looks_binary(decode(data[:65536]))
    except UnicodeDecodeError:
        return False


def _image_format(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def content_format(data: bytes) -> str | None:
    """What the bytes are, judged by content alone: a format name, or None for binary data."""
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return PDF
    image = _image_format(head)
    if image:
        return image
    if head.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    from casefile.importers.mhtml import looks_mhtml

    if looks_mhtml(data):  # before HTML: the page inside would read as one
        return MHTML
    if _looks_html(data):
        return HTML
    if _looks_text(data):
        return TEXT
    return None


def _describe(kind: str | None) -> str:
    return {None: "binary data", "zip": "a ZIP archive", "ole": "an old Office (.doc) file",
            }.get(kind, _NAMES.get(kind or "", str(kind)))


def sniff(data: bytes, name: str) -> str:
    """The format to import ``data`` as (pdf, html, mhtml, docx, text, markdown or an image
    format),
    else ``ImportFailed``.

    Content decides; the extension must agree with it. Plain text named ``.md`` is Markdown, and
    HTML source saved as ``.txt``/``.md`` is imported as the text it is.
    """
    if not data:
        raise ImportFailed("the file is empty")
    claimed = claimed_format(name)
    actual = content_format(data)
    if actual == "ole":
        raise ImportFailed("this is an old Word .doc (or other Office) file; save it as .docx "
                           "or PDF and import that")
    if data.startswith(b"SQLite format 3\x00"):
        raise ImportFailed("this is a database file, not an article (a Casefile case is shared "
                           "as a bundle: export it there, then use Import bundle)")
    if claimed is None:
        if actual in (PDF, HTML, MHTML, DOCX, TEXT) or actual in IMAGES:
            return actual
        raise ImportFailed(f"cannot tell what kind of file this is ({_describe(actual)}); "
                           "Casefile imports PDF, web pages (also saved as MHTML or WARC), "
                           "Word .docx, text, Markdown, images of text (PNG, JPEG, TIFF, "
                           "WebP), e-mail (.eml, .msg) and Telegram exports")
    if claimed in (TEXT, MARKDOWN) and actual in (TEXT, HTML):
        return claimed
    if claimed == actual:
        return actual
    raise ImportFailed(f"the name says {_NAMES[claimed]} but the file holds "
                       f"{_describe(actual)}; refused")


# --- files that hold many documents (see ``containers``) ---------------------------------


def _head(path: Path, n: int = 65536) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def container_kind(path: Path) -> str | None:
    """Which container reader takes ``path`` ("telegram", "warc", "email", "outlook",
    "page-files" for a browser's ``<name>_files`` folder), or None for an ordinary file."""
    from casefile.importers import telegram

    name = path.name.lower()
    if path.is_dir():
        if telegram.is_export_folder(path):
            return "telegram"
        if name.endswith("_files") and any(
                path.with_name(path.name[:-6] + s).is_file() for s in (".html", ".htm")):
            return "page-files"
        return "folder"
    from casefile.db.files import live_database_of

    try:  # only an ordinary file is read, and never the open database (its locks would go)
        if not path.is_file() or live_database_of(path) is not None:
            return None
    except OSError:
        return None
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith(".eml"):
        return "email"
    if name.endswith(".msg"):
        return "outlook"
    if claimed_format(path.name) is None and _looks_mail(_head(path, 8192)):
        return "email"
    if name.endswith(".json") and telegram.looks_like_export_json(_head(path)):
        return "telegram"
    if name.endswith(".zip"):
        return "telegram"
    if re.match(r"^messages\d*\.html$", name) and telegram.looks_like_export_html(_head(path)):
        return "telegram"
    return None



_MAIL_HEADER = re.compile(rb"^(from|to|subject|date|message-id|received|return-path):", re.I | re.M)


def _looks_mail(head: bytes) -> bool:
    """Mail headers: at least three of From, To, Subject, Date, Message-ID, Received, and a
    MIME-Version or Message-ID among them (a saved page's MHTML has its own sniff)."""
    top = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = {m.group(1).lower() for m in _MAIL_HEADER.finditer(top)}
    return len(found) >= 3 and bool(re.search(rb"^(mime-version|message-id):", top, re.I | re.M))
