"""Small input widgets shared by the forms: typed dates, optional dates and times.

A date is typed (or picked from a calendar) and read by the core's
``parse_user_date``: "29/11/2026", "29 Nov 2026" and "2026-11-29" are understood,
day before month.  A date that does not exist ("31 Feb 2026") or text that is not a
date is never turned into a nearby date: the field says what is wrong, right under
it, and ``value()`` is None until it is put right.  An empty date field stays empty
(nothing defaults to today unless the form was given that date).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker import clock
from plo_tracker.domain.dates import DATE_EXAMPLES, DateTypingError, parse_user_date
from plo_tracker.domain.dates import short_date as long_form
from plo_tracker.validation import EARLIEST_DATE, LATEST_DATE
from ui.formats import short_date

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
FIELD_PROBLEM_STYLE = "color: #8a1c1c;"
INVALID_EDIT_STYLE = "QLineEdit { border: 2px solid #c62828; }"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class _DateLine(QLineEdit):
    """The text part of a date field; tells its owner when the user leaves it."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


def buddy_for(widget: QWidget) -> QWidget:
    """What a label's Alt+letter should focus: the field's own input."""
    target = getattr(widget, "focus_target", None)
    return target() if callable(target) else widget


class DateEdit(QWidget):
    """A typed date with a calendar button; the problem, if any, is shown under it.

    ``value()`` is the date, or None when the field is empty or what is typed is not
    a real date; ``problem()`` says why (None when all is well).  The problem is shown
    at the field once the user has left it (or the form asks, on save), never while
    the form is still untouched.
    """

    changed = Signal()

    def __init__(
        self,
        value: dt.date | None = None,
        parent: QWidget | None = None,
        *,
        required: bool = True,
        earliest: dt.date = EARLIEST_DATE,
        latest: dt.date = LATEST_DATE,
    ) -> None:
        super().__init__(parent)
        self.required = required
        self.earliest = earliest
        self.latest = latest
        self.touched = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = _DateLine()
        self.edit.setPlaceholderText(f"for example {DATE_EXAMPLES.split(',')[0]}")
        self.edit.setToolTip(f"Type the date, day first ({DATE_EXAMPLES}), or press Alt+Down.")
        width = self.edit.fontMetrics().horizontalAdvance("Wednesday 30 September 2026")
        self.edit.setMinimumWidth(width // 2)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setText("Calendar")
        self.button.setAccessibleName("Choose the date from a calendar")
        self.button.setToolTip("Choose the date from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A pop-up owned by this field (a Qt parent, so it is deleted once, with the field).
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setLocale(ENGLISH)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setSelectedDate(to_qdate(clock.today()))  # the app's today, not Qt's
        self.calendar.setDateRange(to_qdate(earliest), to_qdate(latest))
        self.calendar.setAccessibleName("Calendar")
        self.calendar.hide()
        self.button.clicked.connect(self.show_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        popup = QShortcut(QKeySequence("Alt+Down"), self.edit)
        popup.setContext(Qt.ShortcutContext.WidgetShortcut)
        popup.activated.connect(self.show_calendar)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        outer.addLayout(row)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setStyleSheet(FIELD_PROBLEM_STYLE)
        self.problem_label.hide()
        outer.addWidget(self.problem_label)
        # No focus proxy: with one, Tab could not leave the field (Qt 6).  A label's
        # buddy and the form's "go to the problem" use ``focus_target()`` instead.
        self.edit.textChanged.connect(self._text_changed)
        self.edit.left.connect(self._left)
        self.set_value(value)

    def focus_target(self) -> QWidget:
        return self.edit

    def setFocus(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:  # type: ignore[override]
        self.edit.setFocus(reason)

    def hasFocus(self) -> bool:
        return self.edit.hasFocus()

    # -- reading and writing ---------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """As if typed (tests and the calendar use this)."""
        self.edit.setText(text)

    def value(self) -> dt.date | None:
        day, _problem = self._read()
        return day

    def problem(self) -> str | None:
        return self._read()[1]

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText(short_date(value) if value is not None else "")

    def _read(self) -> tuple[dt.date | None, str | None]:
        text = self.edit.text().strip()
        if not text:
            if self.required:
                return None, f"Type a date, for example {DATE_EXAMPLES}."
            return None, None
        try:
            day = parse_user_date(text)
        except DateTypingError as error:
            return None, str(error)
        if not self.earliest <= day <= self.latest:
            return None, (
                f"{long_form(day)} is outside the dates PLO Tracker accepts "
                f"({long_form(self.earliest)} to {long_form(self.latest)})."
            )
        return day, None

    # -- showing the problem ---------------------------------------------------------------
    def show_problem(self, show: bool = True) -> None:
        """Show (or stop showing) what is wrong, at the field."""
        if show:
            self.touched = True
        self._refresh()

    def _refresh(self) -> None:
        problem = self.problem() if self.touched and self.isEnabled() else None
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(bool(problem))
        self.edit.setStyleSheet(INVALID_EDIT_STYLE if problem else "")
        self.edit.setAccessibleDescription(problem or "")

    def _text_changed(self, _text: str) -> None:
        if self.touched:
            self._refresh()
        self.changed.emit()

    def _left(self) -> None:
        if self.edit.text().strip() or self.touched:
            self.touched = True
        day = self.value()
        if day is not None and self.edit.text() != short_date(day):
            # Written back in full ("29 Nov 2026"), so the user sees how it was read.
            self.edit.setText(short_date(day))
        self._refresh()

    def changeEvent(self, event: object) -> None:  # type: ignore[override]
        super().changeEvent(event)  # type: ignore[arg-type]
        if hasattr(self, "problem_label"):
            self._refresh()

    # -- the calendar ----------------------------------------------------------------------
    def show_calendar(self) -> None:
        day = self.value()
        self.calendar.setSelectedDate(to_qdate(day or clock.today()))
        self.calendar.move(self.button.mapToGlobal(self.button.rect().bottomLeft()))
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self.calendar.hide()
        self.touched = True
        self.set_value(from_qdate(day))
        self.edit.setFocus()


class _GoToDate(QWidget):
    """An empty, focusable spot that a label's Alt+letter lands on: it ticks the box (if
    not ticked) and moves to the date, where a button as buddy would untick the box."""

    def __init__(self, target: OptionalDate) -> None:
        super().__init__(target)
        self.target = target
        self.setFixedSize(0, 0)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # not in the Tab order

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.target.go_to_date()


class OptionalDate(QWidget):
    """A date that may be left empty: a check box ('Completed') and a date.

    ``default`` is the date offered when the box is ticked (None: the user types it).
    """

    changed = Signal()

    def __init__(
        self,
        label: str,
        value: dt.date | None = None,
        parent: QWidget | None = None,
        *,
        default: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.date = DateEdit(value if value is not None else default)
        layout.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.date, 1)
        self.check.setChecked(value is not None)
        self.date.setEnabled(value is not None)
        self.check.toggled.connect(self._toggled)
        self.date.changed.connect(self.changed.emit)
        self.setFocusProxy(self.check)
        self._buddy: QWidget | None = None

    def set_accessible(self, name: str) -> None:
        self.check.setAccessibleName(f"{name}: has a date")
        self.date.edit.setAccessibleName(name)

    def focus_target(self) -> QWidget:
        return self.check

    def mnemonic_buddy(self) -> QWidget:
        """The buddy for a label's Alt+letter: ticks the box and moves to the date."""
        if self._buddy is None:
            self._buddy = _GoToDate(self)
            self.layout().addWidget(self._buddy)
        return self._buddy

    def go_to_date(self) -> None:
        if not self.check.isChecked():
            self.check.setChecked(True)  # moves to the date too
        self.date.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.date.edit.selectAll()

    def _toggled(self, on: bool) -> None:
        self.date.setEnabled(on)
        if on:
            self.date.edit.setFocus()
        self.changed.emit()

    def value(self) -> dt.date | None:
        return self.date.value() if self.check.isChecked() else None

    def problem(self) -> str | None:
        return self.date.problem() if self.check.isChecked() else None

    def show_problem(self, show: bool = True) -> None:
        self.date.show_problem(show)

    def set_value(self, value: dt.date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.date.set_value(value)


class OptionalTime(QWidget):
    changed = Signal()

    def __init__(
        self, label: str, value: dt.time | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.time = QTimeEdit()
        self.time.setLocale(ENGLISH)
        self.time.setDisplayFormat("HH:mm")
        if value is not None:
            self.time.setTime(QTime(value.hour, value.minute))
        else:
            self.time.setTime(QTime(10, 0))
        layout.addWidget(self.check)
        layout.addWidget(self.time, 1)
        self.check.setChecked(value is not None)
        self.time.setEnabled(value is not None)
        self.check.toggled.connect(self._toggled)
        self.time.timeChanged.connect(self._changed)
        self.setFocusProxy(self.check)

    def focus_target(self) -> QWidget:
        return self.check

    def mnemonic_buddy(self) -> QWidget:
        """The buddy for a label's Alt+letter: ticks the box and moves to the date."""
        if self._buddy is None:
            self._buddy = _GoToDate(self)
            self.layout().addWidget(self._buddy)
        return self._buddy

    def go_to_date(self) -> None:
        if not self.check.isChecked():
            self.check.setChecked(True)  # moves to the date too
        self.date.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.date.edit.selectAll()

    def set_accessible(self, name: str) -> None:
        self.check.setAccessibleName(f"{name}: has a time")
        self.time.setAccessibleName(name)

    def _toggled(self, on: bool) -> None:
        self.time.setEnabled(on)
        self.changed.emit()

    def _changed(self, _time: QTime) -> None:
        self.changed.emit()

    def value(self) -> dt.time | None:
        if not self.check.isChecked():
            return None
        t = self.time.time()
        return dt.time(t.hour(), t.minute())


def choice_combo(options: list[tuple[str, object]], current: object = None) -> QComboBox:
    """A combo box of (label, value) pairs, with ``current`` selected if present."""
    combo = QComboBox()
    for label, value in options:
        combo.addItem(label, value)
    if current is not None:
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)
    return combo
