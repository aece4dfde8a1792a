"""The CIN census validation rules for the pre-proceedings module (9000Q to 9015Q).

Each check takes a record (``PreProceedingsRecord``) and the reporting year and returns
``Finding``s: the case, the child, the rule, its severity and a plain message saying what
to correct in PLO Tracker.  An **error** keeps the record out of the census file; a
**query** (a rule ending in Q, as the DfE names them) is reported and the record is
still written.  Besides the DfE's rules there are PLO Tracker's own: ``LAchildID`` (a
child without the council's child ID, or one ID on two different children: errors) and a
query for the data team (``immediate_issue``), and a query when one LA child ID is in two
cases running at the same time (``two_cases_at_once``: two different children given one ID?).

The rules as the specification gives them (``shared/domain/cin-census.md``):

=========  ================================================================================
9005       PPStartDate lies within the reporting year (and is given)
9006       LBPSentDate lies within the year and is not before PPStartDate
9007       LBPSentDate and FGDMMeetingOffer are given together (both or neither)
9008       InitialPPMeetingDate lies within the year
9009       StepDecisionDate lies within the year and is not before PPStartDate
9010Q      where FGDMMeetingOffer is 1, FGDMMeetingFac is given
9011       PPOutcome is given and is A, B or C
9012       CourtAppDate lies within the year and is not before StepDecisionDate
9013       LetterInitCPDate lies within the year and is not before CourtAppDate
9015Q      where InitialPPMeetingDate is given, ReviewMeetingsCount is given
9000Q      the return holds at least one PPStartDate
=========  ================================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plo_tracker.domain.dates import short_date
from plo_tracker.reports.census_records import (
    OUTCOME_LABELS,
    PP_OUTCOME_CODES,
    Finding,
    PreProceedingsRecord,
    ReportingYear,
)

ERROR = "error"
QUERY = "query"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str
    title: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("9005", ERROR, "PPStartDate lies within the reporting year"),
        Rule("9006", ERROR, "LBPSentDate lies within the year and is not before PPStartDate"),
        Rule("9007", ERROR, "LBPSentDate and FGDMMeetingOffer are given together"),
        Rule("9008", ERROR, "InitialPPMeetingDate lies within the reporting year"),
        Rule("9009", ERROR, "StepDecisionDate lies within the year and is not before PPStartDate"),
        Rule("9010Q", QUERY, "Where FGDMMeetingOffer is 1, FGDMMeetingFac is given"),
        Rule("9011", ERROR, "PPOutcome is given and is A, B or C"),
        Rule("9012", ERROR, "CourtAppDate lies within the year and is not before StepDecisionDate"),
        Rule("9013", ERROR, "LetterInitCPDate lies within the year and is not before CourtAppDate"),
        Rule("9015Q", QUERY, "Where InitialPPMeetingDate is given, ReviewMeetingsCount is given"),
        Rule("9000Q", QUERY, "The return holds at least one PPStartDate"),
        Rule("LAchildID", ERROR, "Every child has the council's own child ID, unique in the case"),
        Rule("immediate_issue", QUERY, "A case that went straight to court"),
        Rule("two_cases_at_once", QUERY, "One LA child ID in two cases running at once"),
    )
}


def _d(day: dt.date) -> str:
    return short_date(day)


def where(record: PreProceedingsRecord) -> str:
    """The case, and which episode when the case had more than one."""
    if record.episode == 1:
        return record.case
    started = f" (started {_d(record.pp_start_date)})" if record.pp_start_date else ""
    return f"{record.case}, episode {record.episode}{started}"


class _Checker:
    """Collects the findings of one record."""

    def __init__(self, record: PreProceedingsRecord, year: ReportingYear) -> None:
        self.record = record
        self.year = year
        self.found: list[Finding] = []

    def add(self, rule: str, element: str | None, message: str) -> None:
        r = self.record
        self.found.append(
            Finding(
                case=r.case,
                child_position=r.child_position,
                child_name=r.child_name,
                la_child_id=r.la_child_id,
                rule=rule,
                severity=RULES[rule].severity,
                element=element,
                message=f"{where(r)}: {message} (rule {rule}).",
                episode=r.episode,
                date=r.date_of(element),
            )
        )

    def outside_year(self, day: dt.date | None) -> bool:
        return day is not None and not self.year.contains(day)

    @property
    def year_text(self) -> str:
        return f"the reporting year ({_d(self.year.start)} to {_d(self.year.end)})"


def rule_9005(c: _Checker) -> None:
    start = c.record.pp_start_date
    if start is None:
        c.add(
            "9005",
            "PPStartDate",
            "no legal planning meeting deciding to start pre-proceedings is recorded, so the "
            "census has no PPStartDate; record that legal planning meeting (its date and the "
            "outcome 'pre-proceedings') in the case's events. PLO Tracker is stricter here than "
            "the DfE's validator, which lets a block without PPStartDate through: without it "
            "the block cannot be placed in the child's CIN episode",
        )
    elif start < c.year.start:
        c.add(
            "9005",
            "PPStartDate",
            f"pre-proceedings started on {_d(start)}, before {c.year_text}, and the census "
            "rejects a PPStartDate outside the year, so this episode is not written; if that "
            "date is right there is nothing to record in PLO Tracker and the data team decides "
            "how to report the episode, otherwise correct the legal planning meeting's date. "
            "The DfE's validator rejects such a block too; PLO Tracker leaves it out rather "
            "than put a block into the return that would fail",
        )
    elif start > c.year.end:
        c.add(
            "9005",
            "PPStartDate",
            f"pre-proceedings started on {_d(start)}, after {c.year_text}; correct the legal "
            "planning meeting's date if it is wrong",
        )


def rule_9006(c: _Checker) -> None:
    letter, start = c.record.lbp_sent_date, c.record.pp_start_date
    if letter is None:
        return
    if c.outside_year(letter):
        c.add(
            "9006",
            "LBPSentDate",
            f"the first letter before proceedings is dated {_d(letter)}, outside {c.year_text}; "
            "check the letter's date in the case's events",
        )
    if start is not None and letter < start:
        c.add(
            "9006",
            "LBPSentDate",
            f"the first letter before proceedings ({_d(letter)}) is dated before the legal "
            f"planning meeting that started pre-proceedings ({_d(start)}); correct the date of "
            "the letter or of the meeting",
        )


def rule_9007(c: _Checker) -> None:
    letter, offer = c.record.lbp_sent_date, c.record.fgdm_meeting_offer
    if letter is not None and offer is None:
        c.add(
            "9007",
            "FGDMMeetingOffer",
            "a letter before proceedings is recorded but not whether it offered a family group "
            "decision-making meeting; record the offer on the letter",
        )
    elif letter is None and offer is not None:
        c.add(
            "9007",
            "LBPSentDate",
            "a family group decision-making offer is given without the date of the letter "
            "before proceedings; record the letter and its date",
        )


def rule_9008(c: _Checker) -> None:
    meeting = c.record.initial_pp_meeting_date
    if c.outside_year(meeting):
        assert meeting is not None
        c.add(
            "9008",
            "InitialPPMeetingDate",
            f"the first pre-proceedings meeting is dated {_d(meeting)}, outside {c.year_text}; "
            "check the meeting's date",
        )


def rule_9009(c: _Checker) -> None:
    decision, start = c.record.step_decision_date, c.record.pp_start_date
    if decision is None:
        return
    if c.outside_year(decision):
        c.add(
            "9009",
            "StepDecisionDate",
            f"the decision to step down or to issue is dated {_d(decision)}, outside "
            f"{c.year_text}; check its date",
        )
    if start is not None and decision < start:
        c.add(
            "9009",
            "StepDecisionDate",
            f"the decision to step down or to issue ({_d(decision)}) is dated before the legal "
            f"planning meeting that started pre-proceedings ({_d(start)}); correct the date of "
            "the decision or of the meeting",
        )


def rule_9010q(c: _Checker) -> None:
    if c.record.fgdm_meeting_offer is True and c.record.fgdm_meeting_fac is None:
        c.add(
            "9010Q",
            "FGDMMeetingFac",
            "the letter offered a family group decision-making meeting but whether one was held "
            "is not given; record the family group conference (held or declined); the public "
            "validator treats this as an error",
        )


def rule_9011(c: _Checker) -> None:
    code = c.record.pp_outcome
    outcome = OUTCOME_LABELS.get(c.record.outcome, c.record.outcome)
    if code is None:
        c.add(
            "9011",
            "PPOutcome",
            f"there is no PPOutcome code for the outcome '{outcome}'; a team manager sets it "
            "under Census settings… (Reports, CIN census) or with "
            f"'plo-tracker census-settings set-outcome {c.record.outcome} CODE'",
        )
    elif code not in PP_OUTCOME_CODES:
        c.add(
            "9011",
            "PPOutcome",
            f"the PPOutcome code '{code[:10]}' is not one of {', '.join(PP_OUTCOME_CODES)}; "
            "correct the council's census settings",
        )


def rule_9012(c: _Checker) -> None:
    court, decision = c.record.court_app_date, c.record.step_decision_date
    if court is None:
        return
    if c.outside_year(court):
        c.add(
            "9012",
            "CourtAppDate",
            f"proceedings were issued on {_d(court)}, outside {c.year_text}; check the date "
            "proceedings were issued",
        )
    if decision is None:
        c.add(
            "9012",
            "StepDecisionDate",
            f"proceedings were issued on {_d(court)} but no decision to issue is recorded, so "
            "the census has no StepDecisionDate; record the decision to issue (or the legal "
            "planning meeting that decided it) with its date. PLO Tracker is stricter here "
            "than the DfE's validator, which only compares the two dates when both are given: "
            "an issue with no decision before it is a record with a step missing",
        )
    elif court < decision:
        c.add(
            "9012",
            "CourtAppDate",
            f"proceedings were issued on {_d(court)}, before the decision to issue on "
            f"{_d(decision)}; correct one of the two dates",
        )


def rule_9013(c: _Checker) -> None:
    letter, court = c.record.letter_init_cp_date, c.record.court_app_date
    if letter is None:
        return
    if c.outside_year(letter):
        c.add(
            "9013",
            "LetterInitCPDate",
            f"the letter of issue is dated {_d(letter)}, outside {c.year_text}; check its date",
        )
    if court is None:
        c.add(
            "9013",
            "CourtAppDate",
            f"a letter of issue is recorded ({_d(letter)}) but the case does not show "
            "proceedings issued; record the date proceedings were issued (or correct the "
            "letter). PLO Tracker is stricter here than the DfE's validator, which only compares "
            "the two dates when both are given: a letter saying proceedings have started needs "
            "the issue it tells parents about",
        )
    elif letter < court:
        c.add(
            "9013",
            "LetterInitCPDate",
            f"the letter of issue ({_d(letter)}) is dated before proceedings were issued "
            f"({_d(court)}); correct the date of the letter or of the issue",
        )


def rule_9015q(c: _Checker) -> None:
    if c.record.initial_pp_meeting_date is not None and c.record.review_meetings_count is None:
        c.add(
            "9015Q",
            "ReviewMeetingsCount",
            "a first pre-proceedings meeting is given without the number of review meetings "
            "(0 counts); the public validator treats this as an error",
        )


def rule_la_child_id(c: _Checker) -> None:
    if c.record.la_child_id is None:
        kind = "unborn child" if c.record.unborn else "child"
        c.add(
            "LAchildID",
            "LAchildID",
            f"{kind} {c.record.child_position} of the case ({c.record.child_name}) has no LA "
            "child ID, so the census cannot name them; add the council's child ID on the "
            "case's Children" + (" (unborn children are given one too)" if c.record.unborn else ""),
        )


def rule_immediate_issue(c: _Checker) -> None:
    if c.record.immediate_issue:
        c.add(
            "immediate_issue",
            "PPStartDate",
            "the legal planning meeting decided to issue proceedings at once, so there was no "
            "pre-proceedings; the record is written with that meeting as both PPStartDate and "
            "StepDecisionDate: the data team should check whether the DfE's guide wants "
            "immediate-issue children in this module",
        )


RECORD_CHECKS: tuple[Callable[[_Checker], None], ...] = (
    rule_la_child_id,
    rule_9005,
    rule_9006,
    rule_9007,
    rule_9008,
    rule_9009,
    rule_9010q,
    rule_9011,
    rule_9012,
    rule_9013,
    rule_9015q,
    rule_immediate_issue,
)


def check_record(
    record: PreProceedingsRecord, year: ReportingYear, *, check_outcome: bool = True
) -> list[Finding]:
    """Every rule one record breaks.  ``check_outcome=False`` skips 9011 (codes not set)."""
    checker = _Checker(record, year)
    if record.pp_start_date is not None and record.pp_start_date < year.start:
        # The episode cannot be reported as it stands: its other dates are beside the point.
        rule_la_child_id(checker)
        rule_9005(checker)
        return checker.found
    for check in RECORD_CHECKS:
        if check is rule_9011 and not check_outcome:
            continue
        check(checker)
    return checker.found


def _id_finding(record: PreProceedingsRecord, why: str, *, stricter: bool = False) -> Finding:
    return Finding(
        case=record.case,
        child_position=record.child_position,
        child_name=record.child_name,
        la_child_id=record.la_child_id,
        rule="LAchildID",
        severity=ERROR,
        element="LAchildID",
        episode=record.episode,
        message=(
            f"{where(record)}: child {record.child_position} ({record.child_name}) has the LA "
            f"child ID {record.la_child_id}, which {why}; correct the children's IDs"
            + (
                ". PLO Tracker is stricter here than the DfE's validator, which sees one "
                "return, not the cases behind it: one ID on two children with different dates "
                "of birth would merge two children's records"
                if stricter
                else ""
            )
            + " (rule LAchildID)."
        ),
    )


def check_duplicates(records: Sequence[PreProceedingsRecord]) -> list[Finding]:
    """One LA child ID on two different children: errors; in two cases at once: a query.

    Two children of one case (episode) with the same ID, or children of different cases
    with the same ID and different dates of birth, are errors.  The same child in two cases
    is allowed (the census gets two blocks for that child), but when the two cases run at
    the same time it is a query: two different children given one ID?
    """
    by_id: dict[str, list[PreProceedingsRecord]] = {}
    for record in records:
        if record.la_child_id is not None:
            by_id.setdefault(record.la_child_id, []).append(record)
    found: list[Finding] = []
    for record in records:
        if record.la_child_id is None:
            continue
        same_id = by_id[record.la_child_id]
        if len(same_id) == 1:
            continue
        if any(
            r is not record and (r.case, r.episode) == (record.case, record.episode)
            for r in same_id
        ):
            found.append(_id_finding(record, "another child of the case also has"))
            continue
        other_births = sorted(
            {
                r.case
                for r in same_id
                if record.date_of_birth is not None
                and r.date_of_birth is not None
                and r.date_of_birth != record.date_of_birth
            }
        )
        if other_births:
            found.append(
                _id_finding(
                    record,
                    f"a child with another date of birth has in {', '.join(other_births)}",
                    stricter=True,
                )
            )
            continue
        overlapping = sorted(
            {r.case for r in same_id if r.case != record.case and _overlap(r, record)}
        )
        if overlapping:
            found.append(
                Finding(
                    case=record.case,
                    child_position=record.child_position,
                    child_name=record.child_name,
                    la_child_id=record.la_child_id,
                    rule="two_cases_at_once",
                    severity=QUERY,
                    element="LAchildID",
                    episode=record.episode,
                    message=(
                        f"{where(record)}: child {record.child_position} "
                        f"({record.child_name}) has the LA child ID {record.la_child_id}, "
                        f"which is also in {', '.join(overlapping)} at the same time; the "
                        "census gives that child both blocks: if they are two different "
                        "children, correct the ID (rule two_cases_at_once)."
                    ),
                )
            )
    return found


def _overlap(a: PreProceedingsRecord, b: PreProceedingsRecord) -> bool:
    """Both episodes running on some day (an open episode runs on without end)."""
    if a.pp_start_date is None or b.pp_start_date is None:
        return False
    a_end = a.episode_end or dt.date.max
    b_end = b.episode_end or dt.date.max
    return a.pp_start_date <= b_end and b.pp_start_date <= a_end


def check_all(
    records: Sequence[PreProceedingsRecord], year: ReportingYear, *, check_outcome: bool = True
) -> list[Finding]:
    found: list[Finding] = []
    for record in records:
        found.extend(check_record(record, year, check_outcome=check_outcome))
    found.extend(check_duplicates(records))
    return found


def check_return(written: Sequence[PreProceedingsRecord]) -> list[Finding]:
    """9000Q: the return holds at least one PPStartDate."""
    if any(r.pp_start_date is not None for r in written):
        return []
    return [
        Finding(
            case=None,
            child_position=None,
            child_name=None,
            la_child_id=None,
            rule="9000Q",
            severity=QUERY,
            element="PPStartDate",
            message=(
                "The return holds no pre-proceedings episode (no PPStartDate) for the year "
                "(rule 9000Q): if the council had none, the data team explains why in the "
                "census return; otherwise check the findings above and the cases' records."
            ),
        )
    ]
