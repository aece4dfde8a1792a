"""The court rules through the services, on a real database: the flags output, the case
list's stage ("In proceedings, week 19 of 26"), a manager's review and the drift review."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Booking
from plo_tracker.services.review_board import ReviewBoardService
from tests.builders import case, ev

TODAY = clock.today()


def day(weeks_ago: int, days: int = 0) -> str:
    return (TODAY - dt.timedelta(weeks=weeks_ago, days=days)).isoformat()


def in_proceedings(reference: str, weeks_ago: int, *extra, scheduled=()):
    issued = TODAY - dt.timedelta(weeks=weeks_ago) + dt.timedelta(days=1)
    return case(
        ev(
            "legal_planning_meeting",
            (issued - dt.timedelta(weeks=20)).isoformat(),
            outcome="issue_proceedings",
        ),
        ev("proceedings_issued", issued.isoformat()),
        *extra,
        reference=reference,
        team=None,
        scheduled=tuple(scheduled),
        court_reference=f"ZW{reference[-2:]}C00001",
    )


def load(app: AppContext) -> None:
    late = in_proceedings("C-LATE-01", 30)  # week 30: past 26 weeks
    week19 = in_proceedings(
        "C-WEEK-02",
        19,
        ev("hearing", day(17), kind="case_management", la_plan="care_order", plan_approved=True),
        scheduled=[
            Booking(type="hearing", date=TODAY - dt.timedelta(days=9), kind="issues_resolution")
        ],
    )
    done = in_proceedings(
        "C-DONE-03",
        40,
        ev("hearing", day(38), kind="case_management", la_plan="adoption"),
        ev("proceedings_concluded", day(15), order="adoption"),
    )
    app.exchange.import_cases([late, week19, done])


def test_flags_and_the_case_list_show_cases_in_proceedings(app: AppContext) -> None:
    load(app)
    flags = {(f.case, f.rule) for f in app.flags.flags()}
    assert flags == {("C-LATE-01", "week_26"), ("C-WEEK-02", "hearing_not_recorded")}
    rows = {r.reference: r for r in app.cases.summaries()}
    assert rows["C-WEEK-02"].stage == "In proceedings, week 19 of 26"
    assert rows["C-LATE-01"].stage == "In proceedings, week 30 of 26"
    assert rows["C-LATE-01"].status_text() == "1 overdue: 26 weeks"
    assert rows["C-WEEK-02"].status_text() == "1 overdue: hearing not recorded"
    assert rows["C-DONE-03"].stage == "Proceedings concluded"
    assert rows["C-DONE-03"].status_text() == "Closed"
    coverage = app.flags.coverage()
    assert (coverage.cases, coverage.open) == (3, 2)
    # As of a past date: the concluded case was in proceedings then.
    past = TODAY - dt.timedelta(weeks=16)
    before = {r.reference: r for r in app.cases.summaries(past)}
    assert before["C-DONE-03"].stage == "In proceedings, week 24 of 26"
    assert app.flags.coverage(past).open == 3


def test_a_manager_reviews_a_week_26_flag(app: AppContext) -> None:
    load(app)
    record = app.flags.review(
        "C-LATE-01",
        "week_26",
        decision="extend",
        rationale="Final hearing listed; the court extended orally.",
        until=TODAY + dt.timedelta(weeks=4),
    )
    assert record.rule == "week_26"
    (flag,) = [f for f in app.flags.flags() if f.case == "C-LATE-01"]
    assert flag.severity == "overdue" and flag.reviewed is not None
    assert flag.reviewed.until == TODAY + dt.timedelta(weeks=4)
    history = app.cases.get("C-LATE-01")
    assert history.events[-1].type == "management_oversight"  # not a court extension


def test_the_drift_review_lists_court_flags(app: AppContext) -> None:
    load(app)
    board = ReviewBoardService(app.db, app.actor)
    rows = board.review_list()
    assert [(r.case, r.rule_title) for r in rows] == [
        ("C-LATE-01", "Care proceedings past 26 weeks"),
        ("C-WEEK-02", "Court hearing not recorded"),
    ]
    assert rows[0].lateness == "3 weeks and 6 days overdue"
    # The weeks chart stays a chart of pre-proceedings: no case is open there.
    assert sum(count for _band, count in board.weeks_chart()) == 0
    # The court chart: the cases in care proceedings by their week of 26.
    assert board.court_weeks_chart() == [
        ("Weeks 1-13", 0),
        ("Weeks 14-20", 1),
        ("Weeks 21-26", 0),
        ("Past 26 weeks", 1),
    ]


def test_recording_the_hearing_clears_its_flag(app: AppContext) -> None:
    load(app)
    history = app.cases.get("C-WEEK-02")
    held = ev("hearing", (TODAY - dt.timedelta(days=9)).isoformat(), kind="issues_resolution")
    app.exchange.import_cases([replace(history, events=(*history.events, held))])
    assert {(f.case, f.rule) for f in app.flags.flags()} == {("C-LATE-01", "week_26")}
