"""Coded passages (one tag's passages, or a document's) as CSV for spreadsheets or as a small
self-contained HTML page: plain functions writing to a file object."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from html import escape
from typing import IO

from casefile.exchange import CSP_META
from casefile.exchange.csv_export import safe
from casefile.services.passages import Passage

COLUMNS = ("document_title", "outlet", "published", "quote", "note", "tags", "highlight_id",
           "document_id", "start", "end")


def write_passages_csv(rows: Sequence[Passage], out: IO[str]) -> None:
    """One row per passage (open ``out`` with encoding "utf-8-sig" and newline="")."""
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for p in rows:
        published = p.published + (" (guessed)" if p.published_guessed else "")
        w.writerow([safe(v) for v in (p.document_title, p.outlet, published, p.quote, p.note,
                                      "; ".join(p.tags), p.highlight_id, p.document_id,
                                      p.start, p.end)])


def write_passages_html(rows: Sequence[Passage], out: IO[str], *, title: str) -> None:
    """A page listing the passages with their sources; every text is escaped, nothing is
    fetched (no scripts, no external styles or images)."""
    out.write("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>" + CSP_META +
              f"<title>{escape(title)}</title><style>"
              "body{font-family:sans-serif;max-width:52em;margin:2em auto;color:#222}"
              "blockquote{margin:.4em 0 .2em 0;padding:.3em .8em;border-left:4px solid #90caf9;"
              "background:#f5f9fd}.src{color:#555;font-size:90%}.note{font-style:italic}"
              "</style></head><body>\n")
    out.write(f"<h1>{escape(title)}</h1>\n<p>{len(rows)} passage(s)</p>\n")
    for p in rows:
        when = p.published + (" (guessed)" if p.published_guessed else "")
        src = " · ".join(x for x in (p.document_title, p.outlet, when) if x)
        out.write(f"<blockquote>{escape(p.quote)}</blockquote>\n"
                  f"<p class='src'>{escape(src)}"
                  + (f" — {escape(', '.join(p.tags))}" if p.tags else "") + "</p>\n")
        if p.note:
            out.write(f"<p class='note'>{escape(p.note)}</p>\n")
    out.write("</body></html>\n")
