"""Where a case stands, in words a team recognises, and how long it has run."""

from __future__ import annotations

import datetime as dt

from plo_tracker.domain import court
from plo_tracker.domain.drift import END_TYPES, START_OUTCOMES
from plo_tracker.domain.model import CaseHistory
from plo_tracker.domain.policy import Policy

NOT_STARTED = "Not in pre-proceedings"
ISSUED = "Proceedings issued"
STEPPED_DOWN = "Stepped down"
IN_PROCEEDINGS = "In proceedings"
CONCLUDED = "Proceedings concluded"


def start_date(case: CaseHistory, as_of: dt.date) -> dt.date | None:
    starts = [
        e.date
        for e in case.events
        if e.type == "legal_planning_meeting" and e.outcome in START_OUTCOMES and e.date <= as_of
    ]
    return min(starts) if starts else None


def end_event_date(case: CaseHistory, as_of: dt.date) -> tuple[str, dt.date] | None:
    ends = [(e.date, e.type) for e in case.events if e.type in END_TYPES and e.date <= as_of]
    if not ends:
        return None
    day, kind = min(ends)
    return kind, day


def stage(case: CaseHistory, as_of: dt.date, policy: Policy | None = None) -> str:
    """Where the case stands; in care proceedings "In proceedings, week 19 of 26"."""
    after_issue = court_stage(case, as_of, policy or Policy())
    if after_issue is not None:
        return after_issue
    if start_date(case, as_of) is None:
        return NOT_STARTED
    end = end_event_date(case, as_of)
    if end is not None:
        return ISSUED if end[0] == "proceedings_issued" else STEPPED_DOWN
    seen = {e.type for e in case.events if e.date <= as_of}
    if "decision_to_issue" in seen or any(
        e.type == "legal_planning_meeting" and e.outcome == "issue_proceedings"
        for e in case.events
        if e.date <= as_of
    ):
        return "Decision to issue"
    if "review_meeting" in seen:
        return "Reviewing the plan"
    if "pre_proceedings_meeting" in seen:
        return "Plan agreed"
    if "letter_before_proceedings" in seen:
        return "Letter sent"
    return "Letter to send"


def court_stage(case: CaseHistory, as_of: dt.date, policy: Policy) -> str | None:
    """The stage after issue: "In proceedings, week 19 of 26", "Proceedings concluded", or
    None before any issue."""
    found = court.proceedings(case, as_of)
    if found is None:
        return None
    if not found.is_open:
        return CONCLUDED
    return f"{IN_PROCEEDINGS}, {court.week_text(case, policy, as_of)}"


def weeks_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end - start).days // 7)


def weeks_in_pre_proceedings(case: CaseHistory, as_of: dt.date) -> int | None:
    """Whole weeks from the start to the end (or to the as-of date while open)."""
    start = start_date(case, as_of)
    if start is None:
        return None
    end = end_event_date(case, as_of)
    return weeks_between(start, end[1] if end else as_of)
