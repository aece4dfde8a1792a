"""The lists inside one case: chronology, children, assessments, plan actions, booked
meetings, flags, flag reviews and the audit trail (people, keep-apart, worries and strengths
are in ``ui.models.family``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtGui import QBrush, QColor

from plo_tracker.domain import drift, family
from plo_tracker.domain.dates import clock_time
from plo_tracker.domain.model import (
    MEETING_EVENT_TYPES,
    Booking,
    CaseHistory,
    Child,
    Event,
    PlanAction,
)
from plo_tracker.services.audit import AuditLine, Recorders
from plo_tracker.services.flags import decision_words
from ui import formats
from ui.models.base import Column, RowTableModel
from ui.models.family import (
    AssessmentRow,
    AssessmentsModel,
    ConcernRow,
    ConcernsModel,
    PartiesModel,
    StrengthsModel,
    assessment_rows,
    concern_rows,
    party_name,
)

__all__ = [
    "AssessmentRow",
    "AssessmentsModel",
    "ConcernRow",
    "ConcernsModel",
    "PartiesModel",
    "StrengthsModel",
    "assessment_rows",
    "concern_rows",
    "party_name",
]


# -- chronology ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChronologyRow:
    """An event that happened, or a meeting booked for the future."""

    day: dt.date
    what: str
    details: str
    recorded_by: str
    record: Event | Booking

    @property
    def is_booking(self) -> bool:
        return isinstance(self.record, Booking)


def event_details(case: CaseHistory, event: Event) -> str:
    parts: list[str] = []
    if event.outcome:
        parts.append(formats.OUTCOME_LABELS.get(event.outcome, event.outcome))
    if event.party and event.type == "fgdm_response":
        answer = {"accepted": "accepted", "declined": "declined"}.get(event.response or "", "")
        parts.append(f"{party_name(case, event.party)} {answer} the offer".replace("  ", " "))
    elif event.party:
        parts.append(f"To {party_name(case, event.party)}")
    if event.type == "letter_before_proceedings" and event.fgdm_offered is False:
        parts.append("family group conference not offered")
    if event.to:
        parts.append(f"To a {formats.STEP_DOWN_LABELS.get(event.to, event.to).lower()}")
    if event.rule:
        parts.append(f"Review of: {formats.rule_label(event.rule)}")
    if event.until:
        parts.append(f"until {formats.short_date(event.until)}")
    if event.decided_by:
        parts.append(f"decided by {event.decided_by}")
    if event.reason:
        parts.append(event.reason)
    if event.rationale:
        parts.append(event.rationale)
    if event.type in MEETING_EVENT_TYPES and event.attendees:
        came = "For" if event.effective is False else "Came"
        parts.append(f"{came}: {formats.people_names(case, event.attendees)}")
    return "; ".join(parts)


def booking_details(case: CaseHistory, booking: Booking) -> str:
    """'10:00, Shirehall, room 2; for Chloe Evans and Gareth Evans'."""
    when = clock_time(booking.time) if booking.time else ""
    details = ", ".join(p for p in (when, booking.place or "") if p)
    if booking.attendees:
        who = f"for {formats.people_names(case, booking.attendees)}"
    elif case.keep_apart:
        everyone = family.attendees(case, None)
        listed = [p.id for p in case.parties if p.id in everyone]
        who = (
            f"for everyone who may meet everyone else ({formats.people_names(case, tuple(listed))})"
            if listed
            else "for everyone who may meet everyone else (nobody)"
        )
    else:
        who = ""
    return "; ".join(p for p in (details, who) if p)


def event_what(event: Event) -> str:
    """The chronology's words for an event; a manager's review of a flag in the words
    the Flags tab and the reviews use ("Delay accepted: ...", "Extension agreed")."""
    if event.type == "management_oversight" and event.rule:
        return f"{decision_words('accept', event.rule)}: {formats.rule_label(event.rule)}"
    if event.type == "extension_agreed":
        return "Extension agreed (pre-proceedings period)"
    text = formats.event_label(event.type)
    if event.type in MEETING_EVENT_TYPES and event.effective is False:
        text += " (did not go ahead)"
    return text


def chronology(
    case: CaseHistory, names: dict[str, str] | None = None, recorders: Recorders | None = None
) -> list[ChronologyRow]:
    """The events and booked meetings in date order; who recorded each, by name (who booked
    a meeting, and who imported history recorded elsewhere, from the audit trail)."""
    names = names or {}
    imported = f"{recorders.importer} (import)" if recorders and recorders.importer else ""
    rows = [
        ChronologyRow(
            day=e.date,
            what=event_what(e),
            details=event_details(case, e),
            recorded_by=names.get(e.recorded_by, e.recorded_by) if e.recorded_by else imported,
            record=e,
        )
        for e in case.events
    ]
    for booking in case.scheduled:
        details = booking_details(case, booking)
        rows.append(
            ChronologyRow(
                day=booking.date,
                what=f"Booked: {formats.booking_label(booking.type)}",
                details=details,
                recorded_by=(recorders.booked_by(booking.type, booking.date) if recorders else None)
                or imported,
                record=booking,
            )
        )
    rows.sort(key=lambda r: (r.day, r.is_booking))
    return rows


class ChronologyModel(RowTableModel):
    DATE, WHAT, RECORDED_BY, DETAILS = range(4)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Date", lambda r: formats.short_date(r.day), sort=lambda r: (r.day, r.is_booking)),
        Column("What", lambda r: r.what),
        Column(
            "Recorded by",
            lambda r: r.recorded_by,
            header_tip="Who recorded or booked it in PLO Tracker, or who imported it",
        ),
        Column("Details", lambda r: r.details, tooltip=lambda r: r.details),
    )

    def foreground(self, row: ChronologyRow, _column: int) -> QBrush | None:
        return QBrush(QColor("#1f5fa8")) if row.is_booking else None


# -- children and people ---------------------------------------------------------------------


def child_dates(child: Child) -> str:
    if child.expected_birth is not None:
        return f"Expected {formats.short_date(child.expected_birth)}"
    return f"Born {formats.short_date(child.date_of_birth)}"


class ChildrenModel(RowTableModel):
    NAME, BIRTH, LA_ID, KEY = range(4)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda c: c.name),
        Column(
            "Date of birth",
            child_dates,
            sort=lambda c: c.date_of_birth or c.expected_birth,
        ),
        Column("Council child ID", lambda c: c.la_child_id or ""),
        Column(
            "Short name",
            lambda c: c.key or "",
            header_tip="How the case's records name the child (made when a record first does)",
        ),
    )


# -- assessments, plan actions, bookings -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionRow:
    action: PlanAction
    who: str


def action_rows(case: CaseHistory) -> list[ActionRow]:
    return [ActionRow(a, party_name(case, a.party, none="The council")) for a in case.plan_actions]


class ActionsModel(RowTableModel):
    ACTION, WHO, SUPPORT, DUE, COMPLETED = range(5)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Action", lambda r: r.action.action, tooltip=lambda r: r.action.action),
        Column("Who", lambda r: r.who),
        Column("Support", lambda r: r.action.support or ""),
        Column("Due", lambda r: formats.short_date(r.action.due), sort=lambda r: r.action.due),
        Column(
            "Completed",
            lambda r: formats.short_date(r.action.completed) if r.action.completed else "Not yet",
            sort=lambda r: r.action.completed,
        ),
    )


class BookingsModel(RowTableModel):
    DATE, TIME, MEETING, PLACE = range(4)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Date", lambda b: formats.short_date(b.date), sort=lambda b: b.date),
        Column(
            "Time",
            lambda b: clock_time(b.time) if b.time else "",
            sort=lambda b: b.time,
        ),
        Column("Meeting", lambda b: formats.booking_label(b.type)),
        Column("Place", lambda b: b.place or ""),
    )


# -- flags, reviews, audit -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagRow:
    flag: drift.Flag
    as_of: dt.date


def _reviewed(flag: drift.Flag) -> str:
    review = flag.reviewed
    if review is None:
        return ""
    text = f"{review.by}, {formats.short_date(review.on)}"
    if review.until:
        text += f" (until {formats.short_date(review.until)})"
    return text


def _severity_colour(row: FlagRow) -> QColor:
    if row.flag.reviewed is not None:
        return formats.RAG_COLOURS["accepted"]
    return formats.RAG_COLOURS["red" if row.flag.severity == drift.OVERDUE else "amber"]


def _severity(flag: drift.Flag) -> str:
    text = formats.SEVERITY_LABELS.get(flag.severity, flag.severity)
    return f"{text}, accepted" if flag.reviewed is not None else text


def flag_detail(flag: drift.Flag) -> str:
    return flag.message.removeprefix(f"{flag.case}: ")


class CaseFlagsModel(RowTableModel):
    RULE, STATUS, DUE, LATE, REVIEWED, DETAIL = range(6)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Flag", lambda r: formats.rule_label(r.flag.rule)),
        Column(
            "Status",
            lambda r: _severity(r.flag),
            colour=_severity_colour,
        ),
        Column("Due", lambda r: formats.short_date(r.flag.due), sort=lambda r: r.flag.due),
        Column(
            "How late",
            lambda r: formats.lateness(r.flag.due, r.as_of),
            sort=lambda r: (r.as_of - r.flag.due).days,
        ),
        Column(
            "Delay accepted",
            lambda r: _reviewed(r.flag),
            header_tip="Which manager accepted the delay, when, and until when",
        ),
        Column("What", lambda r: flag_detail(r.flag), tooltip=lambda r: r.flag.message),
    )


class ReviewsModel(RowTableModel):
    ON, BY, RULE, DECISION, UNTIL, RATIONALE = range(6)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Reviewed on", lambda r: formats.short_date(r.on), sort=lambda r: r.on),
        Column("Reviewed by", lambda r: r.decided_by or r.reviewed_by),
        Column("Flag", lambda r: formats.rule_label(r.rule)),
        Column("Decision", lambda r: decision_words(r.decision, r.rule)),
        Column("Until", lambda r: formats.short_date(r.until), sort=lambda r: r.until),
        Column("Rationale", lambda r: r.rationale, tooltip=lambda r: r.rationale),
    )


def _when(line: AuditLine) -> str:
    local = line.at.astimezone()
    return f"{formats.short_date(local.date())} {local:%H:%M}"


class AuditModel(RowTableModel):
    """The audit trail as sentences ("Megan Hughes recorded a review meeting on 3 Nov 2026")."""

    WHEN, WHO, WHAT = range(3)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("When", _when, sort=lambda r: (r.at, r.id)),
        Column("Who", lambda r: r.who),
        Column(
            "What happened",
            lambda r: r.text(),
            tooltip=lambda r: "\n".join([r.sentence, *r.changes]),
        ),
    )
