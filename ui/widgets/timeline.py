"""A case's chronology drawn along a line of dates (QPainter; the table beside it has the words).

Filled dots are events, hollow dots booked meetings, triangles below the line the
due dates of the case's flags (red overdue, amber due soon); a dashed line marks
today.  Hovering a mark shows what it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from plo_tracker.domain import drift
from plo_tracker.domain.model import CaseHistory
from ui import formats

CATEGORY_COLOURS = {
    "legal_planning_meeting": QColor("#5b2a86"),
    "letter_before_proceedings": QColor("#7b4fb3"),
    "letter_of_issue": QColor("#7b4fb3"),
    "pre_proceedings_meeting": QColor("#1f5fa8"),
    "review_meeting": QColor("#1f5fa8"),
    "fgc_referral": QColor("#00796b"),
    "fgc_held": QColor("#00796b"),
    "fgc_declined": QColor("#00796b"),
    "management_oversight": QColor("#6d6d6d"),
    "extension_agreed": QColor("#6d6d6d"),
    "decision_to_issue": QColor("#3a3a3a"),
    "proceedings_issued": QColor("#111111"),
    "stepped_down": QColor("#111111"),
}


@dataclass(frozen=True, slots=True)
class Mark:
    day: dt.date
    shape: str  # "event", "booking" or "flag"
    label: str
    colour: QColor


class TimelineWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks: list[Mark] = []
        self.today = dt.date.today()
        self._hits: list[tuple[QRectF, Mark]] = []
        self.setAccessibleName("Case timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_case(self, case: CaseHistory, flags: list[drift.Flag], today: dt.date) -> None:
        self.today = today
        marks = [
            Mark(
                e.date,
                "event",
                formats.event_label(e.type),
                CATEGORY_COLOURS.get(e.type, QColor("#444")),
            )
            for e in case.events
        ]
        marks.extend(
            Mark(b.date, "booking", f"Booked: {formats.booking_label(b.type)}", QColor("#1f5fa8"))
            for b in case.scheduled
        )
        marks.extend(
            Mark(
                f.due,
                "flag",
                f"{formats.rule_label(f.rule)} – {formats.lateness(f.due, today)}",
                formats.RAG_COLOURS["red" if f.severity == drift.OVERDUE else "amber"],
            )
            for f in flags
        )
        self.marks = sorted(marks, key=lambda m: m.day)
        events = sum(m.shape == "event" for m in marks)
        booked = sum(m.shape == "booking" for m in marks)
        due = sum(m.shape == "flag" for m in marks)
        self.setAccessibleDescription(
            f"{events} events, {booked} booked meetings and {due} flag due dates; "
            "the chronology table lists them in words."
        )
        self._hits = []
        self.update()

    # -- geometry --------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 40, line * 7)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 12, line * 7)

    def _range(self) -> tuple[dt.date, dt.date]:
        days = [m.day for m in self.marks] + [self.today]
        first, last = min(days), max(days)
        pad = max(7, (last - first).days // 20)
        return first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        line = metrics.height()
        margin = line
        width = max(1, self.width() - 2 * margin)
        axis_y = line * 2.6
        first, last = self._range()
        span = max(1, (last - first).days)

        def x_of(day: dt.date) -> float:
            return margin + width * (day - first).days / span

        painter.setPen(QPen(text_colour, 1.5))
        painter.drawLine(QPointF(margin, axis_y), QPointF(margin + width, axis_y))
        # Month ticks, labelled as often as there is room.
        months = []
        day = dt.date(first.year, first.month, 1)
        while day <= last:
            if day >= first:
                months.append(day)
            day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        label_width = metrics.horizontalAdvance("Mmm 0000") + line
        every = max(1, int(len(months) * label_width / width) + 1)
        for n, month in enumerate(months):
            x = x_of(month)
            painter.drawLine(QPointF(x, axis_y - 3), QPointF(x, axis_y + 3))
            if n % every == 0:
                text = f"{formats.MONTHS[month.month - 1]} {month.year}"
                painter.drawText(QPointF(x + 2, axis_y + line * 1.3), text)
        # Today.
        x = x_of(self.today)
        painter.setPen(QPen(QColor("#c62828"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, line * 0.6), QPointF(x, axis_y + line * 1.6))
        painter.setPen(QPen(QColor("#c62828")))
        painter.drawText(QPointF(x + 3, line * 0.9), "Today")
        # Marks: events stack upwards when they share a spot.
        radius = max(4.0, line * 0.3)
        self._hits = []
        stacks: dict[tuple[int, bool], int] = {}
        for mark in self.marks:
            x = x_of(mark.day)
            slot = int(x // (radius * 2))
            key = (slot, mark.shape == "flag")
            level = stacks.get(key, 0)
            stacks[key] = level + 1
            if mark.shape == "flag":
                y = axis_y + line * 2.0 + level * radius * 1.6
                path = QPainterPath()
                path.moveTo(x, y - radius)
                path.lineTo(x - radius, y + radius * 0.8)
                path.lineTo(x + radius, y + radius * 0.8)
                path.closeSubpath()
                painter.setPen(QPen(mark.colour.darker(130), 1))
                painter.setBrush(mark.colour)
                painter.drawPath(path)
            else:
                y = axis_y - radius * 1.6 - level * radius * 1.6
                painter.setPen(QPen(mark.colour, 2))
                if mark.shape == "booking":
                    painter.setBrush(palette.color(QPalette.ColorRole.Base))
                else:
                    painter.setBrush(mark.colour)
                painter.drawEllipse(QPointF(x, y), radius, radius)
            self._hits.append(
                (QRectF(x - radius - 2, y - radius - 2, 2 * radius + 4, 2 * radius + 4), mark)
            )
        self._legend(painter, line, margin, radius)
        painter.end()

    def _legend(self, painter: QPainter, line: int, margin: float, radius: float) -> None:
        """What the shapes mean, along the bottom edge."""
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        y = self.height() - line * 0.6
        x = margin
        items = (
            ("event", QColor("#1f5fa8"), "event"),
            ("booking", QColor("#1f5fa8"), "booked meeting"),
            ("flag", formats.RAG_COLOURS["red"], "flag due: overdue"),
            ("flag", formats.RAG_COLOURS["amber"], "due soon"),
        )
        small = radius * 0.8
        for shape, colour, label in items:
            painter.setPen(QPen(colour, 2))
            if shape == "flag":
                path = QPainterPath()
                path.moveTo(x, y - small)
                path.lineTo(x - small, y + small * 0.8)
                path.lineTo(x + small, y + small * 0.8)
                path.closeSubpath()
                painter.setBrush(colour)
                painter.drawPath(path)
            else:
                base = self.palette().color(QPalette.ColorRole.Base)
                painter.setBrush(base if shape == "booking" else colour)
                painter.drawEllipse(QPointF(x, y), small, small)
            painter.setPen(QPen(text_colour))
            painter.drawText(QPointF(x + small + 4, y + line * 0.3), label)
            x += small + 4 + self.fontMetrics().horizontalAdvance(label) + line

    def marks_at(self, x: float, y: float) -> list[Mark]:
        return [mark for rect, mark in self._hits if rect.contains(QPointF(x, y))]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = self.marks_at(event.pos().x(), event.pos().y())
            if found:
                text = "\n".join(f"{formats.short_date(m.day)}: {m.label}" for m in found)
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
