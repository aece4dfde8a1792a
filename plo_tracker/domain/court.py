"""After issue: care proceedings, the 26-week limit and the court rules (domain reference,
section 7), as pure functions of (case history, policy, working calendar, as-of date).

A case is **in proceedings** from its ``proceedings_issued`` until a
``proceedings_concluded`` dated on or after that issue.  Choices where the reference leaves
room (also in docs/drift-rules.md):

* The proceedings are those of the **latest** issue dated on or before the as-of date;
  extensions, hearings and the conclusion count only when dated on or after that issue
  (a child back in proceedings years later starts a new 26 weeks).
* ``week_26``: the latest ``court_extension`` (by date; the later ``until`` on one day)
  replaces the 26 weeks, as the table says.
* ``hearing_not_recorded``: one flag per booked hearing whose date has passed.  Bookings
  have no creation date, so a past as-of date sees the current bookings (as for plan
  actions).  A booking with no kind is met by a hearing of any kind.  A moved booking
  is simply a booking on its new date.
* ``first_hearing_plan``: the first hearing is the earliest ``hearing`` of these
  proceedings; due on its date (due soon that day, overdue the next), met once that
  hearing records ``la_plan``.
* These rules run while the case is in proceedings, whether or not a legal planning
  meeting started pre-proceedings (an immediate issue is still checked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import HEARING_LABELS, CaseHistory, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar

COURT_RULES: dict[str, str] = {
    "week_26": "Care proceedings past 26 weeks",
    "hearing_not_recorded": "Court hearing not recorded",
    "first_hearing_plan": "Council's plan not recorded at the first hearing",
}


@dataclass(frozen=True, slots=True)
class Proceedings:
    """One set of care proceedings as of a date: the issue and what followed it."""

    issued: Event
    extensions: tuple[Event, ...]
    hearings: tuple[Event, ...]
    concluded: Event | None

    @property
    def is_open(self) -> bool:
        return self.concluded is None

    def deadline(self, weeks: int) -> dt.date:
        """Issue + ``weeks`` weeks; the latest court extension's ``until`` instead."""
        if self.extensions:
            latest = max(self.extensions, key=lambda e: (e.date, e.until or dt.date.min))
            if latest.until is not None:
                return latest.until
        return self.issued.date + dt.timedelta(weeks=weeks)

    def week(self, as_of: dt.date) -> int:
        """The week of proceedings the date falls in: days 1-7 after issue (and the day of
        issue) are week 1, so issue + 26 weeks, the due date, is the last day of week 26
        and week 27 is overdue."""
        end = self.concluded.date if self.concluded is not None else as_of
        return max(1, -(-(end - self.issued.date).days // 7))

    def weeks_allowed(self, weeks: int) -> int:
        """26, or the weeks to the extended deadline (rounded up)."""
        return max(1, -(-(self.deadline(weeks) - self.issued.date).days // 7))

    def weeks_to_conclusion(self) -> int | None:
        """Whole weeks from issue to the final order (None while open)."""
        if self.concluded is None:
            return None
        return max(0, (self.concluded.date - self.issued.date).days) // 7


def proceedings(case: CaseHistory, as_of: dt.date) -> Proceedings | None:
    """The case's latest proceedings issued on or before ``as_of`` (None if never issued)."""
    seen = sorted((e for e in case.events if e.date <= as_of), key=lambda e: e.date)
    issues = [e for e in seen if e.type == "proceedings_issued"]
    if not issues:
        return None
    issued = issues[-1]
    after = [e for e in seen if e.date >= issued.date]
    concluded = [e for e in after if e.type == "proceedings_concluded"]
    return Proceedings(
        issued=issued,
        extensions=tuple(e for e in after if e.type == "court_extension"),
        hearings=tuple(e for e in after if e.type == "hearing"),
        concluded=concluded[0] if concluded else None,
    )


def in_proceedings(case: CaseHistory, as_of: dt.date) -> bool:
    found = proceedings(case, as_of)
    return found is not None and found.is_open


def week_text(case: CaseHistory, policy: Policy, as_of: dt.date) -> str | None:
    """'week 19 of 26' while in proceedings (None otherwise)."""
    found = proceedings(case, as_of)
    if found is None or not found.is_open:
        return None
    weeks = policy.proceedings_weeks
    return f"week {found.week(as_of)} of {found.weeks_allowed(weeks)}"


def dues(
    case: CaseHistory, policy: Policy, calendar: WorkingCalendar, as_of: dt.date
) -> list[tuple[str, dt.date, str, str | None]]:
    """The court rules whose condition holds: (rule, due date, what is late, item)."""
    found = proceedings(case, as_of)
    if found is None or not found.is_open:
        return []
    result: list[tuple[str, dt.date, str, str | None]] = []
    issued = found.issued.date
    deadline = found.deadline(policy.proceedings_weeks)
    if found.extensions:
        what = (
            f"care proceedings issued on {long_date(issued)} have not concluded by the date "
            "the court extended them to"
        )
    else:
        what = (
            f"care proceedings issued on {long_date(issued)} have not concluded within "
            f"{policy.proceedings_weeks} weeks"
        )
    result.append(("week_26", deadline, what, None))

    for index, booking in enumerate(case.scheduled):
        if booking.type != "hearing" or booking.date >= as_of or booking.date < issued:
            continue
        held = any(
            h.date >= booking.date and (booking.kind is None or h.kind == booking.kind)
            for h in found.hearings
        )
        if held:
            continue
        name = HEARING_LABELS.get(booking.kind or "", "court hearing")
        result.append(
            (
                "hearing_not_recorded",
                calendar.add_working_days(booking.date, policy.hearing_record_working_days),
                f"the {name.lower()} booked for {long_date(booking.date)} has not been "
                "recorded as held",
                f"booking:{booking.id if booking.id is not None else index}",
            )
        )

    if found.hearings:
        first = found.hearings[0]
        if first.la_plan is None:
            name = HEARING_LABELS.get(first.kind or "", "court hearing").lower()
            result.append(
                (
                    "first_hearing_plan",
                    first.date,
                    f"the council's plan is not recorded for the first hearing ({name} on "
                    f"{long_date(first.date)})",
                    None,
                )
            )
    return result
