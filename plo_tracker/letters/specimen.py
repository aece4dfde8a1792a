"""A fictional case used to check templates: every part filled, or every optional part empty.

``check_template`` (``render.py``) renders a template for it twice before accepting it.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    Party,
    PlanAction,
    Solicitor,
)
from plo_tracker.letters.context import build_context
from plo_tracker.letters.options import (
    CouncilDetails,
    Hearing,
    LetterOptions,
    Logo,
    SeparateMeeting,
    Wording,
)
from plo_tracker.letters.templates import TemplateSpec

SPECIMEN_DAY = dt.date(2024, 3, 4)
# A 1x1 pixel PNG, so the specimen letter prints a logo where a template has one.
SPECIMEN_LOGO = Logo(
    "logo.png",
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    ),
)


def specimen_case(*, full: bool = True) -> tuple[CaseHistory, Party]:
    """A fictional case with every part filled (``full``) or every optional part empty."""
    d = dt.date.fromisoformat
    reader = Party(
        id="mother",
        name="Ann Example",
        relationship="mother",
        parental_responsibility=True,
        address=("1 Example Street", "Exampletown", "ZZ1 1ZZ"),
        language="Polish" if full else None,
        needs="Please read letters aloud with her" if full else None,
        address_confidential=True if full else None,
        solicitor=Solicitor("Sam Adviser", "Adviser & Co", "01000 000000", "sam@example.org")
        if full
        else None,
    )
    other = Party(
        id="father",
        name="Ben Example",
        relationship="father",
        parental_responsibility=True,
        address=("2 Other Road", "Exampletown", "ZZ1 2ZZ"),
    )
    case = CaseHistory(
        reference="PLO-SPECIMEN-1",
        team="Specimen Team" if full else None,
        social_worker="Sue Worker" if full else None,
        team_manager="Tom Manager" if full else None,
        legal_liaison="Lee Liaison" if full else None,
        children=(
            Child("Cara Example", date_of_birth=d("2018-05-14")),
            Child("Baby Example", expected_birth=d("2024-06-01")),
        ),
        parties=(reader, other) if full else (reader,),
        events=(
            Event("legal_planning_meeting", d("2024-02-05"), outcome="pre_proceedings"),
            Event("fgc_referral", d("2024-02-12")),
            Event("fgdm_response", d("2024-02-14"), party="mother", response="accepted"),
            Event("stepped_down", d("2024-03-01"), to="child_protection"),
        )
        if full
        else (),
        assessments=(
            Assessment("Parenting assessment", d("2024-02-20"), d("2024-04-19")),
            Assessment("Hair strand test", d("2024-02-20"), d("2024-03-01"), d("2024-03-01")),
        )
        if full
        else (),
        plan_actions=(
            PlanAction("Go to the parenting course", d("2024-03-29"), "mother", "We pay the fare"),
            PlanAction("Keep the house safe", d("2024-04-12"), None, None),
            PlanAction("See the GP", d("2024-03-01"), "father", None, d("2024-02-28")),
            PlanAction(
                "Go through our letter of 4 March 2024 with your social worker",
                d("2024-03-07"),
                "mother",
                "Your social worker will read it with you and explain it",
            ),
        )
        if full
        else (),
        scheduled=(
            Booking("pre_proceedings_meeting", d("2024-03-12"), dt.time(10), "Town Hall, Room 2"),
            Booking("review_meeting", d("2024-04-23"), dt.time(14, 30), "Video call"),
            Booking("fgc", d("2024-03-20"), dt.time(18), "Family Centre"),
        )
        if full
        else (),
        concerns=(
            Concern("The children have missed many school days."),
            Concern("You have told us you are finding it hard to stop drinking.", ("mother",)),
        )
        if full
        else (),
    )
    return case, reader


def specimen_context(spec: TemplateSpec, *, full: bool = True) -> dict[str, Any]:
    case, reader = specimen_case(full=full)
    options = LetterOptions(
        worries=("We are worried that the home is often cold and there is little food.",)
        if full
        else (),
        hearing=Hearing(dt.date(2024, 3, 18), dt.time(10), "Family Court") if full else None,
        meeting=SeparateMeeting(dt.date(2024, 3, 13), dt.time(11), "Town Hall, Room 4")
        if full
        else None,
    )
    return build_context(
        case,
        reader,
        spec,
        council=CouncilDetails(
            name="Example Council",
            address=("Council House", "Exampletown", "ZZ1 9ZZ"),
            phone="01000 111111",
            email="children@example.gov.uk",
            lawyer_name="Pat Lawyer",
            lawyer_phone="01000 222222",
            lawyer_email="legal@example.gov.uk",
        ),
        wording=Wording(),
        options=options,
        today=SPECIMEN_DAY,
        logo=SPECIMEN_LOGO if full else None,
    )
