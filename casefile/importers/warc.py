"""Web archives (WARC, also gzip'd): each HTML page captured in a response record becomes a
document, read like a saved page; other records (pictures, scripts, styles, requests) are
never read, and a record declaring an absurd length is refused before anything is read."""

from __future__ import annotations

from pathlib import Path

from casefile.errors import CasefileError, ImportFailed
from casefile.importers.items import Container, Item

MAX_FILE = 2 * 1024**3
MAX_RECORD = 512 * 1024**2  # any record declaring more is refused (a 2 GB "page")
MAX_PAGE = 50 * 1024**2  # an HTML page's body, after HTTP decoding
MAX_RECORDS = 200_000
_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def _declared(record) -> int:
    try:
        return int(record.rec_headers.get_header("Content-Length") or 0)
    except ValueError:
        raise ImportFailed("a WARC record declares a length that is not a number; refused "
                           "as malformed") from None


def _pages(path: Path) -> tuple[list[tuple[str, str, bytes]], int]:
    """(target URI, WARC date, HTML bytes) of every HTML page captured with status 200, and how
    many other records there were."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages: list[tuple[str, str, bytes]] = []
    others = 0
    try:
        with path.open("rb") as fh:
            for n, record in enumerate(ArchiveIterator(fh, no_record_parse=False)):
                if n >= MAX_RECORDS:
                    raise ImportFailed(f"the archive holds more than {MAX_RECORDS:,} records; "
                                       "refused")
                size = _declared(record)
                if size > MAX_RECORD:
                    raise ImportFailed(f"a record of the archive declares {size / 2**30:.1f} GB "
                                       f"(the limit is {MAX_RECORD // 2**20} MB); refused "
                                       "before reading it")
                http = record.http_headers
                ctype = (http.get_header("Content-Type") or "").split(";")[0].strip().lower() \
                    if http is not None else ""
                status = http.get_statuscode() if http is not None else ""
                if record.rec_type != "response" or status != "200" or ctype not in _PAGE_TYPES:
                    others += 1
                    continue
                body = record.content_stream().read(MAX_PAGE + 1)
                if len(body) > MAX_PAGE:
                    raise ImportFailed(f"a page in the archive is larger than "
                                       f"{MAX_PAGE // 2**20} MB once decoded; refused")
                if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than declared
                    raise ImportFailed("the archive is cut short: a page's record ends before "
                                       "its declared length (an unfinished download?); "
                                       "refused")
                pages.append((record.rec_headers.get_header("WARC-Target-URI") or "",
                              record.rec_headers.get_header("WARC-Date") or "", body))
    except CasefileError:
        raise
    except ArchiveLoadFailed as exc:
        raise ImportFailed(f"this is not a readable WARC file ({str(exc)[:160]})") from None
    except (OSError, EOFError, ValueError) as exc:  # zlib errors are OSError or zlib.error
        raise ImportFailed(f"the archive is damaged ({type(exc).__name__}: "
                           f"{str(exc)[:160]})") from None
    except Exception as exc:
        import zlib

        if isinstance(exc, zlib.error):
            raise ImportFailed(f"the archive is damaged ({str(exc)[:160]})") from None
        raise
    return pages, others


def read(path: Path) -> Container:
    from dataclasses import replace

    from casefile.importers import html

    size = path.stat().st_size
    if size > MAX_FILE:
        raise ImportFailed(f"the archive is {size / 2**30:.1f} GB; Casefile reads web archives "
                           f"up to {MAX_FILE // 2**30} GB")
    pages, others = _pages(path)
    items = []
    unread = []
    for uri, when, body in pages:
        name = uri.rstrip("/").rsplit("/", 1)[-1] or uri or path.name
        try:
            doc = html.extract(body, name[:200])
        except CasefileError as exc:
            unread.append(f"{uri[:80]}: {exc}")
            continue
        items.append(Item(replace(doc, url=doc.url or uri, source_name=f"{path.name} › "
                                  f"{uri}"[:500], source_key=f"warc:{uri}@{when}"[:200])))
    notes = []
    if others:
        notes.append(f"{others:,} other records (requests, pictures, styles, scripts) not read")
    if unread:
        notes.append(f"{len(unread):,} pages without article text: " + "; ".join(unread[:3]))
    if not items and not unread:
        raise ImportFailed("the archive holds no HTML page (no response record of a web page "
                           "with status 200)")
    return Container(label=f"Web archive {path.name}", items=items, unit="page",
                     key_prefix="warc:", notes=tuple(notes))
