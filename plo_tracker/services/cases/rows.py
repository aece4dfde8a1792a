"""Writing one checked record of a case into its database row (the ORM side of a save).

``write_record`` adds or updates the row of a record the service has already checked;
``sync_references`` then brings every row that names people or children by key in line with
the checked case (a renamed person or child is renamed everywhere, in the same transaction).
"""

from __future__ import annotations

from typing import Any

from db.models import Assessment as AssessmentRow
from db.models import Booking as BookingRow
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Concern as ConcernRow
from db.models import Event as EventRow
from db.models import KeepApart as KeepApartRow
from db.models import Party as PartyRow
from db.models import PlanAction as PlanActionRow
from db.models import Strength as StrengthRow
from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    KeepApart,
    Party,
    PlanAction,
)
from plo_tracker.errors import ConflictError, NotFound, ValidationError
from plo_tracker.services.cases.checks import KIND_LABELS
from plo_tracker.services.records import links_to
from plo_tracker.validation import shown

# kind -> (the case row's relationship, the row's model)
ROWS: dict[str, tuple[str, type]] = {
    "child": ("children", ChildRow),
    "party": ("parties", PartyRow),
    "event": ("events", EventRow),
    "assessment": ("assessments", AssessmentRow),
    "action": ("plan_actions", PlanActionRow),
    "booking": ("bookings", BookingRow),
    "concern": ("concerns", ConcernRow),
    "strength": ("strengths", StrengthRow),
    "keep_apart": ("keep_apart", KeepApartRow),
}


def next_position(items: list[Any]) -> int:
    return max((i.position for i in items), default=-1) + 1


def owned(items: list[Any], item_id: int, version: int | None, kind: str) -> Any:
    for item in items:
        if item.id == item_id:
            if version is not None and item.version != version:
                raise ConflictError(KIND_LABELS[kind])
            return item
    raise NotFound(
        f"{KIND_LABELS[kind]} is no longer part of this case; someone may have deleted it."
    )


def party_id(row: CaseRow, key: str | None) -> int | None:
    if key is None:
        return None
    for party in row.parties:
        if party.key == key:
            return party.id
    raise ValidationError(f"Person: '{shown(key)}' is not a person in this case.", field="party")


def write_record(row: CaseRow, kind: str, record: Any, recorded_by: str) -> Any:
    """Add the record's row (no id yet) or update it; returns the row."""
    relation, model = ROWS[kind]
    items = getattr(row, relation)
    record_id = record.row_id if kind == "party" else record.id
    if record_id is None:
        item = model()
        if hasattr(model, "position"):
            item.position = next_position(items)
        if kind == "event":
            item.recorded_by = recorded_by
        items.append(item)
    else:
        item = owned(items, record_id, record.version, kind)
    FILL[kind](item, record, row)
    return item


def _child(item: ChildRow, child: Child, _row: CaseRow) -> None:
    item.name = child.name
    item.date_of_birth = child.date_of_birth
    item.expected_birth = child.expected_birth
    item.la_child_id = child.la_child_id
    item.key = child.key


def fill_party(item: PartyRow, party: Party) -> None:
    item.key = party.id
    item.name = party.name
    item.relationship_ = party.relationship
    item.parental_responsibility = party.parental_responsibility
    item.address = list(party.address) if party.address else None
    item.address_confidential = party.address_confidential
    item.language = party.language
    item.needs = party.needs
    solicitor = party.solicitor
    item.solicitor_name = solicitor.name if solicitor else None
    item.solicitor_firm = solicitor.firm if solicitor else None
    item.solicitor_phone = solicitor.phone if solicitor else None
    item.solicitor_email = solicitor.email if solicitor else None
    item.child_links = links_to(party.children)


def _party(item: PartyRow, party: Party, _row: CaseRow) -> None:
    fill_party(item, party)


def _event(item: EventRow, event: Event, row: CaseRow) -> None:
    item.type = event.type
    item.date = event.date
    item.party_id = party_id(row, event.party)
    item.outcome = event.outcome
    item.fgdm_offered = event.fgdm_offered
    item.reason = event.reason
    item.until = event.until
    item.decided_by = event.decided_by
    item.rationale = event.rationale
    item.rule = event.rule
    item.to_plan = event.to
    item.response = event.response
    item.attendees = None if event.attendees is None else list(event.attendees)
    item.effective = event.effective
    item.short_notice = event.short_notice
    item.short_notice_reason = event.short_notice_reason
    item.kind = event.kind
    item.la_plan = event.la_plan
    item.plan_approved = event.plan_approved
    item.order_made = event.order


def _assessment(item: AssessmentRow, assessment: Assessment, _row: CaseRow) -> None:
    item.title = assessment.title
    item.commissioned = assessment.commissioned
    item.due = assessment.due
    item.completed = assessment.completed
    item.about = list(assessment.about) or None
    item.children = list(assessment.children) or None


def _action(item: PlanActionRow, action: PlanAction, row: CaseRow) -> None:
    item.party_id = party_id(row, action.party)
    item.action = action.action
    item.support = action.support
    item.due = action.due
    item.completed = action.completed


def _booking(item: BookingRow, booking: Booking, _row: CaseRow) -> None:
    item.type = booking.type
    item.date = booking.date
    item.time = booking.time
    item.place = booking.place
    item.attendees = None if booking.attendees is None else list(booking.attendees)
    item.kind = booking.kind


def _remark(item: ConcernRow | StrengthRow, remark: Concern, _row: CaseRow) -> None:
    item.text = remark.text
    item.about = list(remark.about) or None
    item.children = list(remark.children) or None


def _apart(item: KeepApartRow, apart: KeepApart, _row: CaseRow) -> None:
    item.protect = apart.protect
    item.kept_from = list(apart.kept_from)
    item.reason = apart.reason


FILL: dict[str, Any] = {
    "child": _child,
    "party": _party,
    "event": _event,
    "assessment": _assessment,
    "action": _action,
    "booking": _booking,
    "concern": _remark,
    "strength": _remark,
    "keep_apart": _apart,
}


def _set(item: Any, attribute: str, value: Any) -> None:
    if getattr(item, attribute) != value:
        setattr(item, attribute, value)


def sync_references(row: CaseRow, new: CaseHistory) -> None:
    """Every stored record that names people or children by key, as in the checked case."""

    def by_id(items: tuple[Any, ...], attr: str = "id") -> dict[int, Any]:
        return {getattr(i, attr): i for i in items if getattr(i, attr) is not None}

    parties = by_id(new.parties, "row_id")
    for item in row.parties:
        if item.id in parties:
            _set(item, "child_links", links_to(parties[item.id].children))
    for relation, records in (("events", new.events), ("bookings", new.scheduled)):
        found = by_id(records)
        for item in getattr(row, relation):
            if item.id in found:
                attendees = found[item.id].attendees
                _set(item, "attendees", None if attendees is None else list(attendees))
    for relation, records in (
        ("concerns", new.concerns),
        ("strengths", new.strengths),
        ("assessments", new.assessments),
    ):
        found = by_id(records)
        for item in getattr(row, relation):
            if item.id in found:
                _set(item, "about", list(found[item.id].about) or None)
                _set(item, "children", list(found[item.id].children) or None)
    aparts = by_id(new.keep_apart)
    for item in row.keep_apart:
        if item.id in aparts:
            _set(item, "protect", aparts[item.id].protect)
            _set(item, "kept_from", list(aparts[item.id].kept_from))
