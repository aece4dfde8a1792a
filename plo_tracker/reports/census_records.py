"""The CIN census record types: what the census, its rules and the merge all speak of.

``PreProceedingsRecord`` (one child's ``<PreProceedingsandFGDM>`` block and where it came
from), ``Finding`` (a rule a record breaks, told so staff can correct it), the reporting
year, the element names in the specification's order and PLO Tracker's outcomes.  Both
``census`` (which builds the records) and ``census_rules`` (which checks them) import
these from here, so neither imports the other's definitions back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from plo_tracker.domain.model import STEP_DOWN_TO

PP_OUTCOME_CODES: tuple[str, ...] = ("A", "B", "C")

# PLO Tracker's outcomes of an episode, each mapped to a PPOutcome code by the council.
DECISION_TO_ISSUE = "decision_to_issue"
PROCEEDINGS_ISSUED = "proceedings_issued"
STILL_OPEN = "open"
OUTCOME_KEYS: tuple[str, ...] = (*STEP_DOWN_TO, DECISION_TO_ISSUE, PROCEEDINGS_ISSUED, STILL_OPEN)
OUTCOME_LABELS: dict[str, str] = {
    "child_protection": "stepped down to a child protection plan",
    "child_in_need": "stepped down to a child in need plan",
    "no_further_action": "stepped down with no further action",
    DECISION_TO_ISSUE: "decision to issue made, proceedings not yet issued",
    PROCEEDINGS_ISSUED: "proceedings issued",
    STILL_OPEN: "still open, no decision yet",
}
assert set(OUTCOME_LABELS) == set(OUTCOME_KEYS)

# The elements of <PreProceedingsandFGDM>, in the specification's order.
ELEMENTS: tuple[str, ...] = (
    "PPStartDate",
    "LBPSentDate",
    "FGDMMeetingOffer",
    "FGDMMeetingFac",
    "InitialPPMeetingDate",
    "ReviewMeetingsCount",
    "StepDecisionDate",
    "PPOutcome",
    "CourtAppDate",
    "LetterInitCPDate",
)


@dataclass(frozen=True, slots=True)
class ReportingYear:
    """The census reporting year as the DfE's validator checks it: both ends included."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def reporting_year(reference_date: dt.date) -> ReportingYear:
    """1 April of the year before the reference date, to the reference date (31 March).

    The start is the reference date minus one year plus one day, as the public validator's
    ``make_census_period`` counts it since its April 2026 fix (``docs/reports.md``).
    """
    if (reference_date.month, reference_date.day) != (3, 31):
        raise ValueError(
            f"the CIN census reference date is 31 March (for example "
            f"{reference_date.year + (reference_date.month > 3)}-03-31), not "
            f"{reference_date.isoformat()}"
        )
    start = reference_date.replace(year=reference_date.year - 1) + dt.timedelta(days=1)
    return ReportingYear(start, reference_date)


# -- records -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreProceedingsRecord:
    """One child's ``<PreProceedingsandFGDM>`` block, and where it came from.

    ``case``, ``child_position``, ``child_name``, ``outcome`` and the fields after
    ``letter_init_cp_date`` are for staff and the checks (to find what to correct); only
    ``la_child_id`` and the element values go into the XML.
    """

    case: str
    child_position: int
    child_name: str
    la_child_id: str | None
    unborn: bool
    outcome: str
    episode: int = 1
    pp_start_date: dt.date | None = None
    lbp_sent_date: dt.date | None = None
    fgdm_meeting_offer: bool | None = None
    fgdm_meeting_fac: bool | None = None
    initial_pp_meeting_date: dt.date | None = None
    review_meetings_count: int | None = None
    step_decision_date: dt.date | None = None
    pp_outcome: str | None = None
    court_app_date: dt.date | None = None
    letter_init_cp_date: dt.date | None = None
    immediate_issue: bool = False
    date_of_birth: dt.date | None = None
    episode_end: dt.date | None = None

    def values(self) -> dict[str, str | None]:
        """Each element's text as written (dates YYYY-MM-DD, flags 1/0), None when absent."""

        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value is not None else None

        def flag(value: bool | None) -> str | None:
            return None if value is None else ("1" if value else "0")

        return {
            "PPStartDate": day(self.pp_start_date),
            "LBPSentDate": day(self.lbp_sent_date),
            "FGDMMeetingOffer": flag(self.fgdm_meeting_offer),
            "FGDMMeetingFac": flag(self.fgdm_meeting_fac),
            "InitialPPMeetingDate": day(self.initial_pp_meeting_date),
            "ReviewMeetingsCount": (
                None if self.review_meetings_count is None else str(self.review_meetings_count)
            ),
            "StepDecisionDate": day(self.step_decision_date),
            "PPOutcome": self.pp_outcome,
            "CourtAppDate": day(self.court_app_date),
            "LetterInitCPDate": day(self.letter_init_cp_date),
        }

    def date_of(self, element: str | None) -> dt.date | None:
        """The date an element holds (None for the flags, counts and codes)."""
        value = self.values().get(element or "")
        if value is None or len(value) != 10:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None

    def elements(self) -> list[tuple[str, str]]:
        """(element, text) in the specification's order, leaving out elements with no value."""
        values = self.values()
        return [(name, text) for name in ELEMENTS if (text := values[name]) is not None]

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "episode": self.episode,
            "child_position": self.child_position,
            "la_child_id": self.la_child_id,
            "unborn": self.unborn,
            "outcome": self.outcome,
            "elements": dict(self.elements()),
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule a record breaks (or a problem with the return), told so staff can correct it."""

    case: str | None
    child_position: int | None
    child_name: str | None
    la_child_id: str | None
    rule: str
    severity: str
    element: str | None
    message: str
    episode: int = 1
    date: dt.date | None = None  # the date the element holds (to find the record to fix)

    @property
    def blocks(self) -> bool:
        """An error keeps the record out of the file; a query is reported but written."""
        return self.severity == "error"

    def child_label(self) -> str:
        if self.child_position is None:
            return ""
        if self.la_child_id:
            return self.la_child_id
        return f"child {self.child_position} (no LA child ID)"

    def sort_key(self) -> tuple[bool, str, int, int, str, str]:
        """By case, episode and child; findings about the whole return last."""
        return (
            self.case is None,
            self.case or "",
            self.episode,
            self.child_position or 0,
            self.rule,
            self.element or "",
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "episode": self.episode,
            "child_position": self.child_position,
            "la_child_id": self.la_child_id,
            "rule": self.rule,
            "severity": self.severity,
            "element": self.element,
            "date": self.date.isoformat() if self.date else None,
            "message": self.message,
        }
