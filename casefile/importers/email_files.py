"""E-mail (.eml by the stdlib ``email`` package, Outlook .msg by extract-msg): the mail is a
document — subject as title, sender as author, date as published — and each attachment is a
document of its own, linked to the mail.

The sender is the author, not the outlet: a mail is written by a person (or an office), like an
article's byline, and it is not published anywhere; the analyst names an outlet when a mail is a
newsletter or a press release. The mail's text starts with its From/To/Cc/Date/Subject lines,
as a printed mail does, so recipients can be searched and quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from casefile.errors import CasefileError, ImportFailed
from casefile.importers import mime
from casefile.importers.items import (
    MAX_ATTACHMENTS,
    Attachment,
    Container,
    Item,
    check_attachment_name,
)
from casefile.importers.text import normalize_text
from casefile.services.documents import NewDocument

MAX_FILE = 200 * 1024 * 1024
MAX_PART = 100 * 1024 * 1024
EXTRACTOR = "casefile-email"
EXTRACTOR_VERSION = "1"


@dataclass(frozen=True)
class Mail:
    subject: str
    sender: str
    to: str
    cc: str
    date: datetime | None
    message_id: str
    body: str
    attachments: list[tuple[str, bytes]]


def _html_text(data: bytes) -> str:
    """An HTML body through the web-page importer, else its plain text (a short mail is not
    an "article" to trafilatura)."""
    from casefile.importers import html

    try:
        return html.extract_fields(data)["text"]
    except ImportFailed:
        tree = html.parse(html.decode_html(data))
        for bad in tree.xpath("//script|//style|//head"):
            bad.drop_tree()
        for br in tree.iter("br", "p", "div", "tr", "li"):
            br.tail = "\n" + (br.tail or "")
        return normalize_text(tree.text_content())


def _addresses(value: str) -> str:
    pairs = getaddresses([value]) if value else []
    return ", ".join(f"{n} <{a}>" if n and a else n or a for n, a in pairs if n or a)


def _date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _check_count(n: int) -> None:
    if n > MAX_ATTACHMENTS:
        raise ImportFailed(f"the mail has {n:,} attachments (more than {MAX_ATTACHMENTS:,}); "
                           "refused as hostile")


def read_eml(data: bytes) -> Mail:
    msg = mime.parse(data, "the mail", max_attachments=MAX_ATTACHMENTS)
    if not (msg.get("From") or msg.get("Subject") or msg.get("Date")):
        raise ImportFailed("this is not an e-mail (no From, Subject or Date header)")
    parts = [p for p, _d in mime.walk(msg, "the mail")]
    attached = [p for p in parts if p.get_content_disposition() == "attachment"
                or (p.get_filename() and not p.is_multipart())]
    _check_count(len(attached))
    try:
        body_part = msg.get_body(preferencelist=("plain", "html"))
    except (KeyError, IndexError):
        body_part = None
    body = ""
    if body_part is not None and body_part not in attached:
        raw = mime.payload(body_part, MAX_PART, "the mail")
        body = (normalize_text(mime.text_of(body_part, raw))
                if body_part.get_content_type() == "text/plain"
                else _html_text(mime.as_utf8_html(body_part, raw)))
    files = []
    for n, part in enumerate(attached, start=1):
        name = check_attachment_name(str(part.get_filename() or f"attachment-{n}"))
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            data_ = (inner[0].as_bytes() if isinstance(inner, list) and inner else b"")
            files.append((name if name.lower().endswith(".eml") else name + ".eml", data_))
            continue
        files.append((name, mime.payload(part, MAX_PART, "the mail")))
    return Mail(str(msg.get("Subject") or "").strip(), _addresses(str(msg.get("From") or "")),
                _addresses(str(msg.get("To") or "")), _addresses(str(msg.get("Cc") or "")),
                _date(str(msg.get("Date") or "")), str(msg.get("Message-ID") or "").strip(),
                body, files)


def read_msg(path: Path) -> Mail:
    """An Outlook .msg through extract-msg (an OLE file: parsed, never run)."""
    try:
        import extract_msg
    except ImportError:  # pragma: no cover - a dependency
        raise ImportFailed("reading Outlook .msg files needs the extract-msg package") from None
    try:
        msg = extract_msg.openMsg(str(path), delayAttachments=True)
    except Exception as exc:
        raise ImportFailed(f"this is not a readable Outlook message ({type(exc).__name__}: "
                           f"{str(exc)[:160]})") from None
    try:
        atts = list(getattr(msg, "attachments", []) or [])
        _check_count(len(atts))
        body = normalize_text(msg.body or "") if getattr(msg, "body", None) else ""
        if not body.strip() and getattr(msg, "htmlBody", None):
            body = _html_text(msg.htmlBody)
        files = []
        for n, att in enumerate(atts, start=1):
            raw_name = (getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
                        or getattr(att, "name", None) or f"attachment-{n}")
            name = check_attachment_name(str(raw_name))
            data = getattr(att, "data", None)
            if isinstance(data, bytes):
                if len(data) > MAX_PART:
                    raise ImportFailed(f"an attachment is {len(data) // 2**20} MB; refused")
                files.append((name, data))
        date = msg.date if isinstance(getattr(msg, "date", None), datetime) else None
        if date is None and getattr(msg, "header", None) is not None:
            date = _date(str(msg.header.get("Date") or ""))
        return Mail(str(msg.subject or "").strip(), _addresses(str(msg.sender or "")),
                    _addresses(str(msg.to or "")), _addresses(str(msg.cc or "")), date,
                    str(getattr(msg, "messageId", "") or "").strip(), body, files)
    except CasefileError:
        raise
    except Exception as exc:
        raise ImportFailed(f"this Outlook message could not be read ({type(exc).__name__}: "
                           f"{str(exc)[:160]})") from None
    finally:
        msg.close()


def _text(mail: Mail) -> str:
    head = [f"From: {mail.sender}"] if mail.sender else []
    if mail.to:
        head.append(f"To: {mail.to}")
    if mail.cc:
        head.append(f"Cc: {mail.cc}")
    if mail.date:
        head.append(f"Date: {mail.date:%d %B %Y %H:%M}")
    if mail.subject:
        head.append(f"Subject: {mail.subject}")
    return normalize_text("\n".join(head) + "\n\n" + mail.body)


def read(path: Path, *, outlook: bool = False) -> Container:
    from casefile.importers.reading import read_file

    data = read_file(path)
    mail = read_msg(path) if outlook else read_eml(data)
    import hashlib

    key = (f"email:{mail.message_id}" if mail.message_id
           else f"email:sha256:{hashlib.sha256(data).hexdigest()}")
    doc = NewDocument(
        text=_text(mail), original=data,
        content_type="application/vnd.ms-outlook" if outlook else "message/rfc822",
        title=mail.subject or path.name, author=mail.sender,
        published=mail.date.strftime("%Y-%m-%d") if mail.date else "",
        source_name=path.name, extractor=EXTRACTOR, extractor_version=EXTRACTOR_VERSION,
        source_key=key[:200])
    atts = tuple(Attachment(name, (lambda d=data_: d)) for name, data_ in mail.attachments)
    return Container(label=f"Mail “{(mail.subject or path.name)[:80]}”", items=[Item(doc, atts)],
                     unit="mail", key_prefix=key, duplicate_check=False)
