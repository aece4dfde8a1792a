"""How the window writes dates, statuses and lengths of time (English, always)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor

from plo_tracker.domain import drift
from plo_tracker.domain.dates import abbreviated_date, span
from plo_tracker.domain.model import (
    BOOKING_LABELS,
    EVENT_LABELS,
    LPM_OUTCOMES,
    STEP_DOWN_TO,
    CaseHistory,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# A case's status: its words, its order in a sorted list, and its colour (always with words).
RAG_LABELS = {
    "red": "Overdue",
    "amber": "Due soon",
    "accepted": "Delay accepted by a manager",
    "green": "On time",
    "open": "Not started, not yet in pre-proceedings",
    "closed": "Closed",
    "none": "Closed",
}
RAG_ORDER = {
    "red": 0,
    "amber": 1,
    "accepted": 2,
    "green": 3,
    "open": 4,
    "closed": 5,
    "none": 5,
}
RAG_COLOURS = {
    "red": QColor("#c62828"),
    "amber": QColor("#ef8f00"),
    "accepted": QColor("#6a4c93"),
    "green": QColor("#2e7d32"),
    "open": QColor("#1f5fa8"),
    "closed": QColor("#8a8a8a"),
    "none": QColor("#8a8a8a"),
}
STATUS_LEGEND = ("red", "amber", "accepted", "green", "open", "closed")
LATE_COLOUR = QColor("#b71c1c")
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
    return abbreviated_date(day)


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


def rule_names(rules: list[str] | tuple[str, ...]) -> str:
    """'letter, review' for a list of rule ids (the case list's short names)."""
    from plo_tracker.services.cases import rules_text

    return rules_text(rules)


def flags_text(flags: list[drift.Flag], is_open: bool, not_started: bool) -> str:
    """A case's status in words: '2 overdue: letter, review', 'On time', 'Open', 'Closed'."""
    if not is_open:
        return "Not started" if not_started else "Closed"
    overdue = [f.rule for f in flags if f.severity == drift.OVERDUE]
    soon = [f.rule for f in flags if f.severity != drift.OVERDUE]
    accepted = sum(f.severity == drift.OVERDUE and f.reviewed is not None for f in flags)
    if overdue:
        if accepted == len(overdue):
            text = f"{len(overdue)} overdue, delay accepted: {rule_names(overdue)}"
        else:
            text = f"{len(overdue)} overdue: {rule_names(overdue)}"
            text += f" ({accepted} accepted)" if accepted else ""
        return text + (f"; {len(soon)} due soon" if soon else "")
    if soon:
        return f"{len(soon)} due soon: {rule_names(soon)}"
    return "On time"


def count(number: int, word: str, plural: str | None = None) -> str:
    """'1 case', '2 cases', '0 cases' (``plural`` for a word not made with -s)."""
    return f"{number:,} {word if number == 1 else (plural or word + 's')}"


def and_list(items: list[str] | tuple[str, ...]) -> str:
    """'a', 'a and b', 'a, b and c' (names, in the order given)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def people_names(case: CaseHistory, keys: tuple[str, ...] | list[str]) -> str:
    """The people of a case named by their keys, by name ('Chloe Evans and Gareth Evans')."""
    return and_list([p.name if (p := case.party(k)) is not None else k for k in keys])
