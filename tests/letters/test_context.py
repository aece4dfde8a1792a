"""The fields a letter is filled with: one reader, the case data, the council's wording."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from plo_tracker.demo import generate
from plo_tracker.domain.model import Booking, CaseHistory, Child, Event, Party, PlanAction
from plo_tracker.errors import ValidationError
from plo_tracker.letters.context import (
    CouncilDetails,
    Hearing,
    LetterOptions,
    Missing,
    Record,
    Wording,
    address_parts,
    build_context,
    letter_notes,
    recipients,
)
from plo_tracker.letters.templates import FIELDS, FIELDS_BY_NAME, SHIPPED_BY_NAME, spec_for
from tests.builders import D, father, mother

TODAY = D("2024-03-04")
LBP = SHIPPED_BY_NAME["letter_before_proceedings"]


def fields_of(case: CaseHistory, reader: Party, spec=LBP, **options) -> dict:
    return build_context(
        case,
        reader,
        spec,
        council=CouncilDetails(),
        wording=Wording(),
        options=LetterOptions(**options),
        today=TODAY,
    )


def a_case(**changes) -> CaseHistory:
    hidden = Party(
        id="father",
        name="Liam Jones",
        relationship="father",
        parental_responsibility=True,
        address=("Flat 3, 8 Broad Street", "Ludlow", "SY8 1NG"),
        address_confidential=True,
    )
    values = {
        "reference": "PLO-T-1",
        "children": (
            Child("Amelia Jones", date_of_birth=D("2017-05-14")),
            Child("Noah Jones", date_of_birth=D("2020-11-02")),
        ),
        "parties": (
            Party(
                id="mother",
                name="Kelly Jones",
                relationship="mother",
                parental_responsibility=True,
                address=("12 Castle Street", "Ludlow", "SY8 1AS"),
                solicitor=mother().solicitor,
            ),
            hidden,
            Party(
                id="gran",
                name="Jean Jones",
                relationship="grandmother",
                parental_responsibility=False,
            ),
        ),
        "plan_actions": (
            PlanAction("Go to the parenting course.", D("2024-04-12"), "mother", "We pay."),
            PlanAction("Keep the house safe", D("2024-03-29"), None, "Family support worker"),
            PlanAction("See the GP", D("2024-03-20"), "father"),
            PlanAction("Book the FGC", D("2024-02-20"), None, None, D("2024-02-19")),
        ),
        "scheduled": (
            Booking("review_meeting", D("2024-04-02"), dt.time(10), "Library"),
            Booking("pre_proceedings_meeting", D("2024-03-20"), dt.time(14, 30), "Room 2"),
            Booking("pre_proceedings_meeting", D("2024-03-12"), None, None),
            Booking("pre_proceedings_meeting", D("2024-03-01"), dt.time(9), "Old room"),
        ),
        "social_worker": "Megan Hughes",
        "team_manager": "David Evans",
    }
    values.update(changes)
    return CaseHistory(**values)


def open_case(**changes) -> CaseHistory:
    """The same family with nobody's address confidential (meetings may be joint)."""
    case = a_case(**changes)
    return replace(case, parties=tuple(replace(p, address_confidential=None) for p in case.parties))


def test_every_catalogue_field_is_filled_for_every_demo_reader() -> None:
    names = {f.name for f in FIELDS}
    for case in generate(40, today=TODAY, seed=7):
        for reader in case.parties:
            fields = fields_of(case, reader)
            assert set(fields) == names
            for name, value in fields.items():
                records = value if isinstance(value, list) else [value]
                for item in records:
                    if isinstance(item, Record):
                        assert set(item) == FIELDS_BY_NAME[name].attribute_names, name


def test_only_the_readers_own_address_is_given() -> None:
    case = a_case()
    kelly, liam, _jean = case.parties
    fields = fields_of(case, kelly)
    assert fields["recipient_address"] == ["12 Castle Street", "Ludlow", "SY8 1AS"]
    assert fields["recipient_address_line"] == "12 Castle Street, Ludlow, SY8 1AS"
    text = repr(fields)
    assert "Broad Street" not in text and "SY8 1NG" not in text
    assert [dict(p) for p in fields["other_parties"]] == [
        {"name": "Liam Jones", "relationship": "father", "has_pr": True},
        {"name": "Jean Jones", "relationship": "grandmother", "has_pr": False},
    ]
    # Liam's own letter shows his confidential address.
    assert fields_of(case, liam)["recipient_address"][0] == "Flat 3, 8 Broad Street"
    # Kelly's letter is searched for every part of his: the line, the street, the postcode
    # (not the town: Kelly lives in Ludlow too, so printing it reveals nothing).
    parts = {(p.kind, " ".join(p.tokens)) for p in address_parts(case, kelly)}
    assert parts == {
        ("line", "flat 3 8 broad street"),
        ("street", "broad street"),
        ("postcode", "sy81ng"),
    }
    assert address_parts(case, liam) == ()


def test_what_must_change_is_the_readers_and_everyones_open_actions_in_date_order() -> None:
    case = a_case()
    fields = fields_of(case, case.parties[0])
    assert [(a["who"], a["what"], a["due"]) for a in fields["changes"]] == [
        ("Everyone", "Keep the house safe", "Friday 29 March 2024"),
        ("You", "Go to the parenting course", "Friday 12 April 2024"),
    ]
    assert fields["help_now"] == ["Family support worker", "We pay"]
    # The plan in Kelly's letter is hers and the household's: Liam's action is his alone.
    assert [a["who"] for a in fields["plan"]] == ["Everyone", "Everyone", "You"]
    assert "See the GP" not in repr(fields)
    assert [a["what"] for a in fields["my_plan"]] == [
        "Book the FGC",
        "Keep the house safe",
        "Go to the parenting course",
    ]
    assert fields["my_plan"][0]["done"] and fields["my_plan"][0]["done_on"] == (
        "Monday 19 February 2024"
    )


def test_the_meeting_is_the_next_one_booked_of_the_letters_kind() -> None:
    case = open_case()
    fields = fields_of(case, case.parties[0])
    assert dict(fields["meeting"]) == {
        "kind": "meeting",
        "date": "Tuesday 12 March 2024",
        "time": "",
        "place": "",
    }
    review = fields_of(case, case.parties[0], SHIPPED_BY_NAME["review_invitation"])
    assert dict(review["meeting"]) == {
        "kind": "review meeting",
        "date": "Tuesday 2 April 2024",
        "time": "10am",
        "place": "Library",
    }
    later = fields_of(case, case.parties[0], letter_date=D("2024-03-13"))
    assert later["meeting"]["time"] == "2:30pm" and later["meeting"]["place"] == "Room 2"
    none = fields_of(case, case.parties[0], letter_date=D("2024-03-21"))
    assert isinstance(none["meeting"], Missing) and not none["meeting"]
    # A meeting on the letter's own date is not one the letter can invite to.
    same_day = fields_of(case, case.parties[0], letter_date=D("2024-03-20"))
    assert isinstance(same_day["meeting"], Missing)
    assert isinstance(
        fields_of(case, case.parties[0], SHIPPED_BY_NAME["letter_of_issue"])["meeting"], Missing
    )


def test_solicitor_hearing_and_fgc_are_missing_when_there_are_none() -> None:
    case = a_case()
    kelly, liam, _ = case.parties
    assert dict(fields_of(case, kelly)["solicitor"]) == {
        "name": "Helen Price",
        "firm": "Price & Co",
        "phone": "",
        "email": "",
    }
    assert isinstance(fields_of(case, liam)["solicitor"], Missing)
    fields = fields_of(case, kelly, hearing=Hearing(D("2024-03-18"), dt.time(10), "Telford"))
    assert dict(fields["hearing"]) == {
        "date": "Monday 18 March 2024",
        "time": "10am",
        "place": "Telford",
    }
    assert isinstance(fields_of(case, kelly)["hearing"], Missing)
    assert isinstance(fields_of(case, kelly)["fgc"], Missing)
    assert fields_of(case, kelly)["fgc_status"] == ""


@pytest.mark.parametrize(
    ("events", "booked", "status"),
    [
        ((), False, ""),
        ((Event("fgc_referral", D("2024-02-12")),), False, "referred"),
        ((Event("fgc_referral", D("2024-02-12")),), True, "booked"),
        (
            (Event("fgc_referral", D("2024-02-12")), Event("fgc_held", D("2024-03-01"))),
            True,
            "held",
        ),
        ((Event("fgc_declined", D("2024-02-12"), reason="no"),), False, "declined"),
    ],
)
def test_fgc_status(events: tuple, booked: bool, status: str) -> None:
    scheduled = (Booking("fgc", D("2024-03-20"), dt.time(18), "Family Centre"),) if booked else ()
    case = open_case(events=events, scheduled=scheduled)
    fields = fields_of(case, case.parties[0])
    assert fields["fgc_status"] == status
    assert bool(fields["fgc"]) is booked


def test_children_phrases_and_the_unborn_baby() -> None:
    case = a_case()
    fields = fields_of(case, case.parties[0])
    assert fields["children_names"] == "Amelia Jones and Noah Jones"
    assert fields["your_children"] == "your children" and not fields["one_child"]
    assert fields["children"][0]["born"] == "Sunday 14 May 2017"
    baby = a_case(children=(Child("Baby Morris", expected_birth=D("2024-08-20")),))
    fields = fields_of(baby, baby.parties[0])
    assert fields["unborn"] and fields["your_children"] == "your baby"
    assert fields["baby_due"] == "Tuesday 20 August 2024"
    assert fields["worries"][1] == (
        "We are worried that your baby may not be safe or well cared for at home."
    )


def test_typed_worries_replace_the_default_wording() -> None:
    case = a_case()
    fields = fields_of(case, case.parties[0], worries=("Amelia has missed 20 days of school.",))
    assert fields["worries"] == ["Amelia has missed 20 days of school."]
    assert fields["worries_given"]
    default = fields_of(case, case.parties[0])
    assert not default["worries_given"]
    assert "Amelia Jones and Noah Jones may not be safe" in default["worries"][1]


def test_step_down_plan_name() -> None:
    case = a_case(events=(Event("stepped_down", D("2024-03-01"), to="child_in_need"),))
    fields = fields_of(case, case.parties[0])
    assert (fields["step_down_to"], fields["plan_name"]) == ("child_in_need", "child in need plan")


def test_english_is_not_offered_as_a_translation() -> None:
    case = a_case()
    reader = Party(
        id="m", name="A", relationship="mother", parental_responsibility=True, language="English"
    )
    assert fields_of(case, reader)["recipient_language"] == ""
    polish = Party(
        id="m", name="A", relationship="mother", parental_responsibility=True, language="Polish"
    )
    assert fields_of(case, polish)["recipient_language"] == "Polish"


def test_assessments_get_a_plain_description() -> None:
    from plo_tracker.domain.model import Assessment

    case = a_case(
        assessments=(
            Assessment(
                "Viability assessment of the grandparents", D("2024-02-01"), D("2024-04-01")
            ),
            Assessment("Hair strand test", D("2024-02-01"), D("2024-03-01"), D("2024-03-01")),
            Assessment("Something else", D("2024-02-01"), D("2024-05-01")),
        )
    )
    fields = fields_of(case, case.parties[0])
    plain = {a["title"]: a["plain"] for a in fields["assessments"]}
    assert plain["Viability assessment of the grandparents"].startswith("a check that a relative")
    assert plain["Hair strand test"].startswith("a test of a small piece of hair")
    assert plain["Something else"] == ""
    assert [a["title"] for a in fields["open_assessments"]] == [
        "Viability assessment of the grandparents",
        "Something else",
    ]


# -- readers -----------------------------------------------------------------------------------


def test_readers_are_the_people_with_parental_responsibility_or_the_one_named() -> None:
    case = a_case()
    assert [p.id for p in recipients(case, None)] == ["mother", "father"]
    assert [p.id for p in recipients(case, "gran")] == ["gran"]
    with pytest.raises(ValidationError, match=r"no person with the ID 'uncle'.*mother, father"):
        recipients(case, "uncle")
    nobody = a_case(parties=(father(pr=False),), plan_actions=())
    with pytest.raises(ValidationError, match="nobody recorded with parental responsibility"):
        recipients(nobody, None)


# -- settings and options ----------------------------------------------------------------------


def test_council_details_from_the_setting() -> None:
    details = CouncilDetails.from_json(
        {"name": "Marches Council", "address": ["Shirehall", " ", "Shrewsbury"], "phone": "0345"}
    )
    assert details.address == ("Shirehall", "Shrewsbury")
    assert "name" not in details.missing() and "lawyer_name" in details.missing()
    assert CouncilDetails.from_json(details.to_json()) == details
    assert CouncilDetails.from_json(None) == CouncilDetails()
    with pytest.raises(ValidationError, match="'mayor' is not a council detail"):
        CouncilDetails.from_json({"mayor": "x"})
    with pytest.raises(ValidationError, match="address: must be a list"):
        CouncilDetails.from_json({"address": "Shirehall"})
    with pytest.raises(ValidationError, match="phone: must be text"):
        CouncilDetails.from_json({"phone": 123})


def test_wording_from_the_setting() -> None:
    wording = Wording.from_json({"worries": ["We are worried about {children}."]})
    assert wording.worries == ("We are worried about {children}.",)
    assert wording.help_given == Wording().help_given
    with pytest.raises(ValidationError, match="'threats' is not a wording"):
        Wording.from_json({"threats": ["x"]})
    with pytest.raises(ValidationError, match="at least one sentence"):
        Wording.from_json({"worries": []})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (LetterOptions(worries="one string"), "Worries: must be a list"),
        (LetterOptions(worries=("bad\x00text",)), "control characters"),
        (LetterOptions(worries=("",)), "must not be empty"),
        (LetterOptions(help_given=("x" * 4001,)), "too long"),
        (LetterOptions(hearing=Hearing(D("1850-01-01"))), "Hearing date"),
        (LetterOptions(letter_date="2024-03-04"), "Letter date: must be a date"),  # type: ignore[arg-type]
    ],
)
def test_options_typed_by_the_user_are_checked(options: LetterOptions, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        options.checked()


def test_notes_before_sending() -> None:
    case = a_case(children=(Child("Baby Jones", expected_birth=D("2024-08-20")),))
    kelly = case.parties[0]
    notes = letter_notes(
        case, kelly, LBP, council=CouncilDetails(), options=LetterOptions(), today=TODAY
    )
    assert any("letter_before_proceedings_unborn" in n for n in notes)
    assert any("Council details not set yet" in n for n in notes)
    assert any("offers a meeting on their own" in n for n in notes)
    issue = letter_notes(
        case,
        case.parties[1],
        SHIPPED_BY_NAME["letter_of_issue"],
        council=CouncilDetails(),
        options=LetterOptions(),
        today=TODAY,
    )
    assert any("No hearing date" in n for n in issue)
    assert any("confidential" in n for n in issue)
    assert not any("Liam" in n or "Broad" in n for n in issue)  # no personal text in notes


def test_council_templates_take_the_kind_of_the_shipped_name_they_start_with() -> None:
    assert spec_for("letter_of_issue_welsh").sent_event == "letter_of_issue"
    assert spec_for("letter_before_proceedings-large-print").meetings == (
        "pre_proceedings_meeting",
    )
    general = spec_for("thank_you_note")
    assert general.sent_event is None and general.title == "Thank you note"
    assert spec_for("review_invitation", "Our review letter").title == "Our review letter"
