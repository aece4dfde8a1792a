"""Chronologies that cannot be true, and orders that are possible but unusual.

One place for the rules of section 5 of the domain reference ("A chronology that cannot
be true is refused"). ``check(case)`` returns findings: an ``error`` is refused wherever a
record enters (import, every service save, every form), a ``warning`` is an order that can
happen but usually means a mistake, so the user confirms it in the window and the command
line lists it. Pure: no database, no Qt.

Choices where the reference leaves room (also in docs/chronology-rules.md):

* "The case's first legal planning meeting" is the earliest one, whatever its outcome.
  With no legal planning meeting at all the comparison cannot be made: that is a warning
  (the case is not counted as started, so no timescale is checked), not an error.
* A pre-proceedings meeting with no letter before proceedings at all, and a review with
  no pre-proceedings meeting at all, are warnings (the earlier record may simply not be
  entered yet); dated before them, they are errors.
* A letter of issue needs an issue dated on or before it: with no ``proceedings_issued``
  at all it is an error too, because the letter says proceedings have started.
* A decision to issue on the same day as the issue counts as earlier (urgent cases).
* Family group conferences and assessments may predate the case (they often start under
  a child protection plan); an expected birth that has passed is not checked here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from plo_tracker.domain.dates import short_date
from plo_tracker.domain.model import CaseHistory, Event

ERROR = "error"
WARNING = "warning"
CONCEPTION_WEEKS = 42
START_OUTCOMES = frozenset({"pre_proceedings", "issue_proceedings"})
END_TYPES = frozenset({"proceedings_issued", "stepped_down"})

# Rule id -> the rule in one line (errors first, then warnings).
RULES: dict[str, str] = {
    "before_conception": "No event can be dated more than 42 weeks before the eldest child's "
    "birth or expected birth.",
    "before_legal_planning": "A letter before proceedings, a pre-proceedings meeting, a review "
    "or a decision to issue cannot come before the case's first legal planning meeting.",
    "meeting_before_letter": "A pre-proceedings meeting cannot come before the first letter "
    "before proceedings.",
    "review_before_first_meeting": "A review meeting cannot come before the first "
    "pre-proceedings meeting.",
    "issue_without_decision": "Proceedings cannot be issued without an earlier decision to "
    "issue (a decision to issue, or a legal planning meeting that decided to issue).",
    "extension_ends_before_start": "An extension must end after the day it was agreed.",
    "review_until_before_date": "A manager cannot accept a delay until a date before the review.",
    "letter_of_issue_before_issue": "A letter of issue cannot be sent before proceedings are "
    "issued.",
    "assessment_due_before_commissioned": "An assessment cannot be due before it was commissioned.",
    "assessment_completed_before_commissioned": "An assessment cannot be completed before it "
    "was commissioned.",
    "court_before_issue": "A court hearing, a court extension or the end of proceedings cannot "
    "come before proceedings are issued.",
    "not_started": "Warning: pre-proceedings steps are recorded but no legal planning meeting "
    "decided to start pre-proceedings or to issue, so no timescale is checked.",
    "meeting_without_letter": "Warning: a pre-proceedings meeting is recorded but no letter "
    "before proceedings.",
    "review_without_meeting": "Warning: a review meeting is recorded but no pre-proceedings "
    "meeting.",
    "after_end": "Warning: a pre-proceedings step is dated after the case ended (stepped down "
    "or issued) with no new start in between.",
    "fgc_held_before_referral": "Warning: a family group conference is recorded as held "
    "before it was referred.",
    "fgdm_answer_before_letter": "Warning: an answer to the family meeting offer is dated "
    "before the first letter before proceedings (which must make the offer).",
    "extension_before_first_meeting": "Warning: an extension is agreed before the first "
    "pre-proceedings meeting (the usual length runs from that meeting).",
    "court_extension_over_8_weeks": "Warning: the court extends the 26-week timetable by at "
    "most 8 weeks at a time (s.32(5) Children Act 1989).",
}
ERROR_RULES = frozenset(
    {
        "before_conception",
        "before_legal_planning",
        "meeting_before_letter",
        "review_before_first_meeting",
        "issue_without_decision",
        "extension_ends_before_start",
        "review_until_before_date",
        "letter_of_issue_before_issue",
        "assessment_due_before_commissioned",
        "assessment_completed_before_commissioned",
        "court_before_issue",
    }
)
WARNING_RULES = frozenset(RULES) - ERROR_RULES

# What the steps are called in sentences ("the review meeting on 4 March 2024").
NOUNS: dict[str, str] = {
    "legal_planning_meeting": "legal planning meeting",
    "letter_before_proceedings": "letter before proceedings",
    "pre_proceedings_meeting": "pre-proceedings meeting",
    "review_meeting": "review meeting",
    "fgc_referral": "family group conference referral",
    "fgc_held": "family group conference",
    "fgc_declined": "family group conference declined",
    "extension_agreed": "extension",
    "management_oversight": "management oversight",
    "decision_to_issue": "decision to issue proceedings",
    "proceedings_issued": "issue of proceedings",
    "letter_of_issue": "letter of issue",
    "stepped_down": "step down",
    "fgdm_response": "answer to the family meeting offer",
    "fgdm_not_offered": "decision not to offer a family meeting",
    "hearing": "court hearing",
    "court_extension": "court extension",
    "proceedings_concluded": "end of proceedings",
}
COURT_TYPES = ("hearing", "court_extension", "proceedings_concluded")
PROCEEDINGS_WEEKS = 26
COURT_EXTENSION_WEEKS = 8
BEFORE_START_TYPES = (
    "letter_before_proceedings",
    "pre_proceedings_meeting",
    "review_meeting",
    "decision_to_issue",
)
AFTER_END_TYPES = frozenset(
    {
        "letter_before_proceedings",
        "pre_proceedings_meeting",
        "review_meeting",
        "fgc_referral",
        "extension_agreed",
        "decision_to_issue",
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule: which, how serious, a plain message, and where (case-relative)."""

    rule: str
    severity: str
    message: str
    path: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def key(self) -> tuple[str, str]:
        """What identifies the finding when the case is saved again (old vs new)."""
        return (self.rule, self.message)


def _what(event: Event) -> str:
    noun = NOUNS.get(event.type, event.type.replace("_", " "))
    if event.type == "extension_agreed":
        return f"the extension agreed on {short_date(event.date)}"
    if event.type == "proceedings_issued":
        return f"the issue of proceedings on {short_date(event.date)}"
    return f"the {noun} on {short_date(event.date)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Check:
    def __init__(self, case: CaseHistory) -> None:
        self.case = case
        # (index in the case's own list, event), earliest first; ties keep their order.
        self.events = sorted(enumerate(case.events), key=lambda pair: pair[1].date)
        self.found: list[Finding] = []

    def add(self, rule: str, message: str, path: str | None) -> None:
        severity = ERROR if rule in ERROR_RULES else WARNING
        self.found.append(Finding(rule, severity, message, path))

    def of(self, *types: str) -> list[tuple[int, Event]]:
        return [(i, e) for i, e in self.events if e.type in types]

    def first(self, *types: str) -> Event | None:
        found = self.of(*types)
        return found[0][1] if found else None


def check(case: CaseHistory) -> list[Finding]:
    """Every rule the case breaks, errors and warnings, in the order of the rules."""
    c = _Check(case)
    _conception(c)
    _ordering(c)
    _issue(c)
    _until(c)
    _court(c)
    _assessments(c)
    _warnings(c)
    order = {rule: n for n, rule in enumerate(RULES)}
    return sorted(c.found, key=lambda f: (order[f.rule], f.path or ""))


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.is_error]


def new_findings(before: Iterable[Finding], after: Iterable[Finding]) -> list[Finding]:
    """The findings of ``after`` that ``before`` did not have (what a change introduces)."""
    known = {f.key() for f in before}
    return [f for f in after if f.key() not in known]


# -- errors --------------------------------------------------------------------------------


def _conception(c: _Check) -> None:
    births = [
        d for child in c.case.children for d in (child.date_of_birth, child.expected_birth) if d
    ]
    if not births:
        return
    eldest = min(births)
    earliest = eldest - dt.timedelta(weeks=CONCEPTION_WEEKS)
    for index, event in c.events:
        if event.date < earliest:
            c.add(
                "before_conception",
                f"{_cap(_what(event))} is before this case could start: it is more than "
                f"{CONCEPTION_WEEKS} weeks before the eldest child's birth "
                f"({short_date(eldest)}).",
                f"events[{index}].date",
            )


# Steps that must not come before the first of another: (rule, the earlier step, the later
# steps, what the earlier one is called, the rest of the message after its date).
ORDER_RULES: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    (
        "before_legal_planning",
        "legal_planning_meeting",
        BEFORE_START_TYPES,
        "the case's first legal planning meeting",
        ". Nothing in pre-proceedings can happen before the legal planning meeting decides "
        "to start it.",
    ),
    (
        "meeting_before_letter",
        "letter_before_proceedings",
        ("pre_proceedings_meeting",),
        "the first letter before proceedings",
        ". The letter invites the family to that meeting, so it must come first.",
    ),
    (
        "review_before_first_meeting",
        "pre_proceedings_meeting",
        ("review_meeting",),
        "the first pre-proceedings meeting",
        ". A review looks again at the plan made at that meeting, so it must come after it.",
    ),
    (
        "fgdm_answer_before_letter",
        "letter_before_proceedings",
        ("fgdm_response",),
        "the first letter before proceedings",
        ", which must make the offer.",
    ),
)


def _ordering(c: _Check) -> None:
    for rule, earlier, later, called, why in ORDER_RULES:
        first = c.first(earlier)
        if first is None:
            continue
        for index, event in c.of(*later):
            if event.date < first.date:
                c.add(
                    rule,
                    f"{_cap(_what(event))} is before {called} ({short_date(first.date)}){why}",
                    f"events[{index}].date",
                )


def _issue(c: _Check) -> None:
    decisions = [e for _i, e in c.of("decision_to_issue")] + [
        e for _i, e in c.of("legal_planning_meeting") if e.outcome == "issue_proceedings"
    ]
    for index, event in c.of("proceedings_issued"):
        if not any(d.date <= event.date for d in decisions):
            c.add(
                "issue_without_decision",
                f"{_cap(_what(event))} has no decision to issue on or before it. Record the "
                "decision to issue (or the legal planning meeting that decided to issue) first.",
                f"events[{index}]",
            )
    first_issue = c.first("proceedings_issued")
    for index, event in c.of("letter_of_issue"):
        if first_issue is None:
            c.add(
                "letter_of_issue_before_issue",
                f"{_cap(_what(event))} says proceedings have started, but no issue of "
                "proceedings is recorded. Record the issue first.",
                f"events[{index}]",
            )
        elif event.date < first_issue.date:
            c.add(
                "letter_of_issue_before_issue",
                f"{_cap(_what(event))} is before proceedings were issued "
                f"({short_date(first_issue.date)}).",
                f"events[{index}].date",
            )


def _until(c: _Check) -> None:
    for index, event in c.events:
        if event.until is None:
            continue
        if event.type == "extension_agreed" and event.until <= event.date:
            c.add(
                "extension_ends_before_start",
                f"{_cap(_what(event))} runs until {short_date(event.until)}, which is not "
                "after the day it was agreed.",
                f"events[{index}].until",
            )
        elif event.type == "management_oversight" and event.until < event.date:
            c.add(
                "review_until_before_date",
                f"{_cap(_what(event))} accepts a delay until {short_date(event.until)}, "
                "which is before the review itself.",
                f"events[{index}].until",
            )


def _court(c: _Check) -> None:
    """Hearings, court extensions and the end of proceedings come after the issue; each
    court extension is of at most 8 weeks beyond the timetable it extends (a warning)."""
    first_issue = c.first("proceedings_issued")
    for index, event in c.of(*COURT_TYPES):
        if first_issue is None:
            c.add(
                "court_before_issue",
                f"{_cap(_what(event))} is recorded, but no issue of proceedings is. Record the "
                "issue first.",
                f"events[{index}]",
            )
        elif event.date < first_issue.date:
            c.add(
                "court_before_issue",
                f"{_cap(_what(event))} is before proceedings were issued "
                f"({short_date(first_issue.date)}).",
                f"events[{index}].date",
            )
    if first_issue is None:
        return
    end = first_issue.date + dt.timedelta(weeks=PROCEEDINGS_WEEKS)
    for index, event in c.of("court_extension"):
        if event.until is None:
            continue
        if event.until > end + dt.timedelta(weeks=COURT_EXTENSION_WEEKS):
            c.add(
                "court_extension_over_8_weeks",
                f"{_cap(_what(event))} runs until {short_date(event.until)}, more than "
                f"{COURT_EXTENSION_WEEKS} weeks after the timetable's end "
                f"({short_date(end)}).",
                f"events[{index}].until",
            )
        end = max(end, event.until)


def _assessments(c: _Check) -> None:
    for index, assessment in enumerate(c.case.assessments):
        name = f"The assessment \u201c{assessment.title}\u201d"
        if assessment.due < assessment.commissioned:
            c.add(
                "assessment_due_before_commissioned",
                f"{name} is due on {short_date(assessment.due)}, before it was commissioned "
                f"({short_date(assessment.commissioned)}).",
                f"assessments[{index}].due",
            )
        if assessment.completed is not None and assessment.completed < assessment.commissioned:
            c.add(
                "assessment_completed_before_commissioned",
                f"{name} is completed on {short_date(assessment.completed)}, before it was "
                f"commissioned ({short_date(assessment.commissioned)}).",
                f"assessments[{index}].completed",
            )


# -- warnings ------------------------------------------------------------------------------


def _warnings(c: _Check) -> None:
    steps = c.of(*BEFORE_START_TYPES)
    starts = [e for _i, e in c.of("legal_planning_meeting") if e.outcome in START_OUTCOMES]
    if steps and not starts:
        index, event = steps[0]
        c.add(
            "not_started",
            f"{_cap(_what(event))} is recorded, but no legal planning meeting decided to start "
            "pre-proceedings or to issue. Until one is recorded the case is not counted as "
            "started and no timescale is checked.",
            f"events[{index}]",
        )
    if c.first("letter_before_proceedings") is None:
        for index, event in c.of("pre_proceedings_meeting")[:1]:
            c.add(
                "meeting_without_letter",
                f"{_cap(_what(event))} is recorded, but no letter before proceedings is.",
                f"events[{index}]",
            )
    if c.first("pre_proceedings_meeting") is None:
        for index, event in c.of("review_meeting")[:1]:
            c.add(
                "review_without_meeting",
                f"{_cap(_what(event))} is recorded, but no pre-proceedings meeting is.",
                f"events[{index}]",
            )
    _after_end(c)
    first_referral = c.first("fgc_referral")
    if first_referral is not None:
        for index, event in c.of("fgc_held"):
            if event.date < first_referral.date:
                c.add(
                    "fgc_held_before_referral",
                    f"{_cap(_what(event))} is recorded as held before it was referred "
                    f"({short_date(first_referral.date)}).",
                    f"events[{index}].date",
                )
    first_meeting = c.first("pre_proceedings_meeting")
    for index, event in c.of("extension_agreed"):
        if first_meeting is None or event.date < first_meeting.date:
            c.add(
                "extension_before_first_meeting",
                f"{_cap(_what(event))} comes before the first pre-proceedings meeting; the "
                "usual length of pre-proceedings runs from that meeting.",
                f"events[{index}].date",
            )


def _after_end(c: _Check) -> None:
    ended: Event | None = None
    for index, event in c.events:
        if event.type == "legal_planning_meeting" and event.outcome in START_OUTCOMES:
            if ended is not None and event.date > ended.date:
                ended = None  # started again
            continue
        if event.type in END_TYPES:
            if ended is None:
                ended = event
            continue
        if ended is not None and event.type in AFTER_END_TYPES and event.date > ended.date:
            c.add(
                "after_end",
                f"{_cap(_what(event))} is after pre-proceedings ended ({_what(ended)}), with "
                "no new legal planning meeting in between.",
                f"events[{index}].date",
            )
