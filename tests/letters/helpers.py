"""Shared by the letter service, CLI and PDF tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

from plo_tracker.app import AppContext
from plo_tracker.domain.model import (
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    Party,
    PlanAction,
    Solicitor,
)
from plo_tracker.letters.context import CouncilDetails, LetterOptions
from tests.builders import book

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-cases.json"
LETTER_DAY = dt.date(2024, 3, 4)  # the example cases are as of early March 2024
OPTIONS = LetterOptions(letter_date=LETTER_DAY)
# The unborn baby's case started on 11 March 2024: its letters are dated after that.
UNBORN_DAY = dt.date(2024, 3, 12)
UNBORN_OPTIONS = LetterOptions(letter_date=UNBORN_DAY)
HOSTILE = "Ann & <Bob> \"x\" 'y' {{ 7*7 }} Zoë Ølsen"
COUNCIL = CouncilDetails(
    name="Marches Example Council",
    address=("Shirehall", "Abbey Foregate", "ZZ2 6ND"),
    phone="0345 000 1234",
    email="plo@example.gov.uk",
    lawyer_name="Pat Lawyer",
    lawyer_phone="01743 000 999",
    lawyer_email="legal@example.gov.uk",
    signatory="Chris Head",
    signatory_role="Head of Service",
)


def docx_lines(path: Path | bytes) -> list[str]:
    """Every line a reader meets in a .docx: body paragraphs, then table cells, then
    headers and footers."""
    import io

    document = Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    for section in document.sections:
        for part in (section.header, section.footer):
            lines.extend(p.text for p in part.paragraphs)
    return lines


def docx_text(path: Path | bytes) -> str:
    return "\n".join(docx_lines(path))


def make_docx(path: Path, *paragraphs: str) -> Path:
    """A template file with these paragraphs (Jinja tags as typed in Word)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def with_examples(app: AppContext) -> AppContext:
    """The example cases imported, made ready for letters, and the council's details set."""
    app.exchange.import_file(EXAMPLE)
    make_ready(app)
    app.letters.set_council(COUNCIL)
    return app


D = dt.date.fromisoformat
# What the example cases need for a letter before proceedings dated LETTER_DAY to be ready
# (the example file predates worries): a worry for each reader, a change with a date and
# its help, and the pre-proceedings meeting booked after the letter.
READY = {
    "PLO-2024-0007": (
        (
            Concern("Amelia and Noah have missed 20 days of school since January."),
            Concern("You have told us you are finding it hard to stop drinking.", ("mother",)),
            Concern("The police were called after you shouted at Kelly in February.", ("father",)),
        ),
        (
            PlanAction(
                "Take the children to school on time every day",
                D("2024-04-26"),
                None,
                "Breakfast club place paid for",
            ),
        ),
        Booking("pre_proceedings_meeting", D("2024-03-12"), dt.time(10), "Shirehall, Room 3"),
    ),
    "PLO-2024-0011": (
        (Concern("The home has had no heating or food when we visited."),),
        (PlanAction("Go to every midwife appointment", D("2024-05-10"), "m", "We pay the fare"),),
        Booking("pre_proceedings_meeting", D("2024-03-20"), dt.time(14), "Family Centre, Room 2"),
    ),
}


def make_ready(app: AppContext) -> None:
    for reference, (concerns, actions, booking) in READY.items():
        for concern in concerns:
            app.cases.save_concern(reference, concern, confirm=True)
        for action in actions:
            app.cases.save_action(reference, action, confirm=True)
        book(app, reference, booking)


def issue_proceedings(app: AppContext, reference: str, day: dt.date) -> None:
    """Record the decision to issue and the issue itself (a letter of issue needs them)."""
    app.cases.save_event(
        reference, Event("decision_to_issue", day, decided_by="David Evans"), confirm=True
    )
    app.cases.save_event(reference, Event("proceedings_issued", day), confirm=True)


def step_down(app: AppContext, reference: str, day: dt.date) -> None:
    """End the case without court (an outcome letter needs it)."""
    app.cases.save_event(reference, Event("stepped_down", day, to="child_protection"), confirm=True)


# -- a two-parent family: her address is confidential, a grandmother without PR ---------------


def family_case(**changes: object) -> CaseHistory:
    """Kelly (mother, address confidential), Liam (father, needs letters read with him) and
    Jean (grandmother, no parental responsibility), ready for a letter before proceedings
    dated LETTER_DAY (for Kelly; Liam and Jean need a meeting of their own)."""
    values: dict[str, object] = {
        "reference": "PLO-F-1",
        "team": "Case Management 2",
        "social_worker": "Megan Hughes",
        "team_manager": "David Evans",
        "children": (
            Child("Amelia Jones", date_of_birth=D("2017-05-14")),
            Child("Noah Jones", date_of_birth=D("2020-11-02")),
        ),
        "parties": (
            Party(
                "mother",
                "Kelly Jones",
                "mother",
                True,
                address=("12 Castle Street", "Ludlow", "SY8 1AS"),
                address_confidential=True,
                language="Polish",
                solicitor=Solicitor("Helen Price", "Price & Co", "01584 000111"),
            ),
            Party(
                "father",
                "Liam Jones",
                "father",
                True,
                address=("Flat 3, 8 Broad Street", "Craven Arms", "SY7 9QQ"),
                needs="Dyslexia: please read letters with him",
            ),
            Party(
                "gran",
                "Jean Jones",
                "maternal grandmother",
                False,
                address=("4 Mill Lane", "Church Stretton", "SY6 6AA"),
            ),
        ),
        "events": (
            Event("legal_planning_meeting", D("2024-02-05"), outcome="pre_proceedings"),
            Event("fgc_referral", D("2024-02-12")),
            Event("fgdm_response", D("2024-02-14"), party="mother", response="declined"),
        ),
        "concerns": (
            Concern("Amelia and Noah have missed 20 days of school since January."),
            Concern("You have told us you are finding it hard to stop drinking.", ("mother",)),
            Concern("The police were called after you shouted at Kelly in February.", ("father",)),
        ),
        "plan_actions": (
            PlanAction(
                "Go to the alcohol service every week", D("2024-04-12"), "mother", "Bus fares paid"
            ),
            PlanAction(
                "Go to the anger course on Mondays", D("2024-04-19"), "father", "Course paid for"
            ),
            PlanAction(
                "Take the children to school on time", D("2024-04-26"), None, "Breakfast club paid"
            ),
        ),
        "scheduled": (
            Booking("pre_proceedings_meeting", D("2024-03-12"), dt.time(10), "Shirehall, Room 3"),
            Booking("review_meeting", D("2024-04-23"), dt.time(14), "Shirehall, Room 3"),
            Booking("fgc", D("2024-03-20"), dt.time(18), "Family Centre"),
        ),
    }
    values.update(changes)
    return CaseHistory(**values)  # type: ignore[arg-type]
