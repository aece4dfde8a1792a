"""The case's Court section: its care proceedings as a list (issue, hearings booked and
held with the council's plan and whether the court approved it, extensions, the final
order) and a summary line (court reference, week of 26, when the 26 weeks end)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtGui import QBrush, QColor

from plo_tracker.domain import court
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import (
    HEARING_LABELS,
    PLAN_LABELS,
    SHORT_NOTICE_LABELS,
    CaseHistory,
)
from plo_tracker.domain.policy import Policy
from ui import formats
from ui.models.base import Column, RowTableModel

COURT_EVENTS = ("proceedings_issued", "hearing", "court_extension", "proceedings_concluded")


@dataclass(frozen=True, slots=True)
class CourtRow:
    day: dt.date
    what: str
    plan: str = ""
    approved: str = ""
    details: str = ""
    booked: bool = False
    rank: int = 1  # on one day: issue 0, hearings 1, extension 2, conclusion 3, bookings 4

    @property
    def order(self) -> tuple[dt.date, int]:
        return (self.day, self.rank)


def approved_text(value: bool | None) -> str:
    if value is None:
        return "Not recorded"
    return "Approved" if value else "Not approved"


def court_rows(case: CaseHistory) -> list[CourtRow]:
    """Every court record of the case, in date order, and the hearings still booked."""
    rows: list[CourtRow] = []
    for event in case.events:
        if event.type not in COURT_EVENTS:
            continue
        if event.type == "proceedings_issued":
            details = "Not a short-notice application"
            if event.short_notice:
                reason = SHORT_NOTICE_LABELS.get(event.short_notice_reason or "", "")
                details = "Short-notice application" + (f" ({reason.lower()})" if reason else "")
            elif event.short_notice is None:
                details = "Short notice not recorded"
            rows.append(CourtRow(event.date, "Proceedings issued", details=details, rank=0))
        elif event.type == "hearing":
            rows.append(
                CourtRow(
                    event.date,
                    HEARING_LABELS.get(event.kind or "", "Court hearing"),
                    plan=PLAN_LABELS.get(event.la_plan or "", "Not recorded"),
                    approved=approved_text(event.plan_approved),
                )
            )
        elif event.type == "court_extension":
            until = long_date(event.until) if event.until else "?"
            what = "Court extended the timetable"
            rows.append(CourtRow(event.date, what, details=f"To {until}", rank=2))
        else:
            order = PLAN_LABELS.get(event.order or "", event.order or "")
            rows.append(
                CourtRow(event.date, "Proceedings concluded", details=f"Order: {order}", rank=3)
            )
    for booking in case.scheduled:
        if booking.type == "hearing":
            what = f"{booking.label} (booked)"
            place = f"At {booking.place}" if booking.place else ""
            rows.append(CourtRow(booking.date, what, details=place, booked=True, rank=4))
    rows.sort(key=lambda r: r.order)
    return rows


def court_summary(case: CaseHistory, policy: Policy, as_of: dt.date) -> str:
    """'Court reference ZW26C00123 · In proceedings, week 19 of 26 · 26 weeks end on ...'."""
    parts = [f"Court reference: {case.court_reference or 'not recorded'}"]
    found = court.proceedings(case, as_of)
    if found is None:
        return "Not in care proceedings: no issue of proceedings is recorded."
    if found.concluded is not None:
        weeks = found.weeks_to_conclusion()
        order = PLAN_LABELS.get(found.concluded.order or "", found.concluded.order or "")
        parts.append(
            f"Concluded on {long_date(found.concluded.date)}, {weeks} weeks after issue; "
            f"order: {order}"
        )
        return " · ".join(parts)
    parts.append(f"In proceedings, {court.week_text(case, policy, as_of)}")
    deadline = found.deadline(policy.proceedings_weeks)
    if found.extensions:
        parts.append(f"Extended by the court to {long_date(deadline)}")
    else:
        parts.append(f"{policy.proceedings_weeks} weeks end on {long_date(deadline)}")
    return " · ".join(parts)


class CourtModel(RowTableModel):
    DATE, WHAT, PLAN, APPROVED, DETAILS = range(5)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Date", lambda r: formats.short_date(r.day), sort=lambda r: r.order),
        Column("What", lambda r: r.what),
        Column(
            "Council's plan",
            lambda r: r.plan,
            header_tip="At the first hearing the initial plan, at the final hearing the final plan",
        ),
        Column("Plan approved", lambda r: r.approved),
        Column("Details", lambda r: r.details, tooltip=lambda r: r.details),
    )

    def foreground(self, row: CourtRow, _column: int) -> QBrush | None:
        return QBrush(QColor("#1f5fa8")) if row.booked else None
