"""After issue: the 26-week limit and the court rules (domain reference, section 7).

``week_26``, ``hearing_not_recorded`` and ``first_hearing_plan`` follow the general rules:
the day before, on and after the due date; as-of sees only events up to it; only cases in
proceedings; a manager's review marks them reviewed.
"""

from __future__ import annotations

import datetime as dt

from plo_tracker.domain import court, stages
from plo_tracker.domain.drift import RULES, evaluate, next_due, raises_flags
from plo_tracker.domain.model import Booking
from plo_tracker.domain.policy import SETTINGS_BY_KEY, Policy
from plo_tracker.domain.working_days import WorkingCalendar
from tests.builders import D, case, ev

CAL = WorkingCalendar()
POLICY = Policy()

START = ev("legal_planning_meeting", "2025-11-03", outcome="issue_proceedings")
ISSUED = ev("proceedings_issued", "2026-01-05")  # a Monday; + 26 weeks = Monday 2026-07-06
CMH = ev("hearing", "2026-01-27", kind="case_management", la_plan="care_order")
CMH_NO_PLAN = ev("hearing", "2026-01-27", kind="case_management")
CONCLUDED = ev("proceedings_concluded", "2026-06-22", order="care_order")


def court_case(*extra, scheduled=()):
    return case(START, ISSUED, *extra, scheduled=tuple(scheduled))


def rule_flags(history, rule: str, as_of: str | dt.date, policy: Policy = POLICY):
    day = D(as_of) if isinstance(as_of, str) else as_of
    return [f for f in evaluate(history, policy, CAL, day) if f.rule == rule]


def states(history, rule: str, due: str, policy: Policy = POLICY) -> list[str | None]:
    """The flag's severity the day before, on and the day after ``due``."""
    day = D(due)
    found = []
    for as_of in (day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)):
        flags = rule_flags(history, rule, as_of, policy)
        assert len(flags) <= 1
        found.append(flags[0].severity if flags else None)
    return found


def test_the_rules_have_titles_and_policy_settings() -> None:
    assert RULES["week_26"] == "Care proceedings past 26 weeks"
    assert "hearing_not_recorded" in RULES and "first_hearing_plan" in RULES
    assert SETTINGS_BY_KEY["proceedings_weeks"].default == 26
    assert SETTINGS_BY_KEY["proceedings_weeks"].source.startswith("law: s.32(1)(a)")
    assert SETTINGS_BY_KEY["hearing_record_working_days"].default == 1
    assert SETTINGS_BY_KEY["hearing_record_working_days"].source.startswith("product default")


# -- week_26 ---------------------------------------------------------------------------------


def test_week_26_day_before_on_and_after_26_weeks() -> None:
    history = court_case(CMH)
    assert states(history, "week_26", "2026-07-06") == ["due_soon", "due_soon", "overdue"]
    (flag,) = rule_flags(history, "week_26", "2026-07-20")
    assert flag.due == D("2026-07-06")
    assert flag.message == (
        "PLO-T-1: care proceedings issued on Monday 5 January 2026 have not concluded within "
        "26 weeks; it was due on Monday 6 July 2026 and is 2 weeks overdue."
    )
    assert flag.to_json()["rule"] == "week_26"


def test_week_26_outside_the_warning_window_raises_nothing() -> None:
    history = court_case(CMH)
    # 5 working days before Monday 6 July is Monday 29 June; the Friday before is clear.
    assert rule_flags(history, "week_26", "2026-06-26") == []
    assert [f.severity for f in rule_flags(history, "week_26", "2026-06-29")] == ["due_soon"]
    assert next_due(history, POLICY, CAL, D("2026-03-01")) == D("2026-07-06")


def test_week_26_an_extension_moves_the_due_date() -> None:
    extended = court_case(CMH, ev("court_extension", "2026-06-30", until="2026-08-31"))
    # Before the extension is made (as-of), 26 weeks count; after, its until.
    assert [f.severity for f in rule_flags(extended, "week_26", "2026-06-29")] == ["due_soon"]
    assert rule_flags(extended, "week_26", "2026-07-07") == []
    assert states(extended, "week_26", "2026-08-31") == ["due_soon", "due_soon", "overdue"]
    (flag,) = rule_flags(extended, "week_26", "2026-09-01")
    assert "have not concluded by the date the court extended them to" in flag.message


def test_week_26_the_latest_extension_counts() -> None:
    twice = court_case(
        ev("court_extension", "2026-06-30", until="2026-08-31"),
        ev("court_extension", "2026-08-24", until="2026-10-26"),
    )
    assert rule_flags(twice, "week_26", "2026-09-01") == []
    assert states(twice, "week_26", "2026-10-26") == ["due_soon", "due_soon", "overdue"]


def test_week_26_a_concluded_case_raises_nothing() -> None:
    history = court_case(CMH, CONCLUDED)
    assert [f.rule for f in evaluate(history, POLICY, CAL, D("2026-08-01"))] == []
    assert not raises_flags(history, D("2026-08-01"))
    # Before the conclusion (as-of), the case is in proceedings.
    assert raises_flags(history, D("2026-06-21"))
    late = court_case(CMH, ev("proceedings_concluded", "2026-07-10", order="no_order"))
    assert [f.severity for f in rule_flags(late, "week_26", "2026-07-09")] == ["overdue"]
    assert rule_flags(late, "week_26", "2026-07-10") == []


def test_week_26_as_of_before_the_issue_is_silent() -> None:
    history = court_case(CMH)
    assert rule_flags(history, "week_26", "2026-01-04") == []
    assert raises_flags(history, D("2026-01-04"))  # still open in pre-proceedings
    assert court.proceedings(history, D("2026-01-04")) is None


def test_week_26_the_council_can_change_the_length() -> None:
    history = court_case(CMH)
    shorter = Policy(proceedings_weeks=20)
    assert states(history, "week_26", "2026-05-25", shorter) == ["due_soon", "due_soon", "overdue"]


def test_week_26_a_managers_review_marks_the_flag() -> None:
    review = ev(
        "management_oversight",
        "2026-07-08",
        decided_by="Ann Wright",
        rationale="Final hearing listed for 20 July; the court knows.",
        rule="week_26",
        until="2026-07-24",
    )
    history = court_case(CMH, review)
    (flag,) = rule_flags(history, "week_26", "2026-07-10")
    assert flag.severity == "overdue"
    assert flag.to_json()["reviewed"] == {
        "by": "Ann Wright",
        "on": "2026-07-08",
        "until": "2026-07-24",
    }
    (after,) = rule_flags(history, "week_26", "2026-07-25")
    assert after.reviewed is None


def test_pre_proceedings_rules_stop_at_issue_and_the_court_rules_start() -> None:
    history = court_case(CMH)
    rules = {f.rule for f in evaluate(history, POLICY, CAL, D("2026-07-10"))}
    assert rules == {"week_26"}


def test_an_immediate_issue_without_a_start_is_checked_too() -> None:
    history = case(ev("decision_to_issue", "2026-01-02", decided_by="Ann"), ISSUED)
    assert [f.severity for f in rule_flags(history, "week_26", "2026-07-07")] == ["overdue"]


def test_the_latest_issue_counts_after_earlier_proceedings_concluded() -> None:
    history = court_case(
        CONCLUDED,
        ev("decision_to_issue", "2027-01-04", decided_by="Ann"),
        ev("proceedings_issued", "2027-01-04"),
    )
    assert rule_flags(history, "week_26", "2027-06-25") == []
    assert [f.due for f in rule_flags(history, "week_26", "2027-07-06")] == [D("2027-07-05")]


# -- the week shown on start pages -------------------------------------------------------------


def test_the_week_of_proceedings() -> None:
    history = court_case(CMH)
    assert court.week_text(history, POLICY, D("2026-01-05")) == "week 1 of 26"
    assert court.week_text(history, POLICY, D("2026-01-12")) == "week 1 of 26"
    assert court.week_text(history, POLICY, D("2026-01-13")) == "week 2 of 26"
    assert court.week_text(history, POLICY, D("2026-05-11")) == "week 18 of 26"
    assert court.week_text(history, POLICY, D("2026-07-06")) == "week 26 of 26"
    assert court.week_text(history, POLICY, D("2026-07-07")) == "week 27 of 26"
    assert stages.stage(history, D("2026-05-12")) == "In proceedings, week 19 of 26"
    extended = court_case(ev("court_extension", "2026-06-30", until="2026-08-31"))
    assert court.week_text(extended, POLICY, D("2026-07-07")) == "week 27 of 34"
    done = court_case(CMH, CONCLUDED)
    assert court.week_text(done, POLICY, D("2026-07-01")) is None
    assert stages.stage(done, D("2026-07-01")) == "Proceedings concluded"
    assert court.proceedings(done, D("2026-07-01")).weeks_to_conclusion() == 24


# -- hearing_not_recorded -------------------------------------------------------------------


def hearing_booking(day: str, kind: str | None = "issues_resolution", id: int | None = 7):
    return Booking(type="hearing", date=D(day), kind=kind, id=id)


def test_hearing_not_recorded_from_the_day_after_the_hearing() -> None:
    # Wednesday 6 May 2026; due the working day after, Thursday 7 May.
    history = court_case(CMH, scheduled=[hearing_booking("2026-05-06")])
    # On the hearing's day it has not passed yet; the next day it is due; then overdue.
    assert states(history, "hearing_not_recorded", "2026-05-07") == [None, "due_soon", "overdue"]
    (flag,) = rule_flags(history, "hearing_not_recorded", "2026-05-08")
    assert flag.item == "booking:7"
    assert flag.message.startswith(
        "PLO-T-1: the issues resolution hearing booked for Wednesday 6 May 2026 has not been "
        "recorded as held;"
    )


def test_hearing_not_recorded_after_a_friday_hearing_is_due_on_monday() -> None:
    history = court_case(CMH, scheduled=[hearing_booking("2026-05-08")])  # Friday
    assert [f.due for f in rule_flags(history, "hearing_not_recorded", "2026-05-09")] == [
        D("2026-05-11")
    ]
    assert rule_flags(history, "hearing_not_recorded", "2026-05-09")[0].severity == "due_soon"


def test_a_hearing_of_that_kind_on_or_after_the_booking_ends_it() -> None:
    booking = hearing_booking("2026-05-06")
    held = ev("hearing", "2026-05-06", kind="issues_resolution", la_plan="care_order")
    recorded = court_case(CMH, held, scheduled=[booking])
    assert rule_flags(recorded, "hearing_not_recorded", "2026-05-20") == []
    other_kind = ev("hearing", "2026-05-06", kind="other")
    assert rule_flags(
        court_case(CMH, other_kind, scheduled=[booking]), "hearing_not_recorded", "2026-05-20"
    )
    earlier = ev("hearing", "2026-05-05", kind="issues_resolution")
    assert rule_flags(
        court_case(CMH, earlier, scheduled=[booking]), "hearing_not_recorded", "2026-05-20"
    )


def test_a_moved_booking_is_due_after_its_new_date() -> None:
    moved = court_case(CMH, scheduled=[hearing_booking("2026-06-10")])
    assert rule_flags(moved, "hearing_not_recorded", "2026-05-20") == []


def test_each_passed_hearing_booking_is_one_flag() -> None:
    history = court_case(
        CMH,
        scheduled=[
            hearing_booking("2026-03-03", "further_case_management", id=1),
            hearing_booking("2026-05-06", id=2),
            Booking(type="review_meeting", date=D("2026-05-01")),
        ],
    )
    flags = rule_flags(history, "hearing_not_recorded", "2026-05-20")
    assert [f.item for f in flags] == ["booking:1", "booking:2"]


def test_hearing_not_recorded_stops_when_concluded() -> None:
    history = court_case(CMH, CONCLUDED, scheduled=[hearing_booking("2026-05-06")])
    assert rule_flags(history, "hearing_not_recorded", "2026-06-21")
    assert rule_flags(history, "hearing_not_recorded", "2026-06-22") == []


# -- first_hearing_plan ---------------------------------------------------------------------


def test_first_hearing_plan_due_on_the_hearing_itself() -> None:
    history = court_case(CMH_NO_PLAN)
    assert states(history, "first_hearing_plan", "2026-01-27") == [None, "due_soon", "overdue"]
    (flag,) = rule_flags(history, "first_hearing_plan", "2026-02-03")
    assert flag.message.startswith(
        "PLO-T-1: the council's plan is not recorded for the first hearing (case management "
        "hearing on Tuesday 27 January 2026);"
    )


def test_first_hearing_plan_met_by_the_first_hearings_plan_only() -> None:
    assert rule_flags(court_case(CMH), "first_hearing_plan", "2026-03-01") == []
    later_plan = court_case(
        CMH_NO_PLAN, ev("hearing", "2026-03-10", kind="further_case_management", la_plan="adoption")
    )
    assert rule_flags(later_plan, "first_hearing_plan", "2026-03-20")


def test_first_hearing_plan_ends_with_the_case() -> None:
    history = court_case(CMH_NO_PLAN, CONCLUDED)
    assert rule_flags(history, "first_hearing_plan", "2026-06-22") == []


def test_court_rules_with_no_hearing_yet() -> None:
    history = court_case()
    assert rule_flags(history, "first_hearing_plan", "2026-03-01") == []
