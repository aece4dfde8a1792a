"""The timeliness report's figures from the CP plans of the council's CIN return.

- ``cp_plan_to_meeting`` (every group): weeks from the start of the child's current child
  protection plan to the legal planning meeting that started the case, for the cases
  started in the range whose child was on a plan that day (median and range).  A case of
  several children counts the child who had been on a plan longest.
- Two national indicators (the council only), over the imported children:
  ``cp_repeat_plans``, CP plans started in the range that are a second or subsequent plan
  (NumberOfPreviousCPP >= 1), and ``cp_long_plans``, CP plans ended in the range that had
  lasted two years or more.  Their "cases" are LA child ids.

``with_cp_plans(report, histories, plans)`` adds them to a report made by
``timeliness.timeliness_report``; nothing else in the report changes.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import replace

from plo_tracker.domain.model import CaseHistory
from plo_tracker.domain.watch import CpPlan, add_months
from plo_tracker.reports.figures import Duration, Figure
from plo_tracker.reports.timeliness import GroupReport, TimelinessReport

TO_MEETING = "cp_plan_to_meeting"
REPEAT = "cp_repeat_plans"
LONG = "cp_long_plans"
TO_MEETING_LABEL = (
    "Weeks from the start of the child's current CP plan to the legal planning meeting"
)


def plan_on(plans: Iterable[CpPlan], day: dt.date) -> CpPlan | None:
    """The plan the child was on that day (the later-starting if two were open)."""
    found = [p for p in plans if p.start <= day and (p.end is None or p.end >= day)]
    return max(found, key=lambda p: p.start) if found else None


def weeks_to_meeting(
    histories: Iterable[CaseHistory], starts: dict[str, dt.date], plans: Sequence[CpPlan]
) -> dict[str, int]:
    """Days from the current CP plan's start to the case's start, by case reference."""
    by_child: dict[str, list[CpPlan]] = {}
    for plan in plans:
        by_child.setdefault(plan.la_child_id, []).append(plan)
    found: dict[str, int] = {}
    for history in histories:
        start = starts.get(history.reference)
        if start is None:
            continue
        days = [
            (start - plan.start).days
            for child in history.children
            if child.la_child_id
            and (plan := plan_on(by_child.get(child.la_child_id, ()), start)) is not None
        ]
        if days:
            found[history.reference] = max(days)
    return found


def to_meeting(references: Iterable[str], days: dict[str, int]) -> Duration:
    rows = sorted((days[r], r) for r in references if r in days)
    note = (
        "Cases started in the range whose child was on a child protection plan on the day "
        "of the meeting (from the CP plans imported from the council's CIN return)."
    )
    if not rows:
        return Duration(TO_MEETING, TO_MEETING_LABEL, (), None, None, None, note)
    shortest, longest = rows[0], rows[-1]
    return Duration(
        key=TO_MEETING,
        label=f"{TO_MEETING_LABEL} (range {round(shortest[0] / 7, 1)} to "
        f"{round(longest[0] / 7, 1)})",
        cases=tuple(sorted(r for _d, r in rows)),
        median_weeks=round(statistics.median(d for d, _r in rows) / 7, 1),
        longest_weeks=round(longest[0] / 7, 1),
        longest_case=longest[1],
        note=note,
    )


def indicators(plans: Sequence[CpPlan], date_from: dt.date, date_to: dt.date) -> list[Figure]:
    started = [p for p in plans if date_from <= p.start <= date_to and p.previous is not None]
    repeat = [p for p in started if p.previous]
    ended = [p for p in plans if p.end is not None and date_from <= p.end <= date_to]
    long = [p for p in ended if p.end is not None and add_months(p.start, 24) <= p.end]
    return [
        Figure(
            key=REPEAT,
            label="CP plans started that are a second or subsequent plan (national indicator)",
            count=len(repeat),
            denominator=len(started),
            unit="CP plans",
            cases=tuple(sorted({p.la_child_id for p in repeat})),
            shortfall=(),
            note="From the imported CIN return: plans started in the range with "
            "NumberOfPreviousCPP of 1 or more; the ids are LA child ids.",
        ),
        Figure(
            key=LONG,
            label="CP plans ended that had lasted 2 years or more (national indicator)",
            count=len(long),
            denominator=len(ended),
            unit="CP plans",
            cases=tuple(sorted({p.la_child_id for p in long})),
            note="From the imported CIN return: plans ended in the range; the ids are LA "
            "child ids.",
        ),
    ]


def _group(group: GroupReport, days: dict[str, int], extra: Sequence[Figure] = ()) -> GroupReport:
    references = group.figure("started").cases
    return replace(
        group,
        figures=(*group.figures, *extra),
        durations=(*group.durations, to_meeting(references, days)),
    )


def with_cp_plans(
    report: TimelinessReport, histories: Iterable[CaseHistory], plans: Sequence[CpPlan]
) -> TimelinessReport:
    """The report with the CP plan figures added (see the module's docstring)."""
    starts = {c.reference: c.start for c in report.cases}
    days = weeks_to_meeting(histories, starts, plans)
    return replace(
        report,
        council=_group(report.council, days, indicators(plans, report.date_from, report.date_to)),
        teams=tuple(_group(g, days) for g in report.teams),
        workers=tuple(_group(g, days) for g in report.workers),
    )
