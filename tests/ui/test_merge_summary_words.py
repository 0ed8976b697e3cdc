"""The bundle import summary speaks of kinds of records as people do, never as table names."""

from __future__ import annotations

import re

from casefile.exchange.casedata import TYPES
from casefile.exchange.merge import MergeReport, TypeReport
from ui.exchange.actions import merge_report_html


def test_every_kind_of_record_has_words_not_a_table_name():
    report = MergeReport(case_id="c1", bundle_case_id="c1", new_case=False)
    for key in ("case", *(t.key for t in TYPES), "future_things"):
        report.types[key] = TypeReport(added=["x"])
    html = merge_report_html(report, "Temur <Vakhidov>")
    cells = re.findall(r"<tr><td>(.*?)</td>", html)
    assert len(cells) == len(TYPES) + 2
    assert not [c for c in cells if "_" in c]  # "hypothesis_ratings" never reaches the analyst
    assert "Ratings of hypotheses" in cells and "Future things" in cells
    assert "“Temur &lt;Vakhidov&gt;”" in html and "c1" not in html  # the case by its title
