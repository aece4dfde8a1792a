"""Letters safe for the families most at risk (issue "Letters safe for the families most at
risk"; domain reference sections 4 and 6), on the blended family of the contract's version 3
example: Chloe (mother, in a refuge at a confidential address, protected by a
non-molestation order from Dean), Gareth (Ruby's father), Dean (Alfie's father and the
unborn baby's, kept apart from Chloe), Pat (grandmother, no PR) and, added here, Sam (Chloe's
new partner, living with her).

Each leak the letters review found is a test, as written: every token and trick of an address,
facts going to everyone, the new partner named to the abuser, "your children" to men who are
not the parent, the unborn letter to the wrong people and about the wrong children.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    ChildLink,
    Concern,
    Party,
    PlanAction,
)
from plo_tracker.exchange import parse_document
from plo_tracker.letters.context import build_context
from plo_tracker.letters.errors import ConfidentialAddressError, PrivacyError
from plo_tracker.letters.options import LetterOptions, Wording
from plo_tracker.letters.privacy import address_parts, recipients
from plo_tracker.letters.readiness import missing_items
from plo_tracker.letters.render import render_letter
from plo_tracker.letters.templates import SHIPPED_BY_NAME, shipped_bytes

from .helpers import COUNCIL

V3 = Path(__file__).parent.parent / "data" / "example-cases-v3.json"
DAY = dt.date(2024, 3, 28)  # the letters' date: after the meetings of March 2024
LBP = SHIPPED_BY_NAME["letter_before_proceedings"]
UNBORN = SHIPPED_BY_NAME["letter_before_proceedings_unborn"]
REFUGE = ("2 Larkspur Close", "Oswestry", "SY11 4QT")


def blended() -> CaseHistory:
    cases = parse_document(V3.read_text(), dt.date(2026, 12, 5))
    case = next(c for c in cases if c.reference == "PLO-2024-0031")
    mother = case.party("mother")
    assert mother is not None
    sam = Party(
        id="sam",
        name="Sam Price",
        relationship="mother's partner",
        parental_responsibility=False,
        address=REFUGE,
        children=(ChildLink("ruby", "mother's partner", False),),
    )
    parties = (
        *tuple(replace(p, address=REFUGE) if p.id == "mother" else p for p in case.parties),
        sam,
    )
    bookings = (
        Booking("pre_proceedings_meeting", D("2024-04-15"), dt.time(10), "Shirehall, room 2",
                attendees=("mother", "ruby_father")),
        Booking("pre_proceedings_meeting", D("2024-04-16"), dt.time(14), "Guildhall, room 4",
                attendees=("alfie_father",)),
        Booking("pre_proceedings_meeting", D("2024-04-17"), dt.time(11), "Shirehall, room 5",
                attendees=("gran",)),
        *case.scheduled,
    )  # fmt: skip
    return replace(
        case,
        parties=parties,
        scheduled=bookings,
        assessments=(
            *case.assessments,
            Assessment(
                "Psychological assessment", D("2024-03-20"), D("2024-05-20"), about=("mother",)
            ),
        ),
        plan_actions=(
            *case.plan_actions,
            PlanAction("Take Ruby to every dentist appointment", D("2024-05-30"), "ruby_father"),
        ),
    )


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def context(case: CaseHistory, key: str, spec=LBP, **options: object) -> dict:
    reader = case.party(key)
    assert reader is not None
    return build_context(
        case,
        reader,
        spec,
        council=COUNCIL,
        wording=Wording(),
        options=LetterOptions(letter_date=DAY, **options),  # type: ignore[arg-type]
        today=DAY,
    )


def made(case: CaseHistory, key: str, spec=LBP, **options: object) -> str:
    reader = case.party(key)
    assert reader is not None
    rendered = render_letter(
        shipped_bytes(spec.name),
        spec.name,
        context(case, key, spec, **options),
        forbidden=address_parts(case, reader, council_address=COUNCIL.address),
    )
    return rendered.text


# -- addresses in any form -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("The children now go to Larkspur Academy.", "Larkspur"),
        ("She is registered with a GP in SY11.", "SY11"),
        ("She has moved to Os\u00adwestry.", "Oswestry"),
        ("She lives in the SY11 area now.", "SY11"),
        ("She has moved to Os-westry.", "Oswestry"),
        ("She goes to Lark\u200bspur Library.", "Larkspur"),
        ("She walks to LARKSPUR close each day.", "Larkspur Close"),
        ("Her postcode is s y 1 1 4 q t.", "SY11 4QT"),
        ("She lives in Osw\u00e9stry.", "Oswestry"),
        ("She lives near L\u0430rkspur.", "Larkspur"),  # a Cyrillic a
    ],
)
def test_every_token_and_trick_is_refused_naming_word_and_field(typed: str, word: str) -> None:
    case = blended()
    with pytest.raises(ConfidentialAddressError) as caught:
        made(case, "alfie_father", worries=(typed,))
    message = str(caught.value)
    assert f"\u201c{word}\u201d" in message
    assert "a worry" in message and "field worries" in message


def test_a_meeting_place_near_her_home_is_refused_naming_the_booking() -> None:
    case = blended()
    near = replace(
        case,
        scheduled=tuple(
            replace(b, place="Larkspur Community Hall, SY11 1AB")
            if b.attendees == ("alfie_father",)
            else b
            for b in case.scheduled
        ),
    )
    with pytest.raises(ConfidentialAddressError) as caught:
        made(near, "alfie_father")
    assert "the meeting" in str(caught.value) and "meeting.place" in str(caught.value)
    assert "Larkspur Community Hall" in str(caught.value)


def test_the_councils_own_template_text_is_searched_too() -> None:
    from tests.letters.helpers import make_docx

    case = blended()
    reader = case.party("alfie_father")
    assert reader is not None
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = make_docx(
            Path(folder) / "t.docx",
            "Dear {{ recipient_name }},",
            "Our family centre is in Os-westry town centre.",
        )
        with pytest.raises(ConfidentialAddressError, match="the template's own text"):
            render_letter(
                path.read_bytes(),
                "council_letter",
                context(case, "alfie_father"),
                forbidden=address_parts(case, reader, council_address=COUNCIL.address),
            )


def test_common_words_her_town_for_those_who_share_it_and_the_councils_address_pass() -> None:
    case = blended()
    text = made(case, "alfie_father", worries=("Please close the door and come to Shirehall.",))
    assert "Please close the door" in text
    # Her own letter shows her own address.
    assert "2 Larkspur Close" in made(case, "mother")


# -- facts belong to people ------------------------------------------------------------------


def test_a_kept_apart_reader_gets_none_of_her_facts_meetings_or_household() -> None:
    case = blended()
    fields = context(case, "alfie_father")
    flat = json.dumps(fields, default=str)
    for hers in (
        "You have not taken Alfie to his last two health checks.",  # a worry about her
        "You have come to every family time visit.",  # her strength
        "Parenting assessment",  # her assessment
        "Psychological assessment",
        "Take Alfie to every health check",  # her action
        "Shirehall, room 2",  # her meeting
        "Sam Price",  # who lives with her
    ):
        assert hers not in flat, hers
    assert fields["worries"] == [
        "The police were called to the home three times after you hit Chloe."
    ]
    assert [a["title"] for a in fields["assessments"]] == ["Domestic abuse perpetrator assessment"]
    assert "Chloe Evans" not in [p["name"] for p in fields["other_parties"]]
    assert fields["meeting"]["place"] == "Guildhall, room 4"


def test_her_psychological_assessment_goes_to_her_alone() -> None:
    case = blended()
    for key in ("ruby_father", "alfie_father", "gran"):
        titles = [a["title"] for a in context(case, key)["assessments"]]
        assert "Psychological assessment" not in titles, key
    assert "Psychological assessment" in [
        a["title"] for a in context(case, "mother")["assessments"]
    ]


def test_household_items_go_to_readers_tied_to_the_children_they_concern() -> None:
    case = blended()
    ruby_only = "Ruby has missed 19 days of school this term."
    assert ruby_only in context(case, "ruby_father")["worries"]
    assert ruby_only in context(case, "mother")["worries"]
    assert ruby_only not in context(case, "alfie_father")["worries"]
    assert context(case, "ruby_father")["strengths"] == [
        "Ruby is doing well at her after-school club."
    ]


def test_a_household_task_naming_every_child_is_refused_naming_the_item() -> None:
    case = blended()
    task = PlanAction("Take Ruby, Alfie and the baby to every appointment", D("2024-05-01"))
    with pytest.raises(PrivacyError) as caught:
        context(replace(case, plan_actions=(*case.plan_actions, task)), "alfie_father")
    message = str(caught.value)
    assert "The plan action \u201cTake Ruby, Alfie and the baby" in message
    assert "names Ruby, who is not a child of Dean Morgan" in message
    assert "split it" in message


def test_a_text_naming_her_new_partner_is_refused_for_the_man_kept_from_her() -> None:
    case = blended()
    worry = Concern("Sam and the children need a calm home.", about=("alfie_father",))
    with pytest.raises(PrivacyError, match="names Sam, who lives with someone"):
        context(replace(case, concerns=(*case.concerns, worry)), "alfie_father")


def test_a_draft_to_the_abuser_holds_none_of_her_facts_either() -> None:
    """The data a template gets is the same for drafts: a council template cannot print
    what is not in it."""
    case = blended()
    fields = context(case, "alfie_father")
    assert "recipient_address" in fields and fields["recipient_address"] == [
        "7 Station Yard",
        "Shrewsbury",
        "SY1 1AA",
    ]
    assert "Larkspur" not in json.dumps(fields, default=str)


# -- per child -------------------------------------------------------------------------------


def test_your_children_only_for_the_readers_own() -> None:
    case = blended()
    assert context(case, "mother")["your_children"] == "your children"
    assert context(case, "ruby_father")["your_children"] == "your child"
    assert [c["name"] for c in context(case, "ruby_father")["children"]] == ["Ruby Evans"]
    # Dean: Alfie's father (PR) and the baby's (no PR, still a parent).
    dean = context(case, "alfie_father")
    assert dean["your_children"] == "your children"
    assert [c["name"] for c in dean["children"]] == ["Alfie Morgan", "Baby Morgan"]
    # Sam: Ruby's mother's partner, no PR: her name, never "your".
    sam = context(case, "sam")
    assert sam["your_children"] == "Ruby Evans"
    assert not sam["recipient_has_pr"]
    # Pat: the children's grandmother, no PR.
    assert context(case, "gran")["your_children"] == "the children"


def test_mixed_ties_name_which_are_the_readers_own() -> None:
    case = blended()
    gareth = case.party("ruby_father")
    assert gareth is not None
    step = replace(
        gareth,
        children=(
            ChildLink("ruby", "father", True),
            ChildLink("alfie", "stepfather", False),
        ),
    )
    mixed = replace(case, parties=tuple(step if p.id == "ruby_father" else p for p in case.parties))
    assert (
        context(mixed, "ruby_father")["your_children"] == "your child Ruby Evans and Alfie Morgan"
    )


def test_the_unborn_letter_goes_to_the_babys_parents_and_speaks_of_the_baby_alone() -> None:
    case = blended()
    assert [p.id for p in recipients(case, None, UNBORN.kind)] == ["mother", "alfie_father"]
    with pytest.raises(Exception, match="goes only to the baby's parents"):
        recipients(case, "ruby_father", UNBORN.kind)
    dean = context(case, "alfie_father", UNBORN)
    assert [c["name"] for c in dean["children"]] == ["Baby Morgan"]
    assert dean["the_baby"] == "your baby" and dean["unborn"] and not dean["born_children"]
    # Ruby's school worry is not in the letter about the baby.
    assert all("Ruby" not in w for w in context(case, "mother", UNBORN)["worries"])
    # A worry about the household that names the born children is for the letter about
    # them: the letter about the baby leaves it out; Dean's own letter refuses it (Ruby).
    named = Concern("Ruby and Alfie need a calm home.")
    with_named = replace(case, concerns=(*case.concerns, named))
    assert named.text not in context(with_named, "alfie_father", UNBORN)["worries"]
    assert named.text in context(with_named, "mother")["worries"]
    with pytest.raises(PrivacyError, match="names Ruby"):
        context(with_named, "alfie_father")


def test_a_reader_not_tied_to_the_baby_is_not_told_of_the_pregnancy() -> None:
    case = blended()
    worry = Concern("We are worried about your drinking during the pregnancy.")
    with pytest.raises(PrivacyError, match="speaks of the pregnancy"):
        context(replace(case, concerns=(*case.concerns, worry)), "ruby_father")


# -- meetings from the record ----------------------------------------------------------------


def test_each_letter_gives_only_a_meeting_the_reader_attends() -> None:
    case = blended()
    assert context(case, "mother")["meeting"]["place"] == "Shirehall, room 2"
    assert context(case, "ruby_father")["meeting"]["place"] == "Shirehall, room 2"
    assert context(case, "gran")["meeting"]["place"] == "Shirehall, room 5"
    assert [p["name"] for p in context(case, "mother")["meeting_with"]] == ["Gareth Evans"]
    assert context(case, "alfie_father")["meeting_with"] == []


def test_notice_and_working_day_are_checked_on_the_letters_date() -> None:
    case = blended()
    dean = case.party("alfie_father")
    assert dean is not None
    soon = replace(
        case,
        scheduled=tuple(
            replace(b, date=D("2024-04-03")) if b.attendees == ("alfie_father",) else b
            for b in case.scheduled
        ),
    )
    missing = missing_items(
        soon, dean, LBP, council=COUNCIL, options=LetterOptions(letter_date=DAY), today=DAY
    )
    # 29 March and 1 April 2024 are bank holidays: five working days after 28 March is 8 April.
    assert any("too soon" in m and "Monday 8 April 2024" in m for m in missing), missing
    late = replace(
        case,
        scheduled=tuple(
            replace(b, time=dt.time(19)) if b.attendees == ("alfie_father",) else b
            for b in case.scheduled
        ),
    )
    missing = missing_items(
        late, dean, LBP, council=COUNCIL, options=LetterOptions(letter_date=DAY), today=DAY
    )
    assert any("outside 08:00 to 18:00" in m for m in missing)
    assert not [
        m
        for m in missing_items(
            late,
            dean,
            LBP,
            council=COUNCIL,
            options=LetterOptions(letter_date=DAY, confirmed_hours=True),
            today=DAY,
        )
        if "08:00" in m
    ]
