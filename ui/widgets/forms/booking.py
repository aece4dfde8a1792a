"""The booking form: a meeting booked for the future, and who it is for.

Nobody ticked means everyone who may meet everyone else (nobody kept apart from anyone),
and the form says who that is, in words. As it is typed the booking is checked with the
rules a save applies (``drafts.booking_check``): a date in the past, people kept apart in
one meeting, or two meetings for them at one place too close together are refused with
the save's own message (naming both meetings); a day the council is closed or a time outside
08:00-18:00 is asked on save, and the form says so beforehand.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from plo_tracker.domain import family
from plo_tracker.domain.model import BOOKING_TYPES, HEARING_LABELS, Booking, CaseHistory
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import ValidationError
from plo_tracker.services.cases import booking_check, draft_problem
from ui import formats
from ui.widgets.forms.base import HINT_STYLE, CaseRecordForm, Saver, optional_text
from ui.widgets.forms.pickers import TickList, names, people_options
from ui.widgets.inputs import DateEdit, OptionalTime, choice_combo


def describe_attendees(case: CaseHistory, chosen: tuple[str, ...]) -> str:
    """Who a booking is for, in words."""
    if chosen:
        return f"For {names(case, chosen)} only."
    everyone = sorted(family.attendees(case, None), key=[p.id for p in case.parties].index)
    if not case.keep_apart:
        if not everyone:
            return "Nobody ticked: for everyone in the case (nobody is recorded yet)."
        return f"Nobody ticked: for everyone in the case ({names(case, everyone)})."
    apart = [p.id for p in case.parties if p.id in family.in_keep_apart(case)]
    who = names(case, everyone) if everyone else "nobody"
    return (
        f"Nobody ticked: for everyone who may meet everyone else ({who}), not "
        f"{names(case, apart).replace(' and ', ' or ')}, who are kept apart: tick whom each "
        "meeting is for, and book a separate one for each of them."
    )


class BookingForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        booking: Booking | None,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        rules: tuple[Policy, WorkingCalendar] | None = None,
    ) -> None:
        super().__init__(
            "Change booked meeting" if booking else "Book a meeting", case, saver, parent
        )
        self.original = booking
        self.rules = rules
        self.to_confirm: tuple[str, ...] = ()
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
        self.hearing = self.add_row(
            "&Kind of hearing:",
            choice_combo(
                [
                    ("Choose the kind of hearing…", None),
                    *((v, k) for k, v in HEARING_LABELS.items()),
                ],
                b.kind if b else None,
            ),
            "Kind of hearing",
            "kind",
        )
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.attendees = TickList(
            "Who it is for",
            people_options(case),
            (b.attendees or ()) if b else (),
            name="Who the meeting is for",
            note="Tick the people this meeting is for.",
            empty="No people are recorded on this case yet.",
        )
        self.form.addRow(self.attendees)
        self.watch(self.attendees, "attendees")
        self.ready()

    def _kind_changed(self, *_args: object) -> None:
        self.form.setRowVisible(self.hearing, self.kind.currentData() == "hearing")

    def revalidate(self) -> None:
        self.attendees.summary.setText(describe_attendees(self.case, self.attendees.chosen()))
        super().revalidate()
        if self.to_confirm and self.save_button.isEnabled():
            self.message.setStyleSheet(HINT_STYLE)
            self.message.setText(
                "Ready to save; you will be asked to confirm: " + " ".join(self.to_confirm)
            )

    def check(self, record: Booking) -> ValidationError | None:
        if self.rules is None:
            self.to_confirm = ()
            return draft_problem(self.case, record)
        found = booking_check(self.case, record, *self.rules)
        self.to_confirm = found.to_confirm
        return found.problem

    def build(self) -> Booking:
        base = self.original
        kind = str(self.kind.currentData())
        return Booking(
            type=kind,
            date=self.date_of(self.date, "Date", "date"),
            time=self.time.value(),
            place=optional_text(self.place),
            attendees=self.attendees.chosen() or None,
            kind=self.hearing.currentData() if kind == "hearing" else None,
            id=base.id if base else None,
            version=base.version if base else None,
        )
