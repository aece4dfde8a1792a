"""The Standard Safeguarding Dataset's pre-proceedings extract (data-to-insight
``ssd_pre_proceedings``, items PREP001A-PREP024A; domain reference section 7).

``ssd_extract(cases, date_from, date_to, as_of)`` is a pure function: one row per child per
pre-proceedings period open at any time in the range (every period without a range), with
the SSD's field names in the SSD table's order, dates as DD/MM/YYYY and codes as its
guidance lists them. An item the record cannot give is blank, never guessed, and counted
with its reason (``SsdExtract.blanks``) for the command's summary. Choices (also in
docs/reports.md):

* A period is a case's pre-proceedings episode (``reports.episode``): from the legal
  planning meeting that started it to the issue or step-down. A period started by a
  decision to issue at once (legal gateway outcome C) is included, with no decision date
  to start pre-proceedings.
* Values are as of the end of the range (or today, if earlier): only events up to then.
* Codes are the guidance's letters (``B``, ``C``; plans ``A``-``G``, ``H`` for "not yet at
  final hearing - still in care proceedings") or its words (``Yes``/``No``/``Unknown``,
  ``Not in care proceedings``, ``Decision to Issue Care Proceedings``, ``Decision to step
  down``, ``No short notice applications``).
* Previous periods and proceedings (PREP009A, PREP010A) are counted from the record: the
  child's earlier periods in the same case and in other cases with the same council child
  ID. With none in the record the item is blank ("no earlier history"): the record cannot
  tell "none" from "before PLO Tracker was used".
* Parents' legal representation: the people who are a parent of the child or hold PR for
  it; "Yes" when every one of them has a solicitor recorded, "No" when one has none,
  "Unknown" with nobody recorded. Solicitors have no recorded start, so the point of issue
  uses the current solicitors.
* ``prep_cp_plans_referral_period`` (PREP007A): the child's child protection plans in the
  imported CIN census return (``plo-tracker cp-plans import``) that started on or before the
  end of the period. The return holds the plans of the child's referrals open in its year,
  so these are the plans of the referral period(s) it covers. Blank with no import, for a
  child without a council child ID, and for a child the return does not hold.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from plo_tracker.domain import family
from plo_tracker.domain.model import CaseHistory, Child, Event
from plo_tracker.domain.watch import CpPlan
from plo_tracker.reports.episode import Episode, episodes

# The SSD's fields, in its table's order (item refs PREP024A, then PREP001A-PREP023A).
SSD_FIELDS: tuple[str, ...] = (
    "prep_table_id",
    "prep_person_id",
    "prep_plo_family_id",
    "prep_pre_pro_decision_date",
    "prep_initial_pre_pro_meeting_date",
    "prep_pre_pro_outcome",
    "prep_agree_stepdown_issue_date",
    "prep_cp_plans_referral_period",
    "prep_legal_gateway_outcome",
    "prep_prev_pre_proc_child",
    "prep_prev_care_proc_child",
    "prep_pre_pro_letter_date",
    "prep_care_pro_letter_date",
    "prep_pre_pro_meetings_num",
    "prep_pre_pro_parents_legal_rep",
    "prep_parents_legal_rep_point_of_issue",
    "prep_court_reference",
    "prep_care_proc_court_hearings",
    "prep_care_proc_short_notice",
    "prep_proc_short_notice_reason",
    "prep_la_inital_plan_approved",  # sic: the SSD's own spelling
    "prep_la_initial_care_plan",
    "prep_la_final_plan_approved",
    "prep_la_final_care_plan",
)
ISSUE_OUTCOME = "Decision to Issue Care Proceedings"
STEP_DOWN_OUTCOME = "Decision to step down"
NOT_IN_PROCEEDINGS = "Not in care proceedings"
NO_SHORT_NOTICE = "No short notice applications"
NOT_AT_FINAL = "H"
GATEWAY_CODES = {"pre_proceedings": "B", "issue_proceedings": "C"}
PLAN_CODES = {
    "care_order": "A",
    "care_order_at_home": "B",
    "adoption": "C",
    "supervision_order": "D",
    "special_guardianship_order": "E",
    "private_law_order": "F",
    "other": "G",
}
SHORT_NOTICE_CODES = {"immediate_safety": "A", "emergency_protection": "B", "other": "C"}

# Why an item is blank (the summary's words).
NO_CHILD_ID = "no council child ID recorded"
NO_PRE_PROCEEDINGS = "went straight to court (no decision to start pre-proceedings)"
NO_MEETING = "no pre-proceedings meeting held"
STILL_OPEN = "still in pre-proceedings"
CP_PLANS = "child protection plans not imported (plo-tracker cp-plans import)"
NOT_IN_RETURN = "the child is not in the imported CIN return"
NO_HISTORY = "no earlier history"
NO_LETTER = "no letter before proceedings sent"
NO_ISSUE = "not in care proceedings"
NO_ISSUE_LETTER = "no letter of issue sent"
NO_COURT_REFERENCE = "no court reference recorded"
NO_SHORT_NOTICE_RECORD = "short notice not recorded"
NO_REASON = "short-notice reason not recorded"
NO_HEARING = "no hearing recorded yet"
NO_FIRST_PLAN = "the council's plan not recorded at the first hearing"
NO_FINAL = "no final hearing recorded"
NO_FINAL_PLAN = "the council's plan not recorded at the final hearing"


@dataclass(frozen=True, slots=True)
class SsdExtract:
    rows: tuple[dict[str, str], ...]
    blanks: dict[tuple[str, str], int] = field(default_factory=dict)

    def values(self) -> list[list[str]]:
        return [[row[name] for name in SSD_FIELDS] for row in self.rows]

    def summary(self) -> list[str]:
        """'prep_prev_care_proc_child blank for 41 rows: no earlier history', in field order."""
        order = {name: n for n, name in enumerate(SSD_FIELDS)}
        lines = []
        for (name, why), count in sorted(
            self.blanks.items(), key=lambda item: (order[item[0][0]], -item[1], item[0][1])
        ):
            lines.append(f"{name} blank for {count} row{'s' if count != 1 else ''}: {why}")
        return lines


def ssd_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def yes_no(value: bool | None) -> str:
    return "Unknown" if value is None else "Yes" if value else "No"


@dataclass(frozen=True, slots=True)
class _Period:
    case: CaseHistory
    episode: Episode
    start: dt.date

    @property
    def key(self) -> tuple[str, int]:
        return (self.case.reference, self.episode.number)


def _periods(case: CaseHistory, as_of: dt.date) -> list[_Period]:
    return [
        _Period(case, episode, episode.start.date)
        for episode in episodes(case, as_of)
        if episode.start is not None
    ]


def _in_range(period: _Period, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    end = period.episode.end
    if date_to is not None and period.start > date_to:
        return False
    return date_from is None or end is None or end.date >= date_from


def ssd_extract(
    cases: Iterable[CaseHistory],
    date_from: dt.date | None,
    date_to: dt.date | None,
    as_of: dt.date,
    cp_plans: Mapping[str, Sequence[CpPlan]] | None = None,
) -> SsdExtract:
    """The extract of the periods open at any time in the range (all without one).

    ``cp_plans``: the imported CP plans by council child ID (None: nothing imported)."""
    horizon = min(date_to, as_of) if date_to is not None else as_of
    all_cases = list(cases)
    periods = {c.reference: _periods(c, horizon) for c in all_cases}
    by_child_id: dict[str, list[_Period]] = {}
    for case in all_cases:
        ids = {child.la_child_id for child in case.children if child.la_child_id}
        for child_id in ids:
            by_child_id.setdefault(child_id, []).extend(periods[case.reference])
    rows: list[dict[str, str]] = []
    blanks: Counter[tuple[str, str]] = Counter()
    for case in sorted(all_cases, key=lambda c: c.reference):
        for period in periods[case.reference]:
            if not _in_range(period, date_from, date_to):
                continue
            for index, child in enumerate(case.children):
                earlier = _earlier(period, periods[case.reference], child, by_child_id)
                row, why = _row(period, child, index, earlier, cp_plans)
                rows.append(row)
                for name, reason in why.items():
                    blanks[(name, reason)] += 1
    return SsdExtract(rows=tuple(rows), blanks=dict(blanks))


def _earlier(
    period: _Period,
    own: Sequence[_Period],
    child: Child,
    by_child_id: dict[str, list[_Period]],
) -> list[_Period]:
    """The child's periods that started before this one: the case's own, and other cases'
    with the same council child ID."""
    candidates = {p.key: p for p in own}
    if child.la_child_id:
        candidates.update({p.key: p for p in by_child_id.get(child.la_child_id, [])})
    return [p for key, p in candidates.items() if key != period.key and p.start < period.start]


def _row(
    period: _Period,
    child: Child,
    index: int,
    earlier: list[_Period],
    cp_plans: Mapping[str, Sequence[CpPlan]] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    case, episode = period.case, period.episode
    start = episode.start
    assert start is not None
    limit = episode.limit
    end = episode.end
    row: dict[str, str] = dict.fromkeys(SSD_FIELDS, "")
    why: dict[str, str] = {}

    def put(name: str, value: str, reason: str) -> None:
        row[name] = value
        if not value:
            why[name] = reason

    child_part = child.key or str(index + 1)
    row["prep_table_id"] = f"{case.reference}/{child_part}/{episode.number}"
    put("prep_person_id", child.la_child_id or "", NO_CHILD_ID)
    row["prep_plo_family_id"] = case.reference
    pre = start.outcome == "pre_proceedings"
    put("prep_pre_pro_decision_date", ssd_date(start.date) if pre else "", NO_PRE_PROCEEDINGS)
    before_end = [e for e in episode.events if e.date <= limit]
    meetings = [e for e in before_end if e.type in ("pre_proceedings_meeting", "review_meeting")]
    first_meeting = next((e for e in meetings if e.type == "pre_proceedings_meeting"), None)
    put(
        "prep_initial_pre_pro_meeting_date",
        ssd_date(first_meeting.date if first_meeting else None),
        NO_MEETING,
    )
    decisions = [e for e in episode.decisions_to_issue() if e.date <= limit]
    if end is not None and end.type == "stepped_down":
        outcome, decided = STEP_DOWN_OUTCOME, end.date
    elif decisions or (end is not None and end.type == "proceedings_issued"):
        outcome = ISSUE_OUTCOME
        decided = decisions[0].date if decisions else end.date if end else None
    else:
        outcome, decided = "", None
    put("prep_pre_pro_outcome", outcome, STILL_OPEN)
    put("prep_agree_stepdown_issue_date", ssd_date(decided), STILL_OPEN)
    plans, no_plans = _plans_in_period(child, limit, cp_plans)
    put("prep_cp_plans_referral_period", plans, no_plans)
    row["prep_legal_gateway_outcome"] = GATEWAY_CODES.get(start.outcome or "", "D")
    earlier_issues = sum(
        1
        for p in earlier
        for e in p.episode.events
        if e.type == "proceedings_issued" and e.date < period.start
    )
    put("prep_prev_pre_proc_child", str(len(earlier)) if earlier else "", NO_HISTORY)
    put("prep_prev_care_proc_child", str(earlier_issues) if earlier_issues else "", NO_HISTORY)
    letter = next((e for e in before_end if e.type == "letter_before_proceedings"), None)
    put("prep_pre_pro_letter_date", ssd_date(letter.date if letter else None), NO_LETTER)
    row["prep_pre_pro_meetings_num"] = str(max(0, len(meetings) - 1))
    representation = _legal_rep(case, child)
    row["prep_pre_pro_parents_legal_rep"] = representation

    issued = end if end is not None and end.type == "proceedings_issued" else None
    _court_items(case, episode, issued, representation, put, row)
    return row, why


def _legal_rep(case: CaseHistory, child: Child) -> str:
    parents = []
    for party in case.parties:
        tie = family.tie_to(case, party, child)
        if tie is not None and tie.is_own:
            parents.append(party)
    if not parents:
        return "Unknown"
    return "Yes" if all(p.solicitor is not None for p in parents) else "No"


def _court_items(
    case: CaseHistory,
    episode: Episode,
    issued: Event | None,
    representation: str,
    put: Callable[[str, str, str], None],
    row: dict[str, str],
) -> None:
    if issued is None:
        put("prep_care_pro_letter_date", "", NO_ISSUE)
        row["prep_parents_legal_rep_point_of_issue"] = NOT_IN_PROCEEDINGS
        put("prep_court_reference", "", NO_ISSUE)
        put("prep_care_proc_court_hearings", "", NO_ISSUE)
        row["prep_care_proc_short_notice"] = NOT_IN_PROCEEDINGS
        row["prep_proc_short_notice_reason"] = NO_SHORT_NOTICE
        put("prep_la_inital_plan_approved", "", NO_ISSUE)
        row["prep_la_initial_care_plan"] = NOT_IN_PROCEEDINGS
        put("prep_la_final_plan_approved", "", NO_ISSUE)
        put("prep_la_final_care_plan", "", NO_ISSUE)
        return
    after = [e for e in episode.events if e.date >= issued.date]
    letter = next((e for e in after if e.type == "letter_of_issue"), None)
    put("prep_care_pro_letter_date", ssd_date(letter.date if letter else None), NO_ISSUE_LETTER)
    row["prep_parents_legal_rep_point_of_issue"] = representation
    put("prep_court_reference", case.court_reference or "", NO_COURT_REFERENCE)
    hearings = [e for e in after if e.type == "hearing"]
    row["prep_care_proc_court_hearings"] = str(len(hearings))
    row["prep_care_proc_short_notice"] = yes_no(issued.short_notice)
    if issued.short_notice is None:
        put("prep_proc_short_notice_reason", "", NO_SHORT_NOTICE_RECORD)
    elif issued.short_notice:
        reason = SHORT_NOTICE_CODES.get(issued.short_notice_reason or "", "")
        put("prep_proc_short_notice_reason", reason, NO_REASON)
    else:
        row["prep_proc_short_notice_reason"] = NO_SHORT_NOTICE
    first = hearings[0] if hearings else None
    if first is None:
        put("prep_la_inital_plan_approved", "", NO_HEARING)
        put("prep_la_initial_care_plan", "", NO_HEARING)
    else:
        row["prep_la_inital_plan_approved"] = yes_no(first.plan_approved)
        put("prep_la_initial_care_plan", PLAN_CODES.get(first.la_plan or "", ""), NO_FIRST_PLAN)
    finals = [e for e in hearings if e.kind == "final"]
    concluded = any(e.type == "proceedings_concluded" for e in after)
    if finals:
        final = finals[-1]
        row["prep_la_final_plan_approved"] = yes_no(final.plan_approved)
        put("prep_la_final_care_plan", PLAN_CODES.get(final.la_plan or "", ""), NO_FINAL_PLAN)
    else:
        put("prep_la_final_plan_approved", "", NO_FINAL)
        put("prep_la_final_care_plan", "" if concluded else NOT_AT_FINAL, NO_FINAL)


def _plans_in_period(
    child: Child, limit: dt.date, cp_plans: Mapping[str, Sequence[CpPlan]] | None
) -> tuple[str, str]:
    """PREP007A and, when blank, why: the child's imported plans started by ``limit``."""
    if cp_plans is None:
        return "", CP_PLANS
    if not child.la_child_id:
        return "", NO_CHILD_ID
    plans = cp_plans.get(child.la_child_id)
    if plans is None:
        return "", NOT_IN_RETURN
    return str(sum(1 for plan in plans if plan.start <= limit)), ""
