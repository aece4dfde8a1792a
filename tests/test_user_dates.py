"""Dates people type (plo_tracker.domain.dates.parse_user_date): understood in UK order,
never silently changed to fit, refused with an example otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from plo_tracker.domain.dates import DateTypingError, parse_user_date

D = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    "typed",
    [
        "29/11/2026",
        "29 Nov 2026",
        "2026-11-29",
        "29 November 2026",
        "29 nov 2026",
        "29th November 2026",
        "Sunday 29 November 2026",
        "Sun, 29 Nov 2026",
        "29.11.2026",
        "29-11-2026",
        "  29/11/2026 ",
    ],
)
def test_the_usual_ways_of_writing_a_date_are_understood(typed: str) -> None:
    assert parse_user_date(typed) == D


def test_day_comes_before_month() -> None:
    assert parse_user_date("3/4/2024") == dt.date(2024, 4, 3)
    assert parse_user_date("03/04/2024") == dt.date(2024, 4, 3)
    assert parse_user_date("2024-04-03") == dt.date(2024, 4, 3)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31 Feb 2026", "February 2026 has 28 days"),
        ("29/02/2025", "February 2025 has 28 days"),
        ("31/04/2026", "April 2026 has 30 days"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("32 Jan 2026", "January 2026 has 31 days"),
    ],
)
def test_a_date_that_does_not_exist_is_an_error_never_the_nearest_real_one(
    typed: str, words: str
) -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date(typed)
    assert words in str(caught.value)
    assert typed in str(caught.value)


def test_a_leap_day_is_a_real_date() -> None:
    assert parse_user_date("29 Feb 2024") == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "typed",
    [
        "tomorrow",
        "11/29/2026x",
        "2026/11/29",
        "Nov 29 2026",
        "29 Novemb 2026",
        "29112026",
        "½/1/2026",
    ],
)
def test_anything_else_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date(typed)
    assert "29/11/2026" in str(caught.value)


def test_month_thirteen_says_dates_are_day_first() -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date("11/29/2026")
    assert "no month 29" in str(caught.value) and "day first" in str(caught.value)


def test_a_two_digit_year_is_not_guessed() -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date("29/11/26")
    assert "year in full" in str(caught.value)


def test_a_wrong_weekday_is_pointed_out() -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date("Monday 29 November 2026")
    assert "is a Sunday, not a Monday" in str(caught.value)


def test_nothing_typed_asks_for_a_date() -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date("   ")
    assert str(caught.value).startswith("Type a date")


def test_a_long_paste_is_shortened_in_the_message() -> None:
    with pytest.raises(DateTypingError) as caught:
        parse_user_date("x" * 500)
    assert len(str(caught.value)) < 200
