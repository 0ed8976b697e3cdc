"""Plain text and Markdown: encoding detection, a title line and a "By …" byline."""

from __future__ import annotations

import re
import unicodedata

from casefile import dates
from casefile.errors import ImportFailed, ValidationError
from casefile.importers.titles import text_title
from casefile.services.documents import NewDocument

EXTRACTOR = "casefile-text"
VERSION = "1"
_BYLINE = re.compile(r"^\s*(?:by|von|par)\s+(?P<who>[^\n]{2,120})$", re.I)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_FIELD = re.compile(
    r"^(?P<key>published|date|source|outlet|publication)\s*\**:\**\s*(?P<value>.+)$", re.I)


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text. A BOM decides; else valid UTF-8; else the ``declared`` encoding (a codec
    name) if the bytes fit it; else UTF-8 with each invalid byte replaced by U+FFFD, as long
    as the bytes are UTF-8 at all (declared so and holding some valid multi-byte character,
    or holding at least as many as invalid bytes) — one bad byte must not turn every accent
    into mojibake; else Windows-1252 (its five undefined bytes replaced)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    if good >= bad or (declared == "utf-8" and good > 0):
        return text
    return data.decode("cp1252", errors="replace")


def looks_binary(text: str) -> bool:
    """Control characters other than tab/newline in quantity mean this is not text."""
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return bad / len(sample) > 0.01


# Invisible format characters that break search and quotes ("Wäh\u00adrend"): soft hyphen,
# zero-width space, word joiner, BOM, Mongolian vowel separator, bidi marks, embeddings,
# overrides and isolates, invisible operators.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u061c\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")
# Zero-width (non-)joiners shape Arabic, Persian and Indic words and emoji sequences; between
# Latin, Greek or Cyrillic letters (or at a word's edge) they only hide a word from search.
_JOINER = re.compile("(?<![\u0590-\U0010ffff])[\u200c\u200d]|[\u200c\u200d](?![\u0590-\U0010ffff])")


def strip_invisible(text: str) -> str:
    """``text`` without invisible format characters (see ``_INVISIBLE`` and ``_JOINER``)."""
    return _JOINER.sub("", _INVISIBLE.sub("", text))


def normalize_text(text: str) -> str:
    """Canonical text: NFC, newlines only, no invisible format characters, trailing spaces
    gone, at most one blank line."""
    text = strip_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = unicodedata.normalize("NFC", text)
    lines = [ln.rstrip() for ln in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_BLOCK = re.compile(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s|\||```|~~~|    |\t)")


def markdown_to_text(text: str) -> str:
    """Markdown as the text a reader sees: no heading marks, emphasis, link targets or quote
    marks; a paragraph's wrapped lines joined; code blocks, lists and tables kept line by line."""
    out: list[str] = []
    in_code = False
    joinable = False
    for raw in text.split("\n"):
        if raw.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            joinable = False
            continue
        if in_code:
            out.append(raw)
            continue
        line = _MD_HEADING.sub("", raw)
        heading = line != raw
        line = re.sub(r"^\s{0,3}>\s?", "", line)
        line = _MD_EM.sub(r"\2", _MD_STRONG.sub(r"\2", _MD_LINK.sub(r"\1", line)))
        if not line.strip():
            out.append("")
            joinable = False
        elif joinable and not heading and not _MD_BLOCK.match(raw):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
            joinable = not heading and not _MD_BLOCK.match(raw)
    return normalize_text("\n".join(out))


def extract(data: bytes, name: str, *, markdown: bool | None = None) -> NewDocument:
    """Text or Markdown as a document: the first substantive line as title (``text_title``), a
    "By …" byline, and a date or "Source:" line among the next few lines."""
    text = decode(data)
    if looks_binary(text):
        raise ImportFailed("this does not look like a text file (it holds binary data)")
    text = normalize_text(text)
    if not text.strip():
        raise ImportFailed("the file holds no text")
    is_md = markdown if markdown is not None else name.lower().endswith((".md", ".markdown"))
    if is_md:
        text = markdown_to_text(text)
    lines = text.split("\n")
    title = author = published = outlet = ""
    first = text_title(lines)
    if first is not None:
        title = _MD_HEADING.sub("", lines[first]).strip() if is_md else lines[first].strip()
        for ln in lines[first + 1:first + 8]:
            ln = _MD_HEADING.sub("", ln).strip("*_> ")
            m = _BYLINE.match(ln)
            parts = [p.strip(" *_") for p in _SEP.split(m.group("who") if m else ln)]
            if m and not author:
                author = parts[0]
                for part in parts[1:]:
                    date = _date_in(part)
                    published = published or date
                    if not date and _looks_like_name(part):
                        outlet = outlet or part
                continue
            m = _FIELD.match(ln)
            if m and m.group("key").lower() in ("source", "outlet", "publication"):
                outlet = outlet or m.group("value").strip(" *_")
            elif m:
                published = published or _date_in(m.group("value"))
            elif len(parts) == 2 and _date_in(parts[1]) and _looks_like_name(parts[0]):
                outlet = outlet or _outlet_case(parts[0])  # "NORTHERN LEDGER — 12 May 2015"
                published = published or _date_in(parts[1])
            elif not published:
                published = _date_in(ln)
    return NewDocument(
        text=text, original=data, content_type="text/markdown" if is_md else "text/plain",
        title=title or name, author=author, outlet=outlet, published=published,
        source_name=name, extractor=EXTRACTOR, extractor_version=VERSION,
    )


_SEP = re.compile(r"\s*(?:,|\s[—–|·•-])\s*")


def _looks_like_name(part: str) -> bool:
    """Two to six capitalised words: an outlet's name, not a sentence."""
    words = part.split()
    return 1 <= len(words) <= 6 and len(part) <= 60 and all(
        w[:1].isupper() or w.lower() in ("the", "of", "and", "de", "al") for w in words)


def _outlet_case(name: str) -> str:
    """"NORTHERN LEDGER" → "Northern Ledger"; short all-capital names (BBC) stay as they are."""
    if name.isupper() and all(len(w) > 3 for w in name.split()):
        return name.title()
    return name


def _date_in(line: str) -> str:
    """A whole-line date ("4 August 2020", "2020-08-04") in canonical form, else ""."""
    line = line.strip(" *_")
    if not line or len(line) > 40:
        return ""
    try:
        return dates.normalize(line)
    except ValidationError:
        return ""
