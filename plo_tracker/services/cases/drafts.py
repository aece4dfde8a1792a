"""Checking a record while the user is still typing it, with the rules a save uses.

The desktop client's forms call these on every keystroke so that what is wrong is
explained before the user presses Save.  They run the same checks as
``CaseService`` (the record's types and ranges, then the whole changed case
through the exchange-format checks), without touching the database: the save
itself checks again, with the latest data and the user's permissions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from plo_tracker.domain.model import (
    EVENT_FIELDS,
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    Party,
    PlanAction,
    event_for_type,
)
from plo_tracker.errors import ChronologyError, ValidationError
from plo_tracker.services.cases.checks import FIELD_LABELS, check_chronology, validate
from plo_tracker.services.cases.service import CaseHeader, rename_party
from plo_tracker.validation import LIMITS, check_record

Record = Child | Party | Event | Assessment | PlanAction | Booking | Concern


def _replaced(items: tuple[Any, ...], new: Any, key: str = "id") -> tuple[Any, ...]:
    if getattr(new, key) is None:
        return (*items, new)
    return tuple(new if getattr(i, key) == getattr(new, key) else i for i in items)


def with_record(case: CaseHistory, record: Record) -> CaseHistory:
    """The case as it would be once ``record`` is saved (added, or replacing its old self)."""
    if isinstance(record, Child):
        return replace(case, children=_replaced(case.children, record))
    if isinstance(record, Party):
        new = replace(case, parties=_replaced(case.parties, record, "row_id"))
        old_key = next(
            (p.id for p in case.parties if record.row_id is not None and p.row_id == record.row_id),
            None,
        )
        if old_key is not None and old_key != record.id:
            new = rename_party(new, old_key, record.id)
        return new
    if isinstance(record, Event):
        return replace(case, events=_replaced(case.events, event_for_type(record)))
    if isinstance(record, Assessment):
        return replace(case, assessments=_replaced(case.assessments, record))
    if isinstance(record, PlanAction):
        return replace(case, plan_actions=_replaced(case.plan_actions, record))
    if isinstance(record, Booking):
        return replace(case, scheduled=_replaced(case.scheduled, record))
    if isinstance(record, Concern):
        return replace(case, concerns=_replaced(case.concerns, record))
    raise ValidationError("This is not a part of a case that can be saved.")


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
