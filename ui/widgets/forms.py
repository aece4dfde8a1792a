"""The forms that add and change the parts of a case.

Every form checks itself as the user types, with the same checks a save runs
(``plo_tracker.services.drafts``), keeps Save switched off while something is
wrong and says what.  Save calls the core's service with the record (and the
version the user saw); if the service refuses (a validation problem, a
permission, or someone else's change), its message is shown in the form and
nothing is changed.  Forms open window-modal with ``open()``, never ``exec()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.domain import drift
from plo_tracker.domain.model import (
    BOOKING_TYPES,
    EVENT_FIELDS,
    EVENT_TYPES,
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Event,
    Party,
    PlanAction,
    Solicitor,
)
from plo_tracker.errors import ConflictError, PermissionDenied, ValidationError
from plo_tracker.permissions import Actor
from plo_tracker.services.cases import CaseHeader
from plo_tracker.services.drafts import draft_problem, header_problem
from plo_tracker.validation import clean_optional
from ui import formats
from ui.errors import describe
from ui.widgets.inputs import DateEdit, OptionalDate, OptionalTime, choice_combo

Saver = Callable[[Any], Any]

RELATIONSHIPS = (
    "mother",
    "father",
    "stepmother",
    "stepfather",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "special guardian",
    "foster carer",
    "other relative",
    "family friend",
)

PROBLEM_STYLE = "color: #8a1c1c; font-weight: 600;"
OK_STYLE = "color: #2e5d2e;"


def may_record(actor: Actor, event_type: str) -> bool:
    """Whether the core lets ``actor`` record this kind of event."""
    try:
        actor.require_event_type(event_type)
    except PermissionDenied:
        return False
    return True


def refusal(check: Callable[[], None]) -> str | None:
    """The core's refusal message for an action, or None when it is allowed."""
    try:
        check()
    except PermissionDenied as error:
        return str(error).removesuffix(" Nothing was changed.")
    return None


class RecordForm(QDialog):
    """The shared frame: rows, a message line, Save (Ctrl+S) and Cancel."""

    saved = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAccessibleName(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("What needs fixing before you can save")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for a three-line explanation, so the form does not jump as the user types.
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 3 + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(self.buttons)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.activated.connect(self.save)
        self.problem: str | None = None
        self.error: str | None = None  # the last refusal from the core, shown in the form
        self.conflicted = False
        self.result_value: Any = None
        self._ready = False  # no checking until every field exists

    # -- building rows -----------------------------------------------------------------------
    def add_row(self, label: str, widget: QWidget, name: str | None = None) -> QWidget:
        """A labelled row; the label's mnemonic focuses the field; names for screen readers."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        accessible = name or label.replace("&", "").rstrip(":")
        if hasattr(widget, "set_accessible"):
            widget.set_accessible(accessible)
        else:
            widget.setAccessibleName(accessible)
        self.watch(widget)
        return widget

    def watch(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self._changed)
            if widget.isEditable():
                widget.editTextChanged.connect(self._changed)
        elif isinstance(widget, DateEdit):
            widget.dateChanged.connect(self._changed)
        elif isinstance(widget, OptionalDate | OptionalTime):
            widget.changed.connect(self._changed)
        elif isinstance(widget, QCheckBox | QRadioButton):
            widget.toggled.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if self._ready:
            self.revalidate()

    def ready(self) -> None:
        """Called at the end of a subclass's __init__: check the form from now on."""
        self._ready = True
        self._order_tabs()
        self.revalidate()

    def fields_in_tab_order(self) -> list[QWidget]:
        """The focusable fields, in the order Tab visits them (Save and Cancel last)."""
        found: list[QWidget] = []
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self and widget not in found:
            found.append(widget)
            widget = widget.nextInFocusChain()
        tab = Qt.FocusPolicy.TabFocus
        return [
            w
            for w in found
            if (w.focusPolicy() & tab) == tab and w not in (self.save_button, self.cancel_button)
        ]

    def _order_tabs(self) -> None:
        # The buttons are made before the fields; Tab should reach them after the fields.
        fields = self.fields_in_tab_order()
        if fields:
            QWidget.setTabOrder(fields[-1], self.save_button)
            QWidget.setTabOrder(self.save_button, self.cancel_button)
            first = next((f for f in fields if f.isEnabled() and not f.isHidden()), fields[0])
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- for subclasses ----------------------------------------------------------------------
    def build(self) -> Any:
        raise NotImplementedError

    def check(self, record: Any) -> ValidationError | None:
        raise NotImplementedError

    def store(self, record: Any) -> Any:
        raise NotImplementedError

    # -- checking and saving -----------------------------------------------------------------
    def revalidate(self) -> None:
        if self.conflicted:
            return
        self.error = None
        try:
            problem = self.check(self.build())
        except ValidationError as error:
            problem = error
        self.problem = str(problem) if problem is not None else None
        self.save_button.setEnabled(self.problem is None)
        if self.problem is None:
            self.message.setStyleSheet(OK_STYLE)
            self.message.setText("Ready to save.")
            self.save_button.setAccessibleDescription("")
        else:
            self.message.setStyleSheet(PROBLEM_STYLE)
            self.message.setText(f"Not ready to save. {self.problem}")
            self.save_button.setAccessibleDescription(self.problem)
        self.save_button.setToolTip(self.problem or "Save (Ctrl+S)")
        self._fit()

    def _fit(self) -> None:
        """Grow the form if the message needs more lines than it has room for."""
        needed = self.sizeHint().height()
        if self.isVisible() and needed > self.height():
            self.resize(self.width(), needed)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        try:
            record = self.build()
            result = self.store(record)
        except Exception as error:
            self.show_refusal(error)
            return
        self.result_value = result
        self.saved.emit(result)
        self.accept()

    def show_refusal(self, error: BaseException) -> None:
        self.error = describe(error, where="form")
        self.message.setStyleSheet(PROBLEM_STYLE)
        self.message.setText(self.error)
        self._fit()
        self.message.setFocus()
        if isinstance(error, ConflictError):
            # Saving again would overwrite nothing and fail again: reopen to see the latest.
            self.conflicted = True
            self.save_button.setEnabled(False)
            self.cancel_button.setText("Close")


def _text(edit: QLineEdit) -> str:
    return edit.text().strip()


def _optional(edit: QLineEdit) -> str | None:
    return clean_optional(edit.text())


def _party_options(case: CaseHistory, none_label: str) -> list[tuple[str, object]]:
    options: list[tuple[str, object]] = [(none_label, None)]
    options.extend((f"{p.name} ({p.relationship})", p.id) for p in case.parties)
    return options


class CaseRecordForm(RecordForm):
    """A form for one record inside a case; checks the whole changed case as a save would."""

    def __init__(
        self, title: str, case: CaseHistory, saver: Saver, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"{title} – {case.reference}", parent)
        self.case = case
        self.saver = saver

    def check(self, record: Any) -> ValidationError | None:
        return draft_problem(self.case, record)

    def store(self, record: Any) -> Any:
        return self.saver(record)


# -- children ------------------------------------------------------------------------------


class ChildForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        child: Child | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change child" if child else "Add a child", case, saver, parent)
        self.original = child
        self.name = self.add_row("&Name:", QLineEdit(child.name if child else ""), "Child's name")
        self.born = QRadioButton("&Born")
        self.unborn = QRadioButton("&Unborn (expected)")
        status = QWidget()
        row = QVBoxLayout(status)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.born)
        row.addWidget(self.unborn)
        self.form.addRow("Status:", status)
        self.born.setAccessibleName("Child is born")
        self.unborn.setAccessibleName("Child is not born yet")
        self.watch(self.born)
        self.watch(self.unborn)
        day = (child.date_of_birth or child.expected_birth) if child else None
        self.date = self.add_row("&Date of birth or expected:", DateEdit(day), "Date of birth")
        self.la_id = self.add_row(
            "Council &child ID:",
            QLineEdit(child.la_child_id or "" if child else ""),
            "Council child ID",
        )
        (self.unborn if child and child.unborn else self.born).setChecked(True)
        self.ready()

    def build(self) -> Child:
        day = self.date.value()
        base = self.original
        return Child(
            name=_text(self.name),
            date_of_birth=None if self.unborn.isChecked() else day,
            expected_birth=day if self.unborn.isChecked() else None,
            la_child_id=_optional(self.la_id),
            id=base.id if base else None,
            version=base.version if base else None,
        )


# -- parties and solicitors ----------------------------------------------------------------


class PartyForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        party: Party | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Change person" if party else "Add a parent or other person", case, saver, parent
        )
        self.original = party
        p = party
        self.name = self.add_row("&Name:", QLineEdit(p.name if p else ""), "Person's name")
        relationship = QComboBox()
        relationship.setEditable(True)
        relationship.addItems(RELATIONSHIPS)
        relationship.setCurrentText(p.relationship if p else "")
        self.relationship = self.add_row("&Relationship:", relationship, "Relationship to child")
        self.key = self.add_row(
            "S&hort name:", QLineEdit(p.id if p else ""), "Short name used in this case"
        )
        self.key.setPlaceholderText("for example mother, father2")
        self.key.setToolTip("A short name for this person within the case, such as 'mother'.")
        self._key_typed = p is not None
        self.key.textEdited.connect(self._key_edited)
        relationship.editTextChanged.connect(self._suggest_key)
        self.pr = self.add_row(
            "", QCheckBox("Has &parental responsibility"), "Has parental responsibility"
        )
        self.pr.setChecked(bool(p and p.parental_responsibility))
        address = QPlainTextEdit("\n".join(p.address) if p else "")
        address.setTabChangesFocus(True)
        address.setFixedHeight(address.fontMetrics().lineSpacing() * 4 + 12)
        self.address = self.add_row("&Address (one line each):", address, "Address")
        self.confidential = self.add_row(
            "",
            QCheckBox("Do &not disclose this address to other parties"),
            "Do not disclose this address",
        )
        self.confidential.setChecked(bool(p and p.address_confidential))
        self.language = self.add_row(
            "&Language or interpreter:", QLineEdit(p.language or "" if p else ""), "Language"
        )
        self.needs = self.add_row(
            "Communication n&eeds:", QLineEdit(p.needs or "" if p else ""), "Communication needs"
        )
        box = QGroupBox("Solicitor")
        self.form.addRow(box)
        inner = QFormLayout(box)
        s = p.solicitor if p else None
        self.solicitor_name = QLineEdit(s.name if s else "")
        self.solicitor_firm = QLineEdit(s.firm or "" if s else "")
        self.solicitor_phone = QLineEdit(s.phone or "" if s else "")
        self.solicitor_email = QLineEdit(s.email or "" if s else "")
        for caption, edit, name in (
            ("Solicitor's na&me:", self.solicitor_name, "Solicitor's name"),
            ("&Firm:", self.solicitor_firm, "Solicitor's firm"),
            ("P&hone:", self.solicitor_phone, "Solicitor's phone"),
            ("E&mail:", self.solicitor_email, "Solicitor's email"),
        ):
            label = QLabel(caption)
            label.setBuddy(edit)
            inner.addRow(label, edit)
            edit.setAccessibleName(name)
            self.watch(edit)
        self.ready()

    def _key_edited(self, _text: str) -> None:
        self._key_typed = True

    def _suggest_key(self, text: str) -> None:
        if self._key_typed:
            return
        base = "_".join(text.strip().lower().split())[:30]
        taken = {p.id for p in self.case.parties}
        key, number = base, 2
        while key in taken:
            key, number = f"{base}{number}", number + 1
        self.key.setText(key)

    def build(self) -> Party:
        lines = tuple(
            line.strip() for line in self.address.toPlainText().splitlines() if line.strip()
        )
        solicitor = None
        parts = (self.solicitor_name, self.solicitor_firm, self.solicitor_phone)
        if any(_text(e) for e in (*parts, self.solicitor_email)):
            solicitor = Solicitor(
                name=_text(self.solicitor_name),
                firm=_optional(self.solicitor_firm),
                phone=_optional(self.solicitor_phone),
                email=_optional(self.solicitor_email),
            )
        base = self.original
        confidential: bool | None = True if self.confidential.isChecked() else None
        if confidential is None and base is not None and base.address_confidential is False:
            confidential = False
        return Party(
            id=_text(self.key),
            name=_text(self.name),
            relationship=self.relationship.currentText().strip(),
            parental_responsibility=self.pr.isChecked(),
            address=lines,
            address_confidential=confidential,
            language=_optional(self.language),
            needs=_optional(self.needs),
            solicitor=solicitor,
            row_id=base.row_id if base else None,
            version=base.version if base else None,
        )


# -- events --------------------------------------------------------------------------------


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
        e = event
        allowed = [t for t in EVENT_TYPES if may_record(actor, t)]
        if e is not None and e.type not in allowed:
            allowed.append(e.type)
        self.type_combo = self.add_row(
            "&What happened:",
            choice_combo([(formats.event_label(t), t) for t in allowed], e.type if e else None),
            "Kind of event",
        )
        if event_type is not None and e is None:
            index = self.type_combo.findData(event_type)
            if index >= 0:
                self.type_combo.setCurrentIndex(index)
        self.date = self.add_row("&Date:", DateEdit(e.date if e else dt.date.today()), "Date")
        self.outcome = self.add_row(
            "&Outcome:",
            choice_combo(
                [(label, key) for key, label in formats.OUTCOME_LABELS.items()],
                e.outcome if e else None,
            ),
            "Outcome of the meeting",
        )
        self.party = self.add_row(
            "&To whom:",
            choice_combo(_party_options(case, "Not to one named person"), e.party if e else None),
            "Person the letter was sent to",
        )
        self.fgdm = self.add_row(
            "",
            QCheckBox("The letter offered a &family group conference"),
            "Family group conference offered",
        )
        self.fgdm.setChecked(not (e and e.fgdm_offered is False))
        self.reason = self.add_row(
            "&Reason:", QLineEdit(e.reason or "" if e else ""), "Reason declined"
        )
        self.until = self.add_row(
            "&Until:", DateEdit(e.until if e and e.until else dt.date.today()), "Until date"
        )
        self.until_optional = OptionalDate("Accepted until", e.until if e else None)
        self.add_row("Acce&pted until:", self.until_optional, "Accepted until")
        self.decided_by = self.add_row(
            "De&cided by:",
            QLineEdit(e.decided_by or "" if e else actor.display_name),
            "Decided by",
        )
        rationale = QPlainTextEdit(e.rationale or "" if e else "")
        rationale.setTabChangesFocus(True)
        rationale.setFixedHeight(rationale.fontMetrics().lineSpacing() * 4 + 12)
        self.rationale = self.add_row("R&ationale:", rationale, "Rationale")
        self.rule = self.add_row(
            "A&bout the flag:",
            choice_combo(
                [("Not about one flag", None), *((t, r) for r, t in drift.RULES.items())],
                e.rule if e else None,
            ),
            "Flag reviewed",
        )
        self.to = self.add_row(
            "Stepped down &to:",
            choice_combo(
                [(label, key) for key, label in formats.STEP_DOWN_LABELS.items()],
                e.to if e else None,
            ),
            "Stepped down to",
        )
        self._rows: dict[str, list[QWidget]] = {
            "outcome": [self.outcome],
            "party": [self.party],
            "fgdm_offered": [self.fgdm],
            "reason": [self.reason],
            "rationale": [self.rationale],
            "decided_by": [self.decided_by],
            "rule": [self.rule],
            "to": [self.to],
        }
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._ready = True
        self._type_changed()

    def event_type(self) -> str:
        return str(self.type_combo.currentData())

    def _type_changed(self, *_args: object) -> None:
        spec = EVENT_FIELDS.get(self.event_type(), {})
        for key, widgets in self._rows.items():
            for widget in widgets:
                self.form.setRowVisible(widget, key in spec)
        until_required = spec.get("until") is True
        self.form.setRowVisible(self.until, "until" in spec and until_required)
        self.form.setRowVisible(self.until_optional, "until" in spec and not until_required)
        self.revalidate()

    def build(self) -> Event:
        kind = self.event_type()
        spec = EVENT_FIELDS.get(kind, {})
        values: dict[str, Any] = {}
        if "outcome" in spec:
            values["outcome"] = self.outcome.currentData()
        if "party" in spec:
            values["party"] = self.party.currentData()
        if "fgdm_offered" in spec:
            values["fgdm_offered"] = self.fgdm.isChecked()
        if "reason" in spec:
            values["reason"] = _text(self.reason)
        if "until" in spec:
            values["until"] = self.until.value() if spec["until"] else self.until_optional.value()
        if "decided_by" in spec:
            values["decided_by"] = _text(self.decided_by)
        if "rationale" in spec:
            values["rationale"] = self.rationale.toPlainText().strip()
        if "rule" in spec:
            values["rule"] = self.rule.currentData()
        if "to" in spec:
            values["to"] = self.to.currentData()
        base = self.original
        return Event(
            type=kind,
            date=self.date.value(),
            id=base.id if base else None,
            version=base.version if base else None,
            **values,
        )


# -- assessments, plan actions, booked meetings -------------------------------------------


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
        today = dt.date.today()
        self.title = self.add_row(
            "&Assessment:", QLineEdit(a.title if a else ""), "Assessment title"
        )
        self.title.setPlaceholderText("for example Parenting assessment")
        self.commissioned = self.add_row(
            "&Commissioned:", DateEdit(a.commissioned if a else today), "Commissioned on"
        )
        self.due = self.add_row(
            "&Due:", DateEdit(a.due if a else today + dt.timedelta(weeks=8)), "Due on"
        )
        self.completed = self.add_row(
            "C&ompleted:", OptionalDate("Completed on", a.completed if a else None), "Completed"
        )
        self.ready()

    def build(self) -> Assessment:
        base = self.original
        return Assessment(
            title=_text(self.title),
            commissioned=self.commissioned.value(),
            due=self.due.value(),
            completed=self.completed.value(),
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
            "&What must happen:", QLineEdit(a.action if a else ""), "What must happen"
        )
        self.who = self.add_row(
            "&Who:",
            choice_combo(_party_options(case, "The council"), a.party if a else None),
            "Who does it",
        )
        self.support = self.add_row(
            "&Support offered:", QLineEdit(a.support or "" if a else ""), "Support offered"
        )
        self.due = self.add_row(
            "&Due:",
            DateEdit(a.due if a else dt.date.today() + dt.timedelta(weeks=4)),
            "Due on",
        )
        self.completed = self.add_row(
            "C&ompleted:", OptionalDate("Done on", a.completed if a else None), "Completed"
        )
        self.ready()

    def build(self) -> PlanAction:
        base = self.original
        return PlanAction(
            action=_text(self.action),
            due=self.due.value(),
            party=self.who.currentData(),
            support=_optional(self.support),
            completed=self.completed.value(),
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
        )
        self.date = self.add_row(
            "&Date:", DateEdit(b.date if b else dt.date.today() + dt.timedelta(days=7)), "Date"
        )
        self.time = self.add_row(
            "&Time:", OptionalTime("At a set time", b.time if b else None), "Time"
        )
        self.place = self.add_row("&Place:", QLineEdit(b.place or "" if b else ""), "Place")
        self.ready()

    def build(self) -> Booking:
        base = self.original
        return Booking(
            type=str(self.kind.currentData()),
            date=self.date.value(),
            time=self.time.value(),
            place=_optional(self.place),
            id=base.id if base else None,
            version=base.version if base else None,
        )


# -- the case itself -----------------------------------------------------------------------


class CaseDetailsForm(RecordForm):
    """A new case (with its first child), or the details of an existing case."""

    def __init__(
        self,
        saver: Saver,
        *,
        case: CaseHistory | None = None,
        teams: list[str] | None = None,
        actor: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Change case details – {case.reference}" if case else "New case", parent)
        self.case = case
        self.saver = saver
        reference = QLineEdit(case.reference if case else "")
        reference.setReadOnly(case is not None)
        self.reference = self.add_row("Case &reference:", reference, "Case reference")
        team = QComboBox()
        team.setEditable(True)
        team.addItems(teams or [])
        team.setCurrentText((case.team or "") if case else (actor.team or "" if actor else ""))
        self.team = self.add_row("&Team:", team, "Team")
        worker_default = ""
        if case is None and actor is not None and actor.role.value == "social_worker":
            worker_default = actor.display_name
        self.worker = self.add_row(
            "&Social worker:",
            QLineEdit((case.social_worker or "") if case else worker_default),
            "Social worker",
        )
        self.manager = self.add_row(
            "Team &manager:", QLineEdit((case.team_manager or "") if case else ""), "Team manager"
        )
        self.legal = self.add_row(
            "&Legal liaison:",
            QLineEdit((case.legal_liaison or "") if case else ""),
            "Legal liaison",
        )
        if case is not None:
            self.court = self.add_row(
                "C&ourt reference:", QLineEdit(case.court_reference or ""), "Court reference"
            )
        else:
            box = QGroupBox("First child (add more children in the case)")
            self.form.addRow(box)
            inner = QFormLayout(box)
            self.child_name = QLineEdit()
            self.child_unborn = QCheckBox("&Unborn: the date is the expected date of birth")
            self.child_date = DateEdit(dt.date.today())
            for caption, widget, name in (
                ("Child's &name:", self.child_name, "Child's name"),
                ("", self.child_unborn, "Child is not born yet"),
                ("&Date of birth:", self.child_date, "Child's date of birth"),
            ):
                label = QLabel(caption)
                label.setBuddy(widget)
                inner.addRow(label, widget)
                widget.setAccessibleName(name)
                self.watch(widget)
        self.ready()

    def header(self) -> CaseHeader:
        return CaseHeader(
            reference=_text(self.reference),
            team=clean_optional(self.team.currentText()),
            social_worker=_optional(self.worker),
            team_manager=_optional(self.manager),
            legal_liaison=_optional(self.legal),
            court_reference=_optional(self.court) if self.case is not None else None,
        )

    def children(self) -> tuple[Child, ...]:
        if self.case is not None:
            return self.case.children
        day = self.child_date.value()
        unborn = self.child_unborn.isChecked()
        return (
            Child(
                name=_text(self.child_name),
                date_of_birth=None if unborn else day,
                expected_birth=day if unborn else None,
            ),
        )

    def build(self) -> tuple[CaseHeader, tuple[Child, ...]]:
        return self.header(), self.children()

    def check(self, record: tuple[CaseHeader, tuple[Child, ...]]) -> ValidationError | None:
        header, children = record
        if not header.reference:
            return ValidationError("Case reference: must not be empty.", field="reference")
        return header_problem(header, children, self.case)

    def store(self, record: tuple[CaseHeader, tuple[Child, ...]]) -> Any:
        return self.saver(record)
