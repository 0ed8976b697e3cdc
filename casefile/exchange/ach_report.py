"""The competing hypotheses (ACH) in the case report: ranking, matrix and sensitivity, as HTML."""

from __future__ import annotations

from html import escape
from typing import Any

from casefile import dates
from casefile.analysis import ach
from casefile.analysis.ach_suggest import Hypothesis
from casefile.analysis.facts import ClaimFact, Passage
from casefile.exchange.caseview import CaseView
from casefile.vocab import stated

STATEMENT_CHARS = 90  # a row's statement in the matrix; the full text is under "Claims"


def _earliest(values: list[str]) -> str:
    parsed = [(p.sort_key(), v) for v in values if (p := dates.parse_stored(v)) is not None]
    return min(parsed)[1] if parsed else ""


def _fact(view: CaseView, c: dict[str, Any]) -> ClaimFact:
    passages = tuple(Passage(h["document_id"], h["start"], h["end"])
                     for hid in c["evidence"] if (h := view.highlights.get(hid)) is not None)
    docs = [view.documents[p.document_id] for p in passages]
    outlets = tuple(dict.fromkeys(d["outlet_id"] for d in docs if d["outlet_id"]))
    return ClaimFact(
        c["id"], c["subject_id"], view.name(c["subject_id"]), c["kind"], c["statement"],
        c["stance"], c["date"], c["place_id"], view.name(c["place_id"]), c["object_id"],
        view.name(c["object_id"]), c["value"], c["origin_id"], view.name(c["origin_id"]),
        tuple(c["via"]), c["credibility"], c["status"], outlets,
        tuple(view.name(o) for o in outlets), _earliest([d["published"] for d in docs]),
        passages)


def _passage(view: CaseView, highlight_id: str) -> ClaimFact:
    h = view.highlights[highlight_id]
    d = view.documents[h["document_id"]]
    outlets = (d["outlet_id"],) if d["outlet_id"] else ()
    return ClaimFact(highlight_id, "", "", ach.PASSAGE_KIND, h["quote"], outlet_ids=outlets,
                     outlets=tuple(view.name(o) for o in outlets), reported=d["published"],
                     passages=(Passage(d["id"], h["start"], h["end"]),))


def matrix_from_view(view: CaseView) -> ach.Matrix:
    """The case's matrix from its exported records (what the window shows, by the same rules)."""
    data = view.data
    hyps = [Hypothesis(
        h["id"], h["statement"], h["position"], h["note"], h["subject_id"],
        view.name(h["subject_id"]), h["kind"], h["object_id"], view.name(h["object_id"]),
        h["value"], h["date"], h["date_end"], h["place_id"], view.name(h["place_id"]),
        h["stance"]) for h in data.get("hypotheses", ())]
    ratings = {(r["hypothesis_id"], r["claim_id"] or r["highlight_id"]): (r["rating"], r["note"])
               for r in data.get("hypothesis_ratings", ())}
    return ach.case_matrix(
        hyps, [_fact(view, c) for c in view.claims.values()],
        passages=[_passage(view, p["highlight_id"]) for p in data.get("ach_passages", ())
                  if p["highlight_id"] in view.highlights],
        ratings=ratings,
        reliability={e["id"]: e["reliability"] for e in view.entities.values()},
        kinds={e["id"]: e["kind"] for e in view.entities.values()},
        links=[(x["source_id"], x["target_id"], x["relation"])
               for x in data.get("claim_links", ())])


def _short(text: str) -> str:
    return text if len(text) <= STATEMENT_CHARS else text[:STATEMENT_CHARS - 1] + "…"


def _cell(cell: ach.Cell) -> str:
    if cell.rating is None:
        return "<td></td>"
    bg, fg = ach.RATING_COLORS[cell.rating]
    text = escape(cell.rating)
    if cell.suggested:
        text = f"<i>{text}?</i>"
    return f'<td bgcolor="{bg}" align="center"><font color="{fg}">{text}</font></td>'


def section_html(view: CaseView) -> str:
    """The "Competing hypotheses" section, or "" when the case has none."""
    if not view.data.get("hypotheses"):
        return ""
    m = matrix_from_view(view)
    label = {h.id: f"H{n}" for n, h in enumerate(m.hypotheses, start=1)}
    out = ["<h2>Competing hypotheses</h2>",
           '<p class="meta">Analysis of Competing Hypotheses. Score: the weighted sum of the '
           "evidence against each hypothesis (I counts 1, II counts 2, each row weighted by its "
           "credibility and its source's reliability; claims of one origin stating one fact "
           "share one weight). Lower is better; rank 1 is the least inconsistent. A rating "
           "marked ? is Casefile's suggestion, not yet reviewed by the analyst"
           + ("" if m.include_suggestions else " (not counted)") + ".</p>",
           '<table cellpadding="3"><tr><th>Rank</th><th></th><th>Hypothesis</th><th>Score</th>'
           "<th>Against</th><th>Unreviewed</th></tr>"]
    for h, s in m.ranking():
        out.append(f"<tr><td>{s.rank}</td><td>{label[h.id]}</td><td>{escape(h.statement)}"
                   f"</td><td>{s.score:.2f}</td><td>{s.inconsistent}</td>"
                   f"<td>{s.unreviewed}</td></tr>")
    out.append("</table>")
    rows = {r.key: r for r in m.rows}
    if m.rows:
        out.append('<h3>Matrix</h3><table cellpadding="2"><tr><th>Evidence</th><th>Weight</th>'
                   "<th>Diag.</th>"
                   + "".join(f"<th>{label[h.id]}</th>" for h in m.hypotheses) + "</tr>")
        for r in sorted(m.rows, key=lambda r: -r.diagnosticity):
            share = f" ÷{r.shared_by}" if r.shared_by > 1 else ""
            out.append(f"<tr><td>{escape(_short(stated(r.statement, r.kind, r.stance)))}</td>"
                       f"<td>{r.weight:.2f}{share}</td><td>{r.diagnosticity}</td>"
                       + "".join(_cell(c) for c in r.cells) + "</tr>")
        out.append("</table>")
    if m.sensitivity:
        out.append("<h3>What would change the leading hypothesis</h3><ul>")
        for s in m.sensitivity:
            to = label[s.changes_leader_to] if s.changes_leader_to else (
                "a tie between " + " and ".join(label[t] for t in s.tied))
            how = ("without it" if s.by == "removal"
                   else f"rated {escape(s.as_rating or '')} against {label[s.hypothesis_id]}")
            r = rows[s.key]
            quoted = stated(f"“{_short(r.statement)}”", r.kind, r.stance)
            out.append(f"<li>{escape(quoted)} {how} → {to}</li>")
        out.append("</ul>")
    return "\n".join(out)
