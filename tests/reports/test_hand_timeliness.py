"""The timeliness report's figures on hand-made cases, every number worked out by hand.

Policy defaults: letter within 5 working days of the start, first meeting within 10 working
days of the first letter, reviews within 6 weeks of the previous meeting.  Range: 1 January
to 30 June 2024, run long after it (so events are seen up to 30 June).

The cases (E and F are not in the cohort):

A  Team A, Sam Green.  Start Mon 8 Jan.  Letter Fri 12 Jan (due Mon 15 Jan: on time).
   FGC referred 15 Jan, first meeting Wed 24 Jan (due Fri 26 Jan: on time), FGC held 10 Feb.
   Reviews 6 Mar (due 6 Mar: on time) and 24 Apr (due 17 Apr: late).
   Stepped down to a child in need plan 1 May: 114 days.
B  Team A, Sam Green.  Start Mon 5 Feb.  Letter Wed 14 Feb (due Mon 12 Feb: late).
   FGC declined 20 Feb.  First meeting Mon 4 Mar (due Wed 28 Feb: late).  Review 15 Apr
   (due 15 Apr: on time); next due 27 May, none by 30 June: missed.  Extension 20 May.
   Still open: 146 days to 30 June.
C  Team B, Priya Shah.  Legal planning meeting decides to issue now, Mon 11 Mar; issued
   Fri 15 Mar (4 days).  No letter expected, no first meeting expected.
D  Team B, Priya Shah.  Start Mon 24 Jun; letter due Mon 1 Jul, after the range: not
   counted.  Open: 6 days.
G  Team B, Priya Shah.  Start Mon 15 Jan, letter Tue 16 Jan (due 22 Jan: on time),
   FGC referred 17 Jan, stepped down to a child protection plan Thu 25 Jan, before the
   first meeting was due (30 Jan): not counted.  10 days.
H  Team A, Jo Patel.  Start Wed 27 Mar 2024; letter Fri 5 Apr.  Due: 5 working days after
   27 Mar skipping Good Friday 29 Mar and Easter Monday 1 Apr = Fri 5 Apr: on time (it
   would be late without the bank holidays).  First meeting Mon 22 Apr (due Fri 19 Apr:
   late).  Review due 3 Jun, none before proceedings were issued on 10 Jun: missed.
   Decision to issue 3 Jun.  75 days.  No FGC at all.
E  Team B: legal planning meeting with no legal action: never started.
F  Team A: started 1 Dec 2023, before the range.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from plo_tracker.domain.model import CaseHistory, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.timeliness import Figure, TimelinessReport, timeliness_report
from tests.builders import D, case, ev

FROM, TO, LONG_AFTER = D("2024-01-01"), D("2024-06-30"), D("2024-12-31")


def lpm(day: str, outcome: str = "pre_proceedings") -> Event:
    return ev("legal_planning_meeting", day, outcome=outcome)


def letter(day: str) -> Event:
    return ev("letter_before_proceedings", day, party="mother")


def worked(c: CaseHistory, worker: str | None) -> CaseHistory:
    return dataclasses.replace(c, social_worker=worker)


def hand_cases() -> list[CaseHistory]:
    a = case(
        lpm("2024-01-08"),
        letter("2024-01-12"),
        ev("fgc_referral", "2024-01-15"),
        ev("pre_proceedings_meeting", "2024-01-24"),
        ev("fgc_held", "2024-02-10"),
        ev("review_meeting", "2024-03-06"),
        ev("review_meeting", "2024-04-24"),
        ev("stepped_down", "2024-05-01", to="child_in_need"),
        reference="A",
        team="Team A",
    )
    b = case(
        lpm("2024-02-05"),
        letter("2024-02-14"),
        ev("fgc_referral", "2024-02-15"),
        ev("fgc_declined", "2024-02-20", reason="The family said no."),
        ev("pre_proceedings_meeting", "2024-03-04"),
        ev("review_meeting", "2024-04-15"),
        ev(
            "extension_agreed",
            "2024-05-20",
            until="2024-07-31",
            decided_by="Ann Wright",
            rationale="Assessment due.",
        ),
        reference="B",
        team="Team A",
    )
    c = case(
        lpm("2024-03-11", "issue_proceedings"),
        ev("proceedings_issued", "2024-03-15"),
        ev("letter_of_issue", "2024-03-15", party="mother"),
        reference="C",
        team="Team B",
    )
    d = case(lpm("2024-06-24"), reference="D", team="Team B")
    g = case(
        lpm("2024-01-15"),
        letter("2024-01-16"),
        ev("fgc_referral", "2024-01-17"),
        ev("stepped_down", "2024-01-25", to="child_protection"),
        reference="G",
        team="Team B",
    )
    h = case(
        lpm("2024-03-27"),
        letter("2024-04-05"),
        ev("pre_proceedings_meeting", "2024-04-22"),
        ev("decision_to_issue", "2024-06-03", decided_by="Ann Wright"),
        ev("proceedings_issued", "2024-06-10"),
        ev("letter_of_issue", "2024-06-11", party="mother"),
        reference="H",
        team="Team A",
    )
    e = case(lpm("2024-02-01", "no_legal_action"), reference="E", team="Team B")
    f = case(lpm("2023-12-01"), letter("2023-12-04"), reference="F", team="Team A")
    return [
        worked(a, "Sam Green"),
        worked(b, "Sam Green"),
        worked(c, "Priya Shah"),
        worked(d, "Priya Shah"),
        worked(g, "Priya Shah"),
        worked(h, "Jo Patel"),
        worked(e, "Priya Shah"),
        worked(f, "Sam Green"),
    ]


@pytest.fixture(scope="module")
def report() -> TimelinessReport:
    return timeliness_report(hand_cases(), Policy(), WorkingCalendar(), FROM, TO, LONG_AFTER)


# key: (count, denominator, cases behind the count, shortfall, not counted)
COUNCIL: dict[str, tuple[int, int, str, str, str]] = {
    "started": (6, 6, "A B C D G H", "", ""),
    "started_pre_proceedings": (5, 6, "A B D G H", "", ""),
    "started_immediate_issue": (1, 6, "C", "", ""),
    "letter_on_time": (3, 4, "A G H", "B", "D"),
    "first_meeting_on_time": (1, 3, "A", "B H", "G"),
    # reviews are counted in reviews: A 1 of 2, B 1 of 2 (one missed), H 0 of 1 (missed)
    "reviews_on_time": (2, 5, "A B", "A B H", ""),
    "fgc_activity": (3, 4, "A B G", "H", ""),
    "fgc_held": (1, 3, "A", "", ""),
    "fgc_declined": (1, 3, "B", "", ""),
    "fgc_held_or_declined": (2, 3, "A B", "G", ""),
    "extensions": (1, 6, "B", "", ""),
    "stepped_down": (2, 6, "A G", "", ""),
    "outcome_child_protection": (1, 6, "G", "", ""),
    "outcome_child_in_need": (1, 6, "A", "", ""),
    "outcome_no_further_action": (0, 6, "", "", ""),
    "outcome_proceedings_issued": (2, 6, "C H", "", ""),
    "outcome_open": (2, 6, "B D", "", ""),
}


def refs(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@pytest.mark.parametrize("key", list(COUNCIL))
def test_council_figure_by_hand(report: TimelinessReport, key: str) -> None:
    count, denominator, cases, shortfall, excluded = COUNCIL[key]
    figure = report.council.figure(key)
    assert (figure.count, figure.denominator) == (count, denominator)
    assert figure.cases == refs(cases)
    assert figure.shortfall == refs(shortfall)
    assert figure.excluded == refs(excluded)
    expected = None
    if denominator:
        exact = Decimal(100 * count) / Decimal(denominator)
        expected = float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert figure.percentage == expected


def test_percentages_by_hand(report: TimelinessReport) -> None:
    figure = report.council.figure
    assert figure("letter_on_time").percentage == 75.0
    assert figure("first_meeting_on_time").percentage == 33.3
    assert figure("reviews_on_time").percentage == 40.0
    assert figure("fgc_held_or_declined").percentage == 66.7
    assert figure("extensions").percentage == 16.7


def test_durations_by_hand(report: TimelinessReport) -> None:
    ended = report.council.duration("duration_ended")
    # C went straight to court: no pre-proceedings, so not in the lengths.
    # A 114, G 10, H 75 days: median 75 days = 10.71 weeks; longest A, 114 / 7 = 16.29
    assert ended.cases == ("A", "G", "H")
    assert ended.median_weeks == 10.7
    assert (ended.longest_weeks, ended.longest_case) == (16.3, "A")
    still_open = report.council.duration("duration_open")
    # B 146 days, D 6 days, both counted to 30 June: median 76 days = 10.86 weeks
    assert still_open.cases == ("B", "D")
    assert still_open.median_weeks == 10.9
    assert (still_open.longest_weeks, still_open.longest_case) == (20.9, "B")
    assert report.case("C").days == 4  # still in the per-case detail


def test_the_cohort_leaves_out_cases_not_started_in_the_range(report: TimelinessReport) -> None:
    assert [c.reference for c in report.cases] == ["A", "B", "C", "D", "G", "H"]
    assert report.as_of == TO


def test_per_case_detail_by_hand(report: TimelinessReport) -> None:
    a = report.case("A")
    assert (a.letter.done, a.letter.due, a.letter.status) == (
        D("2024-01-12"),
        D("2024-01-15"),
        "on_time",
    )
    assert (a.first_meeting.due, a.first_meeting.status) == (D("2024-01-26"), "on_time")
    assert [(r.due, r.held, r.status) for r in a.reviews] == [
        (D("2024-03-06"), D("2024-03-06"), "on_time"),
        (D("2024-04-17"), D("2024-04-24"), "late"),
    ]
    assert (a.fgc, a.outcome, a.end, a.days, a.weeks) == (
        "held",
        "child_in_need",
        D("2024-05-01"),
        114,
        16.3,
    )
    b = report.case("B")
    assert (b.letter.due, b.letter.status) == (D("2024-02-12"), "late")
    assert (b.first_meeting.due, b.first_meeting.status) == (D("2024-02-28"), "late")
    assert [(r.due, r.held, r.status) for r in b.reviews] == [
        (D("2024-04-15"), D("2024-04-15"), "on_time"),
        (D("2024-05-27"), None, "missed"),
    ]
    assert (b.fgc, b.extensions, b.outcome, b.end, b.days) == ("declined", 1, "open", None, 146)
    h = report.case("H")
    assert (h.letter.due, h.letter.status) == (D("2024-04-05"), "on_time")  # Easter skipped
    assert (h.first_meeting.due, h.first_meeting.status) == (D("2024-04-19"), "late")
    assert [(r.due, r.status) for r in h.reviews] == [(D("2024-06-03"), "missed")]
    assert (h.fgc, h.outcome) == ("none", "proceedings_issued")
    d = report.case("D")
    assert (d.letter.due, d.letter.status) == (D("2024-07-01"), "not_yet_due")
    g = report.case("G")
    assert (g.first_meeting.due, g.first_meeting.status) == (D("2024-01-30"), "not_applicable")
    c = report.case("C")
    assert c.letter.due is None and c.first_meeting.due is None


def test_teams_by_hand(report: TimelinessReport) -> None:
    assert [t.name for t in report.teams] == ["Team A", "Team B"]
    team_a = report.teams[0]
    assert (team_a.figure("started").count, team_a.figure("started").denominator) == (3, 6)
    letters = team_a.figure("letter_on_time")  # A, H on time; B late
    assert (letters.count, letters.denominator, letters.shortfall) == (2, 3, ("B",))
    reviews = team_a.figure("reviews_on_time")  # all five reviews are team A's
    assert (reviews.count, reviews.denominator) == (2, 5)
    team_b = report.teams[1]
    letters = team_b.figure("letter_on_time")  # G on time; D not yet due
    assert (letters.count, letters.denominator, letters.excluded) == (1, 1, ("D",))
    outcomes = team_b.figure("outcome_proceedings_issued")
    assert (outcomes.count, outcomes.denominator, outcomes.cases) == (1, 3, ("C",))
    ended = team_b.duration("duration_ended")  # G only (10 days); C went straight to court
    assert (ended.median_weeks, ended.longest_weeks, ended.longest_case) == (1.4, 1.4, "G")


def test_workers_by_hand(report: TimelinessReport) -> None:
    assert [w.name for w in report.workers] == ["Jo Patel", "Priya Shah", "Sam Green"]
    sam = report.workers[2]
    assert sam.figure("started").cases == ("A", "B")  # F started before the range
    meetings = sam.figure("first_meeting_on_time")
    assert (meetings.count, meetings.denominator, meetings.shortfall) == (1, 2, ("B",))
    jo = report.workers[0]
    assert jo.figure("fgc_activity").shortfall == ("H",)
    assert report.series("letter_on_time") == [("Team A", 66.7), ("Team B", 100.0)]


def test_a_council_closure_day_moves_a_due_date() -> None:
    # H's letter on Fri 5 Apr is on time; with a closure day on Thu 4 Apr it is due Mon 8 Apr
    # (still on time), and a letter on Mon 8 Apr is on time only because of the closure.
    h = case(lpm("2024-03-27"), letter("2024-04-08"), reference="H2")
    plain = timeliness_report([h], Policy(), WorkingCalendar(), FROM, TO, LONG_AFTER)
    closed = timeliness_report(
        [h], Policy(), WorkingCalendar([D("2024-04-04")]), FROM, TO, LONG_AFTER
    )
    assert plain.case("H2").letter.status == "late"
    assert (closed.case("H2").letter.due, closed.case("H2").letter.status) == (
        D("2024-04-08"),
        "on_time",
    )


def test_the_policy_changes_the_figures() -> None:
    policy = dataclasses.replace(Policy(), letter_due_working_days=8)
    report = timeliness_report(hand_cases(), policy, WorkingCalendar(), FROM, TO, LONG_AFTER)
    letters = report.council.figure("letter_on_time")  # B (due 15 Feb) is now on time
    assert (letters.count, letters.denominator) == (4, 4)
    assert "8 working days" in letters.label


def test_a_report_run_before_the_range_ends_sees_only_events_so_far() -> None:
    # Run on 20 Feb: A's reviews are not yet due; B's letter is late, its meeting not yet due.
    report = timeliness_report(hand_cases(), Policy(), WorkingCalendar(), FROM, TO, D("2024-02-20"))
    assert report.as_of == D("2024-02-20")
    assert [c.reference for c in report.cases] == ["A", "B", "G"]
    meetings = report.council.figure("first_meeting_on_time")
    assert (meetings.count, meetings.denominator, meetings.excluded) == (1, 1, ("B", "G"))
    assert report.council.figure("reviews_on_time").denominator == 0
    assert report.council.figure("reviews_on_time").percentage is None
    assert report.case("B").days == 15  # 5 Feb to 20 Feb


def test_cases_without_team_or_worker_are_grouped_not_dropped() -> None:
    loose = dataclasses.replace(case(lpm("2024-02-01"), reference="L"), team=None)
    report = timeliness_report([loose], Policy(), WorkingCalendar(), FROM, TO, LONG_AFTER)
    assert len(report.teams) == 1 and report.teams[0].figure("started").cases == ("L",)
    assert len(report.workers) == 1 and report.workers[0].figure("started").cases == ("L",)


def test_no_cases_gives_empty_figures_not_errors() -> None:
    report = timeliness_report([], Policy(), WorkingCalendar(), FROM, TO, LONG_AFTER)
    assert report.cases == ()
    assert report.council.figure("letter_on_time").percentage is None
    assert report.council.duration("duration_ended").median_weeks is None


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        timeliness_report([], Policy(), WorkingCalendar(), TO, FROM, LONG_AFTER)


def test_json_carries_every_figure_with_its_cases(report: TimelinessReport) -> None:
    data = report.to_json()
    figures = {f["key"]: f for f in data["council"]["figures"]}
    assert figures["letter_on_time"] == {
        **figures["letter_on_time"],
        "count": 3,
        "denominator": 4,
        "percentage": 75.0,
        "cases": ["A", "G", "H"],
        "shortfall": ["B"],
        "excluded": ["D"],
    }
    assert [c["reference"] for c in data["cases"]] == ["A", "B", "C", "D", "G", "H"]
    assert dt.date.fromisoformat(data["to"]) == TO


@pytest.mark.parametrize(
    ("count", "denominator", "shown"),
    [(13, 16, 81.3), (1, 16, 6.3), (3, 16, 18.8), (1, 3, 33.3), (2, 3, 66.7), (0, 5, 0.0)],
)
def test_percentages_round_halves_up_as_a_spreadsheet_does(
    count: int, denominator: int, shown: float
) -> None:
    assert Figure("x", "x", count, denominator).percentage == shown
