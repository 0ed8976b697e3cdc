"""What a container reader (Telegram, web archive, e-mail) hands to ``containers``: a
``Container`` of ``Item``s, each perhaps with ``Attachment``s read when it is stored, and the
small checks and wording the readers share."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from casefile.errors import ImportFailed
from casefile.services.documents import NewDocument

MAX_ATTACHMENTS = 1000  # in one mail or message; more is refused as hostile
PER_MESSAGE, PER_DAY = "message", "day"


@dataclass(frozen=True)
class Attachment:
    """A file that came inside an item (a mail's attachment, a post's photo), read and
    extracted only when its item is stored; ``load`` returns its bytes."""

    name: str
    load: Callable[[], bytes]
    what: str = "attachment"  # how messages name it: "attachment", "photo"


@dataclass(frozen=True)
class Item:
    """One document of a container; ``doc.source_key`` identifies it across re-imports."""

    doc: NewDocument
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Container:
    """What a reader found: ``items`` in order, a ``label`` for messages ("Telegram export
    “Pamir Dispatch”"), the ``unit`` items are counted in, and ``notes`` on what was left out
    (service messages, stickers)."""

    label: str
    items: Sequence[Item]
    unit: str = "document"
    key_prefix: str = ""
    notes: tuple[str, ...] = ()
    duplicate_check: bool = True  # warn when an item is an article already in the case
    close: Callable[[], None] = field(default=lambda: None)


def release(values: list) -> None:
    """Empty a big list a thousand items at a time: freeing a parsed export in one go (millions
    of objects) would hold the interpreter, and the window, for most of a second."""
    while values:
        del values[-1000:]


def plural(n: int, unit: str) -> str:
    return f"{n:,} {unit}" + ("" if n == 1 else "es" if unit.endswith("x") else "s")


def check_attachment_name(name: str, what: str = "attachment") -> str:
    """A file name from inside a container, reduced to its last part; a name that tries to
    leave its folder (``../``, an absolute or drive path) or holds control characters is
    refused as hostile."""

    if "\x00" in name or any(ord(c) < 32 for c in name):
        raise ImportFailed(f"an {what} name holds control characters; refused as malformed")
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        raise ImportFailed(f"an {what} is named with a path leaving its folder ({name[:80]!r});"
                           " refused as hostile")
    base = parts[-1].strip()
    return base[:200] or what


@dataclass(frozen=True)
class Options:
    """The analyst's choices for containers: a Telegram export as one document per message
    or per day, and the channel's public username for t.me links (not in the export)."""

    per: str = PER_MESSAGE
    username: str = ""
