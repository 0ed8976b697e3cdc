"""A file's own properties (DOCX core properties, a PDF's info dictionary): guesses, never facts,
and the placeholders programs write when nobody typed a value are dropped."""

from __future__ import annotations

import re

from casefile import dates

# What a program writes when nobody typed a value: its own name, a placeholder account, a
# template's word. Compared without case and spacing. Keep this list short and here only.
GENERATOR_DEFAULTS = frozenset((
    "python-docx", "microsoft office user", "administrator", "admin", "unknown", "user",
    "owner", "anonymous", "author", "windows user", "default"))
# Creation dates a generator stamps on every file it makes (python-docx's template).
GENERATOR_DATES = frozenset(("2013-12-23",))
# Titles that name the file or its template, not the report.
JUNK_TITLE = re.compile(r"^(untitled|document\d*|microsoft word - .*|.*\.(docx?|pdf|indd|rtf|"
                        r"odt|txt|html?))$", re.I)


def prop_text(value: str | None) -> str:
    """A text property with its spacing folded, "" when empty or a generator's default."""
    text = " ".join((value or "").split())
    return "" if text.casefold() in GENERATOR_DEFAULTS else text


def prop_title(value: str | None) -> str:
    """A title property, "" when it is a placeholder or names a file."""
    text = prop_text(value)
    return "" if JUNK_TITLE.match(text) else text


def prop_date(year: str | int, month: str | int | None = None,
              day: str | int | None = None) -> str:
    """A file's creation date offered as a guess of the publication date ("2019-08-05",
    "2019-08", "2019"), "" when it says nothing of it (``dates.file_date_says_little``) or is
    a generator's stamp."""
    if dates.file_date_says_little(year, month, day):
        return ""
    parts = [f"{int(year):04d}"]
    if month:
        parts.append(f"{int(month):02d}")
        if day:
            parts.append(f"{int(day):02d}")
    iso = "-".join(parts)
    return "" if iso in GENERATOR_DATES else iso
