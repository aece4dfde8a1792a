"""Checking a record while the user is still typing it, with the rules a save uses.

The desktop client's forms call these on every keystroke so that what is wrong is
explained before the user presses Save.  They run the same checks as
``CaseService`` (the record's types and ranges, then the whole changed case
through the exchange-format checks), without touching the database: the save
itself checks again, with the latest data and the user's permissions.
"""

from __future__ import annotations

from dataclasses import replace

from plo_tracker.domain.model import EVENT_FIELDS, CaseHistory, Child, Event
from plo_tracker.errors import ChronologyError, ValidationError
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
