"""Working days over England and Wales bank holidays and closure days."""

from __future__ import annotations

import datetime as dt

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from plo_tracker.domain.working_days import WorkingCalendar, bank_holidays

D = dt.date.fromisoformat
CAL = WorkingCalendar()


def test_domain_reference_example_over_easter() -> None:
    # 29 March and 1 April 2024 are bank holidays.
    assert CAL.add_working_days(D("2024-03-27"), 2) == D("2024-04-02")


def test_day_itself_never_counts_even_when_a_working_day() -> None:
    assert CAL.add_working_days(D("2024-03-04"), 1) == D("2024-03-05")
    assert CAL.add_working_days(D("2024-03-04"), 0) == D("2024-03-04")


def test_from_a_weekend_the_first_working_day_is_monday() -> None:
    assert CAL.add_working_days(D("2024-03-09"), 1) == D("2024-03-11")


def test_one_off_and_substitute_bank_holidays() -> None:
    assert D("2023-05-08") in bank_holidays(2023)  # coronation
    assert D("2022-09-19") in bank_holidays(2022)  # state funeral
    assert D("2022-12-27") in bank_holidays(2022)  # substitute for Christmas
    assert CAL.add_working_days(D("2023-05-05"), 1) == D("2023-05-09")


def test_christmas_with_closure_days() -> None:
    closed = WorkingCalendar([D("2024-12-27"), D("2024-12-30"), D("2024-12-31")])
    assert CAL.add_working_days(D("2024-12-24"), 1) == D("2024-12-27")
    assert closed.add_working_days(D("2024-12-24"), 1) == D("2025-01-02")
    assert not closed.is_working_day(D("2024-12-30"))
    assert CAL.is_working_day(D("2024-12-30"))


def test_going_backwards() -> None:
    assert CAL.add_working_days(D("2024-04-02"), -2) == D("2024-03-27")


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert CAL.working_days_between(D("2024-03-27"), D("2024-04-02")) == 2
    assert CAL.working_days_between(D("2024-04-02"), D("2024-03-27")) == -2
    assert CAL.working_days_between(D("2024-03-27"), D("2024-03-27")) == 0


dates = st.dates(min_value=D("2000-01-01"), max_value=D("2060-12-31"))
counts = st.integers(min_value=0, max_value=80)
closures = st.lists(dates, max_size=15).map(frozenset)


@settings(max_examples=300, deadline=None)
@given(day=dates, n=counts)
def test_matches_the_holidays_package(day: dt.date, n: int) -> None:
    """Agrees with the holidays package's own working-day helper."""
    table = holidays.country_holidays("GB", subdiv="ENG")
    expected = table.get_nth_working_day(day, n) if n else day
    assert CAL.add_working_days(day, n) == expected


@settings(max_examples=300, deadline=None)
@given(day=dates, n=counts, closed=closures)
def test_result_is_a_working_day_after_exactly_n(day: dt.date, n: int, closed: frozenset) -> None:
    cal = WorkingCalendar(closed)
    result = cal.add_working_days(day, n)
    if n:
        assert result > day
        assert cal.is_working_day(result)
        assert cal.working_days_between(day, result) == n
    else:
        assert result == day


@settings(max_examples=200, deadline=None)
@given(day=dates, a=counts, b=counts, closed=closures)
def test_adding_is_associative(day: dt.date, a: int, b: int, closed: frozenset) -> None:
    cal = WorkingCalendar(closed)
    assert cal.add_working_days(cal.add_working_days(day, a), b) == cal.add_working_days(day, a + b)


@settings(max_examples=200, deadline=None)
@given(day=dates, n=st.integers(min_value=1, max_value=60), closed=closures)
def test_backwards_undoes_forwards_from_a_working_day(
    day: dt.date, n: int, closed: frozenset
) -> None:
    cal = WorkingCalendar(closed)
    start = cal.add_working_days(day, 1)  # a working day
    assert cal.add_working_days(cal.add_working_days(start, n), -n) == start


@settings(max_examples=200, deadline=None)
@given(day=dates, n=counts, closed=closures)
def test_closures_never_make_it_earlier(day: dt.date, n: int, closed: frozenset) -> None:
    assert WorkingCalendar(closed).add_working_days(day, n) >= CAL.add_working_days(day, n)
