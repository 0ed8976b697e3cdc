"""Partial dates as analysts type them and articles print them."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.dates import PartialDate, parse_date
from casefile.errors import ValidationError


@pytest.mark.parametrize("text, iso", [
    ("2017", "2017"),
    ("2017-04", "2017-04"),
    ("2017-04-03", "2017-04-03"),
    ("~2017", "~2017"),
    ("about 2017", "~2017"),
    ("April 2015", "2015-04"),
    ("in April 2015", "2015-04"),
    ("Aug 2020", "2020-08"),
    ("Sept. 2019", "2019-09"),
    ("3 August 2020", "2020-08-03"),
    ("August 3, 2020", "2020-08-03"),
    ("3rd of August 2020", "2020-08-03"),
    ("~3 Aug 2020", "~2020-08-03"),
    ("03.08.2020", "2020-08-03"),
    ("in 2016", "2016"),
])
def test_parse(text, iso):
    assert parse_date(text).iso() == iso


def test_year_from_the_article_is_flagged_for_confirmation():
    d = parse_date("on August 3", reference=date(2020, 9, 1))
    assert d.iso() == "2020-08-03"
    assert d.year_inferred


def test_no_year_and_no_reference_is_an_error():
    with pytest.raises(ValidationError, match="no year"):
        parse_date("August 3")


@pytest.mark.parametrize("bad", ["", "yesterday", "2017-13", "31 February 2020", "Smarch 2020"])
def test_unreadable_dates_are_refused(bad):
    with pytest.raises(ValidationError):
        parse_date(bad)


def test_spans_and_overlap():
    year = parse_date("2017")
    assert year.span() == (date(2017, 1, 1), date(2017, 12, 31))
    assert parse_date("2017-02").span() == (date(2017, 2, 1), date(2017, 2, 28))
    assert year.overlaps(parse_date("3 March 2017"))
    assert not parse_date("2015").overlaps(parse_date("2017"))
    assert parse_date("~2016").overlaps(parse_date("2017-01"))
    assert parse_date("~2017").human() == "about 2017"


@given(st.integers(1900, 2100), st.one_of(st.none(), st.integers(1, 12)), st.booleans())
def test_iso_round_trips(year, month, about):
    d = PartialDate(year, month, None, about)
    assert parse_date(d.iso()) == d
