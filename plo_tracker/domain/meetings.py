"""Meetings as records: the checks on a booking made in the app, and on the meeting a
letter offers (domain reference section 6). Pure: no database, no Qt.

* A new booking made in the window or by a command is in the future: a meeting that has
  happened is recorded as an event (an imported file may hold past bookings; they are kept
  as booked but not yet recorded as held).
* A protected person and someone kept from them are never booked into one meeting, and two
  meetings for them at one place are at least ``apart_minutes`` apart (a council setting,
  default 120), arriving and leaving.
* The meeting a letter before proceedings offers is at least ``meeting_notice_days``
  working days after the letter's date, on a working day; a time outside 08:00-18:00, or a
  booking on a day the council is closed, is possible but needs confirming.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from plo_tracker.domain import family
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import Booking, CaseHistory
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar

DAY_STARTS = dt.time(8, 0)
DAY_ENDS = dt.time(18, 0)


def describe(case: CaseHistory, booking: Booking) -> str:
    """ "the review meeting on Monday 29 April 2024 at 10:00 at Shirehall (for Chloe Evans)"."""
    text = f"the {booking.label[:1].lower()}{booking.label[1:]} on {long_date(booking.date)}"
    if booking.time is not None:
        text += f" at {booking.time.strftime('%H:%M')}"
    if booking.place:
        text += f" at {booking.place}"
    if booking.attendees is not None:
        names = {p.id: p.name for p in case.parties}
        text += " (for " + " and ".join(names.get(k, k) for k in booking.attendees) + ")"
    return text


@dataclass(frozen=True, slots=True)
class BookingProblem:
    """Something wrong with a booking: refused (``confirm`` False) or to confirm."""

    message: str
    confirm: bool = False


def check_booking(
    case: CaseHistory,
    booking: Booking,
    *,
    now: dt.datetime,
    policy: Policy,
    calendar: WorkingCalendar,
    previous: Booking | None = None,
) -> list[BookingProblem]:
    """What is wrong with ``booking`` (new, or changed from ``previous``) in ``case``."""
    problems: list[BookingProblem] = []
    moved = previous is None or (previous.date, previous.time) != (booking.date, booking.time)
    if moved and in_the_past(booking, now):
        problems.append(
            BookingProblem(
                f"{_cap(describe(case, booking))} is in the past. A booking is for a meeting "
                "still to come: record a meeting that has happened as an event."
            )
        )
    others = [b for b in case.scheduled if b.id is None or b.id != booking.id]
    people = family.attendees(case, booking.attendees)
    pair = family.apart_pair(case, people)
    if pair is not None:
        names = {p.id: p.name for p in case.parties}
        problems.append(
            BookingProblem(
                f"{names.get(pair[0], pair[0])} and {names.get(pair[1], pair[1])} must be kept "
                f"apart, so they cannot both be at {describe(case, booking)}. Book a separate "
                "meeting for each."
            )
        )
    for other in others:
        if family.same_booked_meeting(booking, other):
            clash = family.apart_pair(case, people | family.attendees(case, other.attendees))
            if clash is not None and clash != pair:
                problems.append(
                    BookingProblem(
                        f"{_cap(describe(case, booking))} would be the same meeting as "
                        f"{describe(case, other)}, and the people at them must be kept apart. "
                        "Book a different time or place."
                    )
                )
                break
    close = family.too_close(case, booking, others, policy.apart_minutes)
    if close is not None and not any("same meeting" in p.message for p in problems):
        problems.append(
            BookingProblem(
                f"{_cap(describe(case, booking))} is less than {_span(policy.apart_minutes)} "
                f"from {describe(case, close)} at the same place, and the people at them must "
                "be kept apart (arriving and leaving). Choose a time at least "
                f"{_span(policy.apart_minutes)} apart, or another place."
            )
        )
    if moved and not calendar.is_working_day(booking.date):
        problems.append(
            BookingProblem(
                f"{long_date(booking.date)} is not a working day (a weekend, bank holiday or "
                "closure day).",
                confirm=True,
            )
        )
    if moved and out_of_hours(booking):
        problems.append(
            BookingProblem(
                f"{booking.time.strftime('%H:%M') if booking.time else ''} is outside "
                "08:00 to 18:00.",
                confirm=True,
            )
        )
    return problems


def notice_problem(
    booking: Booking, letter_date: dt.date, policy: Policy, calendar: WorkingCalendar
) -> str | None:
    """Why the meeting a letter before proceedings offers is too soon or on the wrong day."""
    earliest = calendar.add_working_days(letter_date, policy.meeting_notice_days)
    if booking.date < earliest:
        return (
            f"the meeting on {long_date(booking.date)} is too soon: it must be at least "
            f"{policy.meeting_notice_days} working days after the letter's date "
            f"({long_date(letter_date)}), so on or after {long_date(earliest)}"
        )
    if not calendar.is_working_day(booking.date):
        return (
            f"the meeting on {long_date(booking.date)} is not on a working day (a weekend, "
            "bank holiday or day the council is closed)"
        )
    return None


def out_of_hours(booking: Booking) -> bool:
    return booking.time is not None and not DAY_STARTS <= booking.time <= DAY_ENDS


def in_the_past(booking: Booking, now: dt.datetime) -> bool:
    if booking.date != now.date():
        return booking.date < now.date()
    return booking.time is not None and booking.time < now.time().replace(second=0, microsecond=0)


def _span(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def bookings_for(case: CaseHistory, reader: str, bookings: Iterable[Booking]) -> list[Booking]:
    """The bookings ``reader`` attends (listed, or open to everyone who may meet everyone)."""
    return [b for b in bookings if reader in family.attendees(case, b.attendees)]
