"""Small input widgets shared by the forms: English dates, optional dates and times."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QTimeEdit,
    QWidget,
)

from plo_tracker.validation import EARLIEST_DATE, LATEST_DATE
from ui.formats import DATE_EDIT_FORMAT

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateEdit(QDateEdit):
    """A date with a calendar popup, written the English way ('4 Mar 2024')."""

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(ENGLISH)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_EDIT_FORMAT)
        self.setDateRange(to_qdate(EARLIEST_DATE), to_qdate(LATEST_DATE))
        calendar = self.calendarWidget()
        calendar.setLocale(ENGLISH)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.set_value(value or dt.date.today())

    def value(self) -> dt.date:
        return from_qdate(self.date())

    def set_value(self, value: dt.date) -> None:
        self.setDate(to_qdate(value))


class OptionalDate(QWidget):
    """A date that may be left empty: a check box ('Completed') and a date."""

    changed = Signal()

    def __init__(
        self, label: str, value: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.date = DateEdit(value)
        layout.addWidget(self.check)
        layout.addWidget(self.date, 1)
        self.check.setChecked(value is not None)
        self.date.setEnabled(value is not None)
        self.check.toggled.connect(self._toggled)
        self.date.dateChanged.connect(self._changed)
        self.setFocusProxy(self.check)

    def set_accessible(self, name: str) -> None:
        self.check.setAccessibleName(f"{name}: has a date")
        self.date.setAccessibleName(name)

    def _toggled(self, on: bool) -> None:
        self.date.setEnabled(on)
        self.changed.emit()

    def _changed(self, _day: QDate) -> None:
        self.changed.emit()

    def value(self) -> dt.date | None:
        return self.date.value() if self.check.isChecked() else None

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
