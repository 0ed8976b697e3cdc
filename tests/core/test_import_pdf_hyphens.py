"""PDF words broken at a line end: joined only when they are one word, compounds keep their
hyphen, and a hyphen stays whenever the evidence is not there."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile.importers import pdf as pdf_importer
from casefile.importers.hyphens import Vocabulary
from casefile.importers.reflow import join_lines

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf

BROKEN = [
    "The smugglers sold top-",
    "shelf whisky to a well-",
    "known trader, the com-",
    "mander of the border post pre-",
    "sented the seized goods to a self-",
    "proclaimed envoy of Temur Vakhi-",
    "dov and al-",
    "Qalami during the 2015-",
    "16 season at the check-",
    "point near Wadi Sirr."]
CONTEXT = ("Customs officers say the trader had met Temur Vakhidov twice before. The old "
           "check-point on the river road was closed in the spring, and traffic moved to the "
           "new one near the village.")


def test_compounds_keep_their_hyphen_and_broken_words_are_joined():
    doc = pdf_importer.extract(article_pdf([BROKEN, CONTEXT], title="Border trade"), "t.pdf")
    assert ("The smugglers sold top-shelf whisky to a well-known trader, the commander of the "
            "border post presented the seized goods to a self-proclaimed envoy of Temur "
            "Vakhidov and al-Qalami during the 2015-16 season at the check-point near Wadi "
            "Sirr.") in doc.text


def test_two_column_break_keeps_the_hyphen():
    vocab = Vocabulary(["A report on the district com- this week said the road was closed."])
    assert join_lines("district com-", "this week", vocab) == ("", "")
    assert join_lines("the com-", "mander", vocab) == ("-", "")


def test_the_documents_own_spelling_wins_over_word_frequency():
    hyphenated = Vocabulary(["the co-operation of the ministry and the co-operation of"])
    assert join_lines("full co-", "operation", hyphenated) == ("", "")
    joined = Vocabulary(["the cooperation of the ministry and the cooperation of"])
    assert join_lines("full co-", "operation", joined) == ("-", "")


def test_an_unknown_word_keeps_its_hyphen():
    vocab = Vocabulary(["Reports from the valley were sparse that year."])
    assert join_lines("the Rasul-", "zoda clan", vocab) == ("", "")
