"""What may be shared with one person: their ties, their meetings and the facts that are theirs.

Shown beside the case's people for the person selected. The facts and bookings are the core's
own reader's view (``letters.reader_view.view_for``, the rules the person's letters follow), so
the window and the letters always agree: someone kept from a person never has that person's
meetings, worries, strengths, assessments or attendance listed here (nor those of anyone
living with them), and the panel says so.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from plo_tracker.domain import family, meetings
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import MEETING_EVENT_TYPES, CaseHistory, Event, Party
from plo_tracker.letters.reader_view import ReaderView, view_for
from ui import formats

EMPTY = "Select a person to see what may be shared with them."


def their_events(case: CaseHistory, key: str, hidden: frozenset[str]) -> list[Event]:
    """The meetings ``key`` came to (none with someone hidden from them there) and the
    letters and answers that are theirs, in date order."""
    found = []
    for event in case.events:
        if event.type in MEETING_EVENT_TYPES:
            came = set(event.attendees or ())
            if key in came and not came & hidden:
                found.append(event)
        elif event.party == key:
            found.append(event)
    return sorted(found, key=lambda e: e.date)


def others_at(case: CaseHistory, event: Event, key: str, hidden: frozenset[str]) -> list[str]:
    """Who else came to a meeting, by name, never anyone hidden from ``key``."""
    names = {p.id: p.name for p in case.parties}
    return [names.get(k, k) for k in event.attendees or () if k != key and k not in hidden]


def _event_line(case: CaseHistory, event: Event, view: ReaderView) -> str:
    text = f"{formats.event_label(event.type)}, {long_date(event.date)}"
    if event.type in MEETING_EVENT_TYPES:
        if event.effective is False:
            text += " (did not go ahead)"
        others = others_at(case, event, view.reader.id, view.hidden)
        if others:
            text += f", with {formats.and_list(others)}"
    return text


def sections(case: CaseHistory, view: ReaderView) -> list[tuple[str, list[str]]]:
    """The panel's headings and lines, in words (plain text)."""
    key = view.reader.id
    ties = [
        f"{tie.relationship[:1].upper()}{tie.relationship[1:]} of {tie.child.name}"
        + (" (parental responsibility)" if tie.parental_responsibility else "")
        for tie in family.ties(case, view.reader)
    ]
    booked = []
    for booking in view.bookings:
        text = meetings.describe(case, booking)
        booked.append(text[:1].upper() + text[1:])
    withheld = [
        b
        for b in case.scheduled
        if key in family.attendees(case, b.attendees) and b not in view.bookings
    ]
    if withheld:
        count = len(withheld)
        booked.append(
            f"({count} more meeting{'s' if count != 1 else ''} they are booked into "
            f"{'is' if count == 1 else 'are'} not given in their letters: someone there has a "
            "confidential address or is kept apart from them.)"
        )
    return [
        ("Ties to the children", ties or ["Tied to none of the children."]),
        ("Meetings booked for them", booked),
        (
            "Meetings, letters and answers",
            [_event_line(case, e, view) for e in their_events(case, key, view.hidden)],
        ),
        ("Worries", [c.text for c in view.concerns]),
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


def _names(case: CaseHistory, keys: set[str] | frozenset[str]) -> str:
    return formats.and_list([p.name for p in case.parties if p.id in keys])


def panel_text(case: CaseHistory, party: Party) -> str:
    """The panel as rich text, every value escaped."""
    view = view_for(case, party)
    kept = family.kept_from(case, party.id)
    guarded = {k for a in case.keep_apart if a.protect == party.id for k in a.kept_from}
    parts = [
        f"<h3>For {html.escape(party.name)} ({html.escape(party.relationship)})</h3>",
        "<p>What may be shared with this person (what their letters may say): their ties, "
        "their meetings and what is recorded about them or their household.</p>",
    ]
    if kept:
        who = html.escape(_names(case, kept))
        living = view.hidden - kept
        also = (
            f" or anyone living with them ({html.escape(_names(case, living))})" if living else ""
        )
        parts.append(
            f'<p style="color:#8a1c1c"><b>Kept from {who}</b>: nothing recorded about {who}'
            f"{also} is listed here, and never invited to a meeting with {who}.</p>"
        )
    if guarded:
        who = html.escape(_names(case, guarded))
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
        party = case.party(key) if case is not None else None
        if case is None or party is None:
            self.label.setText(EMPTY)
            return
        self.label.setText(panel_text(case, party))

    def plain_text(self) -> str:
        """What the panel says, without markup (for tests and screen readers)."""
        document = QTextDocument()
        document.setHtml(self.label.text())
        return document.toPlainText()
