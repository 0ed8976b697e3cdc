"""MIME messages nobody should trust (a saved page's MHTML, an e-mail): parsed by the stdlib
``email`` package, walked without recursion, refused when nested or split absurdly."""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from casefile.errors import ImportFailed

MAX_DEPTH = 20  # multiparts inside multiparts; real mail and pages nest a handful deep
MAX_PARTS = 20_000
MAX_MULTIPARTS = 500  # containers of parts; a mail or a saved page has a handful


def parse(data: bytes, what: str, max_attachments: int | None = None) -> EmailMessage:
    """The message, with its nesting, number of parts and of attachments checked first, on a
    quick structural parse (the full one, with rich headers, takes a second a thousand
    parts)."""
    import re

    if len(re.findall(rb"(?im)^content-type:\s*multipart/", data)) > MAX_MULTIPARTS:
        raise ImportFailed(f"{what} holds more than {MAX_MULTIPARTS} multipart containers; "
                           "refused as hostile")
    try:
        quick = BytesParser(policy=policy.compat32).parsebytes(data)
        parts = [p for p, _d in walk(quick, what)]  # type: ignore[arg-type]
        if max_attachments is not None:
            n = sum(1 for p in parts if not p.is_multipart() and (
                p.get_filename() or str(p.get("Content-Disposition", "")).lower()
                .startswith("attachment")))
            if n > max_attachments:
                raise ImportFailed(f"{what} has {n:,} attachments (more than "
                                   f"{max_attachments:,}); refused as hostile")
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError:
        raise ImportFailed(f"{what} is nested too deeply to read; refused as hostile") from None
    return msg  # type: ignore[return-value]


def walk(msg: EmailMessage, what: str) -> Iterator[tuple[EmailMessage, int]]:
    """Every part with its depth, depth first, in order (no recursion); refuses ``what`` when
    parts nest more than ``MAX_DEPTH`` deep or number more than ``MAX_PARTS``."""
    stack: list[tuple[EmailMessage, int]] = [(msg, 0)]
    seen = 0
    out: list[tuple[EmailMessage, int]] = []
    while stack:
        part, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            raise ImportFailed(f"{what} nests its parts more than {MAX_DEPTH} deep; refused as "
                               "hostile")
        if seen > MAX_PARTS:
            raise ImportFailed(f"{what} has more than {MAX_PARTS:,} parts; refused as hostile")
        out.append((part, depth))
        if part.is_multipart():
            kids = part.get_payload()
            if isinstance(kids, list):
                stack.extend((k, depth + 1) for k in reversed(kids))
    return iter(out)


def payload(part: EmailMessage, cap: int, what: str) -> bytes:
    """A part's decoded bytes (base64, quoted-printable), refused beyond ``cap``."""
    raw = part.get_payload(decode=True)
    data = raw if isinstance(raw, bytes) else b""
    if len(data) > cap:
        raise ImportFailed(f"{what} holds a part of {len(data) // 2**20} MB; refused")
    return data


def text_of(part: EmailMessage, data: bytes) -> str:
    """A text part's bytes decoded by its declared charset (else as ``text.decode`` guesses)."""
    import codecs

    from casefile.importers.text import decode

    charset = part.get_content_charset()
    try:
        if charset:
            codecs.lookup(charset)
            return data.decode(charset, errors="replace")
    except LookupError:
        pass
    return decode(data)


def as_utf8_html(part: EmailMessage, data: bytes) -> bytes:
    """HTML bytes the web-page importer reads in the part's declared charset (a BOM says so)."""
    if part.get_content_charset():
        return b"\xef\xbb\xbf" + text_of(part, data).encode("utf-8")
    return data
