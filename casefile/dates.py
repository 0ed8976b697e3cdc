"""Partial dates ("2017", "April 2015", "~3 Aug 2020"): parsing, canonical form, spans, ordering."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from casefile.errors import ValidationError

# The one range of years Casefile accepts anywhere: typed or imported dates, bundle dates and
# timestamps, the CLI, the report and the timeline. Wide enough for any news report's events,
# narrow enough that every view can lay it out ("9999-12-31" is a typo, not an event).
MIN_YEAR, MAX_YEAR = 1000, 2999

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
# Russian (and Tajik) month names by their stems, any case: "апреля", "в апреле", "апрели"
_RU_MONTHS = (("янв", 1), ("фев", 2), ("март", 3), ("апр", 4), ("май", 5), ("мая", 5),
              ("мае", 5), ("июн", 6), ("июл", 7), ("авг", 8), ("сен", 9), ("окт", 10),
              ("ноя", 11), ("дек", 12))
_ABOUT = re.compile(r"^\s*(~|about\s+|around\s+|circa\s+|ca?\.\s*|approx\.?\s+"
                    r"|около\s+|примерно\s+|приблизительно\s+)", re.I)
_FILLER = re.compile(r"^\s*(on|in|of|the|в|во)\s+", re.I)
# "2017 года", "3 августа 2020 г.", "в 2016 году"
_YEAR_WORD = re.compile(r"\s*(?:г\.|гг\.|г|года|году|год)$", re.I)
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTH = r"(?P<mon>[^\W\d_]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_PATTERNS = [
    re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}$", re.I),  # 3 August 2020
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$", re.I),  # August 3, 2020
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$", re.I),  # April 2015
    re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH}$", re.I),  # 3 August (year from context)
    re.compile(rf"^{_MONTH}\s+{_DAY}$", re.I),  # August 3 (year from context)
    re.compile(r"^(?P<day>\d{1,2})[./](?P<mnum>\d{1,2})[./]" + _YEAR + "$"),  # 03.08.2020
]

ABOUT_SLACK = 366  # days of slack an "about" date gets when compared


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day, possibly approximate ("about").

    ``year_inferred`` is set when the text gave no year and it was taken from the reference date
    (the article's); the UI shows it back for confirmation.
    """

    year: int
    month: int | None = None
    day: int | None = None
    about: bool = False
    year_inferred: bool = False

    def __post_init__(self):
        check_year(self.year)
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError(f"{self.month} is not a month (1–12)")
        if self.day is not None:
            if self.month is None:
                raise ValidationError("a day needs a month")
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValidationError(
                    f"{calendar.month_name[self.month]} {self.year} has no day {self.day}")

    @property
    def precision(self) -> str:
        """"day", "month" or "year"."""
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """Canonical stored form: ``[~]YYYY[-MM[-DD]]``."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return ("~" if self.about else "") + out

    def span(self) -> tuple[date, date]:
        """First and last day the date could mean."""
        if self.day:
            d = date(self.year, self.month, self.day)
            return d, d
        if self.month:
            last = calendar.monthrange(self.year, self.month)[1]
            return date(self.year, self.month, 1), date(self.year, self.month, last)
        return date(self.year, 1, 1), date(self.year, 12, 31)

    def human(self) -> str:
        """For people: "about 3 August 2020", "April 2015", "2017"."""
        if self.day:
            core = f"{self.day} {calendar.month_name[self.month]} {self.year}"
        elif self.month:
            core = f"{calendar.month_name[self.month]} {self.year}"
        else:
            core = str(self.year)
        return f"about {core}" if self.about else core

    def overlaps(self, other: PartialDate) -> bool:
        """Whether the two could be the same day (approximate dates get a year's slack)."""
        a0, a1 = self.span()
        b0, b1 = other.span()
        if self.about or other.about:
            return (a0.toordinal() - ABOUT_SLACK <= b1.toordinal()
                    and b0.toordinal() - ABOUT_SLACK <= a1.toordinal())
        return a0 <= b1 and b0 <= a1

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


def check_year(year: int) -> None:
    """Raise ``ValidationError`` for a year outside ``MIN_YEAR``–``MAX_YEAR``."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"{year} is not a usable year (Casefile takes years "
                              f"{MIN_YEAR}–{MAX_YEAR})")


def parse_timestamp(text: str) -> datetime:
    """A stored timestamp (ISO, naive UTC) that is a real moment in the usable range; raises
    ``ValidationError`` for "2020-99-99T99:99:99", 30 February, hour 24, year 0."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{str(text)[:40]!r} is not a real date and time") from exc
    check_year(value.year)
    return value


def is_canonical(value: str) -> bool:
    """Whether ``value`` is empty or a stored partial date exactly as Casefile writes it."""
    if not value:
        return True
    try:
        return parse_date(value).iso() == value
    except ValidationError:
        return False


def parse_date(text: str, *, reference: PartialDate | date | None = None) -> PartialDate:
    """Parse what an analyst types or an article says. Raises ``ValidationError`` if unreadable.

    Accepts ISO forms (``2017``, ``2017-04``, ``2017-04-03``), "April 2015", "3 August 2020",
    "Aug 2020", "August 3, 2020", "03.08.2020", Russian ("в апреле 2017 года", "3 августа
    2020 г."), and "about"/"~"/"circa"/"около" before any of them.
    "on August 3" takes its year from ``reference`` and comes back with ``year_inferred``.
    """
    raw = text.strip()
    if not raw:
        raise ValidationError("empty date")
    about = False
    m = _ABOUT.match(raw)
    if m:
        about = True
        raw = raw[m.end():]
    while (f := _FILLER.match(raw)) is not None:
        raw = raw[f.end():]
    raw = _YEAR_WORD.sub("", raw.strip()).strip().rstrip(".")
    m = _ISO.match(raw)
    if m:
        y, mo, d = (int(g) if g else None for g in m.groups())
        return PartialDate(y, mo, d, about)
    for pat in _PATTERNS:
        m = pat.match(raw)
        if not m:
            continue
        parts = m.groupdict()
        if parts.get("mnum"):
            month = int(parts["mnum"])
        else:
            month = month_number(parts["mon"])
            if month is None:
                continue
        day = int(parts["day"]) if parts.get("day") else None
        if parts.get("year"):
            return PartialDate(int(parts["year"]), month, day, about)
        if reference is None:
            raise ValidationError(f"“{text.strip()}” has no year, and there is no article date "
                                  "to take it from")
        ref_year = reference.year
        return PartialDate(ref_year, month, day, about, year_inferred=True)
    raise ValidationError(f"cannot read “{text.strip()}” as a date; try 2017, April 2015, "
                          "3 August 2020 or ~2017")


def month_number(word: str) -> int | None:
    """1–12 for an English month name or abbreviation, or a Russian month in any case."""
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    return next((n for stem, n in _RU_MONTHS if word.startswith(stem)), None)


def parse_stored(value: str) -> PartialDate | None:
    """The stored ISO form back into a ``PartialDate``; None for an empty or unreadable value."""
    if not value:
        return None
    try:
        return parse_date(value)
    except ValidationError:
        return None


def normalize(text: str, *, reference: PartialDate | date | None = None) -> str:
    """Stored form of user input; empty input stays empty."""
    return parse_date(text, reference=reference).iso() if text and text.strip() else ""


def file_date_says_little(year: str | int, month: str | int | None = None,
                          day: str | int | None = None, *, days: int = 3) -> bool:
    """Whether a file's own date (PDF CreationDate, Word "created") is no evidence of when a
    report appeared: impossible, in the future, or from the last few days (the file was saved
    from a browser or printed this week). Older dates may be offered only as guesses."""
    import datetime as dt

    try:
        made = dt.date(int(year), int(month or 1), int(day or 1))
    except (TypeError, ValueError):
        return True
    return made > dt.date.today() - dt.timedelta(days=days)
