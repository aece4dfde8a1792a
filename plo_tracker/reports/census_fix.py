"""Where in PLO Tracker each census finding is corrected: the case's part, and the record.

``fix_place(finding)`` turns a finding (its rule, element, date and child) into a
``FixPlace``: which part of the case to open (its Chronology, at the event that gave the
element its date, or its Children, at the child) and a plain label for lists and files.
The desktop client opens the case there; the findings file carries the label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from plo_tracker.domain.dates import short_date
from plo_tracker.reports.census_records import Finding

CHRONOLOGY = "chronology"
CHILDREN = "children"
SETTINGS = "settings"
RETURN = "return"

# The events each element's value comes from (the first found on the date is the one).
ELEMENT_EVENTS: dict[str, tuple[str, ...]] = {
    "PPStartDate": ("legal_planning_meeting",),
    "LBPSentDate": ("letter_before_proceedings",),
    "FGDMMeetingOffer": ("letter_before_proceedings",),
    "FGDMMeetingFac": ("fgc_held", "fgc_declined", "fgc_referral"),
    "InitialPPMeetingDate": ("pre_proceedings_meeting",),
    "ReviewMeetingsCount": ("review_meeting", "pre_proceedings_meeting"),
    "StepDecisionDate": ("stepped_down", "decision_to_issue", "legal_planning_meeting"),
    "CourtAppDate": ("proceedings_issued",),
    "LetterInitCPDate": ("letter_of_issue",),
}

ELEMENT_WORDS: dict[str, str] = {
    "PPStartDate": "the legal planning meeting that started pre-proceedings",
    "LBPSentDate": "the first letter before proceedings",
    "FGDMMeetingOffer": "the family group decision-making offer in the first letter",
    "FGDMMeetingFac": "the family group conference",
    "InitialPPMeetingDate": "the first pre-proceedings meeting",
    "ReviewMeetingsCount": "the review meetings",
    "StepDecisionDate": "the decision to step down or to issue",
    "CourtAppDate": "the date proceedings were issued",
    "LetterInitCPDate": "the letter of issue",
}
assert set(ELEMENT_WORDS) == set(ELEMENT_EVENTS)


@dataclass(frozen=True, slots=True)
class FixPlace:
    """Where to correct a finding: a part of the case, and the record in it if known."""

    section: str  # CHRONOLOGY, CHILDREN, SETTINGS (council settings) or RETURN (no case)
    label: str
    event_types: tuple[str, ...] = ()
    date: dt.date | None = None
    child_position: int | None = None

    def matches_event(self, event_type: str, day: dt.date) -> bool:
        """The event this place points at (any of its types when no date is known)."""
        if event_type not in self.event_types:
            return False
        return self.date is None or day == self.date


def fix_place(finding: Finding) -> FixPlace:
    if finding.case is None:
        return FixPlace(RETURN, "The whole return (the data team)")
    if finding.element == "LAchildID" and finding.child_position is not None:
        who = f"child {finding.child_position}"
        if finding.la_child_id:
            who += f" ({finding.la_child_id})"
        return FixPlace(CHILDREN, f"Children: {who}", child_position=finding.child_position)
    if finding.element == "PPOutcome":
        return FixPlace(SETTINGS, "Census settings: the PPOutcome codes (a team manager sets them)")
    types = ELEMENT_EVENTS.get(finding.element or "", ())
    if not types:
        return FixPlace(CHRONOLOGY, "Chronology")
    label = f"Chronology: {ELEMENT_WORDS[finding.element or '']}"
    if finding.date is not None:
        label += f" ({short_date(finding.date)})"
    if finding.rule in ("no_cin_episode", "two_cin_episodes"):
        label += ", or the CIN episode in the case management system"
    elif finding.rule in ("differs_from_return", "overlaps_return_block"):
        label += ", or the block the case management system wrote"
    return FixPlace(CHRONOLOGY, label, event_types=types, date=finding.date)


# -- the findings file (``plo-tracker census --findings FILE.csv``) --------------------------

FINDINGS_FILE_HEADERS: tuple[str, ...] = (
    "Case",
    "Episode",
    "Child",
    "LA child ID",
    "Rule",
    "Severity",
    "Keeps the record out",
    "Where to fix",
    "What to do",
)


def findings_file_rows(findings: Sequence[Finding]) -> list[list[object]]:
    """One row per finding, in the order given; text cells are made formula-safe on writing."""
    rows: list[list[object]] = []
    for f in findings:
        rows.append(
            [
                f.case or "(the whole return)",
                f.episode if f.case else "",
                f"child {f.child_position}" if f.child_position is not None else "",
                f.la_child_id or "",
                f.rule,
                f.severity,
                "yes" if f.blocks else "no",
                fix_place(f).label,
                f.message,
            ]
        )
    return rows
