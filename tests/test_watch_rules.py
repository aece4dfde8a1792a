"""The watch list's rules (domain reference section 8): each the day before, on and after
its due date, each way an item ends, as-of, reviews and matching children to cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from plo_tracker.domain.model import Child
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.watch import (
    ChildCase,
    CpPlan,
    Review,
    add_months,
    case_facts,
    evaluate,
    explain,
    indicators,
)
from tests.builders import D, case, ev

POLICY = Policy()
ONE_DAY = dt.timedelta(days=1)


def rules(plans, cases=(), as_of="2026-12-03", policy=POLICY, reviews=()):  # type: ignore[no-untyped-def]
    return [
        (i.la_child_id, i.rule)
        for i in evaluate(
            plans, cases, policy, D(as_of) if isinstance(as_of, str) else as_of, reviews
        )
    ]


def plan(start: str, end: str | None = None, previous: int | None = 0, la: str = "LA100123"):  # type: ignore[no-untyped-def]
    return CpPlan(la, D(start), D(end) if end else None, previous)


def held_by(*events, la: str = "LA100123", reference: str = "PLO-1") -> ChildCase:  # type: ignore[no-untyped-def]
    child = Child(name="Amelia Jones", date_of_birth=D("2019-05-14"), la_child_id=la)
    return case_facts(case(*events, reference=reference, children=(child,)))


# -- cp_plan_long --------------------------------------------------------------------------


def test_cp_plan_long_the_day_before_on_and_after_its_due_date() -> None:
    plans = [plan("2026-03-03")]
    due = D("2026-12-03")
    assert rules(plans, as_of=due - ONE_DAY) == []
    assert rules(plans, as_of=due) == [("LA100123", "cp_plan_long")]
    assert rules(plans, as_of=due + ONE_DAY) == [("LA100123", "cp_plan_long")]


def test_the_message_reads_as_the_issue_asks() -> None:
    [item] = evaluate([plan("2026-03-03")], [], POLICY, D("2026-12-05"))
    assert item.message == (
        "LA100123 has been on a child protection plan since 3 March 2026 (9 months on "
        "3 December 2026) and no legal planning meeting has been held since it started"
    )
    assert item.to_json() == {
        "la_child_id": "LA100123",
        "rule": "cp_plan_long",
        "since": "2026-03-03",
        "due": "2026-12-03",
        "case": None,
        "message": item.message,
    }


def test_calendar_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(D("2023-05-31"), 9) == D("2024-02-29")
    assert add_months(D("2026-01-31"), 1) == D("2026-02-28")
    assert add_months(D("2026-11-15"), 14) == D("2028-01-15")


def test_the_threshold_is_the_councils_setting() -> None:
    six = replace(POLICY, cp_plan_watch_months=6)
    assert rules([plan("2026-03-03")], as_of="2026-09-02", policy=six) == []
    assert rules([plan("2026-03-03")], as_of="2026-09-03", policy=six) == [
        ("LA100123", "cp_plan_long")
    ]
    assert "6 months" in explain("cp_plan_long", six)


# -- repeat_cp_plan ------------------------------------------------------------------------


def test_repeat_cp_plan_the_day_before_on_and_after_its_due_date() -> None:
    plans = [plan("2026-03-03", previous=1)]
    due = D("2026-03-03") + dt.timedelta(weeks=12)
    assert rules(plans, as_of=due - ONE_DAY) == []
    assert rules(plans, as_of=due) == [("LA100123", "repeat_cp_plan")]
    assert rules(plans, as_of=due + ONE_DAY) == [("LA100123", "repeat_cp_plan")]
    [item] = evaluate(plans, [], POLICY, due)
    assert "on a second child protection plan since 3 March 2026 (12 weeks on 26 May 2026)" in (
        item.message
    )


def test_a_first_plan_or_an_unknown_count_is_no_repeat() -> None:
    for previous in (0, None):
        assert rules([plan("2026-03-03", previous=previous)], as_of="2026-06-30") == []


# -- back_after_step_down ------------------------------------------------------------------


def test_back_after_step_down_the_day_before_on_and_after_the_plan_starts() -> None:
    stepped = held_by(
        ev("legal_planning_meeting", "2025-06-01", outcome="pre_proceedings"),
        ev("stepped_down", "2025-10-01", to="child_protection"),
    )
    plans = [plan("2026-03-03")]
    assert rules(plans, [stepped], as_of="2026-03-02") == []
    assert rules(plans, [stepped], as_of="2026-03-03") == [("LA100123", "back_after_step_down")]
    assert rules(plans, [stepped], as_of="2026-03-04") == [("LA100123", "back_after_step_down")]
    [item] = evaluate(plans, [stepped], POLICY, D("2026-03-04"))
    assert item.case == "PLO-1" and item.due == D("2026-03-03")
    assert "5 month(s) after PLO-1 stepped down from pre-proceedings on 1 October 2025" in (
        item.message
    )


def test_a_plan_starting_after_the_step_down_window_is_not_back_after_step_down() -> None:
    stepped = held_by(
        ev("legal_planning_meeting", "2024-06-01", outcome="pre_proceedings"),
        ev("stepped_down", "2025-03-02", to="child_protection"),
    )
    assert rules([plan("2026-03-03")], [stepped], as_of="2026-03-05") == []
    assert rules([plan("2026-03-02")], [stepped], as_of="2026-03-05") == [
        ("LA100123", "back_after_step_down")
    ]


def test_a_plan_that_began_before_the_step_down_is_not_back_after_it() -> None:
    stepped = held_by(
        ev("legal_planning_meeting", "2025-01-10", outcome="pre_proceedings"),
        ev("stepped_down", "2025-06-01", to="child_protection"),
    )
    assert rules([plan("2025-01-01")], [stepped], as_of="2025-07-01") == []


# -- each way an item ends -----------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["pre_proceedings", "issue_proceedings", "no_legal_action"])
def test_a_legal_planning_meeting_since_the_plan_started_ends_every_item(outcome: str) -> None:
    plans = [plan("2026-03-03", previous=2)]
    before = held_by(ev("stepped_down", "2025-12-01", to="child_protection"))
    assert len(rules(plans, [before], as_of="2026-12-10")) == 3
    meeting = held_by(
        ev("stepped_down", "2025-12-01", to="child_protection"),
        ev("legal_planning_meeting", "2026-03-03", outcome=outcome),
    )
    assert rules(plans, [meeting], as_of="2026-12-10") == []


def test_a_meeting_before_the_plan_started_does_not_end_it() -> None:
    old = held_by(ev("legal_planning_meeting", "2026-03-02", outcome="no_further_action"))
    assert rules([plan("2026-03-03")], [old], as_of="2026-12-10") == [("LA100123", "cp_plan_long")]


def test_the_plan_ending_ends_the_item() -> None:
    plans = [plan("2026-03-03", end="2026-12-20", previous=1)]
    assert rules(plans, as_of="2026-12-19") == [
        ("LA100123", "cp_plan_long"),
        ("LA100123", "repeat_cp_plan"),
    ]
    assert rules(plans, as_of="2026-12-20") == []


# -- as of ---------------------------------------------------------------------------------


def test_as_of_sees_only_plans_and_meetings_dated_on_or_before_it() -> None:
    later_meeting = held_by(ev("legal_planning_meeting", "2027-01-15", outcome="pre_proceedings"))
    plans = [plan("2026-03-03"), plan("2027-02-01", la="LA200001")]
    # The meeting of 15 January 2027 is not seen on 10 January; the plan of February is not.
    assert rules(plans, [later_meeting], as_of="2027-01-10") == [("LA100123", "cp_plan_long")]
    assert rules(plans, [later_meeting], as_of="2027-01-15") == []
    # A plan that ends after the day is open on it.
    ended_later = [plan("2026-03-03", end="2027-01-20")]
    assert rules(ended_later, as_of="2027-01-10") == [("LA100123", "cp_plan_long")]


def test_a_step_down_after_the_day_is_not_seen() -> None:
    stepped = held_by(
        ev("legal_planning_meeting", "2025-06-01", outcome="pre_proceedings"),
        ev("stepped_down", "2026-04-01", to="child_protection"),
    )
    # A plan dated before the step-down is never "back after" it.
    assert rules([plan("2026-05-01")], [stepped], as_of="2026-03-20") == []
    assert rules([plan("2026-05-01")], [stepped], as_of="2026-05-01") == [
        ("LA100123", "back_after_step_down")
    ]


# -- matching to cases ---------------------------------------------------------------------


def test_children_are_matched_to_cases_by_la_child_id_only() -> None:
    other_child = held_by(
        ev("legal_planning_meeting", "2026-05-01", outcome="pre_proceedings"),
        la="LA999999",
        reference="PLO-OTHER",
    )
    mine = held_by(ev("legal_planning_meeting", "2025-01-01", outcome="pre_proceedings"))
    [item] = evaluate([plan("2026-03-03")], [other_child, mine], POLICY, D("2026-12-10"))
    assert item.case == "PLO-1"  # the other case's meeting is not this child's
    [alone] = evaluate([plan("2026-03-03")], [other_child], POLICY, D("2026-12-10"))
    assert alone.case is None


def test_the_case_shown_is_the_one_with_the_latest_meeting() -> None:
    first = held_by(
        ev("legal_planning_meeting", "2024-01-01", outcome="pre_proceedings"), reference="PLO-B"
    )
    second = held_by(
        ev("legal_planning_meeting", "2025-01-01", outcome="pre_proceedings"), reference="PLO-A"
    )
    [item] = evaluate([plan("2026-03-03")], [first, second], POLICY, D("2026-12-10"))
    assert item.case == "PLO-A"


def test_the_list_is_sorted_by_child_then_rule() -> None:
    plans = [plan("2026-01-01", previous=1, la="LA2"), plan("2026-01-01", previous=1, la="LA1")]
    assert rules(plans, as_of="2026-12-10") == [
        ("LA1", "cp_plan_long"),
        ("LA1", "repeat_cp_plan"),
        ("LA2", "cp_plan_long"),
        ("LA2", "repeat_cp_plan"),
    ]


def test_two_open_plans_are_judged_on_the_later_one() -> None:
    plans = [plan("2025-01-01"), plan("2026-06-01")]
    [item] = evaluate(plans, [], POLICY, D("2027-03-01"))
    assert item.since == D("2026-06-01")


# -- reviews -------------------------------------------------------------------------------


def test_a_review_marks_the_item_while_until_has_not_passed_and_never_hides_it() -> None:
    plans = [plan("2026-03-03")]
    review = Review(
        "LA100123",
        "cp_plan_long",
        "Ann Manager",
        D("2026-12-05"),
        D("2027-01-05"),
        "Family engaging with the plan; review at the next conference",
    )
    seen = {
        day: evaluate(plans, [], POLICY, D(day), [review])
        for day in ("2026-12-04", "2026-12-05", "2027-01-05", "2027-01-06")
    }
    assert seen["2026-12-04"][0].reviewed is None  # not yet recorded on that day
    assert seen["2026-12-05"][0].reviewed == review
    assert seen["2027-01-05"][0].to_json()["reviewed"] == {
        "by": "Ann Manager",
        "on": "2026-12-05",
        "until": "2027-01-05",
        "rationale": "Family engaging with the plan; review at the next conference",
    }
    assert seen["2027-01-06"][0].reviewed is None and len(seen["2027-01-06"]) == 1


def test_a_review_before_the_item_was_due_or_of_another_rule_does_not_count() -> None:
    plans = [plan("2026-03-03", previous=1)]
    early = Review("LA100123", "cp_plan_long", "Ann", D("2026-12-01"))
    other = Review("LA100123", "repeat_cp_plan", "Ann", D("2026-12-05"))
    items = evaluate(plans, [], POLICY, D("2026-12-10"), [early, other])
    assert {(i.rule, i.reviewed is not None) for i in items} == {
        ("cp_plan_long", False),
        ("repeat_cp_plan", True),
    }


# -- the national indicators ---------------------------------------------------------------


def test_the_national_indicators() -> None:
    plans = [
        plan("2024-12-01", la="A"),  # lasting 2 years or more on 2026-12-01
        plan("2024-12-02", la="B", previous=1),  # 1 day short of 2 years
        plan("2026-05-01", la="C", previous=2),  # a repeat started in the year
        plan("2025-01-01", end="2026-06-01", la="D", previous=1),  # ended
        plan("2027-01-01", la="E"),  # not yet started
    ]
    figures = indicators(plans, D("2026-12-01"), D("2026-04-01"))
    assert (figures.open_plans, figures.repeat_plans, figures.long_plans) == (3, 2, 1)
    assert (figures.started_in_year, figures.repeat_started_in_year) == (1, 1)
