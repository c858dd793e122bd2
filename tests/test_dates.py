"""Dates at their precision: parsing, display, order (core only, no MkDocs)."""

import datetime as dt

import pytest

from briefing.dates import PartialDate
from briefing.language import Words

SHOWN = Words("en-GB")  # CLDR's British English: "13 April 2015"


@pytest.mark.parametrize(
    ("value", "iso", "shown", "precision"),
    [
        ("2015-04-13", "2015-04-13", "13 April 2015", "day"),
        (dt.date(2015, 4, 13), "2015-04-13", "13 April 2015", "day"),
        ("2015-03", "2015-03", "March 2015", "month"),
        (2015, "2015", "2015", "year"),
        ("2015", "2015", "2015", "year"),
    ],
)
def test_partial_dates_keep_their_precision(value, iso, shown, precision):
    date = PartialDate.parse(value)
    assert (date.iso(), SHOWN.date(date), date.precision) == (iso, shown, precision)


@pytest.mark.parametrize(
    "value", ["2015-02-30", "20155-02-18", "2015-13", "2015-4-1", "April 2015", "", None, 1.5, True]
)
def test_impossible_or_malformed_dates_are_refused_with_the_fix(value):
    with pytest.raises(ValueError, match=r"is not a date \(use YYYY-MM-DD, YYYY-MM or YYYY\)"):
        PartialDate.parse(value)


def test_partial_dates_sort_before_full_dates_of_their_period():
    dates = ["2015-04-13", "2015-04", "2015", "2014-12-31", "2015-03-01", "2015-03"]
    ordered = sorted((PartialDate.parse(d) for d in dates), key=PartialDate.sort_key)
    assert [d.iso() for d in ordered] == [
        "2014-12-31", "2015", "2015-03", "2015-03-01", "2015-04", "2015-04-13"
    ]


def test_a_period_has_a_first_and_a_last_day():
    assert PartialDate.parse("2015").last_day() == dt.date(2015, 12, 31)
    assert PartialDate.parse("2016-02").last_day() == dt.date(2016, 2, 29)
    assert PartialDate.parse("2015-04-13").last_day() == dt.date(2015, 4, 13)
    assert PartialDate.parse("2015").contains(PartialDate.parse("2015-04-13"))
    assert not PartialDate.parse("2015-04").contains(PartialDate.parse("2015"))


def test_leap_day_is_a_date_only_in_leap_years():
    assert SHOWN.date(PartialDate.parse("2016-02-29")) == "29 February 2016"
    with pytest.raises(ValueError):
        PartialDate.parse("2015-02-29")
