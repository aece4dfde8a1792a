"""What the People tab lists for one person (``ui.widgets.person_panel``), on the contract's
blended family: the core's reader's view (the rules letters follow) plus the meetings they
came to, never anything of someone they are kept from."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from plo_tracker.domain.model import Booking, CaseHistory, Concern, Event
from plo_tracker.exchange import parse_document
from plo_tracker.letters.reader_view import view_for
from ui.widgets.person_panel import others_at, sections, their_events

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-cases-v3.json"


@pytest.fixture(scope="module")
def family() -> CaseHistory:
    cases = parse_document(EXAMPLE.read_text(encoding="utf-8"), dt.date(2024, 4, 2))
    return next(c for c in cases if c.reference == "PLO-2024-0031")


def listed(case: CaseHistory, key: str) -> dict[str, list[str]]:
    party = case.party(key)
    assert party is not None
    return dict(sections(case, view_for(case, party)))


def test_dean_is_listed_nothing_of_the_mothers(family: CaseHistory) -> None:
    dean = listed(family, "alfie_father")
    assert dean["Ties to the children"] == [
        "Father of Alfie Morgan (parental responsibility)",
        "Father of Baby Morgan",
    ]
    assert dean["Meetings booked for them"] == [
        "The review meeting on Tuesday 30 April 2024 at 14:00 at Guildhall, room 4 "
        "(for Dean Morgan)"
    ]
    assert dean["Worries"] == [
        "The police were called to the home three times after you hit Chloe."
    ]  # not the mother's, not Ruby's (he is not tied to Ruby)
    assert dean["What is going well"] == []
    assert dean["Assessments"] == ["Domestic abuse perpetrator assessment"]
    assert dean["Plan"] == ["Start the domestic abuse programme"]
    assert dean["Meetings, letters and answers"] == [
        "Letter before proceedings sent, Friday 8 March 2024",
        "Pre-proceedings meeting, Tuesday 19 March 2024 (did not go ahead)",
        "Pre-proceedings meeting, Tuesday 26 March 2024",
    ]


def test_the_mother_and_the_others(family: CaseHistory) -> None:
    chloe = listed(family, "mother")
    assert chloe["Meetings booked for them"] == [
        "The review meeting on Monday 29 April 2024 at 10:00 at Shirehall, meeting room 2 "
        "(for Chloe Evans and Gareth Evans)"
    ]
    assert (
        "Pre-proceedings meeting, Monday 18 March 2024, with Gareth Evans and Pat Evans"
        in chloe["Meetings, letters and answers"]
    )
    gareth = listed(family, "ruby_father")
    assert gareth["Worries"] == ["Ruby has missed 19 days of school this term."]
    gran = listed(family, "gran")
    assert gran["Meetings booked for them"] == []


def test_a_meeting_for_everyone_is_not_given_to_those_kept_apart(family: CaseHistory) -> None:
    open_to_all = Booking("review_meeting", dt.date(2024, 5, 1), dt.time(10), "Shirehall")
    case = replace(family, scheduled=(*family.scheduled, open_to_all))
    assert not any(
        "1 May 2024" in line for line in listed(case, "alfie_father")["Meetings booked for them"]
    )
    assert any("1 May 2024" in line for line in listed(case, "gran")["Meetings booked for them"])
    # A booking open to everyone where someone has a confidential address is withheld from
    # the letters of those it is for; the panel says so, without its date or place.
    chloe_free = replace(case, keep_apart=())
    gran = listed(chloe_free, "gran")["Meetings booked for them"]
    assert gran == [
        "(1 more meeting they are booked into is not given in their letters: someone there "
        "has a confidential address or is kept apart from them.)"
    ]


def test_who_came_never_names_someone_kept_from_the_reader(family: CaseHistory) -> None:
    wrong = Event(
        "review_meeting", dt.date(2024, 5, 2), attendees=("mother", "gran", "alfie_father")
    )
    hidden = view_for(family, family.party("alfie_father")).hidden
    assert others_at(family, wrong, "alfie_father", hidden) == ["Pat Evans"]
    assert wrong not in their_events(replace(family, events=(wrong,)), "alfie_father", hidden)
    # A worry about him and the mother together is hers to know, never his.
    both = Concern("You both shouted at the handover.", about=("mother", "alfie_father"))
    case = replace(family, concerns=(*family.concerns, both))
    assert both.text not in listed(case, "alfie_father")["Worries"]
    assert both.text in listed(case, "mother")["Worries"]
