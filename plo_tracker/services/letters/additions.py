"""What making a letter adds to its case, in the same transaction as the letter's record
(audited like every change): the separate meeting given for the letter, booked, and the
action to go through the letter with a reader who needs it read with them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Booking as BookingRow
from db.models import PlanAction as PlanActionRow
from plo_tracker.domain.model import Booking, Party, PlanAction


def book_meeting(session: Session, case_id: int, booking: Booking) -> None:
    """The separate meeting given for a letter, booked on the case, so it is in the
    chronology, the start pages, the drift rules and later letters."""
    position = session.scalar(
        select(func.max(BookingRow.position)).where(BookingRow.case_id == case_id)
    )
    session.add(
        BookingRow(
            case_id=case_id,
            position=(position if position is not None else -1) + 1,
            type=booking.type,
            date=booking.date,
            time=booking.time,
            place=booking.place,
            attendees=list(booking.attendees or ()),
        )
    )


def add_reading_action(session: Session, case_id: int, reader: Party, reading: PlanAction) -> None:
    """The action to read the letter with the reader, on their case."""
    position = session.scalar(
        select(func.max(PlanActionRow.position)).where(PlanActionRow.case_id == case_id)
    )
    session.add(
        PlanActionRow(
            case_id=case_id,
            position=(position or 0) + 1,
            party_id=reader.row_id,
            action=reading.action,
            support=reading.support,
            due=reading.due,
            completed=None,
        )
    )
