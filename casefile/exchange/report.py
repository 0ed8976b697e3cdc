"""The case report for readers without Casefile: self-contained HTML (Qt-free), timeline as SVG."""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import IO, Any

from casefile import __version__, dates
from casefile.db.database import Database
from casefile.exchange import CSP_META
from casefile.exchange.ach_report import section_html as ach_section
from casefile.exchange.caseview import CaseView, human_date, load_view
from casefile.translit import is_rtl, isolate
from casefile.vocab import place_phrase, stated, with_stance

KIND_COLORS = {"death": "#b03030", "location": "#2f6fb0", "arrest": "#8a5a00",
               "travel": "#3a8a3a", "role": "#6a3fa0", "membership": "#a0407a"}
CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #222;
       max-width: 60em; margin: 1em auto; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; border-bottom: 1px solid #999; }
h3 { font-size: 12pt; } table { border-collapse: collapse; }
td, th { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; text-align: left; }
blockquote { margin: 2px 0 6px 1.5em; color: #333; font-style: italic; }
.meta { color: #666; font-size: 9pt; } .claim { margin-bottom: 8px; }
p.cite { margin: 2px 0 0 0; }
.conflict { border-left: 3px solid #b03030; padding-left: 8px; margin-bottom: 8px; }
.crop img { border: 1px solid #bbb; margin: 0 0 6px 1.5em; }
"""


def _x(text: str) -> str:
    """Untrusted text inside a sentence, escaped, its direction isolated (an Arabic name in
    an English line keeps the words around it in their order)."""
    return escape(isolate(text))


def _dir(text: str) -> str:
    """A block's ``dir`` attribute: right to left when its text starts so (Arabic, Persian)."""
    return ' dir="rtl"' if is_rtl(text) else ""


@dataclass(frozen=True)
class ConflictRow:
    subject: str
    kind: str
    claim_ids: tuple[str, ...]
    reason: str
    resolved: bool = False


def find_conflict_rows(db: Database | None, view: CaseView) -> list[ConflictRow]:
    """Conflict sets from ``casefile.analysis`` when available, else a simple rule: claims on
    the same subject and kind whose dates, places, values or stances differ."""
    if db is not None:
        try:
            from casefile.analysis.conflicts import find_conflicts
            from casefile.analysis.facts import load_facts
        except ImportError:
            pass
        else:
            facts = load_facts(db, case_id=view.case["id"])
            return [ConflictRow(c.subject, c.kind, tuple(c.claim_ids), c.reason, c.resolved)
                    for c in find_conflicts(facts.claims, links=facts.links,
                                            resolutions=facts.resolutions)]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in view.claims.values():
        groups[(c["subject_id"], c["kind"])].append(c)
    rows = []
    for (subject, kind), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        differ = [label for label, key in (("dates", "date"), ("places", "place_id"),
                                           ("values", "value"), ("stances", "stance"))
                  if len({m[key] for m in members}) > 1]
        if differ:
            rows.append(ConflictRow(view.name(subject), kind,
                                    tuple(sorted(m["id"] for m in members)),
                                    "different " + ", ".join(differ)))
    return rows


def _date_key(value: str) -> tuple[int, int, int] | None:
    parsed = dates.parse_stored(value)
    return parsed.sort_key() if parsed else None


LABEL_ROWS = 5  # rows of claim labels over the event line; labels never overprint


def timeline_svg(view: CaseView, *, width: int = 760) -> str:
    """Claims placed by event date (dots) above the dates they were reported (squares)."""
    points = []
    for c in view.claims.values():
        event = dates.parse_stored(c["date"])
        reported = [d for h in c["evidence"]
                    if (d := dates.parse_stored(view.documents[
                        view.highlights[h]["document_id"]]["published"])) is not None]
        if event or reported:
            points.append((c, event, min(reported, key=lambda p: p.sort_key(), default=None)))
    height = 12 + 11 * LABEL_ROWS + 128
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    if not points:
        svg.append('<text x="20" y="90">No dated claims.</text></svg>')
        return "".join(svg)
    years = [p.year for _c, e, r in points for p in (e, r) if p]
    lo, hi = min(years), max(years) + 1
    left, right = 60, width - 20

    def x(p: dates.PartialDate) -> float:
        start, end = p.span()
        mid = start.toordinal() + (end.toordinal() - start.toordinal()) / 2
        first = datetime(lo, 1, 1).toordinal()
        last = datetime(hi, 1, 1).toordinal()
        return left + (right - left) * (mid - first) / max(last - first, 1)

    event_y, report_y = 12 + 11 * LABEL_ROWS + 8, 12 + 11 * LABEL_ROWS + 88
    svg.append(f'<text x="4" y="{event_y + 4}">event</text>')
    svg.append(f'<text x="4" y="{report_y + 4}">reported</text>')
    for y in (event_y, report_y):
        svg.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#999"/>')
    for year in range(lo, hi + 1):
        xx = x(dates.PartialDate(year, 1, 1))
        svg.append(f'<line x1="{xx:.1f}" y1="{event_y - 30}" x2="{xx:.1f}" y2="{report_y + 10}" '
                   'stroke="#eee"/>')
        svg.append(f'<text x="{xx:.1f}" y="{height - 8}" text-anchor="middle">{year}</text>')
    rows: list[list[tuple[float, float]]] = [[] for _ in range(LABEL_ROWS)]
    for c, event, reported in sorted(points, key=lambda p: p[0]["date"]):
        color = KIND_COLORS.get(c["kind"], "#555555")
        text = f"{view.name(c['subject_id'])}: {with_stance(c['kind'], c['stance'])}"
        if event is not None:
            ex = x(event)
            svg.append(f'<circle cx="{ex:.1f}" cy="{event_y}" r="5" {_dot_style(c, color)}/>')
            half = 3 * len(text) + 2  # ~6 px a character at 10 px
            lx = min(max(ex, half + 4), width - half - 4)  # on the canvas
            # the lowest free row; a label that fits nowhere is left out (the dot stays)
            row = next((i for i, taken in enumerate(rows)
                        if all(lx + half < a or lx - half > b for a, b in taken)), None)
            if row is not None:
                rows[row].append((lx - half, lx + half))
                svg.append(f'<text x="{lx:.1f}" y="{event_y - 12 - 11 * row}" '
                           f'text-anchor="middle" fill="{color}">{escape(text)}</text>')
            if reported is not None:
                svg.append(f'<line x1="{ex:.1f}" y1="{event_y}" x2="{x(reported):.1f}" '
                           f'y2="{report_y}" stroke="{color}" stroke-dasharray="3,3"/>')
        if reported is not None:
            rx = x(reported)
            svg.append(f'<rect x="{rx - 4:.1f}" y="{report_y - 4}" width="8" height="8" '
                       f'fill="{color}"/>')
    svg.append("</svg>")
    return "".join(svg)


def _dot_style(c: dict[str, Any], color: str) -> str:
    """A claim's dot as the window draws it: filled when it asserts, hollow when it denies,
    pale and dashed when it doubts."""
    if c["stance"] == "denies":
        return f'fill="#ffffff" stroke="{color}" stroke-width="2"'
    if c["stance"] == "doubts":
        return (f'fill="{color}" fill-opacity="0.3" stroke="{color}" '
                'stroke-dasharray="2,1.5"')
    return f'fill="{color}"'


def _claim_html(view: CaseView, c: dict[str, Any],
                crops: dict[str, tuple[str, int]]) -> str:
    facts = [escape(with_stance(c["kind"], c["stance"]))]
    if c["value"]:
        facts.append(escape(c["value"]))
    if c["object_id"]:
        facts.append(_x(view.name(c["object_id"])))
    if c["date"]:
        when = dates.parse_stored(c["date"])
        prep = "on" if when is not None and when.precision == "day" else "in"
        facts.append(f"{prep} {escape(human_date(c['date']))}")
    if c["place_id"]:
        facts.append(place_phrase(_x(view.name(c["place_id"]))))
    origin = view.entities.get(c["origin_id"] or "")
    who = "unattributed"
    if origin:
        grade = f" ({origin['reliability']})" if origin["reliability"] else ""
        who = _x(origin["name"]) + grade
    chain = [view.name(v) for v in c.get("via") or ()]
    if chain:
        who += " (via " + " → ".join(map(_x, chain)) + ")"
    statement = (f'<div dir="rtl"><b>{escape(c["statement"])}</b></div>' if
                 is_rtl(c["statement"]) else f'<b>{escape(c["statement"])}</b><br/>')
    out = [f'<div class="claim"><a name="claim-{escape(c["id"])}"></a>'
           f'{statement}'
           f'<span class="meta">{" · ".join(facts)} — {who} {escape(c["stance"])}; '
           f'credibility {c["credibility"]}; {escape(c["status"])}</span>']
    if c["note"]:
        out.append(f"<br/><span class=\"meta\">Note: {escape(c['note'])}</span>")
    for hid in c["evidence"]:
        # Each citation its own paragraph: after a blockquote, a bare <br/> line starts an
        # anonymous block that Qt's layout (the PDF report) shifts out of line.
        cite = view.citation(hid)
        out.append(f'<p class="meta cite">{escape(cite.human(isolate))}</p>'
                   f"<blockquote{_dir(cite.quote)}>“{escape(cite.quote)}”</blockquote>")
        if hid in crops:
            src, width = crops[hid]
            out.append(f'<div class="crop"><img src="{escape(src)}" width="{width}" '
                       f'alt="the passage on its page"/></div>')
    out.append("</div>")
    return "".join(out)


def render_html(view: CaseView, conflicts: list[ConflictRow], *,
                timeline_src: str | None = None, timeline_width: int = 760,
                crops: dict[str, tuple[str, int]] | None = None) -> str:
    """The report as one HTML string: no scripts, no remote resources.

    The timeline is inline SVG, or ``<img src=timeline_src>`` when the renderer cannot show SVG
    (the PDF writer registers a raster image under that name). ``crops`` maps a highlight id to
    an image source and width in pixels showing the passage on its page (PDFs, scans)."""
    crops = crops or {}
    case = view.case
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"/>', CSP_META,
         f"<title>{escape(case['title'])}</title><style>{CSS}</style></head><body>",
         f"<h1>{escape(case['title'])}</h1>",
         f'<p class="meta">Case report generated by Casefile {__version__} on {stamp}. '
         f"{len(view.documents)} documents, {len(view.entities)} entities, "
         f"{len(view.claims)} claims.</p>"]
    if case["summary"]:
        h.append("<h2>Summary</h2>" + "".join(f"<p>{escape(p)}</p>"
                                              for p in case["summary"].split("\n\n")))
    h.append('<h2>Entities</h2><table width="100%" cellpadding="3"><tr><th>Name</th>'
             "<th>Kind</th><th>Also known as</th><th>Grade</th><th>Description</th></tr>")
    for e in sorted(view.entities.values(), key=lambda e: (e["kind"], e["name"].casefold())):
        seen_in: dict[str, list[str]] = {}  # each spelling once, with every document
        for a in view.aliases.get(e["id"], ()):
            docs = seen_in.setdefault(a["name"], [])
            seen = view.documents.get(a["document_id"] or "")
            if seen and seen["title"] not in docs:
                docs.append(seen["title"])
        aliases = [_x(name) + (f' <span class="meta">({"; ".join(map(_x, docs))})</span>'
                               if docs else "") for name, docs in seen_in.items()]
        h.append(f"<tr><td>{_x(e['name'])}</td><td>{escape(e['kind'])}</td>"
                 f"<td>{'<br/>'.join(aliases)}</td><td>{escape(e['reliability'])}</td>"
                 f"<td{_dir(e['description'])}>{escape(e['description'])}</td></tr>")
    h.append("</table>")
    h.append("<h2>Claims by subject</h2>")
    by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in view.claims.values():
        by_subject[c["subject_id"]].append(c)
    for sid in sorted(by_subject, key=lambda s: view.name(s).casefold()):
        h.append(f"<h3>{_x(view.name(sid))}</h3>")
        for c in sorted(by_subject[sid], key=lambda c: (c["kind"], _date_key(c["date"])
                                                        or (0, 0, 0), c["id"])):
            h.append(_claim_html(view, c, crops))
    h.append("<h2>Conflicts</h2>")
    if not conflicts:
        h.append("<p>No conflicting claims were found.</p>")
    for row in conflicts:
        state = "resolved" if row.resolved else "open"
        h.append(f'<div class="conflict"><b>{_x(row.subject)} — {escape(row.kind)}</b> '
                 f'<span class="meta">({escape(row.reason)}; {state})</span><ul>')
        for cid in row.claim_ids:
            c = view.claims.get(cid)
            if c is None:
                continue
            cites = "; ".join(view.citation(hid).human(isolate) for hid in c["evidence"])
            h.append(f'<li><a href="#claim-{escape(cid)}">'
                     f'{_x(stated(c["statement"], c["kind"], c["stance"]))}</a>'
                     f'<span class="meta"> — {escape(cites or "no evidence")}</span></li>')
        h.append("</ul></div>")
    h.append(ach_section(view))
    h.append("<h2>Timeline</h2>")
    h.append(f'<p><img src="{escape(timeline_src)}" width="{timeline_width}" alt="timeline"/>'
             "</p>" if timeline_src else timeline_svg(view, width=timeline_width))
    h.append("</body></html>")
    return "\n".join(h)


def crop_width(png: bytes, scale: float = 2.0) -> int:
    """Display width (CSS pixels at 96 per inch) of a crop rendered at ``scale`` px/point."""
    width = int.from_bytes(png[16:20], "big")  # PNG IHDR
    return max(1, round(width / scale * 96 / 72))


def report_html(db: Database, *, case_id: str, timeline_src: str | None = None) -> str:
    from casefile.exchange.crops import evidence_crops

    view = load_view(db, case_id=case_id)
    crops = {hid: ("data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                   min(640, crop_width(png))) for hid, png in evidence_crops(db, view).items()}
    return render_html(view, find_conflict_rows(db, view), timeline_src=timeline_src,
                       crops=crops)


def write_report_html(db: Database, *, case_id: str, out: IO[str]) -> None:
    """Write the self-contained HTML report of a case to a text file."""
    out.write(report_html(db, case_id=case_id))
