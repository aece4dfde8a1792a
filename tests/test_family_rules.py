"""Families as they are (domain reference section 6) in the rules: which letters count,
meetings that did not go ahead, and the checks on meetings booked in the app.

Pure rules first (drift, census, meetings), then the service on both databases: a booking
in the past, people kept apart at the boundary of ``apart_minutes`` (119 / 120 minutes), a
meeting on a weekend or at 3am (confirmed), the notice a letter must give (4 / 5 working
days, a bank holiday).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain import family, meetings
from plo_tracker.domain.drift import evaluate
from plo_tracker.domain.model import (
    Booking,
    CaseHistory,
    Child,
    ChildLink,
    KeepApart,
    Party,
)
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import ChronologyWarning, ValidationError
from plo_tracker.reports.census import CensusSettings, build_census
from tests.builders import D, book, case, ev, mother

CAL = WorkingCalendar()
POLICY = Policy()
START = ev("legal_planning_meeting", "2024-06-03", outcome="pre_proceedings")  # Monday

AUNT = Party(id="aunt", name="Rose Hill", relationship="aunt", parental_responsibility=False)


def rules(history: CaseHistory, as_of: str) -> dict[str, str]:
    return {f.rule: f.severity for f in evaluate(history, POLICY, CAL, D(as_of))}


# -- which letters count ---------------------------------------------------------------------


def test_a_letter_to_a_relative_without_pr_does_not_meet_letter_due() -> None:
    aunt_only = case(
        START, ev("letter_before_proceedings", "2024-06-04", party="aunt"), parties=(mother(), AUNT)
    )
    assert rules(aunt_only, "2024-06-11")["letter_due"] == "overdue"
    # Nor does it start the clocks that run from the first letter.
    assert "first_meeting_due" not in rules(aunt_only, "2024-06-20")
    to_mother = replace(
        aunt_only,
        events=(*aunt_only.events, ev("letter_before_proceedings", "2024-06-05", party="mother")),
    )
    assert "letter_due" not in rules(to_mother, "2024-06-11")
    assert "first_meeting_due" in rules(to_mother, "2024-06-19")


def test_a_letter_with_no_party_counts_as_in_version_1() -> None:
    assert "letter_due" not in rules(
        case(START, ev("letter_before_proceedings", "2024-06-04")), "2024-06-11"
    )


def test_pr_is_per_child() -> None:
    """A stepfather tied to one child without PR: his letter counts for nothing; a father
    with PR for one of two children: his letter counts."""
    children = (
        Child("Ruby", D("2016-09-03"), key="ruby"),
        Child("Alfie", D("2021-04-22"), key="alfie"),
    )
    step = Party(
        id="step",
        name="Sam Cole",
        relationship="stepfather",
        parental_responsibility=True,  # overridden by the ties below
        children=(ChildLink("ruby", "stepfather", False),),
    )
    dad = Party(
        id="dad",
        name="Dean Morgan",
        relationship="father",
        parental_responsibility=False,
        children=(ChildLink("alfie", "father", True),),
    )
    base = case(START, children=children, parties=(step, dad))
    with_step = replace(
        base, events=(*base.events, ev("letter_before_proceedings", "2024-06-04", party="step"))
    )
    assert rules(with_step, "2024-06-11")["letter_due"] == "overdue"
    with_dad = replace(
        base, events=(*base.events, ev("letter_before_proceedings", "2024-06-04", party="dad"))
    )
    assert "letter_due" not in rules(with_dad, "2024-06-11")
    # solicitor_missing: PR for at least one child.
    flagged = {f.item for f in evaluate(with_dad, POLICY, CAL, D("2024-07-01"))}
    assert "party:dad" in flagged and "party:step" not in flagged
    assert family.own_children(base, dad) == (children[1],)
    assert family.own_children(base, step) == ()


# -- meetings that did not go ahead ---------------------------------------------------------


LETTER = ev("letter_before_proceedings", "2024-06-04", party="mother")


def test_a_meeting_that_did_not_go_ahead_meets_no_timescale() -> None:
    missed = ev("pre_proceedings_meeting", "2024-06-12", effective=False)
    history = case(START, LETTER, missed, parties=(mother(),))
    found = rules(history, "2024-06-19")
    assert found["first_meeting_due"] == "overdue"  # due 18 June: the missed one is no meeting
    assert "review_due" not in found and "duration_exceeded" not in found
    held = ev("pre_proceedings_meeting", "2024-06-14")
    history = replace(history, events=(*history.events, held))
    found = rules(history, "2024-07-25")
    assert "first_meeting_due" not in found
    # The review is due 6 weeks after the meeting that went ahead (26 July), not the missed one.
    flag = next(
        f for f in evaluate(history, POLICY, CAL, D("2024-07-25")) if f.rule == "review_due"
    )
    assert flag.due == D("2024-07-26")
    # A review that did not go ahead does not reset it.
    missed_review = ev("review_meeting", "2024-07-20", effective=False)
    history = replace(history, events=(*history.events, missed_review))
    flag = next(
        f for f in evaluate(history, POLICY, CAL, D("2024-07-25")) if f.rule == "review_due"
    )
    assert flag.due == D("2024-07-26")


def test_the_census_counts_the_first_effective_meeting_and_effective_reviews() -> None:
    codes = {
        "child_protection": "B",
        "child_in_need": "B",
        "no_further_action": "B",
        "decision_to_issue": "C",
        "proceedings_issued": "A",
        "open": "C",
    }
    history = case(
        ev("legal_planning_meeting", "2026-09-09", outcome="pre_proceedings"),
        ev("letter_before_proceedings", "2026-09-14", party="aunt"),  # no PR: not the LBP date
        ev("letter_before_proceedings", "2026-09-20", party="mother"),
        ev("pre_proceedings_meeting", "2026-09-25", effective=False),
        ev("pre_proceedings_meeting", "2026-09-28"),
        ev("review_meeting", "2026-10-26", effective=False),
        ev("review_meeting", "2026-11-16"),
        children=(Child("Amelia Jones", D("2019-05-14"), la_child_id="LA0001"),),
        parties=(mother(), AUNT),
    )
    census = build_census([history], D("2027-03-31"), CensusSettings.from_values("893", codes))
    (record,) = census.records
    assert record.lbp_sent_date == D("2026-09-20")
    assert record.initial_pp_meeting_date == D("2026-09-28")
    assert record.review_meetings_count == 1


# -- meetings booked in the app (pure) ------------------------------------------------------


KEPT = case(
    START,
    parties=(
        mother(),
        Party(id="dean", name="Dean Morgan", relationship="father", parental_responsibility=True),
    ),
    keep_apart=(KeepApart("mother", ("dean",), "Non-molestation order"),),
)
NOW = dt.datetime(2026, 12, 7, 9, 0)  # Monday 7 December 2026, 9am
MONDAY = D("2026-12-14")


def booking(
    time: str | None,
    who: str,
    place: str = "Shirehall, Room 2",
    day: dt.date = MONDAY,
    **kw: object,
) -> Booking:
    return Booking(
        "review_meeting",
        day,
        dt.time.fromisoformat(time) if time else None,
        place,
        attendees=(who,),
        **kw,
    )


def problems(history: CaseHistory, new: Booking) -> list[meetings.BookingProblem]:
    return meetings.check_booking(history, new, now=NOW, policy=POLICY, calendar=CAL)


def test_people_kept_apart_are_booked_at_least_apart_minutes_apart() -> None:
    hers = replace(booking("10:00", "mother"), id=1)
    history = replace(KEPT, scheduled=(hers,))
    too_close = problems(history, booking("11:59", "dean", place="shirehall room 2"))
    assert [p.confirm for p in too_close] == [False]
    assert "less than 2 hours" in too_close[0].message
    assert "Monday 14 December 2026 at 10:00 at Shirehall, Room 2" in too_close[0].message
    assert problems(history, booking("12:00", "dean")) == []
    assert problems(history, booking("08:00", "dean")) == []
    assert problems(history, booking("08:01", "dean"))[0].confirm is False
    # Another place, or someone who may meet her: no clash.
    assert problems(history, booking("10:30", "dean", place="Guildhall")) == []
    # No time given: it may be the same meeting, and cannot be shown apart.
    (untimed,) = problems(history, booking(None, "dean"))
    assert "same meeting as the review meeting on Monday 14 December 2026 at 10:00" in (
        untimed.message
    )
    # The council's own setting.
    assert problems(history, booking("11:00", "dean")) != []
    assert (
        meetings.check_booking(
            history,
            booking("11:00", "dean"),
            now=NOW,
            policy=replace(POLICY, apart_minutes=60),
            calendar=CAL,
        )
        == []
    )


def test_one_booking_for_both_and_the_same_meeting_are_refused() -> None:
    both = Booking("review_meeting", MONDAY, dt.time(10), "Shirehall", attendees=("mother", "dean"))
    (problem,) = problems(KEPT, both)
    assert "Kelly Jones and Dean Morgan must be kept apart" in problem.message
    hers = replace(booking("10:00", "mother", place="Shirehall"), id=1)
    same = problems(replace(KEPT, scheduled=(hers,)), booking("10:00", "dean", place="Shirehall"))
    assert "would be the same meeting as the review meeting on Monday 14 December 2026" in (
        same[0].message
    )


def test_a_new_booking_in_the_past_is_refused_but_an_old_one_may_be_edited() -> None:
    past = booking("10:00", "mother", day=D("2026-12-04"))
    assert "is in the past" in problems(KEPT, past)[0].message
    earlier_today = booking("08:30", "mother", day=NOW.date())
    assert "is in the past" in problems(KEPT, earlier_today)[0].message
    later_today = booking("09:30", "mother", day=NOW.date())
    assert problems(KEPT, later_today) == []
    imported = replace(past, id=5)
    history = replace(KEPT, scheduled=(imported,))
    moved_place = replace(imported, place="Guildhall")
    assert (
        meetings.check_booking(
            history, moved_place, now=NOW, policy=POLICY, calendar=CAL, previous=imported
        )
        == []
    )


def test_a_weekend_a_bank_holiday_or_3am_is_confirmed() -> None:
    saturday = problems(KEPT, booking("10:00", "mother", day=D("2026-12-12")))
    assert [(p.confirm, "not a working day" in p.message) for p in saturday] == [(True, True)]
    christmas = problems(KEPT, booking("10:00", "mother", day=D("2026-12-25")))
    assert christmas[0].confirm and "Friday 25 December 2026 is not a working day" in (
        christmas[0].message
    )
    night = problems(KEPT, booking("03:00", "mother"))
    assert [(p.confirm, "outside 08:00 to 18:00" in p.message) for p in night] == [(True, True)]
    assert problems(KEPT, booking("18:00", "mother")) == []
    assert problems(KEPT, booking("18:01", "mother"))[0].confirm


def test_the_meeting_a_letter_offers_gives_notice_on_a_working_day() -> None:
    letter = D("2026-12-14")  # Monday
    five = D("2026-12-21")  # Monday: 5 working days later
    assert (
        meetings.notice_problem(booking("10:00", "mother", day=five), letter, POLICY, CAL) is None
    )
    four = D("2026-12-18")
    problem = meetings.notice_problem(booking("10:00", "mother", day=four), letter, POLICY, CAL)
    assert problem is not None and "too soon" in problem and "Monday 21 December 2026" in problem
    # Over Christmas: 25, 28 December are bank holidays; 5 working days after 22 December
    # is 31 December.
    problem = meetings.notice_problem(
        booking("10:00", "mother", day=D("2026-12-30")), D("2026-12-22"), POLICY, CAL
    )
    assert problem is not None and "Thursday 31 December 2026" in problem
    assert (
        meetings.notice_problem(
            booking("10:00", "mother", day=D("2026-12-31")), D("2026-12-22"), POLICY, CAL
        )
        is None
    )
    saturday = meetings.notice_problem(
        booking("10:00", "mother", day=D("2027-01-02")), letter, POLICY, CAL
    )
    assert saturday is not None and "not on a working day" in saturday


# -- the service, on both databases -------------------------------------------------------


def _next_monday(today: dt.date) -> dt.date:
    """A Monday at least a week ahead that is a working day (no bank holiday)."""
    day = today + dt.timedelta(days=7 + (7 - today.weekday()) % 7)
    while not CAL.is_working_day(day):
        day += dt.timedelta(days=7)
    return day


@pytest.fixture
def kept(app: AppContext) -> AppContext:
    app.exchange.import_cases([replace(KEPT, reference="PLO-KEPT-1")])
    return app


def test_the_service_refuses_a_booking_too_close_and_names_the_other(kept: AppContext) -> None:
    day = _next_monday(clock.today())
    kept.cases.save_booking("PLO-KEPT-1", booking("10:00", "mother", day=day))
    with pytest.raises(ValidationError) as caught:
        kept.cases.save_booking("PLO-KEPT-1", booking("11:59", "dean", day=day))
    assert "at 10:00 at Shirehall, Room 2 (for Kelly Jones)" in str(caught.value)
    assert "Nothing was saved" in str(caught.value)
    assert len(kept.cases.get("PLO-KEPT-1").scheduled) == 1
    kept.cases.save_booking("PLO-KEPT-1", booking("12:00", "dean", day=day))
    assert len(kept.cases.get("PLO-KEPT-1").scheduled) == 2


def test_the_service_refuses_a_past_booking_and_asks_about_a_saturday(kept: AppContext) -> None:
    with pytest.raises(ValidationError, match="record a meeting that has happened as an event"):
        kept.cases.save_booking(
            "PLO-KEPT-1", booking("10:00", "mother", day=clock.today() - dt.timedelta(days=1))
        )
    saturday = _next_monday(clock.today()) + dt.timedelta(days=5)
    with pytest.raises(ChronologyWarning, match="not a working day"):
        kept.cases.save_booking("PLO-KEPT-1", booking("10:00", "mother", day=saturday))
    assert kept.cases.get("PLO-KEPT-1").scheduled == ()
    kept.cases.save_booking("PLO-KEPT-1", booking("10:00", "mother", day=saturday), confirm=True)
    assert len(kept.cases.get("PLO-KEPT-1").scheduled) == 1


def test_an_import_keeps_a_past_booking_as_booked(kept: AppContext) -> None:
    past = booking("10:00", "mother", day=D("2024-07-01"))
    history = book(kept, "PLO-KEPT-1", past)
    assert [b.date for b in history.scheduled] == [D("2024-07-01")]


def test_keep_apart_only_for_managers_and_legal_liaison(kept: AppContext) -> None:
    from plo_tracker.errors import PermissionDenied
    from tests.conftest import as_role

    worker = as_role(kept, "social_worker", "sw1")
    with pytest.raises(PermissionDenied):
        worker.cases.save_keep_apart("PLO-KEPT-1", KeepApart("dean", ("mother",), "x"))
    legal = as_role(kept, "legal_liaison", "ll1")
    history = legal.cases.save_keep_apart(
        "PLO-KEPT-1", KeepApart("mother", ("dean",), "A second order")
    )
    assert len(history.keep_apart) == 2
    # A person named in a keep-apart arrangement cannot be deleted.
    dean = history.party("dean")
    assert dean is not None and dean.row_id is not None and dean.version is not None
    with pytest.raises(ValidationError, match="2 keep-apart arrangements"):
        kept.cases.delete_item("PLO-KEPT-1", "party", dean.row_id, dean.version)


def test_renaming_a_person_renames_them_everywhere(kept: AppContext) -> None:
    day = _next_monday(clock.today())
    kept.cases.save_booking("PLO-KEPT-1", booking("14:00", "dean", day=day))
    dean = kept.cases.get("PLO-KEPT-1").party("dean")
    assert dean is not None
    history = kept.cases.save_party("PLO-KEPT-1", replace(dean, id="alfie_father"))
    assert history.keep_apart[0].kept_from == ("alfie_father",)
    assert history.scheduled[0].attendees == ("alfie_father",)
    assert family.kept_from(history, "alfie_father") == {"mother"}


def test_a_subject_access_export_separates_each_persons_facts(app: AppContext) -> None:
    from pathlib import Path

    app.exchange.import_file(Path(__file__).parent / "data" / "example-cases-v3.json")
    document = app.audit.subject_access_export("PLO-2024-0031")
    people = {p["party_id"]: p for p in document["people"]}
    dean = people["alfie_father"]
    assert dean["must_not_learn_about"] == ["Chloe Evans"]
    assert dean["facts_about_them"]["concerns"] == [
        "The police were called to the home three times after you hit Chloe."
    ]
    assert dean["facts_about_them"]["assessments"] == ["Domestic abuse perpetrator assessment"]
    mother_facts = people["mother"]["facts_about_them"]
    assert mother_facts["assessments"] == ["Parenting assessment"]
    assert mother_facts["strengths"] == ["You have come to every family time visit."]
    assert "must_not_learn_about" not in people["mother"]
    assert [e.action for e in app.audit.trail("PLO-2024-0031")][-1] == "sar_export"
