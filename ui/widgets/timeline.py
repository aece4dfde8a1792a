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

from plo_tracker import clock
from plo_tracker.domain import drift
from plo_tracker.domain.model import CaseHistory
from ui import formats

# Each kind of event has the colour of its group; the legend names every group shown.
EVENT_GROUPS: dict[str, tuple[str, QColor]] = {
    "legal": ("legal steps and letters", QColor("#6a3d9a")),
    "meeting": ("meetings", QColor("#1f5fa8")),
    "family": ("family group conferences and meetings", QColor("#00796b")),
    "oversight": ("management decisions", QColor("#6d6d6d")),
    "outcome": ("proceedings and outcomes", QColor("#111111")),
}
GROUP_OF_EVENT: dict[str, str] = {
    "legal_planning_meeting": "legal",
    "letter_before_proceedings": "legal",
    "letter_of_issue": "legal",
    "pre_proceedings_meeting": "meeting",
    "review_meeting": "meeting",
    "fgc_referral": "family",
    "fgc_held": "family",
    "fgc_declined": "family",
    "fgdm_response": "family",
    "fgdm_not_offered": "oversight",
    "management_oversight": "oversight",
    "extension_agreed": "oversight",
    "decision_to_issue": "outcome",
    "proceedings_issued": "outcome",
    "stepped_down": "outcome",
}
OTHER_EVENTS = ("other events", QColor("#444444"))
CATEGORY_COLOURS = {kind: EVENT_GROUPS[group][1] for kind, group in GROUP_OF_EVENT.items()}


def event_group(event_type: str) -> tuple[str, QColor]:
    group = GROUP_OF_EVENT.get(event_type)
    return EVENT_GROUPS[group] if group else OTHER_EVENTS


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
        self.groups: dict[str, QColor] = {}  # the event groups shown, for the legend
        self.today = clock.today()
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
                formats.event_label(e.type) + ("" if e.went_ahead else " (did not go ahead)"),
                event_group(e.type)[1],
            )
            for e in case.events
        ]
        groups: dict[str, QColor] = {}
        for e in sorted(case.events, key=lambda e: e.date):
            label, colour = event_group(e.type)
            groups.setdefault(label, colour)
        self.groups = groups
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
        return QSize(line * 40, line * 8)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 12, line * 8)

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

    def legend_items(self) -> list[tuple[str, QColor, str]]:
        """(shape, colour, words) for every colour and shape the timeline can show."""
        items = [("event", colour, label) for label, colour in self.groups.items()]
        if not items:
            items = [("event", EVENT_GROUPS["meeting"][1], "events")]
        items += [
            ("booking", EVENT_GROUPS["meeting"][1], "booked meeting (hollow)"),
            ("flag", formats.RAG_COLOURS["red"], "flag due: overdue"),
            ("flag", formats.RAG_COLOURS["amber"], "due soon"),
            ("today", QColor("#c62828"), "today"),
        ]
        return items

    def _legend_rows(self, width: float, margin: float, small: float) -> list[list[tuple]]:
        metrics = self.fontMetrics()
        rows: list[list[tuple]] = [[]]
        x = margin
        for item in self.legend_items():
            needed = small * 2 + 4 + metrics.horizontalAdvance(item[2]) + metrics.height()
            if rows[-1] and x + needed > width - margin:
                rows.append([])
                x = margin
            rows[-1].append(item)
            x += needed
        return rows

    def _legend(self, painter: QPainter, line: int, margin: float, radius: float) -> None:
        """What the shapes and colours mean, along the bottom edge (wrapping if need be)."""
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        small = radius * 0.8
        rows = self._legend_rows(self.width(), margin, small)
        for number, row in enumerate(rows):
            y = self.height() - line * 0.6 - (len(rows) - 1 - number) * line * 1.2
            x = margin
            for shape, colour, label in row:
                painter.setPen(QPen(colour, 2))
                if shape == "flag":
                    path = QPainterPath()
                    path.moveTo(x, y - small)
                    path.lineTo(x - small, y + small * 0.8)
                    path.lineTo(x + small, y + small * 0.8)
                    path.closeSubpath()
                    painter.setBrush(colour)
                    painter.drawPath(path)
                elif shape == "today":
                    painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
                    painter.drawLine(QPointF(x, y - small), QPointF(x, y + small))
                else:
                    base = self.palette().color(QPalette.ColorRole.Base)
                    painter.setBrush(base if shape == "booking" else colour)
                    painter.drawEllipse(QPointF(x, y), small, small)
                painter.setPen(QPen(text_colour))
                painter.drawText(QPointF(x + small + 4, y + line * 0.3), label)
                x += small * 2 + 4 + self.fontMetrics().horizontalAdvance(label) + line

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
