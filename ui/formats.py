"""How the window writes dates, statuses and lengths of time (English, always)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor

from plo_tracker.domain import drift
from plo_tracker.domain.dates import span
from plo_tracker.domain.model import (
    BOOKING_LABELS,
    EVENT_LABELS,
    LPM_OUTCOMES,
    STEP_DOWN_TO,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_EDIT_FORMAT = "d MMM yyyy"  # shown with an English locale on every QDateEdit

RAG_LABELS = {"red": "Overdue", "amber": "Due soon", "green": "On time", "none": "Closed"}
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "none": 3}
RAG_COLOURS = {
    "red": QColor("#c62828"),
    "amber": QColor("#ef8f00"),
    "green": QColor("#2e7d32"),
    "none": QColor("#8a8a8a"),
}
SEVERITY_LABELS = {drift.OVERDUE: "Overdue", drift.DUE_SOON: "Due soon"}

OUTCOME_LABELS = {
    "pre_proceedings": "Start pre-proceedings",
    "issue_proceedings": "Issue care proceedings now",
    "no_legal_action": "No legal action",
}
STEP_DOWN_LABELS = {
    "child_protection": "Child protection plan",
    "child_in_need": "Child in need plan",
    "no_further_action": "No further action",
}
assert set(OUTCOME_LABELS) == set(LPM_OUTCOMES)
assert set(STEP_DOWN_LABELS) == set(STEP_DOWN_TO)


def short_date(day: dt.date | None) -> str:
    """'4 Mar 2024' (empty for no date)."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def event_label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type.replace("_", " ").capitalize())


def booking_label(booking_type: str) -> str:
    return BOOKING_LABELS.get(booking_type, booking_type.replace("_", " ").capitalize())


def rule_label(rule: str | None) -> str:
    if not rule:
        return ""
    return drift.RULES.get(rule, rule)


def lateness(due: dt.date, as_of: dt.date) -> str:
    """'12 days overdue', 'due today', 'due in 3 days'."""
    days = (as_of - due).days
    if days > 0:
        return f"{span(days)} overdue"
    if days == 0:
        return "due today"
    return f"due in {span(-days)}"


def rag_text(rag: str, overdue: int, due_soon: int) -> str:
    if rag == "red":
        return f"Overdue ({overdue})"
    if rag == "amber":
        return f"Due soon ({due_soon})"
    return RAG_LABELS.get(rag, rag)
