"""ACH suggestions: how a claim's fields bear on a structured hypothesis, and why (never stored)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from casefile.analysis.conflicts import ONCE_KINDS
from casefile.analysis.facts import ClaimFact, parse
from casefile.vocab import place_phrase

# Slack given to approximate ("about") dates, as PartialDate.overlaps does.
ABOUT_SLACK = timedelta(days=366)
# Kinds of claim that report the subject's own activity (he held a post, spoke, travelled, was
# seen somewhere, was arrested, belonged to a group): dated after a death, he was alive then.
# Events that happened to others (kind other, relationships, relatives' deaths) and reports
# about him say nothing of whether he was alive.
ACTIVITY_KINDS = frozenset({"role", "membership", "statement", "travel", "location", "arrest"})


@dataclass(frozen=True)
class Hypothesis:
    """One competing explanation. Structured when it names a subject and a kind: then Casefile
    can suggest a rating for each claim; a free-text hypothesis is rated by hand only."""

    id: str
    statement: str
    position: int = 0
    note: str = ""
    subject_id: str | None = None
    subject: str = ""
    kind: str = ""
    object_id: str | None = None
    object: str = ""
    value: str = ""
    date: str = ""
    date_end: str = ""
    place_id: str | None = None
    place: str = ""
    stance: str = "asserts"
    case_id: str = ""
    updated_at: datetime | None = None

    @property
    def structured(self) -> bool:
        return bool(self.subject_id and self.kind)

    @property
    def asserts(self) -> bool:
        return self.stance == "asserts"

    def when(self) -> str:
        """The date or range as a person reads it ("May 2016", "2016 – June 2017")."""
        first = _human(self.date)
        return f"{first} – {_human(self.date_end)}" if self.date_end else first

    def span(self) -> tuple[date, date, bool] | None:
        """First and last day the hypothesis' date (range) covers, and whether it is approximate."""
        start, end = parse(self.date), parse(self.date_end) if self.date_end else None
        if start is None:
            return None
        last = end or start
        return start.span()[0], last.span()[1], start.about or last.about


class Suggestion(NamedTuple):
    """A suggested rating; ``reason`` starts with the name of the rule that applied ("alive
    after the death: …"), the rule as ``docs/ach.md`` lists it."""

    rating: str
    reason: str


def _why(rating: str, rule: str, detail: str) -> Suggestion:
    return Suggestion(rating, f"{rule}: {detail}")


@lru_cache(maxsize=65536)
def _claim_span(value: str) -> tuple[date, date, bool] | None:
    """First and last day a stored claim date covers, and whether it is approximate."""
    p = parse(value)
    return None if p is None else (*p.span(), p.about)


def _human(value: str) -> str:
    p = parse(value)
    return p.human() if p else value


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def place_parents(claims: Iterable[ClaimFact], kinds: Mapping[str, str]) -> dict[str, set[str]]:
    """Place id -> every place it lies within, from the analyst's location claims about places
    ("Wadi Sirr — location — Syria", asserted). Transitive; cycles are harmless."""
    direct: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        if (c.kind == "location" and c.stance == "asserts" and c.place_id
                and kinds.get(c.subject_id) == "place" and c.place_id != c.subject_id):
            direct[c.subject_id].add(c.place_id)
    out: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            p = todo.pop()
            if p not in seen and p != start:
                seen.add(p)
                todo.extend(direct.get(p, ()))
        out[start] = seen
    return out


class Suggester:
    """Suggests each cell from the claim's fields (see ``docs/ach.md``, "Suggested ratings"):

    * another subject → N; another kind → N, except that a claim of the subject's own
      activity (``ACTIVITY_KINDS``) dated after a hypothesised death → I (he was alive then);
    * the same subject and kind, opposite stances (asserts vs denies/doubts) → I;
      both denying or doubting → C;
    * both asserting: for facts that happen once (death, birth) a date that cannot overlap or
      a place that differs → I, otherwise C; for other kinds another object or value → N,
      another time → N, a location elsewhere at the same time → I, otherwise C.
    """

    def __init__(self, within: Mapping[str, set[str]] | None = None):
        self.within = within or {}
        self._spans: dict[str, tuple[date, date, bool] | None] = {}

    def _span(self, h: Hypothesis) -> tuple[date, date, bool] | None:
        if h.id not in self._spans:
            self._spans[h.id] = h.span()
        return self._spans[h.id]

    def places_agree(self, a: str, b: str) -> bool:
        return a == b or b in self.within.get(a, ()) or a in self.within.get(b, ())

    def suggest(self, h: Hypothesis, c: ClaimFact) -> Suggestion | None:
        if not h.structured:
            return None
        if c.subject_id != h.subject_id:
            return _why("N", "another subject",
                        f"about {c.subject or 'someone else'}, not {h.subject}")
        if c.kind != h.kind:
            return self._other_kind(h, c)
        claim_asserts = c.stance == "asserts"
        if claim_asserts != h.asserts:
            if h.asserts:
                return _why("I", "opposite stance",
                            f"the claim {c.stance} the {h.kind} the hypothesis asserts")
            return _why("I", "opposite stance",
                        f"the claim asserts the {h.kind} the hypothesis {h.stance}")
        if not h.asserts:
            return _why("C", "same stance", f"the claim also {c.stance} it")
        return self._both_assert(h, c)

    def _both_assert(self, h: Hypothesis, c: ClaimFact) -> Suggestion:
        agree: list[str] = []
        differ: list[str] = []
        when = self._dates(h, c)
        if when is not None:
            (agree if when else differ).append(
                f"date {'agrees' if when else 'differs'} ({c.date} vs {h.when()})")
        if h.place_id and c.place_id:
            same = self.places_agree(h.place_id, c.place_id)
            (agree if same else differ).append(
                f"place {'agrees' if same else 'differs'} ({c.place} vs {h.place})")
        if h.kind in ONCE_KINDS:
            if differ:
                return _why("I", "happens once", f"a {h.kind} happens once; "
                            + "; ".join(differ))
            return self._same(h, agree)
        mine, theirs = h.object_id or _norm(h.value), c.object_id or _norm(c.value)
        if mine and theirs and mine != theirs:
            return _why("N", "another object", f"about another {h.kind} "
                                               f"({c.object or c.value})")
        if when is False:
            return _why("N", "another time", f"{c.date} vs {h.when()}")
        if h.kind == "location" and differ:
            return _why("I", "elsewhere at the same time", "; ".join(differ))
        return self._same(h, agree)

    @staticmethod
    def _same(h: Hypothesis, agree: list[str]) -> Suggestion:
        detail = "; ".join(agree) if agree else "nothing in the claim disagrees"
        return _why("C", "same fact", f"same subject and {h.kind}; {detail}")

    def _dates(self, h: Hypothesis, c: ClaimFact) -> bool | None:
        """True if the claim's date can fall in the hypothesis' date (range), False if not,
        None when either has no date."""
        span, when = self._span(h), _claim_span(c.date)
        if span is None or when is None:
            return None
        first, last, about = span
        c0, c1, c_about = when
        if about or c_about:
            return c0 - ABOUT_SLACK <= last and first - ABOUT_SLACK <= c1
        return c0 <= last and first <= c1

    def _other_kind(self, h: Hypothesis, c: ClaimFact) -> Suggestion:
        """A claim of another kind: N, unless it reports the subject's own activity after a
        hypothesised death (I: he was alive then)."""
        if h.kind == "death" and h.asserts and c.stance == "asserts" and self._after(h, c):
            if c.kind in ACTIVITY_KINDS:
                return _why("I", "alive after the death",
                            f"a claim of kind {c.kind} puts {h.subject} alive in "
                            f"{_human(c.date)}, after the hypothesised death ({h.when()})")
            return _why("N", "not the subject's own activity",
                        f"a claim of kind {c.kind} reports nothing {h.subject} did, so it "
                        f"does not show {h.subject} alive after the hypothesised death "
                        f"({h.when()})")
        return _why("N", "another kind",
                    f"a claim of kind {c.kind}; the hypothesis is about {h.kind}")

    def _after(self, h: Hypothesis, c: ClaimFact) -> bool:
        """Whether the claim's date falls wholly after the hypothesis' date (range)."""
        span, when = self._span(h), _claim_span(c.date)
        if span is None or when is None:
            return False
        _first, last, about = span
        slack = ABOUT_SLACK if about or when[2] else timedelta(0)
        return when[0] > last + slack


# -- hypotheses from a conflict set -------------------------------------------------------------

_VERBS = {"death": "died", "birth": "was born", "location": "was", "arrest": "was arrested"}


def _phrase(c: ClaimFact) -> str:
    verb = _VERBS.get(c.kind, f"— {c.kind}")
    parts = [f"{c.subject} {verb}"]
    what = c.object or c.value
    if what:
        parts.append(what if c.kind in _VERBS else f": {what}")
    if c.place:
        parts.append(place_phrase(c.place))
    when = c.when
    if when is not None:
        parts.append(("on " if when.precision == "day" else "in ") + when.human())
    return " ".join(parts).replace(" : ", ": ")


def versions(members: Sequence[ClaimFact]) -> list[Hypothesis]:
    """One draft hypothesis per competing version among a conflict set's claims: each distinct
    (date, place, object/value) asserted, and one for the denial when any claim denies or
    doubts it. Drafts have no id; they copy the claims' subject, kind and fields."""
    out: list[Hypothesis] = []
    seen: set[tuple] = set()
    for c in members:
        if c.stance != "asserts":
            continue
        key = (c.subject_id, c.kind, c.date, c.place_id, c.object_id or _norm(c.value))
        if key in seen:
            continue
        seen.add(key)
        out.append(Hypothesis(
            "", _phrase(c), subject_id=c.subject_id, subject=c.subject, kind=c.kind,
            object_id=c.object_id, object=c.object, value=c.value if not c.object_id else "",
            date=c.date, place_id=c.place_id, place=c.place))
    deny = next((c for c in members if c.stance != "asserts"), None)
    if deny is not None:
        text = (f"{deny.subject} is alive (did not die)" if deny.kind == "death"
                else f"{deny.subject}: the {deny.kind} did not happen")
        out.append(Hypothesis("", text, subject_id=deny.subject_id, subject=deny.subject,
                              kind=deny.kind, stance="denies"))
    return out


def same_hypothesis(a: Hypothesis, b: Hypothesis) -> bool:
    """Whether two hypotheses state the same structured version (a draft already added)."""
    if not (a.structured and b.structured):
        return _norm(a.statement) == _norm(b.statement)
    return ((a.subject_id, a.kind, a.stance, a.date, a.date_end, a.place_id,
             a.object_id or _norm(a.value))
            == (b.subject_id, b.kind, b.stance, b.date, b.date_end, b.place_id,
                b.object_id or _norm(b.value)))

