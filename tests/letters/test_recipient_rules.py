"""Each letter is about its reader only (section 4 of the domain reference).

One family throughout: Kelly (mother, address confidential, reads Polish), Liam (father,
needs letters read with him) and Jean (grandmother, no parental responsibility).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from docx import Document

from plo_tracker.domain.model import Booking, CaseHistory, Event, Party
from plo_tracker.letters.context import build_context
from plo_tracker.letters.errors import ConfidentialAddressError
from plo_tracker.letters.options import LanguageLines, LetterOptions, SeparateMeeting, Wording
from plo_tracker.letters.privacy import AddressPart, address_parts, find_leak
from plo_tracker.letters.readiness import missing_items
from plo_tracker.letters.render import RenderedLetter, render_letter
from plo_tracker.letters.templates import SHIPPED, SHIPPED_BY_NAME, shipped_bytes

from .helpers import COUNCIL, LETTER_DAY, family_case

LBP = SHIPPED_BY_NAME["letter_before_proceedings"]
HIS_MEETING = SeparateMeeting(dt.date(2024, 3, 13), dt.time(11), "Craven Arms Library")


def reader(case: CaseHistory, key: str) -> Party:
    found = case.party(key)
    assert found is not None
    return found


def letter(
    case: CaseHistory,
    key: str,
    name: str = "letter_before_proceedings",
    *,
    languages: LanguageLines | None = None,
    **options: object,
) -> RenderedLetter:
    spec = SHIPPED_BY_NAME[name]
    person = reader(case, key)
    context = build_context(
        case,
        person,
        spec,
        council=COUNCIL,
        wording=Wording(),
        options=LetterOptions(letter_date=LETTER_DAY, **options),  # type: ignore[arg-type]
        today=LETTER_DAY,
        language_lines=languages,
    )
    return render_letter(
        shipped_bytes(name),
        name,
        context,
        forbidden=address_parts(case, person, council_address=COUNCIL.address),
    )


def paragraphs(made: RenderedLetter) -> list[str]:
    document = Document(io.BytesIO(made.data))
    found = [p.text for p in document.paragraphs]
    found += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return found


# -- worries and plan actions go to the people they are about ----------------------------------


# The letter about a baby not yet born speaks of the baby alone (test_family_letters.py).
@pytest.mark.parametrize(
    "name",
    [
        s.name
        for s in SHIPPED
        if s.before_proceedings and s.kind != "letter_before_proceedings_unborn"
    ],
)
def test_worries_go_only_to_the_people_they_are_about(name: str) -> None:
    case = family_case()
    household = "Amelia and Noah have missed 20 days of school since January."
    hers = "You have told us you are finding it hard to stop drinking."
    his = "The police were called after you shouted at Kelly in February."
    kelly = letter(case, "mother", name).text
    liam = letter(case, "father", name, meeting=HIS_MEETING).text
    jean = letter(case, "gran", name, meeting=HIS_MEETING).text
    assert household in kelly and household in liam and household in jean
    assert hers in kelly and hers not in liam and hers not in jean
    assert his in liam and his not in kelly and his not in jean


@pytest.mark.parametrize(
    "name", ["letter_before_proceedings", "plan_summary", "review_invitation", "outcome_letter"]
)
def test_plan_actions_go_only_to_the_people_they_are_about(name: str) -> None:
    case = family_case(
        events=(
            *family_case().events,
            Event("stepped_down", LETTER_DAY, to="child_in_need"),
        )
        if name == "outcome_letter"
        else family_case().events
    )
    hers, his = "Go to the alcohol service every week", "Go to the anger course on Mondays"
    household = "Take the children to school on time"
    kelly = "\n".join(paragraphs(letter(case, "mother", name)))
    liam = "\n".join(paragraphs(letter(case, "father", name, meeting=HIS_MEETING)))
    assert hers in kelly and his not in kelly and household in kelly
    assert his in liam and hers not in liam and household in liam


# -- another person's confidential address, in any form ------------------------------------------


def kinds_found(text: str, parts: tuple[AddressPart, ...]) -> str | None:
    leak = find_leak(text, parts)
    return leak.kind if leak else None


def test_every_part_of_a_confidential_address_is_looked_for() -> None:
    case = family_case()
    parts = address_parts(case, reader(case, "father"))
    assert kinds_found("She lives at 12 Castle Street now.", parts) in ("line", "street")
    assert kinds_found("She moved to castle   st last week.", parts) == "street"  # St = Street
    assert kinds_found("She moved to Castle Street.", parts) == "street"
    assert kinds_found("She lives in Ludlow.", parts) == "place"
    assert kinds_found("Her postcode is SY8 1AS.", parts) == "postcode"
    assert kinds_found("Her postcode is sy81as.", parts) == "postcode"
    assert kinds_found("Her postcode is SY8   1AS.", parts) == "postcode"
    assert kinds_found("The meeting is at Shirehall, Shrewsbury.", parts) is None
    # Words that merely contain a part do not count.
    assert kinds_found("Castlegate and Ludlowfield", parts) is None
    # Her own letter may show her address: nothing is looked for in it.
    assert address_parts(case, reader(case, "mother")) == ()


def test_a_town_the_reader_or_the_council_shares_is_not_looked_for() -> None:
    case = family_case()
    liam = replace(reader(case, "father"), address=("8 Broad Street", "Ludlow", "SY8 2BB"))
    case = replace(case, parties=(case.parties[0], liam, case.parties[2]))
    parts = address_parts(case, liam)
    assert kinds_found("They both live in Ludlow.", parts) is None  # his own town too
    assert kinds_found("12 Castle Street", parts) is not None
    council = address_parts(case, reader(case, "gran"), council_address=("Town Hall", "Ludlow"))
    assert kinds_found("The council is in Ludlow.", council) is None
    in_a_line = address_parts(case, reader(case, "gran"), council_address=("Ludlow Town Hall",))
    assert kinds_found("The council is in Ludlow.", in_a_line) is None


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Kelly now lives at 12 Castle Street.", "an address line"),
        ("Kelly has moved to Castle St.", "the street"),
        ("Kelly has moved to Ludlow.", "the town or area"),
        ("Write to Kelly at sy81as.", "the postcode"),
    ],
)
def test_the_finished_letter_is_refused_if_any_part_appears(typed: str, kind: str) -> None:
    case = family_case()
    with pytest.raises(ConfidentialAddressError, match=kind):
        letter(case, "father", worries=(typed,), meeting=HIS_MEETING)
    with pytest.raises(ConfidentialAddressError):  # in a separate meeting's place too
        letter(case, "father", meeting=replace(HIS_MEETING, place="Ludlow Library"))


# -- where and when a person with a confidential address will be ---------------------------------


@pytest.mark.parametrize("key", ["father", "gran"])
def test_no_booked_meeting_she_may_be_at_reaches_another_persons_letter(key: str) -> None:
    case = family_case()
    text = letter(case, key).text
    for booking in case.scheduled:
        assert booking.place not in text and str(booking.date.day) + " March" not in text
    assert "Kelly Jones (mother)" not in text  # not named as coming to the meeting
    assert "We will meet you on your own." in text
    assert "We have not booked your meeting yet." in text
    # His letter is not ready until he has a meeting of his own ...
    missing = missing_items(
        case, reader(case, key), LBP, council=COUNCIL, options=LetterOptions(), today=LETTER_DAY
    )
    assert any("confidential address" in item and "separate meeting" in item for item in missing)
    # ... which his letter then gives.
    own = letter(case, key, meeting=HIS_MEETING)
    assert "Date: Wednesday 13 March 2024" in own.text and "Place: Craven Arms Library" in own.text
    assert not missing_items(
        case,
        reader(case, key),
        LBP,
        council=COUNCIL,
        options=LetterOptions(letter_date=LETTER_DAY, meeting=HIS_MEETING),
        today=LETTER_DAY,
    )


def test_a_separate_meeting_at_the_same_time_as_hers_is_refused() -> None:
    case = family_case()
    same = SeparateMeeting(dt.date(2024, 3, 12), dt.time(10), "Shirehall, Room 4")
    missing = missing_items(
        case,
        reader(case, "father"),
        LBP,
        council=COUNCIL,
        options=LetterOptions(letter_date=LETTER_DAY, meeting=same),
        today=LETTER_DAY,
    )
    assert any("same date and time as the booked one" in item for item in missing)


def test_her_own_letter_gives_the_booked_meeting_but_names_nobody_else() -> None:
    case = family_case()
    text = letter(case, "mother").text
    assert "Date: Tuesday 12 March 2024" in text and "Place: Shirehall, Room 3" in text
    assert "Liam Jones (father)" not in text and "We will meet you on your own." in text
    # With nobody's address confidential, the parents meet together and are named.
    joint = family_case(parties=tuple(replace(p, address_confidential=None) for p in case.parties))
    assert "Liam Jones (father)" in letter(joint, "mother").text
    assert "We will meet you on your own." not in letter(joint, "mother").text


# -- what a person said is theirs ----------------------------------------------------------------


def test_an_answer_to_the_family_meeting_offer_belongs_to_whoever_gave_it() -> None:
    case = family_case()  # Kelly declined; Liam said nothing
    kelly = letter(case, "mother").text
    liam = letter(case, "father", meeting=HIS_MEETING).text
    assert "You told us you did not want a family group conference." in kelly
    assert "You told us" not in liam
    assert "Thank you for saying yes" not in liam
    # A family group conference declined for the case is not claimed of anyone.
    declined = family_case(
        events=(
            Event("legal_planning_meeting", dt.date(2024, 2, 5), outcome="pre_proceedings"),
            Event("fgc_declined", dt.date(2024, 2, 20), reason="The family said no."),
        )
    )
    for key in ("mother", "father"):
        text = letter(declined, key, meeting=HIS_MEETING).text
        assert "You told us" not in text
    # Attendance is never claimed: a conference held is the family's.
    held = family_case(events=(*case.events, Event("fgc_held", dt.date(2024, 2, 28))))
    text = letter(held, "father", meeting=HIS_MEETING).text
    assert "A family group conference has taken place." in text
    assert "Thank you for taking part" not in text


# -- with parental responsibility or without ----------------------------------------------------


@pytest.mark.parametrize("name", [s.name for s in SHIPPED])
def test_a_relative_without_pr_is_not_told_advice_is_free(name: str) -> None:
    case = family_case(
        events=(
            *family_case().events,
            Event("decision_to_issue", LETTER_DAY, decided_by="David Evans"),
            Event("proceedings_issued", LETTER_DAY),
        )
    )
    jean = "\n".join(paragraphs(letter(case, "gran", name, meeting=HIS_MEETING))).lower()
    for claim in ("advice is free", "help is free", "free for you", "legal aid is free for"):
        assert claim not in jean.replace("legal aid is free for parents", ""), (name, claim)
    assert "your children" not in jean and "your child" not in jean
    assert COUNCIL.lawyer_name.lower() not in jean
    if name in ("letter_before_proceedings", "letter_before_proceedings_unborn"):
        assert "you may have to pay for it." in jean
        assert "the children" in jean
    kelly = "\n".join(paragraphs(letter(case, "mother", name)))
    if SHIPPED_BY_NAME[name].before_proceedings:
        assert "free" in kelly and COUNCIL.lawyer_name in kelly
        assert "your children" in kelly or "your baby" in kelly or "Your solicitor" in kelly


# -- the reader's language -------------------------------------------------------------------------


def test_the_first_line_is_in_the_readers_language_from_the_councils_wording() -> None:
    case = family_case()
    lines = LanguageLines.from_json(
        {"Polish": "Ten list jest ważny. Zadzwoń pod {phone}, aby otrzymać tłumacza."}
    )
    made = letter(case, "mother", languages=lines)
    first = paragraphs(made)[0]
    assert first == f"Ten list jest ważny. Zadzwoń pod {COUNCIL.phone}, aby otrzymać tłumacza."
    # The line is in another language, so the plain-language check leaves it out.
    assert "Ten list" not in made.text or made.report.reading_ease >= 70
    # Without checked wording for her language: the English line.
    english = paragraphs(letter(case, "mother"))[0]
    assert english == (
        f"This letter is important. If you need an interpreter, please call us on "
        f"{COUNCIL.phone}. We will get one for you. It is free."
    )
    # A reader of English gets no such line.
    assert paragraphs(letter(case, "father", meeting=HIS_MEETING))[0] == COUNCIL.name


def test_language_lines_are_checked() -> None:
    from plo_tracker.errors import ValidationError

    with pytest.raises(ValidationError, match="English needs no extra line"):
        LanguageLines.from_json({"English": "This letter is important."})
    with pytest.raises(ValidationError, match="only field a line may use is"):
        LanguageLines.from_json({"Urdu": "{{ 7*7 }}"})
    lines = LanguageLines().with_line("Polish", "A").with_line("urdu", "B")
    assert lines.line_for("POLISH") == "A" and lines.line_for("Urdu") == "B"
    assert lines.with_line("polish", None).line_for("Polish") is None


# -- the meeting a letter gives is after its date --------------------------------------------------


def test_a_meeting_on_or_before_the_letters_date_is_not_given() -> None:
    case = family_case(
        scheduled=(Booking("pre_proceedings_meeting", LETTER_DAY, dt.time(10), "Room 1"),)
    )
    missing = missing_items(
        case,
        reader(case, "mother"),
        LBP,
        council=COUNCIL,
        options=LetterOptions(letter_date=LETTER_DAY),
        today=LETTER_DAY,
    )
    assert any("pre-proceedings meeting booked after the letter's date" in m for m in missing)
