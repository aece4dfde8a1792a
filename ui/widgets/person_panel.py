"""What may be shared with one person: their ties, their meetings and the facts that are theirs.

Shown beside the case's people for the person selected, from ``domain.for_person`` (the
rules letters follow too): a person kept from someone never has that person's meetings,
worries, strengths, assessments or attendance listed here, and the panel says so.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from plo_tracker.domain import meetings
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.for_person import PersonView, for_person, others_at
from plo_tracker.domain.model import MEETING_EVENT_TYPES, CaseHistory, Event
from ui import formats

EMPTY = "Select a person to see what may be shared with them."


def _event_line(case: CaseHistory, event: Event, key: str) -> str:
    text = f"{formats.event_label(event.type)}, {long_date(event.date)}"
    if event.type in MEETING_EVENT_TYPES:
        if event.effective is False:
            text += " (did not go ahead)"
        others = others_at(case, event, key)
        if others:
            text += f", with {formats.and_list(list(others))}"
    return text


def sections(case: CaseHistory, view: PersonView) -> list[tuple[str, list[str]]]:
    """The panel's headings and lines, in words (plain text)."""
    key = view.party.id
    ties = [
        f"{tie.relationship[:1].upper()}{tie.relationship[1:]} of {tie.child.name}"
        + (" (parental responsibility)" if tie.parental_responsibility else "")
        for tie in view.ties
    ]
    booked = []
    for booking in view.bookings:
        text = meetings.describe(case, booking)
        booked.append(text[:1].upper() + text[1:])
    return [
        ("Ties to the children", ties or ["Tied to none of the children."]),
        ("Meetings booked for them", booked),
        ("Meetings, letters and answers", [_event_line(case, e, key) for e in view.events]),
        ("Worries", [c.text for c in view.worries]),
        ("What is going well", [s.text for s in view.strengths]),
        ("Assessments", [a.title for a in view.assessments]),
        (
            "Plan",
            [
                a.action + (" (everyone)" if a.party is None else "")
                for a in view.actions
                if a.completed is None
            ],
        ),
    ]


def panel_text(case: CaseHistory, key: str) -> str:
    """The panel as rich text, every value escaped."""
    view = for_person(case, key)
    party = view.party
    parts = [
        f"<h3>For {html.escape(party.name)} ({html.escape(party.relationship)})</h3>",
        "<p>What may be shared with this person: their ties, their meetings and what is "
        "recorded about them or their household.</p>",
    ]
    if view.kept_from:
        who = html.escape(formats.and_list([p.name for p in view.kept_from]))
        parts.append(
            f'<p style="color:#8a1c1c"><b>Kept from {who}</b>: nothing recorded about {who} '
            f"is listed here, and never invited to a meeting with {who}.</p>"
        )
    if view.kept_away:
        who = html.escape(formats.and_list([p.name for p in view.kept_away]))
        parts.append(
            f'<p style="color:#8a1c1c"><b>Protected from {who}</b>: where this person lives or '
            f"will be, and everything recorded about them, is never shared with {who}.</p>"
        )
    for heading, lines in sections(case, view):
        parts.append(f"<p><b>{html.escape(heading)}</b><br>")
        if lines:
            parts.append("<br>".join(f"• {html.escape(line)}" for line in lines))
        else:
            parts.append("<i>None.</i>")
        parts.append("</p>")
    return "".join(parts)


class PersonPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("What may be shared with the selected person")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.label = QLabel(EMPTY)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setAccessibleName("What may be shared with the selected person")
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.setWidget(inner)
        self.key: str | None = None

    def show_person(self, case: CaseHistory | None, key: str | None) -> None:
        self.key = key
        if case is None or key is None or case.party(key) is None:
            self.label.setText(EMPTY)
            return
        self.label.setText(panel_text(case, key))

    def plain_text(self) -> str:
        """What the panel says, without markup (for tests and screen readers)."""
        document = QTextDocument()
        document.setHtml(self.label.text())
        return document.toPlainText()
