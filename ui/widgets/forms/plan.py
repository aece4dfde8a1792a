"""Forms for the plan: assessments, plan actions, and booked meetings.

Dates that record a fact (when an assessment was commissioned, when a meeting is
booked for) start empty for a new record; a due date starts at the usual length
(8 weeks for an assessment, 4 for an action), which the user can see and change.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget

from plo_tracker import clock
from plo_tracker.domain.model import BOOKING_TYPES, Assessment, Booking, CaseHistory, PlanAction
from ui import formats
from ui.widgets.forms.base import CaseRecordForm, Saver, optional_text, party_options, text_of
from ui.widgets.inputs import DateEdit, OptionalDate, OptionalTime, choice_combo


class AssessmentForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        assessment: Assessment | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Change assessment" if assessment else "Add an assessment", case, saver, parent
        )
        self.original = assessment
        a = assessment
        today = clock.today()
        self.title = self.add_row(
            "&Assessment:", QLineEdit(a.title if a else ""), "Assessment title", "title"
        )
        self.title.setPlaceholderText("for example Parenting assessment")
        self.commissioned = self.add_row(
            "&Commissioned:",
            DateEdit(a.commissioned if a else None),
            "Commissioned on",
            "commissioned",
        )
        self.due = self.add_row(
            "&Due:", DateEdit(a.due if a else today + dt.timedelta(weeks=8)), "Due on", "due"
        )
        self.completed = self.add_row(
            "C&ompleted:",
            OptionalDate("Completed on", a.completed if a else None),
            "Completed",
            "completed",
        )
        self.ready()

    def build(self) -> Assessment:
        base = self.original
        return Assessment(
            title=text_of(self.title),
            commissioned=self.date_of(self.commissioned, "Commissioned", "commissioned"),
            due=self.date_of(self.due, "Due", "due"),
            completed=self.date_of(self.completed, "Completed", "completed"),
            id=base.id if base else None,
            version=base.version if base else None,
        )


class ActionForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        action: PlanAction | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Change plan action" if action else "Add a plan action", case, saver, parent
        )
        self.original = action
        a = action
        self.action = self.add_row(
            "&What must happen:", QLineEdit(a.action if a else ""), "What must happen", "action"
        )
        self.who = self.add_row(
            "W&ho:",
            choice_combo(party_options(case, "The council"), a.party if a else None),
            "Who does it",
            "party",
        )
        self.support = self.add_row(
            "Su&pport offered:",
            QLineEdit(a.support or "" if a else ""),
            "Support offered",
            "support",
        )
        self.due = self.add_row(
            "&Due:",
            DateEdit(a.due if a else clock.today() + dt.timedelta(weeks=4)),
            "Due on",
            "due",
        )
        self.completed = self.add_row(
            "C&ompleted:",
            OptionalDate("Done on", a.completed if a else None),
            "Completed",
            "completed",
        )
        self.ready()

    def build(self) -> PlanAction:
        base = self.original
        return PlanAction(
            action=text_of(self.action),
            due=self.date_of(self.due, "Due", "due"),
            party=self.who.currentData(),
            support=optional_text(self.support),
            completed=self.date_of(self.completed, "Completed", "completed"),
            id=base.id if base else None,
            version=base.version if base else None,
        )


class BookingForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        booking: Booking | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Change booked meeting" if booking else "Book a meeting", case, saver, parent
        )
        self.original = booking
        b = booking
        self.kind = self.add_row(
            "&Meeting:",
            choice_combo(
                [(formats.booking_label(t), t) for t in BOOKING_TYPES], b.type if b else None
            ),
            "Kind of meeting",
            "type",
        )
        self.date = self.add_row("&Date:", DateEdit(b.date if b else None), "Date", "date")
        self.time = self.add_row(
            "&Time:", OptionalTime("At a set time", b.time if b else None), "Time", "time"
        )
        self.place = self.add_row(
            "&Place:", QLineEdit(b.place or "" if b else ""), "Place", "place"
        )
        self.ready()

    def build(self) -> Booking:
        base = self.original
        return Booking(
            type=str(self.kind.currentData()),
            date=self.date_of(self.date, "Date", "date"),
            time=self.time.value(),
            place=optional_text(self.place),
            id=base.id if base else None,
            version=base.version if base else None,
        )
