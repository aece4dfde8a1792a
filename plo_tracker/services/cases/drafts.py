"""Checking a record while the user is still typing it, with the rules a save uses.

The desktop client's forms call these on every keystroke so that what is wrong is
explained before the user presses Save.  They run the same checks as
``CaseService`` (the record's types and ranges, then the whole changed case
through the exchange-format checks), without touching the database: the save
itself checks again, with the latest data and the user's permissions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from plo_tracker.domain import meetings
from plo_tracker.domain.model import EVENT_FIELDS, Booking, CaseHistory, Child, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import ChronologyError, ValidationError
from plo_tracker.services import base
from plo_tracker.services.cases.changes import Record, with_record
from plo_tracker.services.cases.checks import FIELD_LABELS, check_chronology, validate
from plo_tracker.services.cases.service import CaseHeader
from plo_tracker.validation import LIMITS, check_record


def draft_problem(case: CaseHistory, record: Record) -> ValidationError | None:
    """What would stop ``record`` being saved into ``case``, or None."""
    try:
        check_record(record, FIELD_LABELS)
        if isinstance(record, Event) and record.type not in EVENT_FIELDS:
            raise ValidationError("Type: choose what kind of event this is.", field="type")
        # Impossible orders are shown as the user types; unusual ones are asked on save.
        check_chronology(case, validate(with_record(case, record)), confirm=True)
    except ChronologyError as error:
        return ValidationError(" ".join(f.message for f in error.findings), field="date")
    except ValidationError as error:
        return error
    return None


@dataclass(frozen=True, slots=True)
class BookingCheck:
    """A booking as a save would see it: what refuses it (``problem``) and what the save
    would ask the user to confirm (``to_confirm``: a day the council is closed, a time
    outside 08:00-18:00)."""

    problem: ValidationError | None = None
    to_confirm: tuple[str, ...] = ()


def booking_check(
    case: CaseHistory, booking: Booking, policy: Policy, calendar: WorkingCalendar
) -> BookingCheck:
    """``draft_problem`` and then the rules a save applies to a booking (``CaseService.
    save_booking``): not in the past, nobody kept apart in one meeting or too close at one
    place. The messages are the save's own, naming both meetings."""
    problem = draft_problem(case, booking)
    previous = next((b for b in case.scheduled if b.id is not None and b.id == booking.id), None)
    found = meetings.check_booking(
        case, booking, now=base.now(), policy=policy, calendar=calendar, previous=previous
    )
    refused = [p.message for p in found if not p.confirm]
    if refused:
        # The booking rules' own words first (they name the meetings); then the rest.
        return BookingCheck(ValidationError(" ".join(refused)))
    if problem is not None:
        return BookingCheck(problem)
    return BookingCheck(None, tuple(p.message for p in found if p.confirm))


def header_problem(
    header: CaseHeader, children: tuple[Child, ...], case: CaseHistory | None = None
) -> ValidationError | None:
    """What would stop a new case (``case`` None) or changed case details being saved."""
    try:
        check_record(header, FIELD_LABELS)
        for child in children:
            check_record(child, FIELD_LABELS)
        court = header.court_reference
        if court is not None and len(court) > LIMITS["reference"]:
            raise ValidationError(
                f"Court reference: is too long (at most {LIMITS['reference']} characters)",
                field="court_reference",
            )
        base = case or CaseHistory(reference=header.reference.strip(), children=children)
        validate(
            replace(
                base,
                reference=base.reference if case is not None else header.reference.strip(),
                team=header.team,
                social_worker=header.social_worker,
                team_manager=header.team_manager,
                legal_liaison=header.legal_liaison,
            )
        )
    except ValidationError as error:
        return error
    return None
