"""The family group decision-making duty's two rules (domain reference, section 3).

Both are off until the council sets ``fgdm_duty_from``; then they follow the general rules:
the day before, on and after the due date; as-of sees only events up to it; only open
cases; a manager's review marks them reviewed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from plo_tracker.domain.drift import evaluate
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from tests.builders import D, case, ev, father, mother

CAL = WorkingCalendar()
DUTY = Policy(fgdm_duty_from=D("2026-01-05"))
NO_DUTY = Policy()

START = ev("legal_planning_meeting", "2026-06-01", outcome="pre_proceedings")  # Monday
NOT_OFFERED_M = ev("letter_before_proceedings", "2026-06-03", party="mother", fgdm_offered=False)
NOT_OFFERED_F = ev("letter_before_proceedings", "2026-06-03", party="father", fgdm_offered=False)
OFFERED_F = ev("letter_before_proceedings", "2026-06-03", party="father", fgdm_offered=True)
DEFAULT_F = ev("letter_before_proceedings", "2026-06-03", party="father")  # default: offered
ACCEPTED = ev("fgdm_response", "2026-06-05", party="mother", response="accepted")
DECLINED = ev("fgdm_response", "2026-06-05", party="father", response="declined")
DECISION = ev("decision_to_issue", "2026-07-01", decided_by="Ann Wright")
PARTIES = (mother(), father())


def rule_flags(history, rule: str, as_of: str, policy: Policy = DUTY):
    return [f for f in evaluate(history, policy, CAL, D(as_of)) if f.rule == rule]


def states(history, rule: str, due: str, policy: Policy = DUTY) -> list[str | None]:
    """The flag's severity the day before, on and the day after ``due``."""
    day = D(due)
    found = []
    for as_of in (day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)):
        flags = rule_flags(history, rule, as_of.isoformat(), policy)
        assert len(flags) <= 1
        found.append(flags[0].severity if flags else None)
    return found


# -- fgdm_offer_missing --------------------------------------------------------------------


def offer_missing_case(*extra):
    return case(START, NOT_OFFERED_M, NOT_OFFERED_F, *extra, parties=PARTIES)


def test_offer_missing_is_due_on_the_first_letters_day() -> None:
    history = offer_missing_case()
    # The day before, the letter is not sent yet (as-of sees only events up to it).
    assert states(history, "fgdm_offer_missing", "2026-06-03") == [None, "due_soon", "overdue"]
    (flag,) = rule_flags(history, "fgdm_offer_missing", "2026-06-10")
    assert flag.due == D("2026-06-03")
    assert "did not offer a family group decision-making meeting" in flag.message
    assert flag.message.startswith("PLO-T-1: ") and "1 week" not in flag.message
    assert flag.to_json()["rule"] == "fgdm_offer_missing"


def test_offer_missing_is_off_until_the_duty_date_is_set() -> None:
    history = offer_missing_case()
    assert states(history, "fgdm_offer_missing", "2026-06-03", NO_DUTY) == [None, None, None]


def test_offer_missing_only_for_first_letters_on_or_after_the_duty_date() -> None:
    history = offer_missing_case()
    on_the_day = Policy(fgdm_duty_from=D("2026-06-03"))
    assert rule_flags(history, "fgdm_offer_missing", "2026-06-10", on_the_day)
    later = Policy(fgdm_duty_from=D("2026-06-04"))
    assert rule_flags(history, "fgdm_offer_missing", "2026-06-10", later) == []


def test_any_letter_offering_the_meeting_is_enough() -> None:
    for letter in (OFFERED_F, DEFAULT_F):
        history = case(START, NOT_OFFERED_M, letter, parties=PARTIES)
        assert rule_flags(history, "fgdm_offer_missing", "2026-06-10") == []
    # An offer in a later letter counts once it is sent (as-of).
    later = replace(OFFERED_F, date=D("2026-06-12"))
    history = case(START, NOT_OFFERED_M, later, parties=PARTIES)
    assert rule_flags(history, "fgdm_offer_missing", "2026-06-11")
    assert rule_flags(history, "fgdm_offer_missing", "2026-06-12") == []


def test_a_decision_not_to_offer_ends_the_flag() -> None:
    decision = ev(
        "fgdm_not_offered",
        "2026-06-08",
        decided_by="Ann Wright",
        rationale="A meeting would tell the father where the mother lives.",
    )
    history = offer_missing_case(decision)
    assert rule_flags(history, "fgdm_offer_missing", "2026-06-05")
    assert rule_flags(history, "fgdm_offer_missing", "2026-06-08") == []


def test_offer_missing_is_reviewed_by_a_manager_and_stops_when_the_case_ends() -> None:
    review = ev(
        "management_oversight",
        "2026-06-09",
        decided_by="Ann Wright",
        rationale="Offer made in person; letter being re-sent.",
        rule="fgdm_offer_missing",
        until="2026-06-20",
    )
    history = offer_missing_case(review)
    (flag,) = rule_flags(history, "fgdm_offer_missing", "2026-06-10")
    assert flag.severity == "overdue"
    assert flag.to_json()["reviewed"] == {
        "by": "Ann Wright",
        "on": "2026-06-09",
        "until": "2026-06-20",
    }
    (later,) = rule_flags(history, "fgdm_offer_missing", "2026-06-21")
    assert later.reviewed is None
    ended = offer_missing_case(ev("stepped_down", "2026-06-15", to="child_in_need"))
    assert rule_flags(ended, "fgdm_offer_missing", "2026-06-16") == []


# -- fgdm_before_application ---------------------------------------------------------------


def application_case(*extra):
    return case(START, NOT_OFFERED_M, OFFERED_F, ACCEPTED, DECLINED, *extra, parties=PARTIES)


def test_before_application_is_due_on_the_decision_day() -> None:
    history = application_case(DECISION)
    assert states(history, "fgdm_before_application", "2026-07-01") == [
        None,
        "due_soon",
        "overdue",
    ]
    (flag,) = rule_flags(history, "fgdm_before_application", "2026-07-08")
    assert flag.due == D("2026-07-01")
    assert "accepted on Friday 5 June 2026" in flag.message
    assert "before the application to court" in flag.message


def test_before_application_is_off_until_the_duty_date_is_set() -> None:
    history = application_case(DECISION)
    assert states(history, "fgdm_before_application", "2026-07-01", NO_DUTY) == [None] * 3


def test_only_decisions_on_or_after_the_duty_date_count() -> None:
    history = application_case(DECISION)
    assert (
        rule_flags(
            history, "fgdm_before_application", "2026-07-08", Policy(fgdm_duty_from=D("2026-07-02"))
        )
        == []
    )
    assert rule_flags(
        history, "fgdm_before_application", "2026-07-08", Policy(fgdm_duty_from=D("2026-07-01"))
    )


def test_a_start_that_decided_to_issue_counts_as_the_decision() -> None:
    start = ev("legal_planning_meeting", "2026-06-01", outcome="issue_proceedings")
    history = case(start, ACCEPTED, parties=PARTIES)
    # Until the acceptance of 5 June is known, nothing is due.
    assert states(history, "fgdm_before_application", "2026-06-01") == [None] * 3
    (flag,) = rule_flags(history, "fgdm_before_application", "2026-06-05")
    assert flag.due == D("2026-06-01") and flag.severity == "overdue"


def test_no_acceptance_no_flag() -> None:
    history = case(START, NOT_OFFERED_M, OFFERED_F, DECLINED, DECISION, parties=PARTIES)
    assert rule_flags(history, "fgdm_before_application", "2026-07-08") == []


def test_a_meeting_held_after_the_earliest_acceptance_ends_it() -> None:
    held_before = ev("fgc_held", "2026-06-04")
    assert rule_flags(
        application_case(DECISION, held_before), "fgdm_before_application", "2026-07-08"
    )
    held_after = ev("fgc_held", "2026-06-20")
    history = application_case(DECISION, held_after)
    assert rule_flags(history, "fgdm_before_application", "2026-07-08") == []
    held_on_the_day = ev("fgc_held", "2026-06-05")
    assert (
        rule_flags(
            application_case(DECISION, held_on_the_day), "fgdm_before_application", "2026-07-08"
        )
        == []
    )
    # As of a date before the meeting, it is still raised (and only once decided).
    late = ev("fgc_held", "2026-07-06")
    history = application_case(DECISION, late)
    assert rule_flags(history, "fgdm_before_application", "2026-07-03")
    assert rule_flags(history, "fgdm_before_application", "2026-07-06") == []


def test_before_application_ends_with_the_issue() -> None:
    issued = ev("proceedings_issued", "2026-07-03")
    history = application_case(DECISION, issued)
    assert rule_flags(history, "fgdm_before_application", "2026-07-02")
    assert rule_flags(history, "fgdm_before_application", "2026-07-03") == []


def test_without_the_duty_date_the_other_flags_are_exactly_as_before() -> None:
    history = application_case(DECISION)
    for as_of in ("2026-06-03", "2026-07-01", "2026-09-30"):
        without = evaluate(history, NO_DUTY, CAL, D(as_of))
        with_duty = evaluate(history, DUTY, CAL, D(as_of))
        assert [f for f in with_duty if not f.rule.startswith("fgdm_")] == without
