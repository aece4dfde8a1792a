"""The frame every form shares: rows, a message line, Save (Ctrl+S, Ctrl+Enter) and Cancel.

A form checks itself as the user types, with the same checks a save runs, keeps
Save switched off while something is wrong and says what.  What is wrong is shown
as an error only once the user has touched that field or tried to save; before
that the message line says, in grey, what is still needed.  Esc, Cancel or the
window's close button on a form with changes asks Save / Discard / Cancel
(``dialogs.ask_unsaved``), so typing is never lost by accident.  Save calls the
core's service with the record (and the version the user saw); if the service
refuses, its message is shown in the form and nothing is changed.  Forms open
window-modal with ``open()``, never ``exec()``.
"""

from __future__ import annotations

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
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker import clock
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import (
    ChronologyWarning,
    ConflictError,
    PermissionDenied,
    ValidationError,
)
from plo_tracker.permissions import Actor
from plo_tracker.services.cases import draft_problem
from plo_tracker.validation import clean_optional
from ui import dialogs
from ui.errors import describe
from ui.widgets.inputs import DateEdit, OptionalDate, OptionalTime, buddy_for

Saver = Callable[..., Any]

PROBLEM_STYLE = "color: #8a1c1c; font-weight: 600;"
HINT_STYLE = "color: #555555;"
OK_STYLE = "color: #2e5d2e;"
SAVE_KEYS = ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter")


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


def text_of(edit: QLineEdit) -> str:
    return edit.text().strip()


def optional_text(edit: QLineEdit) -> str | None:
    return clean_optional(edit.text())


def party_options(case: CaseHistory, none_label: str) -> list[tuple[str, object]]:
    options: list[tuple[str, object]] = [(none_label, None)]
    options.extend((f"{p.name} ({p.relationship})", p.id) for p in case.parties)
    return options


def _label_of(message: str) -> str:
    """'Reason' from 'Reason: must not be empty' (the whole message if it has no label)."""
    label, colon, _rest = message.partition(":")
    return label if colon and len(label) <= 40 else message.rstrip(".")


class FieldWidget(QWidget):
    """A field made of several widgets (tick boxes, a grid): says ``changed`` when what it
    holds changes, and ``value()`` is what it holds (for telling whether the form changed)."""

    changed = Signal()

    def value(self) -> object:
        raise NotImplementedError


def _state_of(widget: QWidget) -> object:
    """What the user has put in a field, for telling whether the form has changed."""
    if isinstance(widget, FieldWidget):
        return widget.value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QCheckBox | QRadioButton):
        return widget.isChecked()
    if isinstance(widget, DateEdit):
        return widget.text().strip()
    if isinstance(widget, OptionalDate):
        return (widget.check.isChecked(), widget.date.text().strip())
    if isinstance(widget, OptionalTime):
        return widget.value()
    return None


class RecordForm(QDialog):
    """The shared frame; subclasses add rows, then call ``ready()``."""

    saved = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
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
        self.save_button.setToolTip("Save (Ctrl+S or Ctrl+Enter)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        outer.addWidget(self.buttons)
        for keys in SAVE_KEYS:
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)
        self.problem: str | None = None
        self.problem_field: str | None = None
        self.error: str | None = None  # the last refusal from the core, shown in the form
        self.conflicted = False
        self.result_value: Any = None
        self.save_tried = False
        self._ready = False  # no checking until every field exists
        self._watched: list[QWidget] = []
        self._fields: dict[str, QWidget] = {}  # record field name -> its widget
        self._touched: set[int] = set()  # ids of widgets the user has changed
        self._initial: list[object] = []
        self._probing = False
        self._date_problems: list[tuple[str, str]] = []

    # -- building rows -----------------------------------------------------------------------
    def add_row(
        self, label: str, widget: QWidget, name: str | None = None, field: str | None = None
    ) -> Any:
        """A labelled row; the label's mnemonic focuses the field; names for screen readers.

        ``field`` is the record's field the row edits (so a problem with it is shown
        once this row has been touched).
        """
        caption = QLabel(label)
        caption.setBuddy(buddy_for(widget))
        self.form.addRow(caption, widget)
        accessible = name or label.replace("&", "").rstrip(":")
        if hasattr(widget, "set_accessible"):
            widget.set_accessible(accessible)
        else:
            widget.setAccessibleName(accessible)
        self.watch(widget, field)
        return widget

    def watch(self, widget: QWidget, field: str | None = None) -> None:
        self._watched.append(widget)
        if field is not None:
            self._fields[field] = widget

        def changed(*_args: object) -> None:
            self._changed(widget)

        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(changed)
            if widget.isEditable():
                widget.editTextChanged.connect(changed)
        elif isinstance(widget, DateEdit | OptionalDate | OptionalTime | FieldWidget):
            widget.changed.connect(changed)
        elif isinstance(widget, QCheckBox | QRadioButton):
            widget.toggled.connect(changed)

    def _changed(self, widget: QWidget) -> None:
        if self._ready:
            self._touched.add(id(widget))
            self.revalidate()

    def ready(self) -> None:
        """Called at the end of a subclass's __init__: check the form from now on."""
        self._ready = True
        self._initial = self._state()
        self._order_tabs()
        self.revalidate()

    def _state(self) -> list[object]:
        return [_state_of(w) for w in self._watched]

    def has_changes(self) -> bool:
        """Whether the user has changed anything since the form opened."""
        return self._ready and self._state() != self._initial

    def touched(self, widget: QWidget) -> bool:
        return id(widget) in self._touched

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

    def store(self, record: Any, confirm: bool = False) -> Any:
        """Save through the core; ``confirm`` when the user accepted an unusual order."""
        raise NotImplementedError

    def date_of(self, widget: DateEdit | OptionalDate, label: str, field: str) -> Any:
        """The date in a date field, or a ValidationError saying what is wrong with it.

        While the form checks itself (``revalidate``) a missing or wrong date is noted
        and a stand-in is used, so the other fields can still be checked and the form
        can say everything that is still needed, not only the first thing.
        """
        problem = widget.problem()
        if problem is None:
            return widget.value()
        if self._probing:
            self._date_problems.append((field, f"{label}: {problem}"))
            return clock.today()
        raise ValidationError(f"{label}: {problem}", field=field)

    # -- checking and saving -----------------------------------------------------------------
    def _shows_as_error(self, field: str | None) -> bool:
        """Whether a problem with ``field`` is shown as an error yet (touched, or save tried)."""
        if self.save_tried:
            return True
        widget = self._fields.get(field) if field else None
        if widget is not None:
            return self.touched(widget)
        return bool(self._touched)

    def problems(self) -> list[tuple[str | None, str]]:
        """Everything that stops a save, as (field, message), in the order of the form."""
        self._probing, self._date_problems = True, []
        try:
            try:
                found = self.check(self.build())
            except ValidationError as error:
                found = error
        finally:
            self._probing = False
        problems = list(self._date_problems)
        bad_dates = {field for field, _message in problems}
        if found is not None and (
            not bad_dates or (found.field is not None and found.field not in bad_dates)
        ):
            # With a stand-in date, a problem about no field in particular may be the
            # stand-in's doing: it is checked again once the dates are right.
            problems.append((found.field, str(found)))
        order = {name: n for n, name in enumerate(self._fields)}
        problems.sort(key=lambda p: order.get(p[0] or "", len(order)))
        return problems

    def revalidate(self) -> None:
        if self.conflicted:
            return
        self.error = None
        problems = self.problems()
        self.problem = " ".join(message for _field, message in problems) or None
        self.problem_field = problems[0][0] if problems else None
        errors = [(f, m) for f, m in problems if self._shows_as_error(f)]
        needed = [_label_of(m) for f, m in problems if not self._shows_as_error(f)]
        self.save_button.setEnabled(not problems)
        if not problems:
            self.message.setStyleSheet(OK_STYLE)
            self.message.setText("Ready to save.")
        elif errors:
            self.problem_field = errors[0][0]
            text = "Not ready to save. " + " ".join(m for _f, m in errors)
            if needed:
                text += f" Still needed: {', '.join(needed)}."
            self.message.setStyleSheet(PROBLEM_STYLE)
            self.message.setText(text)
        else:
            self.message.setStyleSheet(HINT_STYLE)
            self.message.setText(f"Still needed before saving: {', '.join(needed)}.")
        self.save_button.setAccessibleDescription(self.problem or "")
        self.save_button.setToolTip(self.problem or "Save (Ctrl+S or Ctrl+Enter)")
        self._fit()

    def _fit(self) -> None:
        """Grow the form if the message needs more lines than it has room for."""
        needed = self.sizeHint().height()
        if self.isVisible() and needed > self.height():
            self.resize(self.width(), needed)

    def save(self) -> bool:
        """Save if the form is complete; otherwise show what is wrong.  True if saved."""
        if self.conflicted:
            return False
        if not self.save_button.isEnabled():
            self.save_tried = True
            for widget in self._watched:
                if isinstance(widget, DateEdit | OptionalDate):
                    widget.show_problem()
            self.revalidate()
            widget = self._fields.get(self.problem_field or "")
            if widget is not None and widget.isVisible():
                buddy_for(widget).setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        try:
            record = self.build()
            try:
                result = self.store(record)
            except ChronologyWarning as warning:
                # Possible but unusual: saved only if the user confirms, never silently.
                texts = [finding.message for finding in warning.warnings] or [str(warning)]
                if not dialogs.confirm_warnings(self, self.title, texts):
                    self.message.setStyleSheet(HINT_STYLE)
                    self.message.setText(
                        "Not saved: check the dates, then save again. " + " ".join(texts)
                    )
                    return False
                result = self.store(record, confirm=True)
        except Exception as error:
            self.show_refusal(error)
            return False
        self.result_value = result
        self.saved.emit(result)
        self.accept()
        return True

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

    # -- closing -----------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc, Cancel or the close button: asks first if there are changes."""
        if self.conflicted or not self.has_changes():
            super().reject()
            return
        answer = dialogs.ask_unsaved(self, self.title)
        if answer == dialogs.SAVE:
            self.save()
        elif answer == dialogs.DISCARD:
            super().reject()

    def discard(self) -> None:
        """Close without saving and without asking."""
        super().reject()

    def close_politely(self) -> bool:
        """Close (asking about changes); False if the user chose to keep it open."""
        if self.isVisible():
            self.reject()
        return not self.isVisible()


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

    def store(self, record: Any, confirm: bool = False) -> Any:
        return self.saver(record, confirm=True) if confirm else self.saver(record)
