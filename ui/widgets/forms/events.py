"""The event form: meetings, family group conferences, letters, decisions and outcomes.

The fields shown follow the kind of event (``EVENT_FIELDS`` in the domain model).
The date starts empty for a new event: the user types or picks it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from plo_tracker.domain import drift
from plo_tracker.domain.model import (
    EVENT_FIELDS,
    EVENT_TYPES,
    FGDM_RESPONSES,
    HEARING_KINDS,
    HEARING_LABELS,
    ORDERS,
    PLAN_LABELS,
    PLANS,
    SHORT_NOTICE_LABELS,
    SHORT_NOTICE_REASONS,
    CaseHistory,
    Event,
)
from plo_tracker.permissions import Actor
from ui import formats
from ui.widgets.forms.base import CaseRecordForm, Saver, may_record, party_options, text_of
from ui.widgets.forms.pickers import TickList, names, people_options
from ui.widgets.inputs import DateEdit, OptionalDate, choice_combo

RESPONSE_LABELS = {
    "accepted": "Accepted the offer of a family meeting",
    "declined": "Declined the offer",
}


class EventForm(CaseRecordForm):
    """Meetings, FGC, letters, decisions and outcomes; the fields follow the kind of event."""

    def __init__(
        self,
        case: CaseHistory,
        event: Event | None,
        actor: Actor,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        event_type: str | None = None,
    ) -> None:
        super().__init__("Change event" if event else "Record an event", case, saver, parent)
        self.original = event
        self.actor = actor
        e = event
        allowed = [t for t in EVENT_TYPES if may_record(actor, t)]
        if e is not None and e.type not in allowed:
            allowed.append(e.type)
        self.type_combo = self.add_row(
            "&What happened:",
            choice_combo([(formats.event_label(t), t) for t in allowed], e.type if e else None),
            "Kind of event",
            "type",
        )
        if event_type is not None and e is None:
            index = self.type_combo.findData(event_type)
            if index >= 0:
                self.type_combo.setCurrentIndex(index)
        self.date = self.add_row("&Date:", DateEdit(e.date if e else None), "Date", "date")
        self.outcome = self.add_row(
            "&Outcome:",
            choice_combo(
                [(label, key) for key, label in formats.OUTCOME_LABELS.items()],
                e.outcome if e else None,
            ),
            "Outcome of the meeting",
            "outcome",
        )
        self.party = self.add_row(
            "&To whom:",
            choice_combo(party_options(case, "Not to one named person"), e.party if e else None),
            "Person the letter was sent to",
            "party",
        )
        self.response = self.add_row(
            "&Answer:",
            choice_combo(
                [("Choose the answer…", None)]
                + [(RESPONSE_LABELS[key], key) for key in FGDM_RESPONSES],
                e.response if e else None,
            ),
            "Their answer to the family meeting offer",
            "response",
        )
        self.fgdm = self.add_row(
            "",
            QCheckBox("The letter offered a &family group conference"),
            "Family group conference offered",
            "fgdm_offered",
        )
        self.fgdm.setChecked(not (e and e.fgdm_offered is False))
        self.reason = self.add_row(
            "&Reason:", QLineEdit(e.reason or "" if e else ""), "Reason declined", "reason"
        )
        self.until = self.add_row(
            "&Until:", DateEdit(e.until if e and e.until else None), "Until date", "until"
        )
        self.until_optional = OptionalDate("Accepted until", e.until if e else None)
        self.add_row("Acce&pted until:", self.until_optional, "Accepted until")
        self.decided_by = self.add_row(
            "De&cided by:",
            QLineEdit(e.decided_by or "" if e else actor.display_name),
            "Decided by",
            "decided_by",
        )
        rationale = QPlainTextEdit(e.rationale or "" if e else "")
        rationale.setTabChangesFocus(True)
        rationale.setFixedHeight(rationale.fontMetrics().lineSpacing() * 4 + 12)
        self.rationale = self.add_row("R&ationale:", rationale, "Rationale", "rationale")
        self.rule = self.add_row(
            "A&bout the flag:",
            choice_combo(
                [("Not about one flag", None), *((t, r) for r, t in drift.RULES.items())],
                e.rule if e else None,
            ),
            "Flag reviewed",
            "rule",
        )
        self.to = self.add_row(
            "Stepped down &to:",
            choice_combo(
                [(label, key) for key, label in formats.STEP_DOWN_LABELS.items()],
                e.to if e else None,
            ),
            "Stepped down to",
            "to",
        )
        self.came = TickList(
            "Who came",
            people_options(case),
            (e.attendees or ()) if e else (),
            name="Who came to the meeting",
            note="Tick everyone who came.",
            empty="No people are recorded on this case yet.",
        )
        self.form.addRow(self.came)
        self.watch(self.came, "attendees")
        self.not_ahead = self.add_row(
            "",
            QCheckBox("Did &not go ahead"),
            "The meeting did not go ahead",
            "effective",
        )
        self.not_ahead.setToolTip(
            "Booked, but it did not take place: kept in the chronology, but it meets no "
            "timescale (and the census skips it)."
        )
        self.not_ahead.setChecked(bool(e and e.effective is False))
        self.kind = self.add_row(
            "&Kind of hearing:",
            choice_combo(
                [("Choose the kind of hearing…", None)]
                + [(HEARING_LABELS[key], key) for key in HEARING_KINDS],
                e.kind if e else None,
            ),
            "Kind of hearing",
            "kind",
        )
        self.la_plan = self.add_row(
            "Our &plan:",
            choice_combo(
                [("Not recorded", None)] + [(PLAN_LABELS[key], key) for key in PLANS],
                e.la_plan if e else None,
            ),
            "The council's plan at the hearing",
            "la_plan",
        )
        self.plan_approved = self.add_row(
            "",
            QCheckBox("The court appro&ved our plan"),
            "The court approved the plan",
            "plan_approved",
        )
        self.plan_approved.setChecked(bool(e and e.plan_approved))
        self.order = self.add_row(
            "&Order made:",
            choice_combo(
                [("Choose the order…", None)] + [(PLAN_LABELS[key], key) for key in ORDERS],
                e.order if e else None,
            ),
            "The court's final order",
            "order",
        )
        self.short_notice = self.add_row(
            "",
            QCheckBox("A s&hort-notice application (heard within 2 to 5 days)"),
            "Short-notice application",
            "short_notice",
        )
        self.short_notice.setChecked(bool(e and e.short_notice))
        self.short_notice_reason = self.add_row(
            "Wh&y short notice:",
            choice_combo(
                [("Not a short-notice application", None)]
                + [(SHORT_NOTICE_LABELS[key], key) for key in SHORT_NOTICE_REASONS],
                e.short_notice_reason if e else None,
            ),
            "Why short notice",
            "short_notice_reason",
        )
        self._rows: dict[str, list[QWidget]] = {
            "kind": [self.kind],
            "la_plan": [self.la_plan],
            "plan_approved": [self.plan_approved],
            "order": [self.order],
            "short_notice": [self.short_notice],
            "short_notice_reason": [self.short_notice_reason],
            "outcome": [self.outcome],
            "party": [self.party],
            "response": [self.response],
            "fgdm_offered": [self.fgdm],
            "reason": [self.reason],
            "rationale": [self.rationale],
            "decided_by": [self.decided_by],
            "rule": [self.rule],
            "to": [self.to],
            "attendees": [self.came],
            "effective": [self.not_ahead],
        }
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._show_rows()
        self.ready()

    def event_type(self) -> str:
        return str(self.type_combo.currentData())

    def _show_rows(self) -> None:
        kind = self.event_type()
        spec = EVENT_FIELDS.get(kind, {})
        caption = self.form.labelForField(self.party)
        if isinstance(caption, QLabel):
            caption.setText("Who a&nswered:" if kind == "fgdm_response" else "&To whom:")
        self.party.setAccessibleName(
            "Person who answered the offer"
            if kind == "fgdm_response"
            else "Person the letter was sent to"
        )
        for key, widgets in self._rows.items():
            for widget in widgets:
                self.form.setRowVisible(widget, key in spec)
        until_required = spec.get("until") is True
        self.form.setRowVisible(self.until, "until" in spec and until_required)
        self.form.setRowVisible(self.until_optional, "until" in spec and not until_required)

    def revalidate(self) -> None:
        came = self.came.chosen()
        if self.not_ahead.isChecked():
            # A meeting that did not go ahead: the people it was for (who did not all come).
            self.came.box.setTitle("Who it was for")
            self.came.note.setText("Tick the people it was for.")
            self.came.summary.setText(
                f"It was for {names(self.case, came)}."
                if came
                else "Nobody ticked: whom it was for is not recorded."
            )
        else:
            self.came.box.setTitle("Who came")
            self.came.note.setText("Tick everyone who came.")
            self.came.summary.setText(
                f"Came: {names(self.case, came)}."
                if came
                else "Nobody ticked: who came is not recorded."
            )
        super().revalidate()

    def _type_changed(self, *_args: object) -> None:
        self._show_rows()
        self.revalidate()

    def build(self) -> Event:
        kind = self.event_type()
        spec = EVENT_FIELDS.get(kind, {})
        values: dict[str, Any] = {}
        day = self.date_of(self.date, "Date", "date")
        if "outcome" in spec:
            values["outcome"] = self.outcome.currentData()
        if "party" in spec:
            values["party"] = self.party.currentData()
        if "response" in spec:
            values["response"] = self.response.currentData()
        if "fgdm_offered" in spec:
            values["fgdm_offered"] = self.fgdm.isChecked()
        if "reason" in spec:
            values["reason"] = text_of(self.reason)
        if "until" in spec:
            if spec["until"]:
                values["until"] = self.date_of(self.until, "Until", "until")
            else:
                values["until"] = self.date_of(self.until_optional, "Accepted until", "until")
        if "decided_by" in spec:
            values["decided_by"] = text_of(self.decided_by)
        if "rationale" in spec:
            values["rationale"] = self.rationale.toPlainText().strip()
        if "rule" in spec:
            values["rule"] = self.rule.currentData()
        if "to" in spec:
            values["to"] = self.to.currentData()
        if "kind" in spec:
            values["kind"] = self.kind.currentData()
        if "la_plan" in spec:
            values["la_plan"] = self.la_plan.currentData()
            # Approval is said only of a plan that is recorded.
            values["plan_approved"] = (
                self.plan_approved.isChecked() if values["la_plan"] is not None else None
            )
        if "order" in spec:
            values["order"] = self.order.currentData()
        if "short_notice" in spec:
            values["short_notice"] = True if self.short_notice.isChecked() else None
            values["short_notice_reason"] = (
                self.short_notice_reason.currentData() if self.short_notice.isChecked() else None
            )
        base = self.original
        if "attendees" in spec:
            values["attendees"] = self.came.chosen() or None
        if "effective" in spec:
            kept = base.effective if base is not None and base.effective else None
            values["effective"] = False if self.not_ahead.isChecked() else kept
        return Event(
            type=kind,
            date=day,
            id=base.id if base else None,
            version=base.version if base else None,
            **values,
        )
