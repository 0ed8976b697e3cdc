"""Telegram Desktop exports (``result.json`` or ``messages*.html``, in a folder or a zip): each
message, or each day's messages, becomes a document with the chat as outlet, the message link
as URL and forwarded-from as origin; attached photos are read by OCR as their own documents."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casefile import untrusted
from casefile.errors import CasefileError, ImportFailed
from casefile.importers.folders import FolderFiles, ZipFiles
from casefile.importers.items import (
    PER_DAY,
    PER_MESSAGE,
    Attachment,
    Container,
    Item,
    plural,
    release,
)
from casefile.importers.text import normalize_text
from casefile.services.documents import NewDocument

EXTRACTOR = "casefile-telegram"
EXTRACTOR_VERSION = "1"
CONTENT_TYPE = "application/vnd.telegram.message+json"
MAX_JSON_BYTES = 512 * 1024**2
# Parsed JSON costs ~60 bytes a value: a file of tiny values would fill memory (a "JSON bomb").
MAX_JSON_VALUES = 12_000_000
MAX_MESSAGES = 2_000_000
MAX_HTML_PAGES = 5_000
NOT_INCLUDED = "(File not included"
_DATE = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?")
_HTML_DATE = re.compile(r"(\d\d)\.(\d\d)\.(\d{4}) (\d\d:\d\d:\d\d)")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_IMAGE_FILE = re.compile(r"\.(jpe?g|png|webp|tiff?)$", re.I)
_PAGE = re.compile(r"^messages(\d*)\.html$")


@dataclass(frozen=True)
class Post:
    """One message as both export forms give it."""

    id: int
    date: str  # ISO local time of the export, "YYYY-MM-DDTHH:MM:SS"
    author: str
    forwarded_from: str
    text: str
    photo: str  # path relative to the export folder, or ""
    reply_to: int | None
    edited: str
    record: dict[str, Any]  # the fields read, as the export gave them (the stored original)


@dataclass(frozen=True)
class Chat:
    name: str
    kind: str  # public_channel, private_supergroup, personal_chat …
    key: str  # "<id>" from result.json, "name:<name>" from the HTML form
    numeric_id: int | None
    posts: list[Post]
    skipped: int  # service messages and messages with nothing to read


def is_export_folder(path: Path) -> bool:
    try:
        return (path / "result.json").is_file() or (path / "messages.html").is_file()
    except OSError:
        return False


def looks_like_export_json(head: bytes) -> bool:
    """Whether the start of a JSON file reads like Telegram's result.json."""
    text = head[:4096].decode("utf-8", "replace")
    return text.lstrip("\ufeff \t\r\n").startswith("{") and bool(
        re.search(r'"(messages|chats|personal_information)"\s*:', text)
        or re.search(r'"type"\s*:\s*"(personal_chat|private_group|private_supergroup|'
                     r'public_supergroup|private_channel|public_channel|bot_chat|saved_messages)"',
                     text))


def looks_like_export_html(head: bytes) -> bool:
    return b'class="page_header"' in head and b"history" in head


def open_export(path: Path):
    """(files, entry names) for an export given as its folder, its result.json, one of its
    messages*.html pages, or a zip of the folder."""
    if path.is_dir():
        files: Any = FolderFiles(path, "the Telegram export")
    elif path.suffix.lower() == ".zip":
        files = ZipFiles(path, "Telegram export")
        names = files.names()
        if "result.json" not in names and "messages.html" not in names:
            tops = [n for n in names if not n.startswith("__MACOSX")]
            if len(tops) == 1:
                files.enter(tops[0])
    else:
        files = FolderFiles(path.parent, "the Telegram export")
        if path.suffix.lower() == ".json":
            return files, [path.name]
    names = files.names()
    if "result.json" in names:
        return files, ["result.json"]
    pages = sorted((n for n in names if _PAGE.match(n)),
                   key=lambda n: int(_PAGE.match(n).group(1) or 1))  # type: ignore[union-attr]
    if not pages:
        files.close()
        raise ImportFailed("this is not a Telegram Desktop export (no result.json and no "
                           "messages.html in it)")
    if len(pages) > MAX_HTML_PAGES:
        files.close()
        raise ImportFailed(f"the export has {len(pages):,} pages; refused as implausible")
    return files, pages


# --- result.json ------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_SPACE = re.compile(r"[ \t\n\r]*")
_OPEN_OBJECTS = ("chats", "left_chats", "chat")  # keys whose objects hold chats or messages


def loads_stepwise(text: str) -> Any:
    """``json.loads`` in small steps: the containers of an export (the root, the chat lists,
    the message arrays) are walked here, each message decoded by one short C call. One call
    for a 40 MB file would hold the interpreter for seconds, freezing the window whose worker
    thread runs the import."""
    dec = json.JSONDecoder(parse_constant=_no_constant)

    def ws(i: int) -> int:
        return _SPACE.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, depth: int, key: str | None) -> tuple[Any, int]:
        c = text[i]
        if c == "[" and depth < 6:
            out: list[Any] = []
            i = ws(i + 1)
            if text[i] == "]":
                return out, i + 1
            while True:
                v, i = value(i, depth + 1, "chat" if key == "list" else None)
                out.append(v)
                i = ws(i)
                if text[i] == "]":
                    return out, i + 1
                if text[i] != ",":
                    raise ValueError(f"expected ',' or ']' at character {i}")
                i = ws(i + 1)
        if c == "{" and (depth == 0 or key in _OPEN_OBJECTS):
            obj: dict[str, Any] = {}
            i = ws(i + 1)
            if text[i] == "}":
                return obj, i + 1
            while True:
                if text[i] != '"':
                    raise ValueError(f"expected a key at character {i}")
                k, i = dec.raw_decode(text, i)
                i = ws(i)
                if text[i] != ":":
                    raise ValueError(f"expected ':' at character {i}")
                obj[k], i = value(ws(i + 1), depth + 1, k)
                i = ws(i)
                if text[i] == "}":
                    return obj, i + 1
                if text[i] != ",":
                    raise ValueError(f"expected ',' or '}}' at character {i}")
                i = ws(i + 1)
        return dec.raw_decode(text, i)

    try:
        root, end = value(ws(0), 0, None)
    except IndexError:
        raise ValueError("the file ends in the middle of a value") from None
    if ws(end) != len(text):
        raise ValueError(f"extra data at character {end}")
    return root


_STEP = 1 << 20  # big buffers are counted and decoded a megabyte per call (see loads_stepwise)


def _decode(data: bytes) -> str:
    """UTF-8 (a BOM allowed) a megabyte at a time; invalid bytes raise UnicodeDecodeError."""
    import codecs

    dec = codecs.getincrementaldecoder("utf-8-sig")()
    view = memoryview(data)
    parts = [dec.decode(view[i:i + _STEP]) for i in range(0, len(data), _STEP)]
    parts.append(dec.decode(b"", final=True))
    return "".join(parts)


def parse_json(data: bytes) -> list[dict[str, Any]]:
    """The chats in a result.json (one, or a full export's list), checked for bombs first."""
    values = sum(data.count(c, i, i + _STEP) for i in range(0, len(data), _STEP)
                 for c in (b",", b"[", b"{"))
    if values > MAX_JSON_VALUES:
        raise ImportFailed(f"result.json holds about {values:,} values, more than a Telegram "
                           f"export of {MAX_MESSAGES:,} messages would; refused (a JSON bomb?)")
    try:
        root = loads_stepwise(_decode(data))
    except RecursionError:
        raise ImportFailed("result.json is nested too deeply to read; refused") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFailed(f"result.json is not valid JSON ({str(exc)[:120]})") from None
    try:
        untrusted.check_plain_json(root, "result.json")
    except CasefileError as exc:
        raise ImportFailed(f"{exc}; refused") from None
    if not isinstance(root, dict):
        raise ImportFailed("result.json is not a Telegram export (not a JSON object)")
    if isinstance(root.get("messages"), list):
        return [root]
    chats = root.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        found = [c for c in chats["list"] if isinstance(c, dict)
                 and isinstance(c.get("messages"), list)]
        for extra in ("left_chats",):
            more = root.get(extra)
            if isinstance(more, dict) and isinstance(more.get("list"), list):
                found += [c for c in more["list"] if isinstance(c, dict)
                          and isinstance(c.get("messages"), list)]
        if found:
            return found
        raise ImportFailed("this Telegram export holds no chat messages (export a chat or "
                           "channel with messages)")
    raise ImportFailed("result.json is not a Telegram chat export (it has no messages)")


def _text_of(value: Any) -> str:
    """A message's text: a string, or a list of strings and entity objects."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else str(v.get("text", ""))
                       if isinstance(v, dict) else "" for v in value)
    return ""


_READ = ("id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "from", "from_id",
         "author", "forwarded_from", "saved_from", "reply_to_message_id", "text", "photo",
         "file", "mime_type", "media_type", "title")


def _post(m: dict[str, Any], files: Any) -> Post | None:
    if m.get("type") != "message" or not isinstance(m.get("id"), int):
        return None
    date = m.get("date")
    if not isinstance(date, str) or not _DATE.match(date):
        return None
    photo = m.get("photo") if isinstance(m.get("photo"), str) else ""
    f = m.get("file")
    if not photo and isinstance(f, str) and _IMAGE_FILE.search(f) \
            and m.get("media_type") in (None, "photo"):
        photo = f
    if photo.startswith(NOT_INCLUDED):
        photo = ""
    if photo and files.path(photo) is None:  # refuses a path out of the folder; None: not there
        photo = ""
    text = normalize_text(_text_of(m.get("text")))
    if not text and not photo:
        return None
    author = m.get("author") or m.get("from") or ""
    fwd = m.get("forwarded_from") or m.get("saved_from") or ""
    reply = m.get("reply_to_message_id")
    return Post(m["id"], date, str(author), str(fwd) if isinstance(fwd, str) else "", text,
                photo, reply if isinstance(reply, int) else None,
                str(m.get("edited") or ""), {k: m[k] for k in _READ if k in m})


def chats_from_json(data: bytes, files: Any) -> list[Chat]:
    out = []
    for c in parse_json(data):
        msgs = c["messages"]
        if len(msgs) > MAX_MESSAGES:
            raise ImportFailed(f"the export holds {len(msgs):,} messages in one chat; the "
                               f"limit is {MAX_MESSAGES:,}")
        posts = [p for m in msgs if isinstance(m, dict) and (p := _post(m, files))]
        cid = c.get("id")
        name = c.get("name") if isinstance(c.get("name"), str) else ""
        out.append(Chat(name or "Telegram chat", str(c.get("type") or ""),
                        str(cid) if isinstance(cid, int) else f"name:{name}",
                        cid if isinstance(cid, int) else None, posts, len(msgs) - len(posts)))
        release(msgs)
    return out



# --- messages.html ----------------------------------------------------------------------------


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _child(el: Any, cls: str) -> Any:
    for c in el:
        if isinstance(c.tag, str) and cls in _classes(c):
            return c
    return None


def _plain(el: Any) -> str:
    """An element's text with ``<br>`` as line breaks (the export's own markup only)."""
    if el is None:
        return ""
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return normalize_text(el.text_content())


def _html_date(title: str) -> str:
    m = _HTML_DATE.search(title or "")
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}T{m.group(4)}" if m else ""


def _from_name(el: Any) -> str:
    if el is None:
        return ""
    for span in el.findall(".//span"):
        span.drop_tree()
    return " ".join(el.text_content().split())


def chats_from_html(pages: list[str], files: Any) -> list[Chat]:
    from casefile.importers.html import decode_html, parse

    name = ""
    posts: list[Post] = []
    skipped = 0
    last_from = ""
    for page in pages:
        tree = parse(decode_html(files.read(page)))
        if not name:
            head = tree.xpath("//div[contains(@class,'page_header')]"
                              "//div[contains(@class,'text')]")
            name = " ".join(head[0].text_content().split()) if head else ""
        for div in tree.xpath("//div[contains(concat(' ', @class, ' '), ' message ')]"):
            cls = _classes(div)
            m = re.match(r"^message(\d+)$", div.get("id") or "")
            body = _child(div, "body")
            if m is None:  # a day's heading ("message-12"), not a message
                continue
            if "service" in cls or body is None:
                skipped += 1
                continue
            date_el = _child(body, "date")
            date = _html_date(date_el.get("title", "") if date_el is not None else "")
            if "joined" not in cls:
                last_from = _from_name(_child(body, "from_name")) or last_from
            fwd_el = _child(body, "forwarded")
            fwd = _from_name(_child(fwd_el, "from_name")) if fwd_el is not None else ""
            holder = fwd_el if fwd_el is not None else body
            text = _plain(_child(holder, "text"))
            photo = ""
            for a in holder.xpath(".//a[contains(@class,'photo_wrap')]"):
                href = a.get("href") or ""
                if href and files.path(href) is not None:
                    photo = href
                    break
            reply = None
            for a in body.xpath("./div[contains(@class,'reply_to')]//a"):
                r = re.search(r"go_to_message(\d+)", a.get("href") or "")
                reply = int(r.group(1)) if r else None
            if not date or (not text and not photo):
                skipped += 1
                continue
            record = {"id": int(m.group(1)), "date": date, "from": last_from,
                      "forwarded_from": fwd, "text": text, "photo": photo,
                      "reply_to_message_id": reply}
            posts.append(Post(int(m.group(1)), date, last_from, fwd, text, photo, reply, "",
                              {k: v for k, v in record.items() if v not in ("", None)}))
            if len(posts) > MAX_MESSAGES:
                raise ImportFailed(f"the export holds more than {MAX_MESSAGES:,} messages")
    return [Chat(name or "Telegram chat", "", f"name:{name}", None, posts, skipped)]


# --- documents --------------------------------------------------------------------------------


def message_link(chat: Chat, post_id: int, username: str = "") -> str:
    """t.me/<username>/<id> for a public channel or group whose username is known; else the
    t.me/c/<id>/<message> link Telegram gives members of a channel or supergroup."""
    if username and _USERNAME.match(username):
        return f"https://t.me/{username}/{post_id}"
    if chat.numeric_id is not None and chat.kind.endswith(("channel", "supergroup")):
        return f"https://t.me/c/{chat.numeric_id}/{post_id}"
    return ""


def _title(text: str, fallback: str) -> str:
    first = text.split("\n", 1)[0].strip()
    if not first:
        return fallback
    return first if len(first) <= 100 else first[:99].rsplit(" ", 1)[0] + "…"


def _photo(files: Any, post: Post) -> Attachment:
    ref = post.photo
    return Attachment(Path(ref).name or "photo.jpg", lambda: files.read(ref), what="photo")


def _original(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _is_chat(chat: Chat) -> bool:
    """A conversation between people (their names are authors), not a channel's posts."""
    return not chat.kind.endswith("channel")


def items_per_message(chat: Chat, files: Any, username: str) -> list[Item]:
    items = []
    for p in chat.posts:
        key = f"telegram:{chat.key}:{p.id}"
        author = p.author if _is_chat(chat) or p.author != chat.name else ""
        doc = NewDocument(
            text=p.text, original=_original(p.record), content_type=CONTENT_TYPE,
            title=_title(p.text, f"{chat.name}, message {p.id}"), author=author,
            outlet=chat.name, url=message_link(chat, p.id, username), published=p.date[:10],
            source_name=f"{chat.name} #{p.id}", extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION, origin=p.forwarded_from, source_key=key)
        # a photo without text: the photo becomes the document, with the message's details
        items.append(Item(doc, (_photo(files, p),) if p.photo else ()))
    return items


def _day_line(p: Post, chat: Chat) -> str:
    who = p.author if p.author and (p.author != chat.name or _is_chat(chat)) else ""
    head = p.date[11:16] + (f" {who}" if who else "")
    if p.forwarded_from:
        head += f" (forwarded from {p.forwarded_from})"
    if p.photo and not p.text:
        return head + ": [photo]"
    return head + ":\n" + p.text if p.text else head


def items_per_day(chat: Chat, files: Any, username: str) -> list[Item]:
    days: dict[str, list[Post]] = {}
    for p in chat.posts:
        days.setdefault(p.date[:10], []).append(p)
    items = []
    for day, posts in days.items():
        text = "\n\n".join(_day_line(p, chat) for p in posts)
        origins = {p.forwarded_from for p in posts}
        doc = NewDocument(
            text=text, original=_original({"day": day, "messages": [p.record for p in posts]}),
            content_type=CONTENT_TYPE,
            title=f"{chat.name}, {day} ({plural(len(posts), 'message')})",
            outlet=chat.name, url=message_link(chat, posts[0].id, username), published=day,
            source_name=f"{chat.name} {day}", extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
            origin=origins.pop() if len(origins) == 1 else "",
            source_key=f"telegram:{chat.key}:day:{day}")
        items.append(Item(doc, tuple(_photo(files, p) for p in posts if p.photo)))
    return items


def read(path: Path, *, per: str = PER_MESSAGE, username: str = "",
         cancelled: Callable[[], bool] | None = None) -> Container:
    """The export at ``path`` as a container (one per export; a full export's chats in order).
    Everything is checked before anything is stored: a hostile export raises ImportFailed."""
    files, entry = open_export(path)
    try:
        if entry == ["result.json"] or entry[0].lower().endswith(".json"):
            data = files.read(entry[0], MAX_JSON_BYTES)
            chats = chats_from_json(data, files)
        else:
            chats = chats_from_html(entry, files)
    except (CasefileError, RecursionError, MemoryError) as exc:
        files.close()
        if isinstance(exc, CasefileError):
            raise
        raise ImportFailed("the export is too large or nested too deeply to read; refused"
                           ) from None
    build = items_per_day if per == PER_DAY else items_per_message
    items: list[Item] = []
    skipped = 0
    for chat in chats:
        items += build(chat, files, username if len(chats) == 1 else "")
        skipped += chat.skipped
        release(chat.posts)
    names = ", ".join(f"“{c.name}”" for c in chats[:3]) + (" …" if len(chats) > 3 else "")
    notes = (f"{plural(skipped, 'message')} without text or photo (service messages, stickers, "
             "media) left out",) if skipped else ()
    prefix = f"telegram:{chats[0].key}:" if len(chats) == 1 else "telegram:"
    return Container(label=f"Telegram export {names}", items=items,
                     unit="day" if per == PER_DAY else "message", key_prefix=prefix,
                     notes=notes, duplicate_check=False, close=files.close)
