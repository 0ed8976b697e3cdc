"""Dates in Russian, as claims are typed and as reports print them; ISO in any language."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile import dates, importers
from casefile.errors import ValidationError
from casefile.importers import pdf
from casefile.services import documents

SCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"


@pytest.mark.parametrize(("typed", "stored"), [
    ("в апреле 2017 года", "2017-04"),
    ("3 августа 2020 г.", "2020-08-03"),
    ("15 декабря 2021 года", "2021-12-15"),
    ("1 марта 2018", "2018-03-01"),
    ("мая 2019", "2019-05"),
    ("Сентябрь 2014", "2014-09"),
    ("в 2016 году", "2016"),
    ("около 2017 г.", "~2017"),
    ("2017-04-03", "2017-04-03"),
    ("  2020-08  ", "2020-08"),
])
def test_russian_and_iso_dates(typed, stored):
    assert dates.normalize(typed) == stored


def test_russian_day_without_year_takes_the_articles():
    got = dates.parse_date("3 августа", reference=dates.PartialDate(2020, 8, 4))
    assert (got.iso(), got.year_inferred) == ("2020-08-03", True)


def test_not_a_month_is_still_refused():
    with pytest.raises(ValidationError):
        dates.parse_date("3 стула 2020")


def test_russian_text_article_gets_its_date(db, case_id):
    res = importers.import_file(db, case_id=case_id, path=SCRIPTS / "ru_khalimov.txt")
    doc = documents.get_document(db, document_id=res.id)
    assert doc.published == "2020-08-03" and not doc.guessed
    assert doc.title.startswith("Бывший командир")


def test_pdf_head_line_in_russian():
    m = pdf._DATE_IN_LINE.search("Северный вестник · 3 августа 2020 г. · Душанбе")
    assert m and dates.normalize(m.group(1)) == "2020-08-03"
