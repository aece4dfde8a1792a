"""Heading for PLO: the watch list of children who may need a legal planning meeting.

The domain reference's section 8, as pure functions of the children's child protection
plans (from the council's CIN census return), the cases holding them (matched by LA child
id), the policy and a date A ("as of"):

- ``cp_plan_long``: a CP plan is open; due at its start + ``cp_plan_watch_months``
  calendar months (default 9).
- ``repeat_cp_plan``: an open plan has NumberOfPreviousCPP >= 1 (a second or subsequent
  plan); due at its start + ``repeat_cp_plan_watch_weeks`` weeks (default 12).
- ``back_after_step_down``: a plan starts within ``step_down_watch_months`` (default 12)
  after a case holding the child stepped down; due at the plan's start.

Every item ends when a legal planning meeting (any outcome) of a case holding the child is
dated on or after the plan's start, or when the plan ends.

Choices where the reference leaves room:
- As of A, only what is dated on or before A counts: a plan that starts after A is not
  seen, a plan ending after A is open on A, a plan ending on A has ended; meetings and
  step-downs after A are not seen; reviews recorded after A are not seen.
- An item is on the list from its due date (A >= due) until it ends: before the due date
  the child is simply on a plan, which is not yet a reason to meet.
- A child with two open plans at once (a data problem the import lists) is judged on the
  later-starting one.
- "Calendar months" land on the same day of the month, or the month's last day when it has
  no such day (31 May + 9 months = 29 February in a leap year).
- The case shown with an item is the one holding the child with the latest legal planning
  meeting (else the latest step-down, else the last reference): the one a manager would open.
- A manager's review of an item carries ``reviewed`` while the item's due date is on or
  before the review's date and A <= its ``until`` (forever without one); it never hides it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plo_tracker.domain.dates import short_date
from plo_tracker.domain.model import CaseHistory
from plo_tracker.domain.policy import Policy

CP_PLAN_LONG = "cp_plan_long"
REPEAT_CP_PLAN = "repeat_cp_plan"
BACK_AFTER_STEP_DOWN = "back_after_step_down"

# What each rule means, in a sentence the window and the docs show.
RULES: dict[str, str] = {
    CP_PLAN_LONG: "A child has been on a child protection plan for {months} months and no "
    "legal planning meeting has been held since the plan started.",
    REPEAT_CP_PLAN: "A child on a second or later child protection plan has been on it for "
    "{weeks} weeks and no legal planning meeting has been held since it started.",
    BACK_AFTER_STEP_DOWN: "A child started a child protection plan within {step} months of "
    "a case holding them stepping down from pre-proceedings, and no legal planning meeting "
    "has been held since.",
}
TITLES: dict[str, str] = {
    CP_PLAN_LONG: "On a child protection plan a long time",
    REPEAT_CP_PLAN: "Second or later child protection plan",
    BACK_AFTER_STEP_DOWN: "Back on a plan after stepping down",
}
_ORDINALS = ("first", "second", "third", "fourth", "fifth")


@dataclass(frozen=True, slots=True)
class CpPlan:
    """One child protection plan from the return (``previous``: NumberOfPreviousCPP)."""

    la_child_id: str
    start: dt.date
    end: dt.date | None = None
    previous: int | None = None
    born: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ChildCase:
    """What the watch list needs of a case: the children it holds, its legal planning
    meetings and its step-downs (``case_facts`` makes one from a ``CaseHistory``)."""

    reference: str
    la_child_ids: frozenset[str]
    planning_meetings: tuple[dt.date, ...] = ()
    stepped_down: tuple[dt.date, ...] = ()
    team: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    la_child_id: str
    rule: str
    by: str
    on: dt.date
    until: dt.date | None = None
    rationale: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "on": self.on.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "rationale": self.rationale,
        }


@dataclass(frozen=True, slots=True)
class WatchItem:
    la_child_id: str
    rule: str
    since: dt.date  # the plan's start
    due: dt.date
    case: str | None
    message: str
    team: str | None = None
    reviewed: Review | None = field(default=None)

    def sort_key(self) -> tuple[str, str]:
        return (self.la_child_id, self.rule)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "la_child_id": self.la_child_id,
            "rule": self.rule,
            "since": self.since.isoformat(),
            "due": self.due.isoformat(),
            "case": self.case,
            "message": self.message,
        }
        if self.reviewed is not None:
            data["reviewed"] = self.reviewed.to_json()
        return data


def case_facts(history: CaseHistory) -> ChildCase:
    """The watch list's view of a case."""
    return ChildCase(
        reference=history.reference,
        la_child_ids=frozenset(c.la_child_id for c in history.children if c.la_child_id),
        planning_meetings=tuple(
            e.date for e in history.events if e.type == "legal_planning_meeting"
        ),
        stepped_down=tuple(e.date for e in history.events if e.type == "stepped_down"),
        team=history.team,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 if under one)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def open_plan(plans: Iterable[CpPlan], as_of: dt.date) -> CpPlan | None:
    """The child's plan open on ``as_of`` (the later-starting if two are)."""
    found = [p for p in plans if p.start <= as_of and (p.end is None or p.end > as_of)]
    return max(found, key=lambda p: p.start) if found else None


def _ordinal(previous: int) -> str:
    return _ORDINALS[previous] if previous < len(_ORDINALS) else f"{previous + 1}th"


def _since_text(la_id: str, plan: CpPlan) -> str:
    return f"{la_id} has been on a child protection plan since {short_date(plan.start)}"


NO_MEETING = "no legal planning meeting has been held since it started"


def _choose_case(cases: Sequence[ChildCase], as_of: dt.date) -> ChildCase | None:
    if not cases:
        return None

    def key(case: ChildCase) -> tuple[dt.date, dt.date, str]:
        meetings = [d for d in case.planning_meetings if d <= as_of]
        downs = [d for d in case.stepped_down if d <= as_of]
        return (max(meetings, default=dt.date.min), max(downs, default=dt.date.min), case.reference)

    return max(cases, key=key)


def evaluate_child(
    la_id: str,
    plans: Sequence[CpPlan],
    cases: Sequence[ChildCase],
    policy: Policy,
    as_of: dt.date,
) -> list[WatchItem]:
    """The watch items for one child as of ``as_of`` (without reviews)."""
    plan = open_plan(plans, as_of)
    if plan is None:
        return []
    for case in cases:
        if any(plan.start <= d <= as_of for d in case.planning_meetings):
            return []  # a legal planning meeting since the plan started ends every item
    chosen = _choose_case(cases, as_of)
    reference = chosen.reference if chosen else None
    team = chosen.team if chosen else None
    items: list[WatchItem] = []

    def add(rule: str, due: dt.date, message: str, case: ChildCase | None = None) -> None:
        if as_of >= due:
            ref, owner = (case.reference, case.team) if case else (reference, team)
            items.append(WatchItem(la_id, rule, plan.start, due, ref, message, owner))

    months = policy.cp_plan_watch_months
    due = add_months(plan.start, months)
    add(
        CP_PLAN_LONG,
        due,
        f"{_since_text(la_id, plan)} ({months} months on {short_date(due)}) and {NO_MEETING}",
    )
    if plan.previous is not None and plan.previous >= 1:
        weeks = policy.repeat_cp_plan_watch_weeks
        due = plan.start + dt.timedelta(weeks=weeks)
        add(
            REPEAT_CP_PLAN,
            due,
            f"{la_id} has been on a {_ordinal(plan.previous)} child protection plan since "
            f"{short_date(plan.start)} ({weeks} weeks on {short_date(due)}) and {NO_MEETING}",
        )
    window = policy.step_down_watch_months
    downs = [
        (d, case)
        for case in cases
        for d in case.stepped_down
        if d <= plan.start <= add_months(d, window) and d <= as_of
    ]
    if downs:
        down, case = max(downs, key=lambda pair: (pair[0], pair[1].reference))
        gap = _months_between(down, plan.start)
        after = f"{gap} month(s) after" if gap else "less than a month after"
        add(
            BACK_AFTER_STEP_DOWN,
            plan.start,
            f"{la_id} started a child protection plan on {short_date(plan.start)}, {after} "
            f"{case.reference} stepped down from pre-proceedings on {short_date(down)}, and "
            f"{NO_MEETING}",
            case,
        )
    return items


def _review_for(item: WatchItem, reviews: Sequence[Review], as_of: dt.date) -> Review | None:
    found = [
        r
        for r in reviews
        if r.rule == item.rule
        and item.due <= r.on <= as_of
        and (r.until is None or as_of <= r.until)
    ]
    return max(found, key=lambda r: r.on) if found else None


def evaluate(
    plans: Iterable[CpPlan],
    cases: Iterable[ChildCase],
    policy: Policy,
    as_of: dt.date,
    reviews: Iterable[Review] = (),
) -> list[WatchItem]:
    """The watch list as of ``as_of``, sorted by LA child id then rule."""
    by_child: dict[str, list[CpPlan]] = {}
    for plan in plans:
        if plan.start <= as_of:
            by_child.setdefault(plan.la_child_id, []).append(plan)
    holding: dict[str, list[ChildCase]] = {}
    for case in cases:
        for la_id in case.la_child_ids:
            if la_id in by_child:
                holding.setdefault(la_id, []).append(case)
    reviewed: dict[str, list[Review]] = {}
    for review in reviews:
        reviewed.setdefault(review.la_child_id, []).append(review)
    items: list[WatchItem] = []
    for la_id, child_plans in by_child.items():
        for item in evaluate_child(la_id, child_plans, holding.get(la_id, ()), policy, as_of):
            review = _review_for(item, reviewed.get(la_id, ()), as_of)
            items.append(item if review is None else _with_review(item, review))
    items.sort(key=WatchItem.sort_key)
    return items


def _with_review(item: WatchItem, review: Review) -> WatchItem:
    return WatchItem(
        item.la_child_id,
        item.rule,
        item.since,
        item.due,
        item.case,
        item.message,
        item.team,
        review,
    )


def explain(rule: str, policy: Policy) -> str:
    """The rule in a sentence, with the council's thresholds."""
    return RULES[rule].format(
        months=policy.cp_plan_watch_months,
        weeks=policy.repeat_cp_plan_watch_weeks,
        step=policy.step_down_watch_months,
    )


def counts_text(items: Sequence[WatchItem]) -> str:
    """'5 child(ren) heading for PLO (3 not reviewed)' for the start page and the list."""
    children = len({i.la_child_id for i in items})
    waiting = len({i.la_child_id for i in items if i.reviewed is None})
    if not children:
        return "No child is heading for PLO"
    return f"{children} child(ren) heading for PLO ({waiting} not reviewed)"


# -- the national indicators ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indicators:
    """The two national indicators for the imported children, as of a date."""

    open_plans: int
    repeat_plans: int  # open plans that are a second or subsequent plan
    long_plans: int  # open plans that have lasted 2 years or more
    started_in_year: int = 0
    repeat_started_in_year: int = 0


def indicators(
    plans: Iterable[CpPlan], as_of: dt.date, year_start: dt.date | None = None
) -> Indicators:
    """Open plans on ``as_of``, how many are second or later, how many have lasted 2 years
    or more; and of the plans started from ``year_start`` to ``as_of``, how many were
    second or later (the DfE's "second or subsequent" indicator counts plans started)."""
    open_count = repeat = long = started = repeat_started = 0
    for plan in plans:
        if plan.start > as_of:
            continue
        if plan.end is None or plan.end > as_of:
            open_count += 1
            if plan.previous:
                repeat += 1
            if add_months(plan.start, 24) <= as_of:
                long += 1
        if year_start is not None and year_start <= plan.start:
            started += 1
            if plan.previous:
                repeat_started += 1
    return Indicators(open_count, repeat, long, started, repeat_started)
