"""The timeliness report's figures on hand-made cases, worked out by hand (see handmade.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.timeliness import (
    LATE,
    MISSED,
    NOT_APPLICABLE,
    NOT_YET_DUE,
    ON_TIME,
    Figure,
    case_timeliness,
    timeliness_report,
)
from tests.builders import D, case, ev
from tests.reports import handmade as hm

CAL = WorkingCalendar()
POLICY = Policy()
FROM, TO = D("2024-01-01"), D("2024-06-30")


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return timeliness_report(hm.ALL, POLICY, CAL, FROM, TO, as_of=D("2024-07-31"))


def figure(group, key):  # type: ignore[no-untyped-def]
    f = group.figure(key)
    return (f.count, f.denominator, f.percentage)


def test_cohort_is_the_cases_started_in_the_range(report) -> None:  # type: ignore[no-untyped-def]
    assert [c.reference for c in report.cases] == [
        "PLO-A",
        "PLO-B",
        "PLO-C",
        "PLO-D",
        "PLO-E",
        "PLO-I",
        "PLO-J",
    ]
    assert report.as_of == TO  # as_of later than the range end: the range end wins
    council = report.council
    assert figure(council, "started") == (7, 7, 100.0)
    assert figure(council, "started_pre_proceedings") == (6, 7, 85.7)
    assert figure(council, "started_immediate_issue") == (1, 7, 14.3)
    assert council.figure("started_immediate_issue").cases == ("PLO-C",)


def test_letters_within_the_timescale(report) -> None:  # type: ignore[no-untyped-def]
    letters = report.council.figure("letter_on_time")
    assert (letters.count, letters.denominator, letters.percentage) == (3, 5, 60.0)
    assert letters.cases == ("PLO-A", "PLO-D", "PLO-J")
    assert letters.shortfall == ("PLO-B", "PLO-I")  # late; not sent before stepping down
    assert letters.excluded == ("PLO-E",)  # due 2024-07-03, after the range
    b = report.case("PLO-B")
    assert (b.letter.due, b.letter.done, b.letter.status) == (
        D("2024-04-03"),
        D("2024-04-04"),
        LATE,
    )
    d = report.case("PLO-D")
    assert (d.letter.due, d.letter.status) == (D("2024-05-09"), ON_TIME)  # bank holiday 6 May
    assert report.case("PLO-I").letter.status == MISSED
    assert report.case("PLO-E").letter.status == NOT_YET_DUE
    assert report.case("PLO-C").letter.status == NOT_APPLICABLE


def test_first_meetings_within_the_timescale(report) -> None:  # type: ignore[no-untyped-def]
    meetings = report.council.figure("first_meeting_on_time")
    assert (meetings.count, meetings.denominator, meetings.percentage) == (2, 4, 50.0)
    assert meetings.cases == ("PLO-A", "PLO-J")
    assert meetings.shortfall == ("PLO-B", "PLO-D")
    assert report.case("PLO-B").first_meeting.status == MISSED  # due 04-18, issued 05-08
    assert report.case("PLO-D").first_meeting.due == D("2024-05-23")


def test_reviews_on_time_count_each_interval(report) -> None:  # type: ignore[no-untyped-def]
    reviews = report.council.figure("reviews_on_time")
    assert reviews.unit == "reviews"
    assert (reviews.count, reviews.denominator, reviews.percentage) == (1, 3, 33.3)
    assert reviews.cases == ("PLO-A",)
    assert reviews.shortfall == ("PLO-A", "PLO-J")
    a = report.case("PLO-A")
    assert [(r.held, r.status) for r in a.reviews] == [
        (D("2024-02-26"), ON_TIME),
        (D("2024-04-15"), LATE),
    ]
    j = report.case("PLO-J")
    assert [(r.due, r.held, r.status) for r in j.reviews] == [(D("2024-03-12"), None, MISSED)]
    assert report.case("PLO-D").reviews == ()  # next review due 2024-07-05


def test_family_group_conferences(report) -> None:  # type: ignore[no-untyped-def]
    council = report.council
    assert figure(council, "fgc_activity") == (3, 4, 75.0)
    assert council.figure("fgc_activity").shortfall == ("PLO-J",)
    assert figure(council, "fgc_held") == (1, 3, 33.3)
    assert figure(council, "fgc_declined") == (1, 3, 33.3)
    both = council.figure("fgc_held_or_declined")
    assert (both.count, both.denominator, both.percentage) == (2, 3, 66.7)
    assert both.cases == ("PLO-A", "PLO-D") and both.shortfall == ("PLO-B",)


def test_extensions_and_outcomes(report) -> None:  # type: ignore[no-untyped-def]
    council = report.council
    assert figure(council, "extensions") == (2, 7, 28.6)
    assert council.figure("extensions").cases == ("PLO-D", "PLO-J")
    assert report.case("PLO-J").extensions == 2
    assert figure(council, "stepped_down") == (2, 7, 28.6)
    assert figure(council, "outcome_child_protection") == (1, 7, 14.3)
    assert figure(council, "outcome_child_in_need") == (0, 7, 0.0)
    assert figure(council, "outcome_no_further_action") == (1, 7, 14.3)
    assert figure(council, "outcome_proceedings_issued") == (2, 7, 28.6)
    assert council.figure("outcome_proceedings_issued").cases == ("PLO-B", "PLO-C")
    assert figure(council, "outcome_open") == (3, 7, 42.9)


def test_durations_in_weeks(report) -> None:  # type: ignore[no-untyped-def]
    ended = report.council.duration("duration_ended")
    # 19, 44 and 112 days (PLO-C went straight to court: left out): median 44 days = 6.3
    # weeks; longest 16.0 weeks (PLO-A)
    assert ended.cases == ("PLO-A", "PLO-B", "PLO-I")
    assert (ended.median_weeks, ended.longest_weeks, ended.longest_case) == (6.3, 16.0, "PLO-A")
    assert report.case("PLO-C").weeks == 0.6  # still in the per-case detail
    still_open = report.council.duration("duration_open")
    # 4, 60 and 167 days to 2024-06-30: median 8.6 weeks; longest 23.9 (PLO-J)
    assert still_open.cases == ("PLO-D", "PLO-E", "PLO-J")
    assert (still_open.median_weeks, still_open.longest_weeks) == (8.6, 23.9)
    assert still_open.longest_case == "PLO-J"


def test_by_team_and_by_worker(report) -> None:  # type: ignore[no-untyped-def]
    assert [t.name for t in report.teams] == ["(no team)", "Team A", "Team B"]
    team_a = report.teams[1]
    assert figure(team_a, "started") == (3, 7, 42.9)  # share of the council's
    assert figure(team_a, "letter_on_time") == (1, 3, 33.3)
    assert team_a.figure("letter_on_time").shortfall == ("PLO-B", "PLO-I")
    assert team_a.duration("duration_ended").median_weeks == 6.3  # 19, 44, 112 days: 44
    team_b = report.teams[2]
    assert figure(team_b, "first_meeting_on_time") == (1, 2, 50.0)
    assert figure(team_b, "reviews_on_time") == (0, 1, 0.0)
    assert figure(team_b, "extensions") == (2, 3, 66.7)

    assert [w.name for w in report.workers] == [
        "(no social worker)",
        "Ali Khan",
        "Jo Bell",
        "Sam Green",
    ]
    sam = report.workers[3]
    assert sam.teams == ("Team A",)
    assert figure(sam, "started") == (2, 7, 28.6)
    assert figure(sam, "reviews_on_time") == (1, 2, 50.0)
    assert figure(sam, "outcome_proceedings_issued") == (1, 2, 50.0)
    assert report.series("letter_on_time") == [
        ("(no team)", None),
        ("Team A", 33.3),
        ("Team B", 100.0),
    ]


def test_every_rate_adds_up(report) -> None:  # type: ignore[no-untyped-def]
    for group in (report.council, *report.teams, *report.workers):
        for f in group.figures:
            if f.kind == "rate" and f.unit == "cases":
                assert f.count + len(f.shortfall) == f.denominator, (group.name, f.key)
                assert f.count == len(f.cases)


def test_a_step_is_never_missed_before_today() -> None:
    """A range ending in the future is seen as of today: a letter due tomorrow is not missed."""
    started = case(
        ev("legal_planning_meeting", "2024-06-03", outcome="pre_proceedings"), reference="X"
    )
    report = timeliness_report([started], POLICY, CAL, FROM, D("2024-12-31"), D("2024-06-07"))
    assert report.as_of == D("2024-06-07")
    assert report.case("X").letter.status == NOT_YET_DUE  # due 2024-06-10
    assert report.council.figure("letter_on_time").denominator == 0
    assert report.council.figure("letter_on_time").percentage is None
    later = timeliness_report([started], POLICY, CAL, FROM, D("2024-12-31"), D("2024-06-11"))
    assert later.case("X").letter.status == MISSED


def test_policy_timescales_are_used() -> None:
    longer = replace(POLICY, letter_due_working_days=10)
    row = case_timeliness(hm.B, longer, CAL, TO)
    assert row is not None and row.letter.status == ON_TIME  # due 2024-04-10
    closed = WorkingCalendar([D("2024-01-11"), D("2024-01-12")])
    row = case_timeliness(hm.A, POLICY, closed, TO)
    assert row is not None and row.first_meeting.due == D("2024-01-26")


def test_json_holds_every_figure_and_case(report) -> None:  # type: ignore[no-untyped-def]
    data = report.to_json()
    assert data["from"] == "2024-01-01" and data["to"] == "2024-06-30"
    letter = next(f for f in data["council"]["figures"] if f["key"] == "letter_on_time")
    assert letter["count"] == 3 and letter["denominator"] == 5 and letter["percentage"] == 60.0
    assert letter["shortfall"] == ["PLO-B", "PLO-I"]
    assert {c["reference"] for c in data["cases"]} == {c.reference for c in report.cases}
    assert data["workers"][1]["teams"] == ["Team B"]


def test_an_empty_range() -> None:
    report = timeliness_report(hm.ALL, POLICY, CAL, D("2030-01-01"), D("2030-12-31"))
    assert report.cases == () and report.teams == ()
    assert report.council.figure("started").percentage is None
    assert report.council.duration("duration_ended").median_weeks is None
    with pytest.raises(ValueError):
        timeliness_report(hm.ALL, POLICY, CAL, D("2024-02-01"), D("2024-01-01"))


def test_without_as_of_events_are_seen_to_the_range_end() -> None:
    assert timeliness_report([], POLICY, CAL, FROM, TO).as_of == TO


@pytest.mark.parametrize(
    ("count", "denominator", "expected"),
    [(13, 16, 81.3), (1, 16, 6.3), (2, 3, 66.7), (1, 3, 33.3), (1, 8, 12.5), (0, 4, 0.0)],
)
def test_percentages_round_halves_up_as_a_spreadsheet_does(
    count: int, denominator: int, expected: float
) -> None:
    assert Figure("k", "label", count, denominator).percentage == expected
