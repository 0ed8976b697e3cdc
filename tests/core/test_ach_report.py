"""The case report shows the competing hypotheses: ranking, matrix, what would change them."""

from __future__ import annotations

import re

from casefile.exchange.report import report_html
from casefile.services import hypotheses
from tests.core.ach_case import build_case, build_claims


def test_report_holds_ranking_matrix_and_sensitivity(db, case_id):
    case = build_case(db, case_id)
    hypotheses.rate(db, hypothesis_id=case.hyps["raqqa"], evidence_id=case.claims["alive"],
                    rating="II")
    html = report_html(db, case_id=case_id)
    section = html[html.index("<h2>Competing hypotheses</h2>"):html.index("<h2>Timeline")]
    ranking = re.findall(r"<tr><td>(\d)</td><td>(H\d)</td><td>([^<]+)</td><td>([\d.]+)</td>",
                         section)
    assert ranking == [("1", "H3", "Qosimov is alive", "1.00"),
                       ("2", "H2", "Qosimov was killed near Wadi Sirr in August 2019", "1.32"),
                       ("3", "H1", "Qosimov was killed in Raqqa in May 2016", "1.76")]
    # the analyst's own rating is plain; suggestions are marked with "?"
    assert '<font color="#ffffff">II</font>' in section
    assert "<i>I?</i>" in section and "0.64 ÷3" in section
    assert "“detained a man they identified as Daler Qosimov” without it → H2" in section


def test_no_section_without_hypotheses_and_untrusted_text_escaped(db, case_id):
    build_claims(db, case_id)
    assert "Competing hypotheses" not in report_html(db, case_id=case_id)
    hypotheses.add_hypothesis(db, case_id=case_id, data=hypotheses.HypothesisInput(
        '<img src="/etc/passwd"> did it'))
    html = report_html(db, case_id=case_id)
    assert "&lt;img src=&quot;/etc/passwd&quot;&gt; did it" in html
    assert '<img src="/etc' not in html
