"""Analysis of Competing Hypotheses over anchored claims: cells, weights, scores, sensitivity.

Pure functions over plain facts (no database, no Qt). ``build_matrix`` takes the hypotheses,
the evidence (claims, and passages dressed as claim facts), the analyst's ratings and the
sources' grades, and returns the whole matrix: each cell's rating (the analyst's, else Casefile's
suggestion, marked as such), each row's weight and diagnosticity, each hypothesis' weighted
inconsistency score and rank, and the evidence whose removal or re-rating would change the
leading hypothesis. ``docs/ach.md`` explains the arithmetic to analysts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from casefile.analysis.ach_suggest import Hypothesis, Suggester, Suggestion, place_parents
from casefile.analysis.corroboration import fact_key, origin_key, same_fact
from casefile.analysis.facts import ClaimFact, Passage

RATINGS = ("CC", "C", "N", "I", "II", "NA")
RATING_WORDS = {"CC": "very consistent", "C": "consistent", "N": "neutral",
                "I": "inconsistent", "II": "very inconsistent", "NA": "not applicable"}
# Heuer: only evidence against a hypothesis counts towards rejecting it.
INCONSISTENCY = {"CC": 0, "C": 0, "N": 0, "I": 1, "II": 2, "NA": 0}
# Where a rating sits on the consistency scale (for diagnosticity and re-rating steps).
SCALE = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
# Admiralty grades as weights: information credibility 1–6, source reliability A–F.
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2, 6: 0.5}
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5, "": 0.5}
# Cell colours (background, text) shared by the window and the report.
RATING_COLORS = {"CC": ("#2e7d32", "#ffffff"), "C": ("#b9e4b4", "#000000"),
                 "N": ("#eeeeee", "#000000"), "I": ("#f5b7b1", "#000000"),
                 "II": ("#b03a2e", "#ffffff"), "NA": ("#ffffff", "#777777")}
PASSAGE_KIND = "passage"  # the kind given to a highlight put into the matrix without a claim
_DIGITS = 9  # scores are shown rounded to this, and compared with this tolerance:
_EPS = 1e-9  # 0.1 + 0.2 ties with 0.3


class Cell(NamedTuple):
    """One rating of the matrix. ``rating`` is what counts: the analyst's rating, or (when the
    analyst has not rated the cell) Casefile's suggestion, with ``suggested`` set. (A tuple:
    a matrix holds tens of thousands.)"""

    rating: str | None
    suggested: bool = False
    suggestion: Suggestion | None = None
    note: str = ""

    @property
    def analyst(self) -> str | None:
        return None if self.suggested else self.rating

    @property
    def differs(self) -> bool:
        """The analyst's rating and Casefile's current suggestion disagree."""
        return (not self.suggested and self.rating is not None and self.suggestion is not None
                and self.suggestion.rating != self.rating)


@dataclass(frozen=True)
class Row:
    """One piece of evidence: a claim, or a passage put into the matrix on its own."""

    key: str  # the claim id, or the highlight id of a passage
    claim_id: str | None
    highlight_id: str | None
    statement: str
    subject: str
    kind: str
    date: str
    place: str
    stance: str
    origin: str
    origin_key: str
    credibility: int
    reliability: str
    weight: float  # credibility weight × reliability weight
    shared_by: int  # claims of one origin stating this fact (they count once, together)
    group: str  # the id shared by those claims' rows
    cells: tuple[Cell, ...]
    diagnosticity: int
    passage: Passage | None

    @property
    def effective_weight(self) -> float:
        return self.weight / self.shared_by


@dataclass(frozen=True)
class Score:
    hypothesis_id: str
    score: float  # weighted inconsistency: lower is better
    rank: int  # 1 = least inconsistent; equal scores share a rank
    inconsistent: int  # cells rated I or II
    consistent: int  # cells rated C or CC
    unreviewed: int  # counted cells that are suggestions the analyst has not reviewed


@dataclass(frozen=True)
class Sensitive:
    """Evidence that would change the leading hypothesis: if it were dropped (``removal``) or
    if the cell for ``hypothesis_id`` were rated ``as_rating`` instead (``re-rating``)."""

    key: str
    claim_id: str | None
    highlight_id: str | None
    by: str
    changes_leader_to: str | None  # None: the change leaves a tie (``tied``)
    tied: tuple[str, ...] = ()
    hypothesis_id: str | None = None
    as_rating: str | None = None


@dataclass(frozen=True)
class Matrix:
    hypotheses: tuple[Hypothesis, ...]
    rows: tuple[Row, ...]
    scores: tuple[Score, ...]  # one per hypothesis, same order
    leader: str | None  # the sole least-inconsistent hypothesis, None if tied or none
    tied: tuple[str, ...]  # every hypothesis sharing rank 1
    sensitivity: tuple[Sensitive, ...]
    include_suggestions: bool = True

    def ranking(self) -> list[tuple[Hypothesis, Score]]:
        pairs = list(zip(self.hypotheses, self.scores, strict=True))
        return sorted(pairs, key=lambda p: (p[1].rank, p[0].position))


def weight_of(credibility: int, reliability: str) -> float:
    return CREDIBILITY_WEIGHT.get(credibility, 0.5) * RELIABILITY_WEIGHT.get(reliability, 0.5)


def _grade(key: str, reliability: Mapping[str, str]) -> str:
    if key.startswith("claim:"):
        return ""
    return reliability.get(key.removeprefix("outlet:"), "")


def origin_groups(evidence: Sequence[ClaimFact],
                  links: Iterable[tuple[str, str, str]] = ()) -> dict[str, tuple[str, int]]:
    """claim id -> (group id, how many claims, itself included, rest on its origin and state
    its fact): the independence analysis' "same fact" (same subject, kind, stance,
    object/value; compatible date and place, or linked as corroborating/same-as) restricted to
    one origin. Connected claims form one group."""
    parent = {c.id: c.id for c in evidence}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    buckets: dict[tuple, list[ClaimFact]] = defaultdict(list)
    keys: dict[str, str] = {}
    for c in evidence:
        if c.kind == PASSAGE_KIND:
            continue
        keys[c.id] = origin_key(c)
        buckets[(keys[c.id], fact_key(c))].append(c)
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if same_fact(a, b):
                    union(a.id, b.id)
    for src, dst, rel in links:
        if (rel in ("corroborates", "same-as") and src in keys and dst in keys
                and keys[src] == keys[dst]):
            union(src, dst)
    size: dict[str, int] = defaultdict(int)
    for cid in parent:
        size[find(cid)] += 1
    return {cid: (find(cid), size[find(cid)]) for cid in parent}


def build_matrix(hypotheses: Sequence[Hypothesis], evidence: Sequence[ClaimFact], *,
                 ratings: Mapping[tuple[str, str], tuple[str, str]] | None = None,
                 reliability: Mapping[str, str] | None = None,
                 suggester: Suggester | None = None,
                 links: Iterable[tuple[str, str, str]] = (),
                 passages: Iterable[str] = (),
                 include_suggestions: bool = True) -> Matrix:
    """The ACH matrix.

    ``ratings`` maps (hypothesis id, evidence key) to the analyst's (rating, note);
    ``reliability`` maps entity ids to their A–F grade; ``passages`` are the evidence keys that
    are highlights rather than claims. With ``include_suggestions`` off, only the analyst's
    own ratings count towards scores (suggestions are still shown).
    """
    reliability = reliability or {}
    suggester = suggester or Suggester()
    passage_keys = set(passages)
    hyps = tuple(sorted(hypotheses, key=lambda h: (h.position, h.id)))
    mine: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # evidence -> hyp -> rating
    for (hid, key), value in (ratings or {}).items():
        mine[key][hid] = value
    groups = origin_groups(evidence, links)
    column = {h.id: j for j, h in enumerate(hyps)}
    make = tuple.__new__  # Cell(...) without the generated __new__: 40,000 cells per matrix
    empty = Cell(None)
    # Per subject: the cells of the hypotheses about other subjects (unrelated: one shared
    # cell each) and the columns left to suggest claim by claim.
    templates: dict[str, tuple[list[Cell], list[int]]] = {}
    rows = []
    for c in evidence:
        if c.kind == PASSAGE_KIND or c.id in passage_keys:
            is_passage, cells = True, [empty] * len(hyps)
        else:
            is_passage = False
            base = templates.get(c.subject_id)
            if base is None:
                base = templates[c.subject_id] = _template(hyps, c, suggester)
            cells = base[0].copy()
            for j in base[1]:
                sug = suggester.suggest(hyps[j], c)
                cells[j] = make(Cell, (sug.rating, True, sug, ""))
        rated = mine.get(c.id)
        if rated:
            for hid, (rating, note) in rated.items():
                j = column.get(hid)
                if j is not None:
                    cells[j] = make(Cell, (rating, False, cells[j].suggestion, note))
        key = origin_key(c)
        grade = _grade(key, reliability)
        group, size = groups[c.id]
        rows.append(Row(
            c.id, None if is_passage else c.id, c.id if is_passage else None, c.statement,
            c.subject, c.kind, c.date, c.place, c.stance, c.origin or ", ".join(c.outlets),
            key, c.credibility, grade, weight_of(c.credibility, grade), size, group,
            tuple(cells), diagnosticity(cells), c.passages[0] if c.passages else None))
    return _finish(hyps, tuple(rows), include_suggestions)


def _template(hyps: Sequence[Hypothesis], c: ClaimFact, suggester: Suggester
              ) -> tuple[list[Cell], list[int]]:
    cells, todo = [], []
    for j, h in enumerate(hyps):
        if h.structured and h.subject_id != c.subject_id:
            sug = suggester.suggest(h, c)  # "about X, not Y": the same for every claim about X
            cells.append(Cell(sug.rating, True, sug))
        else:
            cells.append(Cell(None))
            if h.structured:
                todo.append(j)
    return cells, todo


def _row_order(c: ClaimFact) -> tuple:
    when = c.when
    return (c.kind == PASSAGE_KIND, c.subject.casefold(), c.kind,
            when.sort_key() if when else (0, 0, 0), c.statement.casefold(), c.id)


def case_matrix(hypotheses: Sequence[Hypothesis], claims: Sequence[ClaimFact], *,
                passages: Sequence[ClaimFact] = (),
                ratings: Mapping[tuple[str, str], tuple[str, str]] | None = None,
                reliability: Mapping[str, str] | None = None,
                kinds: Mapping[str, str] | None = None,
                links: Iterable[tuple[str, str, str]] = (), all_claims: bool = False,
                include_suggestions: bool = True) -> Matrix:
    """The matrix of a whole case. Rows: the claims about the hypotheses' subjects (every
    claim with ``all_claims``, or when no hypothesis names a subject), any claim the analyst
    rated, then the passages put into the matrix (dressed as claim facts of ``PASSAGE_KIND``).
    ``kinds`` (entity id -> kind) lets location claims about places say which lies in which."""
    ratings = ratings or {}
    subjects = {h.subject_id for h in hypotheses if h.subject_id}
    rated = {key for _h, key in ratings}
    rows = list(claims)
    if subjects and not all_claims:
        rows = [c for c in rows if c.subject_id in subjects or c.id in rated]
    return build_matrix(
        hypotheses, sorted([*rows, *passages], key=_row_order), ratings=ratings,
        reliability=reliability, links=links,
        suggester=Suggester(place_parents(claims, kinds or {})),
        passages=[p.id for p in passages], include_suggestions=include_suggestions)


def diagnosticity(cells: Sequence[Cell]) -> int:
    """How differently a row rates across hypotheses: the spread of its ratings on the scale
    CC=2 … II=−2 (0 = rates every hypothesis alike, so it cannot tell them apart)."""
    values = {SCALE.get(c.rating) for c in cells}
    values.discard(None)
    return max(values) - min(values) if len(values) > 1 else 0


def _counted(cell: Cell, include_suggestions: bool) -> str | None:
    if cell.suggested and not include_suggestions:
        return None
    return cell.rating


def _incs(row: Row, include: bool) -> list[int]:
    """The inconsistency each cell of a row counts (0 when it does not count)."""
    return [0 if c.rating is None or (c.suggested and not include) else INCONSISTENCY[c.rating]
            for c in row.cells]


def _finish(hyps: tuple[Hypothesis, ...], rows: tuple[Row, ...], include: bool) -> Matrix:
    n = len(hyps)
    totals = [0.0] * n
    inconsistent, consistent, unreviewed = [0] * n, [0] * n, [0] * n
    incs = []
    for row in rows:
        w = row.effective_weight
        inc = _incs(row, include)
        incs.append(inc)
        for j, cell in enumerate(row.cells):
            if cell.rating is None or (cell.suggested and not include):
                continue
            if inc[j]:
                totals[j] += w * inc[j]
                inconsistent[j] += 1
            elif cell.rating in ("C", "CC"):
                consistent[j] += 1
            unreviewed[j] += cell.suggested
    ranks = _ranks(totals)
    scores = tuple(Score(h.id, round(totals[j], _DIGITS), ranks[j], inconsistent[j],
                         consistent[j], unreviewed[j]) for j, h in enumerate(hyps))
    state = _state(totals)
    sens = _Sensitivity(hyps, rows, totals, state, include).run(incs)
    leader = hyps[state[0]].id if len(state) == 1 else None
    return Matrix(hyps, rows, scores, leader, tuple(hyps[j].id for j in state), sens, include)


def _ranks(totals: Sequence[float]) -> list[int]:
    """Competition ranks (1, 1, 3, …), lowest score first."""
    return [1 + sum(1 for other in totals if other < mine - _EPS) for mine in totals]


def _state(totals: Sequence[float]) -> tuple[int, ...]:
    """Indices of the hypotheses sharing the lowest score (one: a sole leader)."""
    if not totals:
        return ()
    best = min(totals) + _EPS
    return tuple(j for j, v in enumerate(totals) if v <= best)


class _Sensitivity:
    """Which rows would change the leader: dropped (the rest of its origin group then counts
    in full) or with one cell re-rated by the fewest steps on the scale."""

    def __init__(self, hyps: tuple[Hypothesis, ...], rows: tuple[Row, ...],
                 totals: list[float], state: tuple[int, ...], include: bool):
        self.hyps, self.rows, self.totals = hyps, rows, totals
        self.state, self.include = state, include
        # per column: the lowest score among the other columns, and who has it
        self.others: list[tuple[float, tuple[int, ...]]] = []
        for j in range(len(hyps)):
            rest = [v for k, v in enumerate(totals) if k != j]
            low = min(rest) if rest else float("inf")
            self.others.append((low, tuple(k for k, v in enumerate(totals)
                                           if k != j and v <= low + _EPS)))

    def _outcome(self, new_state: tuple[int, ...]) -> tuple[str | None, tuple[str, ...]] | None:
        if new_state == self.state:
            return None
        if len(new_state) == 1:
            return self.hyps[new_state[0]].id, ()
        return None, tuple(self.hyps[j].id for j in new_state)

    def run(self, incs: list[list[int]]) -> tuple[Sensitive, ...]:
        if len(self.hyps) < 2 or not self.rows:
            return ()
        removals, reratings = [], []
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(self.hyps))
        for row, inc in zip(self.rows, incs, strict=True):
            acc = sums[row.group]
            for j, x in enumerate(inc):
                if x:
                    acc[j] += row.weight * x
        # how far each column is from changing the leading set: a leader must gain at least
        # ``gap`` (to tie), another column lose at least ``gap``
        gaps = [abs(self.others[j][0] - self.totals[j]) - 1e-9 for j in range(len(self.hyps))]
        for row, inc in zip(self.rows, incs, strict=True):
            found = self._removal(row, inc, sums[row.group])
            if found is not None:
                removals.append(Sensitive(row.key, row.claim_id, row.highlight_id, "removal",
                                          *found))
            change = self._rerating(row, inc, gaps)
            if change is not None:
                (to, tied), j, rating = change
                reratings.append(Sensitive(row.key, row.claim_id, row.highlight_id,
                                           "re-rating", to, tied, self.hyps[j].id, rating))
        return tuple(removals + reratings)

    def _removal(self, row: Row, inc: list[int], sums: list[float]):
        if not any(inc):
            return None  # dropping it changes no score (its group's share stays the same)
        n = row.shared_by
        new = list(self.totals)
        for j, x in enumerate(inc):
            after = (sums[j] - row.weight * x) / (n - 1) if n > 1 else 0.0
            new[j] += after - sums[j] / n
        return self._outcome(_state(new))

    def _with(self, j: int, value: float) -> tuple[int, ...]:
        """The leading set if column ``j`` alone scored ``value``."""
        low, at = self.others[j]
        if value < low - _EPS:
            return (j,)
        if value <= low + _EPS:
            return tuple(sorted((*at, j)))
        return at

    def _rerating(self, row: Row, inc: list[int], gaps: list[float]):
        best = None
        w = row.effective_weight
        state = self.state
        tied = len(state) > 1
        for j, cur in enumerate(inc):
            leading = j in state
            # the most this cell can move its column: up to II when leading, down to 0 if not
            if (w * (2 - cur) if leading else w * cur) < gaps[j]:
                continue
            cell = row.cells[j]
            current = _counted(cell, self.include)
            if current == "NA":
                continue
            here = SCALE.get(current or "N", 0)
            for rating in ("N", "I", "II"):
                delta = INCONSISTENCY[rating] - cur
                if delta == 0 or (delta > 0 and not leading) or (delta < 0 and leading
                                                                   and not tied):
                    continue  # a sole leader only falls by gaining inconsistency, others rise
                    # by losing it; one of several tied leaders can also pull ahead
                outcome = self._outcome(self._with(j, self.totals[j] + w * delta))
                if outcome is None:
                    continue
                steps = abs(SCALE[rating] - here)
                if best is None or steps < best[0]:
                    best = (steps, outcome, j, rating)
        return None if best is None else best[1:]
