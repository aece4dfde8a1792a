"""The drift rules of the domain reference (section 3), as pure functions.

``evaluate(case, policy, calendar, as_of)`` returns the flags of one case as of a
date, seeing only events dated on or before it.  Nothing here touches the
database or Qt.

Choices where the reference leaves room (also in docs/drift-rules.md):

* "Latest" and "earliest" compare event dates.  Two extensions on the same day:
  the later ``until`` wins.  Several FGC referrals: the clock runs from the
  earliest.  Several decisions to issue: the earliest.
* ``oversight_due`` runs from the latest oversight or extension, but never from a
  date before the start.
* ``pre_birth_meeting_due`` is one flag per case, from the earliest expected
  birth among the case's unborn children.
* Assessments count from their commission date; an assessment or plan action
  completed after the as-of date counts as not completed on it.  Plan actions
  and solicitors have no recorded start, so a past as-of date sees the current
  list of actions and solicitors.
* A flag is reviewed by the latest ``management_oversight`` naming its rule that
  is dated on or after the flag's due date (and on or before the as-of date)
  and whose ``until``, if any, is not before the as-of date.
* Families as they are (domain reference section 6): only a letter before proceedings
  with no party, or to a person with PR for at least one child, is a letter for these
  rules (a relative's own letter counts for nothing); a meeting recorded as not having
  gone ahead (``effective`` false) is no meeting for any timescale. A person holds PR, for
  ``solicitor_missing``, when they hold it for at least one child of the case.
* The family group decision-making duty rules run only once the policy date
  ``fgdm_duty_from`` is set. A letter offers the meeting unless its
  ``fgdm_offered`` is false (the format's default is true). For
  ``fgdm_before_application`` the decision is the earliest decision to issue (or
  issuing start) dated on or after the duty date, as for ``issue_due``; as the
  reference's table says, only a ``fgc_held`` on or after the earliest acceptance
  ends it (a later ``fgc_declined`` or ``fgdm_not_offered`` does not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from plo_tracker.domain import court, family
from plo_tracker.domain.dates import long_date, span
from plo_tracker.domain.model import CaseHistory, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar

OVERDUE = "overdue"
DUE_SOON = "due_soon"

RULES: dict[str, str] = {
    "letter_due": "Letter before proceedings not sent",
    "first_meeting_due": "First pre-proceedings meeting not held",
    "review_due": "Plan review not held",
    "fgc_referral_due": "Family group conference not referred",
    "fgc_held_due": "Family group conference not held",
    "duration_exceeded": "Pre-proceedings past its planned end",
    "assessment_overdue": "Assessment not completed",
    "action_overdue": "Plan action not completed",
    "issue_due": "Proceedings not issued after the decision",
    "pre_birth_meeting_due": "No meeting before the baby is born",
    "oversight_due": "Management oversight not recorded",
    "solicitor_missing": "Parent without a solicitor",
    "fgdm_offer_missing": "Family group decision-making meeting not offered",
    "fgdm_before_application": "Accepted family meeting not held before court",
    **court.COURT_RULES,
}
RULE_IDS: tuple[str, ...] = tuple(RULES)
START_OUTCOMES = frozenset({"pre_proceedings", "issue_proceedings"})
END_TYPES = frozenset({"proceedings_issued", "stepped_down"})


@dataclass(frozen=True, slots=True)
class Review:
    by: str
    on: dt.date
    until: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "on": self.on.isoformat(),
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(frozen=True, slots=True)
class Flag:
    case: str
    rule: str
    severity: str
    due: dt.date
    message: str
    reviewed: Review | None = None
    item: str | None = None
    days_overdue: int = 0

    @property
    def rule_title(self) -> str:
        return RULES[self.rule]

    def sort_key(self) -> tuple[str, str, dt.date, str]:
        return (self.case, self.rule, self.due, self.item or "")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "case": self.case,
            "rule": self.rule,
            "severity": self.severity,
            "due": self.due.isoformat(),
            "message": self.message,
        }
        if self.reviewed is not None:
            data["reviewed"] = self.reviewed.to_json()
        return data


@dataclass(frozen=True, slots=True)
class _Due:
    """A rule whose condition holds: its due date and what it is about."""

    rule: str
    due: dt.date
    what: str
    item: str | None = None


def weeks_after(day: dt.date, weeks: int) -> dt.date:
    """D + n weeks is D + 7n calendar days."""
    return day + dt.timedelta(days=7 * weeks)


class _Facts:
    """The case's history as of the report date, indexed for the rules: the letters that
    count and the meetings that went ahead (``family``)."""

    def __init__(self, case: CaseHistory, as_of: dt.date) -> None:
        self.events = [
            e for e in case.events if e.date <= as_of and family.counts_for_timescales(case, e)
        ]
        by_type: dict[str, list[Event]] = {}
        for event in sorted(self.events, key=lambda e: e.date):
            by_type.setdefault(event.type, []).append(event)
        self.by_type = by_type
        starts = [
            e for e in by_type.get("legal_planning_meeting", []) if e.outcome in START_OUTCOMES
        ]
        self.start: Event | None = starts[0] if starts else None
        self.ended = any(t in by_type for t in END_TYPES)

    def all(self, *types: str) -> list[Event]:
        found: list[Event] = []
        for event_type in types:
            found.extend(self.by_type.get(event_type, ()))
        found.sort(key=lambda e: e.date)
        return found

    def first(self, *types: str) -> Event | None:
        found = self.all(*types)
        return found[0] if found else None

    def last(self, *types: str) -> Event | None:
        found = self.all(*types)
        return found[-1] if found else None

    def has(self, *types: str) -> bool:
        return any(t in self.by_type for t in types)


def _dues(case: CaseHistory, policy: Policy, cal: WorkingCalendar, as_of: dt.date) -> list[_Due]:
    """Pre-proceedings rules while open there; the court rules while in proceedings."""
    dues = _pre_proceedings_dues(case, policy, cal, as_of)
    dues.extend(_Due(*found) for found in court.dues(case, policy, cal, as_of))
    return dues


def _pre_proceedings_dues(
    case: CaseHistory, policy: Policy, cal: WorkingCalendar, as_of: dt.date
) -> list[_Due]:
    facts = _Facts(case, as_of)
    start = facts.start
    if start is None or facts.ended:
        return []
    dues: list[_Due] = []
    first_letter = facts.first("letter_before_proceedings")
    first_meeting = facts.first("pre_proceedings_meeting")

    if start.outcome == "pre_proceedings" and first_letter is None:
        dues.append(
            _Due(
                "letter_due",
                cal.add_working_days(start.date, policy.letter_due_working_days),
                "the letter before proceedings has not been sent since the legal planning "
                f"meeting on {long_date(start.date)}",
            )
        )

    if first_letter is not None and first_meeting is None:
        dues.append(
            _Due(
                "first_meeting_due",
                cal.add_working_days(first_letter.date, policy.first_meeting_working_days),
                "no pre-proceedings meeting has been held since the letter before proceedings "
                f"on {long_date(first_letter.date)}",
            )
        )

    if first_meeting is not None:
        last_meeting = facts.last("pre_proceedings_meeting", "review_meeting")
        assert last_meeting is not None
        dues.append(
            _Due(
                "review_due",
                weeks_after(last_meeting.date, policy.review_weeks),
                "the plan has not been reviewed since the meeting on "
                f"{long_date(last_meeting.date)}",
            )
        )

    if first_letter is not None and not facts.has("fgc_referral", "fgc_held", "fgc_declined"):
        dues.append(
            _Due(
                "fgc_referral_due",
                cal.add_working_days(first_letter.date, policy.fgc_referral_working_days),
                "no family group conference has been referred (or declined) since the letter "
                f"before proceedings on {long_date(first_letter.date)}",
            )
        )

    referral = facts.first("fgc_referral")
    if referral is not None and not facts.has("fgc_held", "fgc_declined"):
        dues.append(
            _Due(
                "fgc_held_due",
                weeks_after(referral.date, policy.fgc_held_weeks),
                "the family group conference referred on "
                f"{long_date(referral.date)} has not been held",
            )
        )

    if first_meeting is not None:
        extensions = facts.all("extension_agreed")
        if extensions:
            latest = max(extensions, key=lambda e: (e.date, e.until or dt.date.min))
            assert latest.until is not None
            dues.append(
                _Due(
                    "duration_exceeded",
                    latest.until,
                    "pre-proceedings has not ended by the date of the extension agreed on "
                    f"{long_date(latest.date)}",
                )
            )
        else:
            dues.append(
                _Due(
                    "duration_exceeded",
                    weeks_after(first_meeting.date, policy.duration_weeks),
                    f"pre-proceedings has not ended {policy.duration_weeks} weeks after the "
                    f"first meeting on {long_date(first_meeting.date)}",
                )
            )

    for index, assessment in enumerate(case.assessments):
        if assessment.commissioned > as_of:
            continue
        if assessment.completed is not None and assessment.completed <= as_of:
            continue
        dues.append(
            _Due(
                "assessment_overdue",
                assessment.due,
                f"the {assessment.title} (commissioned {long_date(assessment.commissioned)}) "
                "has not been completed",
                item=f"assessment:{assessment.id if assessment.id is not None else index}",
            )
        )

    for index, action in enumerate(case.plan_actions):
        if action.completed is not None and action.completed <= as_of:
            continue
        party = case.party(action.party)
        who = f" ({party.name})" if party is not None else ""
        dues.append(
            _Due(
                "action_overdue",
                action.due,
                f"the plan action \u201c{action.action}\u201d{who} has not been completed",
                item=f"action:{action.id if action.id is not None else index}",
            )
        )

    decisions = facts.all("decision_to_issue")
    if start.outcome == "issue_proceedings":
        decisions.append(start)
    if decisions and not facts.has("proceedings_issued"):
        decision = min(decisions, key=lambda e: e.date)
        dues.append(
            _Due(
                "issue_due",
                cal.add_working_days(decision.date, policy.issue_working_days),
                "proceedings have not been issued since the decision to issue on "
                f"{long_date(decision.date)}",
            )
        )

    if policy.fgdm_duty_from is not None:
        dues.extend(_fgdm_dues(facts, start, policy.fgdm_duty_from))

    unborn = [c for c in case.children if c.expected_birth is not None]
    if unborn and first_meeting is None:
        child = min(unborn, key=lambda c: c.expected_birth or dt.date.max)
        assert child.expected_birth is not None
        dues.append(
            _Due(
                "pre_birth_meeting_due",
                weeks_after(child.expected_birth, -policy.pre_birth_weeks),
                "no pre-proceedings meeting has been held for the unborn baby expected on "
                f"{long_date(child.expected_birth)}",
            )
        )

    oversight = facts.last("management_oversight", "extension_agreed")
    since = start.date if oversight is None or oversight.date < start.date else oversight.date
    dues.append(
        _Due(
            "oversight_due",
            weeks_after(since, policy.oversight_weeks),
            f"no management oversight has been recorded since {long_date(since)}",
        )
    )

    if first_letter is not None:
        due = cal.add_working_days(first_letter.date, policy.solicitor_working_days)
        for index, party in enumerate(case.parties):
            if party.solicitor is None and family.has_pr(case, party):
                dues.append(
                    _Due(
                        "solicitor_missing",
                        due,
                        f"{party.name} ({party.relationship}) has parental responsibility but "
                        "no solicitor is recorded",
                        item=f"party:{party.id or index}",
                    )
                )
    return dues


def _fgdm_dues(facts: _Facts, start: Event, duty_from: dt.date) -> list[_Due]:
    """The two rules of the family group decision-making duty (the duty date is set)."""
    dues: list[_Due] = []
    letters = facts.all("letter_before_proceedings")
    if (
        letters
        and letters[0].date >= duty_from
        and all(letter.fgdm_offered is False for letter in letters)
        and not facts.has("fgdm_not_offered")
    ):
        first = letters[0]
        dues.append(
            _Due(
                "fgdm_offer_missing",
                first.date,
                "the letter before proceedings sent on "
                f"{long_date(first.date)} did not offer a family group decision-making meeting, "
                "and no decision that an offer is not in the child's best interests is recorded",
            )
        )
    decisions = facts.all("decision_to_issue")
    if start.outcome == "issue_proceedings":
        decisions.append(start)
    decisions = [d for d in decisions if d.date >= duty_from]
    accepted = [e for e in facts.all("fgdm_response") if e.response == "accepted"]
    if decisions and accepted:
        decision = min(decisions, key=lambda e: e.date)
        earliest = accepted[0]
        if not any(e.date >= earliest.date for e in facts.all("fgc_held")):
            dues.append(
                _Due(
                    "fgdm_before_application",
                    decision.date,
                    "a family group decision-making meeting was accepted on "
                    f"{long_date(earliest.date)} but has not been held since; it must be held "
                    "before the application to court decided on "
                    f"{long_date(decision.date)}",
                )
            )
    return dues


def _review(
    facts_events: Iterable[Event], rule: str, due: dt.date, as_of: dt.date
) -> Review | None:
    best: Event | None = None
    for event in facts_events:
        if event.type != "management_oversight" or event.rule != rule:
            continue
        if event.date > as_of or event.date < due:
            continue
        if event.until is not None and as_of > event.until:
            continue
        if best is None or event.date >= best.date:
            best = event
    if best is None:
        return None
    return Review(by=best.decided_by or "", on=best.date, until=best.until)


def _timing(severity: str, due: dt.date, as_of: dt.date) -> str:
    if severity == OVERDUE:
        return f"it was due on {long_date(due)} and is {span((as_of - due).days)} overdue"
    days = (due - as_of).days
    if days == 0:
        return f"it is due today, {long_date(due)}"
    return f"it is due on {long_date(due)}, in {span(days)}"


def evaluate(
    case: CaseHistory, policy: Policy, calendar: WorkingCalendar, as_of: dt.date
) -> list[Flag]:
    """The drift flags of ``case`` as of ``as_of``, sorted as the contract says."""
    return assess(case, policy, calendar, as_of)[0]


def assess(
    case: CaseHistory, policy: Policy, calendar: WorkingCalendar, as_of: dt.date
) -> tuple[list[Flag], dt.date | None]:
    """The flags and the next due date of a case, from one pass over its rules."""
    dues = _dues(case, policy, calendar, as_of)
    if not dues:
        return [], None
    return _flags(case, dues, policy, calendar, as_of), min(d.due for d in dues)


def _flags(
    case: CaseHistory,
    dues: list[_Due],
    policy: Policy,
    calendar: WorkingCalendar,
    as_of: dt.date,
) -> list[Flag]:
    window_end = calendar.add_working_days(as_of, policy.warning_working_days)
    flags: list[Flag] = []
    for due in dues:
        if as_of > due.due:
            severity = OVERDUE
        elif due.due <= window_end:
            severity = DUE_SOON
        else:
            continue
        timing = _timing(severity, due.due, as_of)
        flags.append(
            Flag(
                case=case.reference,
                rule=due.rule,
                severity=severity,
                due=due.due,
                message=f"{case.reference}: {due.what}; {timing}.",
                reviewed=_review(case.events, due.rule, due.due, as_of),
                item=due.item,
                days_overdue=max(0, (as_of - due.due).days),
            )
        )
    flags.sort(key=Flag.sort_key)
    return flags


def evaluate_all(
    cases: Iterable[CaseHistory], policy: Policy, calendar: WorkingCalendar, as_of: dt.date
) -> list[Flag]:
    flags: list[Flag] = []
    for case in cases:
        flags.extend(evaluate(case, policy, calendar, as_of))
    flags.sort(key=Flag.sort_key)
    return flags


def next_due(
    case: CaseHistory, policy: Policy, calendar: WorkingCalendar, as_of: dt.date
) -> dt.date | None:
    """The earliest due date among the rules whose condition holds (overdue or not)."""
    dues = _dues(case, policy, calendar, as_of)
    return min(d.due for d in dues) if dues else None


def case_is_open(case: CaseHistory, as_of: dt.date) -> bool:
    """Started and not ended, as of the date."""
    facts = _Facts(case, as_of)
    return facts.start is not None and not facts.ended


def raises_flags(case: CaseHistory, as_of: dt.date) -> bool:
    """Open in pre-proceedings, or in care proceedings, as of the date."""
    return case_is_open(case, as_of) or court.in_proceedings(case, as_of)


def rag_status(flags: Iterable[Flag]) -> str:
    """'red' with any overdue flag, 'amber' with any due soon, else 'green'."""
    severities = {flag.severity for flag in flags}
    if OVERDUE in severities:
        return "red"
    if DUE_SOON in severities:
        return "amber"
    return "green"
