"""What may be listed for one person (``domain.for_person``), the short names made for
children when a record first names one (``domain.keys``), and the booking checks a form runs
as it is typed (``services.drafts.booking_check``), on the contract's blended family."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from plo_tracker.domain.for_person import booking_is_for, for_person, others_at
from plo_tracker.domain.keys import suggested_child_keys, with_child_keys
from plo_tracker.domain.model import Booking, CaseHistory, Child, Concern, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.exchange import parse_document
from plo_tracker.services import base
from plo_tracker.services.drafts import booking_check

EXAMPLE = Path(__file__).resolve().parent / "data" / "example-cases-v3.json"


@pytest.fixture(scope="module")
def family() -> CaseHistory:
    cases = parse_document(EXAMPLE.read_text(encoding="utf-8"), dt.date(2024, 4, 2))
    return next(c for c in cases if c.reference == "PLO-2024-0031")


def test_a_person_kept_from_another_is_listed_nothing_of_theirs(family: CaseHistory) -> None:
    dean = for_person(family, "alfie_father")
    assert [p.id for p in dean.kept_from] == ["mother"]
    assert dean.kept_away == ()
    assert [(t.child.key, t.relationship, t.parental_responsibility) for t in dean.ties] == [
        ("alfie", "father", True),
        ("baby", "father", False),
    ]
    assert [b.place for b in dean.bookings] == ["Guildhall, room 4"]
    assert [c.text for c in dean.worries] == [
        "The police were called to the home three times after you hit Chloe."
    ]  # not the mother's, not Ruby's (he is not tied to Ruby)
    assert dean.strengths == ()  # "every family time visit" is about the mother
    assert [a.title for a in dean.assessments] == ["Domestic abuse perpetrator assessment"]
    assert [a.action for a in dean.actions] == ["Start the domestic abuse programme"]
    meetings = [e for e in dean.events if e.type == "pre_proceedings_meeting"]
    assert [e.date for e in meetings] == [dt.date(2024, 3, 19), dt.date(2024, 3, 26)]


def test_the_protected_person_and_the_household(family: CaseHistory) -> None:
    chloe = for_person(family, "mother")
    assert [p.id for p in chloe.kept_away] == ["alfie_father"]
    assert [b.place for b in chloe.bookings] == ["Shirehall, meeting room 2"]
    assert "Ruby has missed 19 days of school this term." in [c.text for c in chloe.worries]
    assert "You have come to every family time visit." in [s.text for s in chloe.strengths]
    held = next(e for e in chloe.events if e.date == dt.date(2024, 3, 18))
    assert others_at(family, held, "mother") == ("Gareth Evans", "Pat Evans")
    # Gareth is tied to Ruby only: Ruby's worry, not the others' about Alfie.
    gareth = for_person(family, "ruby_father")
    assert [c.text for c in gareth.worries] == ["Ruby has missed 19 days of school this term."]
    # A household fact about a child he is tied to reaches him; about him and someone he is
    # kept from, it does not.
    both = Concern("You both shouted at the handover.", about=("mother", "alfie_father"))
    household = Concern("Alfie's nursery fees are unpaid.", children=("alfie",))
    changed = replace(family, concerns=(*family.concerns, both, household))
    dean = for_person(changed, "alfie_father")
    assert household in dean.worries and both not in dean.worries
    # Keeping apart is one way: what is about her (and Dean) is still hers to be told.
    assert both in for_person(changed, "mother").worries
    with pytest.raises(ValueError):
        for_person(family, "nobody")


def test_a_booking_open_to_everyone_is_not_for_those_kept_apart(family: CaseHistory) -> None:
    open_to_all = Booking("review_meeting", dt.date(2024, 5, 1), dt.time(10), "Shirehall")
    assert booking_is_for(family, open_to_all, "gran")
    assert booking_is_for(family, open_to_all, "ruby_father")
    assert not booking_is_for(family, open_to_all, "mother")
    assert not booking_is_for(family, open_to_all, "alfie_father")
    # Who came, never naming someone the reader is kept from (even if wrongly recorded).
    wrong = Event("review_meeting", dt.date(2024, 5, 2), attendees=("mother", "gran"))
    assert others_at(family, wrong, "alfie_father") == ("Pat Evans",)
    assert others_at(family, wrong, "gran") == ("Chloe Evans",)


def test_children_get_short_names_from_their_first_names() -> None:
    case = CaseHistory(
        reference="X",
        children=(
            Child("Zoë-Mai Hart", key=None),
            Child("Ruby Evans", key="zoemai"),
            Child("Ruby Jones"),
            Child("  ", key=None),
            Child("ruby Grey", key="ruby"),
        ),
    )
    assert suggested_child_keys(case) == {0: "zoemai2", 2: "ruby2", 3: "child"}
    keyed = with_child_keys(case)
    assert [c.key for c in keyed.children] == ["zoemai2", "zoemai", "ruby2", "child", "ruby"]
    assert with_child_keys(keyed) is keyed


def test_a_booking_is_checked_as_typed_with_the_saves_own_words(
    family: CaseHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "now", lambda: dt.datetime(2024, 4, 2, 9, 0))
    policy, calendar = Policy(), WorkingCalendar()
    ok = Booking(
        "review_meeting",
        dt.date(2024, 4, 29),
        dt.time(12, 0),
        "Shirehall, meeting room 2",
        attendees=("alfie_father",),
    )
    assert booking_check(family, ok, policy, calendar).problem is None
    close = replace(ok, time=dt.time(11, 59))
    problem = booking_check(family, close, policy, calendar).problem
    assert problem is not None
    assert "less than 2 hours from the review meeting on Monday 29 April 2024 at 10:00" in str(
        problem
    )
    together = replace(ok, attendees=("alfie_father", "mother"))
    assert "must be kept apart, so they cannot both be at" in str(
        booking_check(family, together, policy, calendar).problem
    )
    past = replace(ok, date=dt.date(2024, 4, 1))
    assert "is in the past" in str(booking_check(family, past, policy, calendar).problem)
    sunday = booking_check(family, replace(ok, date=dt.date(2024, 5, 5)), policy, calendar)
    assert sunday.problem is None
    assert sunday.to_confirm == (
        "Sunday 5 May 2024 is not a working day (a weekend, bank holiday or closure day).",
    )
