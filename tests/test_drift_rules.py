"""Every drift rule at its boundaries: the day before, on and after its due date.

Most timelines sit in June to September 2024, which has one bank holiday (26 August),
so due dates can be checked by hand against a calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest

from plo_tracker.domain.drift import RULE_IDS, evaluate, evaluate_all
from plo_tracker.domain.model import Assessment, Child, PlanAction
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from tests.builders import D, case, ev, father, mother

CAL = WorkingCalendar()
POLICY = Policy()

START = ev("legal_planning_meeting", "2024-06-03", outcome="pre_proceedings")  # Monday
LETTER = ev("letter_before_proceedings", "2024-06-04", party="mother")  # Tuesday
REFERRAL = ev("fgc_referral", "2024-06-06")
MEETING = ev("pre_proceedings_meeting", "2024-06-05")


def flags(history, as_of: str, policy: Policy = POLICY, cal: WorkingCalendar = CAL):
    return evaluate(history, policy, cal, D(as_of))


def only(history, rule: str, as_of: str, **kw):
    found = [f for f in flags(history, as_of, **kw) if f.rule == rule]
    assert len(found) <= 1, found
    return found[0] if found else None


def severity(history, rule: str, as_of: str, **kw) -> str | None:
    flag = only(history, rule, as_of, **kw)
    return flag.severity if flag else None


def check_boundary(history, rule: str, due: str, **kw) -> None:
    """due_soon the day before and on the due date, overdue the day after."""
    day = D(due)
    before = (day - dt.timedelta(days=1)).isoformat()
    after = (day + dt.timedelta(days=1)).isoformat()
    flag = only(history, rule, due, **kw)
    assert flag is not None and flag.due == day, flag
    assert flag.severity == "due_soon"
    assert severity(history, rule, before, **kw) == "due_soon"
    assert severity(history, rule, after, **kw) == "overdue"


# -- letter_due ------------------------------------------------------------------------------


def test_letter_due_five_working_days_after_the_start() -> None:
    check_boundary(case(START), "letter_due", "2024-06-10")


def test_letter_due_outside_the_warning_window_raises_nothing() -> None:
    slow = Policy(letter_due_working_days=10)  # due Monday 17 June
    history = case(START)
    assert severity(history, "letter_due", "2024-06-07", policy=slow) is None  # +5 wd = 14th
    assert severity(history, "letter_due", "2024-06-10", policy=slow) == "due_soon"  # +5 = 17th


def test_letter_due_ends_when_a_letter_is_sent_but_not_before_its_date() -> None:
    history = case(START, ev("letter_before_proceedings", "2024-06-12", party="mother"))
    assert severity(history, "letter_due", "2024-06-11") == "overdue"
    assert severity(history, "letter_due", "2024-06-12") is None


def test_letter_due_only_for_a_start_with_outcome_pre_proceedings() -> None:
    history = case(ev("legal_planning_meeting", "2024-06-03", outcome="issue_proceedings"))
    assert severity(history, "letter_due", "2024-06-20") is None


def test_no_legal_action_does_not_start_a_case() -> None:
    history = case(ev("legal_planning_meeting", "2024-06-03", outcome="no_legal_action"))
    assert flags(history, "2024-09-01") == []


def test_nothing_before_the_case_starts() -> None:
    assert flags(case(START), "2024-06-02") == []


def test_letter_due_over_a_bank_holiday() -> None:
    # Thu 22 Aug + 5 wd: 23, (26 is the summer bank holiday), 27, 28, 29, 30.
    history = case(ev("legal_planning_meeting", "2024-08-22", outcome="pre_proceedings"))
    check_boundary(history, "letter_due", "2024-08-30")


def test_letter_due_over_a_closure_day() -> None:
    closed = WorkingCalendar([D("2024-08-27")])
    history = case(ev("legal_planning_meeting", "2024-08-22", outcome="pre_proceedings"))
    check_boundary(history, "letter_due", "2024-09-02", cal=closed)


def test_the_earliest_qualifying_planning_meeting_is_the_start() -> None:
    history = case(
        ev("legal_planning_meeting", "2024-05-20", outcome="no_legal_action"),
        START,
        ev("legal_planning_meeting", "2024-06-20", outcome="pre_proceedings"),
    )
    assert only(history, "letter_due", "2024-06-11").due == D("2024-06-10")


# -- first_meeting_due -----------------------------------------------------------------------


def test_first_meeting_due_ten_working_days_after_the_first_letter() -> None:
    later_letter = ev("letter_before_proceedings", "2024-06-07", party="father")
    history = case(START, later_letter, LETTER, parties=(mother(), father()))
    check_boundary(history, "first_meeting_due", "2024-06-18")


def test_first_meeting_due_stops_once_a_meeting_is_held() -> None:
    history = case(START, LETTER, ev("pre_proceedings_meeting", "2024-06-20"))
    assert severity(history, "first_meeting_due", "2024-06-19") == "overdue"
    assert severity(history, "first_meeting_due", "2024-06-20") is None


def test_no_first_meeting_flag_before_a_letter() -> None:
    assert severity(case(START), "first_meeting_due", "2024-07-01") is None


# -- review_due ------------------------------------------------------------------------------


def test_review_due_six_weeks_after_the_first_meeting() -> None:
    check_boundary(case(START, LETTER, MEETING), "review_due", "2024-07-17")


def test_review_due_runs_from_the_latest_meeting() -> None:
    history = case(START, LETTER, MEETING, ev("review_meeting", "2024-06-19"))
    check_boundary(history, "review_due", "2024-07-31")
    # As of the day before the review, the first meeting is the last one (due 17 July).
    assert only(history, "review_due", "2024-07-12") is None  # review on 19 June seen
    without_review_yet = case(START, LETTER, MEETING)
    assert only(without_review_yet, "review_due", "2024-07-12").due == D("2024-07-17")
    assert severity(history, "review_due", "2024-07-24") == "due_soon"


def test_review_due_not_raised_by_a_review_alone_without_a_first_meeting() -> None:
    history = case(START, LETTER, ev("review_meeting", "2024-06-19"))
    assert severity(history, "review_due", "2024-08-30") is None


# -- fgc_referral_due ------------------------------------------------------------------------


def test_fgc_referral_due_ten_working_days_after_the_first_letter() -> None:
    check_boundary(case(START, LETTER), "fgc_referral_due", "2024-06-18")


@pytest.mark.parametrize("kind", ["fgc_referral", "fgc_held", "fgc_declined"])
def test_fgc_referral_due_resolved_by_referral_held_or_declined(kind: str) -> None:
    extra = {"reason": "Family said no"} if kind == "fgc_declined" else {}
    history = case(START, LETTER, ev(kind, "2024-06-19", **extra))
    assert severity(history, "fgc_referral_due", "2024-06-18") == "due_soon"
    assert severity(history, "fgc_referral_due", "2024-06-19") is None


# -- fgc_held_due ----------------------------------------------------------------------------


def test_fgc_held_due_six_weeks_after_referral() -> None:
    check_boundary(case(START, LETTER, REFERRAL), "fgc_held_due", "2024-07-18")


@pytest.mark.parametrize("kind", ["fgc_held", "fgc_declined"])
def test_fgc_held_due_resolved(kind: str) -> None:
    extra = {"reason": "Not in the child's best interests"} if kind == "fgc_declined" else {}
    history = case(START, LETTER, REFERRAL, ev(kind, "2024-07-20", **extra))
    assert severity(history, "fgc_held_due", "2024-07-19") == "overdue"
    assert severity(history, "fgc_held_due", "2024-07-20") is None


def test_fgc_held_due_runs_from_the_earliest_referral() -> None:
    history = case(START, LETTER, REFERRAL, ev("fgc_referral", "2024-07-01"))
    assert only(history, "fgc_held_due", "2024-07-18").due == D("2024-07-18")


# -- duration_exceeded -----------------------------------------------------------------------


def test_duration_exceeded_sixteen_weeks_after_the_first_meeting() -> None:
    history = case(START, LETTER, MEETING, ev("review_meeting", "2024-09-20"))
    check_boundary(history, "duration_exceeded", "2024-09-25")


def test_an_extension_moves_the_end_to_its_until_date() -> None:
    ext = ev(
        "extension_agreed", "2024-09-20", until="2024-10-30", decided_by="Ann", rationale="Test"
    )
    history = case(START, LETTER, MEETING, ext)
    check_boundary(history, "duration_exceeded", "2024-10-30")
    # Before the extension was agreed, the usual end applies.
    assert only(history, "duration_exceeded", "2024-09-19").due == D("2024-09-25")


def test_the_latest_extension_wins_even_if_shorter() -> None:
    first = ev(
        "extension_agreed", "2024-09-20", until="2024-11-30", decided_by="Ann", rationale="x"
    )
    second = ev(
        "extension_agreed", "2024-10-01", until="2024-10-20", decided_by="Ann", rationale="y"
    )
    history = case(START, LETTER, MEETING, second, first)
    assert only(history, "duration_exceeded", "2024-10-21").due == D("2024-10-20")


def test_duration_needs_a_first_meeting() -> None:
    assert severity(case(START, LETTER), "duration_exceeded", "2025-01-10") is None


# -- assessment_overdue ----------------------------------------------------------------------


def test_assessment_overdue_at_its_due_date_one_flag_per_assessment() -> None:
    history = case(
        START,
        assessments=(
            Assessment("Parenting assessment", D("2024-06-05"), D("2024-07-05")),
            Assessment("Hair strand test", D("2024-06-05"), D("2024-07-10")),
        ),
    )
    check_boundary(
        case(START, assessments=history.assessments[:1]), "assessment_overdue", "2024-07-05"
    )
    both = [f for f in flags(history, "2024-07-11") if f.rule == "assessment_overdue"]
    assert [f.due for f in both] == [D("2024-07-05"), D("2024-07-10")]
    assert "Hair strand test" in both[1].message


def test_assessment_completed_or_not_yet_commissioned() -> None:
    done = Assessment("Parenting assessment", D("2024-06-05"), D("2024-07-05"), D("2024-07-10"))
    history = case(START, assessments=(done,))
    assert severity(history, "assessment_overdue", "2024-07-09") == "overdue"
    assert severity(history, "assessment_overdue", "2024-07-10") is None
    later = Assessment("Viability", D("2024-07-01"), D("2024-07-03"))
    assert severity(case(START, assessments=(later,)), "assessment_overdue", "2024-06-30") is None


# -- action_overdue --------------------------------------------------------------------------


def test_action_overdue_per_action_and_names_the_person() -> None:
    actions = (
        PlanAction("Go to the parenting course", D("2024-07-01"), party="mother"),
        PlanAction("Book the FGC", D("2024-07-01"), completed=D("2024-06-28")),
        PlanAction("Keep the house safe", D("2024-07-08"), party="mother"),
    )
    history = case(START, actions=actions)
    check_boundary(case(START, actions=actions[:1]), "action_overdue", "2024-07-01")
    found = [f for f in flags(history, "2024-07-09") if f.rule == "action_overdue"]
    assert len(found) == 2
    assert "Kelly Jones" in found[0].message and "parenting course" in found[0].message


def test_action_completed_after_the_as_of_date_counts_as_not_done() -> None:
    action = PlanAction("Go to the course", D("2024-07-01"), completed=D("2024-07-05"))
    history = case(START, actions=(action,))
    assert severity(history, "action_overdue", "2024-07-04") == "overdue"
    assert severity(history, "action_overdue", "2024-07-05") is None


# -- issue_due -------------------------------------------------------------------------------


def test_issue_due_five_working_days_after_a_decision_to_issue() -> None:
    decision = ev("decision_to_issue", "2024-06-12", decided_by="Ann Wright")
    check_boundary(case(START, LETTER, MEETING, decision), "issue_due", "2024-06-19")


def test_issue_due_after_a_start_with_outcome_issue_proceedings() -> None:
    start = ev("legal_planning_meeting", "2024-06-03", outcome="issue_proceedings")
    check_boundary(case(start), "issue_due", "2024-06-10")


def test_issued_proceedings_end_the_case_and_all_its_flags() -> None:
    start = ev("legal_planning_meeting", "2024-06-03", outcome="issue_proceedings")
    history = case(start, ev("proceedings_issued", "2024-06-12"))
    assert flags(history, "2024-06-11") != []
    assert flags(history, "2024-06-12") == []
    # After issue only the court rules run (section 7): 26 weeks on, week_26 alone.
    assert [f.rule for f in flags(history, "2025-06-12")] == ["week_26"]


# -- pre_birth_meeting_due -------------------------------------------------------------------


def test_pre_birth_meeting_due_ten_weeks_before_the_expected_birth() -> None:
    unborn = (Child(name="Baby Morris", expected_birth=D("2024-09-30")),)
    history = case(START, LETTER, children=unborn)
    check_boundary(history, "pre_birth_meeting_due", "2024-07-22")
    with_meeting = case(START, LETTER, ev("pre_proceedings_meeting", "2024-07-25"), children=unborn)
    assert severity(with_meeting, "pre_birth_meeting_due", "2024-07-24") == "overdue"
    assert severity(with_meeting, "pre_birth_meeting_due", "2024-07-25") is None


def test_no_pre_birth_flag_for_born_children() -> None:
    assert severity(case(START, LETTER), "pre_birth_meeting_due", "2024-09-01") is None


# -- oversight_due ---------------------------------------------------------------------------


def test_oversight_due_four_weeks_after_the_start() -> None:
    check_boundary(case(START), "oversight_due", "2024-07-01")


def test_oversight_and_extensions_reset_the_clock() -> None:
    oversight = ev("management_oversight", "2024-06-20", decided_by="Ann", rationale="Fine")
    check_boundary(case(START, oversight), "oversight_due", "2024-07-18")
    ext = ev("extension_agreed", "2024-07-10", until="2024-12-01", decided_by="Ann", rationale="x")
    check_boundary(case(START, oversight, ext), "oversight_due", "2024-08-07")


def test_a_flag_review_also_counts_as_oversight() -> None:
    review = ev(
        "management_oversight", "2024-06-20", decided_by="Ann", rationale="x", rule="letter_due"
    )
    assert only(case(START, review), "oversight_due", "2024-07-18").due == D("2024-07-18")


# -- solicitor_missing -----------------------------------------------------------------------


def test_solicitor_missing_one_flag_per_parent_with_pr() -> None:
    parties = (mother(solicitor=False), father(solicitor=False))
    history = case(START, LETTER, parties=parties)
    found = [f for f in flags(history, "2024-06-19") if f.rule == "solicitor_missing"]
    assert [f.severity for f in found] == ["overdue", "overdue"]
    assert {f.due for f in found} == {D("2024-06-18")}
    assert "Kelly Jones" in found[0].message or "Kelly Jones" in found[1].message
    check_boundary(
        case(START, LETTER, parties=(mother(solicitor=False),)), "solicitor_missing", "2024-06-18"
    )


def test_no_solicitor_flag_without_pr_or_before_a_letter() -> None:
    no_pr = case(START, LETTER, parties=(mother(), father(solicitor=False, pr=False)))
    assert severity(no_pr, "solicitor_missing", "2024-07-01") is None
    assert (
        severity(case(START, parties=(mother(False),)), "solicitor_missing", "2024-07-01") is None
    )


# -- ended cases, as-of, reviews, output -----------------------------------------------------


def test_stepped_down_case_raises_nothing_from_that_day() -> None:
    history = case(START, LETTER, MEETING, ev("stepped_down", "2024-08-01", to="child_in_need"))
    assert flags(history, "2024-07-31") != []
    assert flags(history, "2024-08-01") == []


def test_as_of_in_the_past_ignores_later_events() -> None:
    full = case(START, LETTER, REFERRAL, MEETING, ev("review_meeting", "2024-07-15"))
    # As of 5 June: only the letter has gone; the referral (6 June) has not happened.
    early = {f.rule for f in flags(full, "2024-06-05")}
    assert "fgc_referral_due" not in early  # not yet in the warning window (due 18 June)
    assert {f.rule for f in flags(full, "2024-06-17")} == set()
    assert only(full, "review_due", "2024-07-14").due == D("2024-07-17")
    assert only(full, "review_due", "2024-08-30").due == D("2024-08-26")


def test_review_marks_the_flag_but_keeps_its_severity() -> None:
    action = PlanAction("Go to the course", D("2024-07-01"), party="mother")
    review = ev(
        "management_oversight",
        "2024-07-03",
        decided_by="Ann Wright",
        rationale="Course cancelled by provider",
        rule="action_overdue",
        until="2024-07-20",
    )
    history = case(START, review, actions=(action,))
    before = only(history, "action_overdue", "2024-07-02")
    assert before.reviewed is None and before.severity == "overdue"
    during = only(history, "action_overdue", "2024-07-10")
    assert during.severity == "overdue"
    assert during.reviewed is not None
    assert during.to_json()["reviewed"] == {
        "by": "Ann Wright",
        "on": "2024-07-03",
        "until": "2024-07-20",
    }
    assert only(history, "action_overdue", "2024-07-20").reviewed is not None
    after = only(history, "action_overdue", "2024-07-21")
    assert after is not None and after.reviewed is None and after.severity == "overdue"


def test_review_without_until_lasts_and_only_covers_flags_due_by_its_date() -> None:
    early = PlanAction("Early", D("2024-07-01"))
    late = PlanAction("Late", D("2024-07-10"))
    review = ev(
        "management_oversight",
        "2024-07-05",
        decided_by="Ann",
        rationale="ok",
        rule="action_overdue",
    )
    history = case(START, review, actions=(early, late))
    found = [f for f in flags(history, "2025-01-01") if f.rule == "action_overdue"]
    assert found[0].reviewed is not None and found[0].reviewed.until is None
    assert found[1].reviewed is None  # due after the review


def test_a_review_of_another_rule_does_not_apply() -> None:
    review = ev(
        "management_oversight", "2024-06-12", decided_by="Ann", rationale="x", rule="review_due"
    )
    assert only(case(START, review), "letter_due", "2024-06-13").reviewed is None


def test_json_shape_and_message() -> None:
    flag = only(case(START, reference="PLO-2024-0099"), "letter_due", "2024-06-13")
    data = flag.to_json()
    assert set(data) == {"case", "rule", "severity", "due", "message"}
    assert data == {
        "case": "PLO-2024-0099",
        "rule": "letter_due",
        "severity": "overdue",
        "due": "2024-06-10",
        "message": data["message"],
    }
    assert data["message"].startswith("PLO-2024-0099:")
    assert "letter before proceedings" in data["message"]
    assert "3 days overdue" in data["message"]
    soon = only(case(START), "letter_due", "2024-06-07")
    assert "in 3 days" in soon.message


def test_sorted_by_case_then_rule_then_due() -> None:
    a = case(START, LETTER, reference="B-2", parties=(mother(False), father(False)))
    b = case(START, reference="A-1")
    result = evaluate_all([a, b], POLICY, CAL, D("2024-07-30"))
    keys = [(f.case, f.rule, f.due) for f in result]
    assert keys == sorted(keys)
    assert result[0].case == "A-1"


def test_every_rule_id_can_fire() -> None:
    """A sanity check that the suite above covers each contract rule id."""
    assert set(RULE_IDS) == {
        "letter_due",
        "first_meeting_due",
        "review_due",
        "fgc_referral_due",
        "fgc_held_due",
        "duration_exceeded",
        "assessment_overdue",
        "action_overdue",
        "issue_due",
        "pre_birth_meeting_due",
        "oversight_due",
        "solicitor_missing",
        "fgdm_offer_missing",
        "fgdm_before_application",
        "week_26",
        "hearing_not_recorded",
        "first_hearing_plan",
    }
