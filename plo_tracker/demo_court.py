"""After issue in the demo data: care proceedings, hearings, extensions and final orders.

The demo's closed cases that went to court (``demo._ending``) get a court story: most
concluded (on time, or late after a court extension), and a few (the first ones only, so
large benchmark databases keep the same shape) still in proceedings, moved forward in
time as a whole so their issue is recent: one on time, one with a hearing not recorded,
one with the council's plan missing at the first hearing, one past 26 weeks. Each case's
story comes from its own random stream (seeded by its number), so the cases made before
are unchanged and the same seed and date still give the same cases.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from plo_tracker.domain.model import Booking, CaseHistory, Event
from plo_tracker.domain.working_days import WorkingCalendar

COURT = "Family Court, Telford"
# The first issued cases, in order; every later one is concluded (on time, or late).
SCENARIOS = (
    "in_proceedings",
    "concluded",
    "hearing_not_recorded",
    "concluded_late",
    "first_hearing_plan",
    "concluded",
    "week_26",
    "in_proceedings",
)
PLANS = (
    ("care_order", 35),
    ("special_guardianship_order", 20),
    ("adoption", 15),
    ("supervision_order", 15),
    ("care_order_at_home", 10),
    ("private_law_order", 5),
)
# How many weeks ago the issue is moved to, for the cases still in proceedings.
ISSUED_WEEKS_AGO = {
    "in_proceedings": (8, 20),
    "hearing_not_recorded": (12, 18),
    "first_hearing_plan": (3, 5),
    "week_26": (27, 29),
}


def court_stories(
    cases: list[CaseHistory], today: dt.date, cal: WorkingCalendar
) -> list[CaseHistory]:
    """The cases, with a court story for each closed case that went to court."""
    result: list[CaseHistory] = []
    issued_count = 0
    for case in cases:
        issue = next((e for e in case.events if e.type == "proceedings_issued"), None)
        if issue is None:
            result.append(case)
            continue
        scenario = SCENARIOS[issued_count] if issued_count < len(SCENARIOS) else "concluded"
        if scenario == "concluded" and issued_count % 4 == 3:
            scenario = "concluded_late"
        issued_count += 1
        rng = random.Random(f"court-{case.reference}")
        result.append(_story(case, issue, scenario, rng, today, cal))
    return result


def _plan(rng: random.Random) -> str:
    return rng.choices([p for p, _w in PLANS], weights=[w for _p, w in PLANS])[0]


def _story(
    case: CaseHistory,
    issue: Event,
    scenario: str,
    rng: random.Random,
    today: dt.date,
    cal: WorkingCalendar,
) -> CaseHistory:
    age_weeks = (today - issue.date).days // 7
    if scenario in ISSUED_WEEKS_AGO:
        low, high = ISSUED_WEEKS_AGO[scenario]
        target = rng.randint(low, high)
        if target > age_weeks:  # never moved back in time: an on-time case instead
            scenario, target = "in_proceedings", age_weeks
        case = _moved(case, 7 * (age_weeks - target))
        issue = next(e for e in case.events if e.type == "proceedings_issued")
        number = _number(case.reference)
        case = replace(case, reference=f"PLO-{issue.date.year}-{number:05d}")
    elif scenario == "concluded_late" and age_weeks < 31:
        scenario = "concluded"
    if scenario == "concluded" and age_weeks < 20:  # too recent to have concluded
        scenario = "in_proceedings"
    issued = issue.date

    def day(weeks: float) -> dt.date:
        found = issued + dt.timedelta(days=round(7 * weeks))
        return found if cal.is_working_day(found) else cal.add_working_days(found, 1)

    short = rng.random() < 0.2
    events = [e for e in case.events if e is not issue]
    events.append(
        replace(
            issue,
            short_notice=short,
            short_notice_reason=rng.choice(("immediate_safety", "emergency_protection"))
            if short
            else None,
        )
    )
    initial = _plan(rng)
    final_plan = initial if rng.random() < 0.7 else _plan(rng)
    cmh = day(rng.choice((2, 2.5, 3)))
    no_plan = scenario == "first_hearing_plan"
    events.append(
        Event(
            "hearing",
            cmh,
            kind="case_management",
            la_plan=None if no_plan else initial,
            plan_approved=None if no_plan else rng.random() < 0.85,
        )
    )
    bookings: list[Booking] = []

    def book(kind: str, when: dt.date) -> None:
        bookings.append(Booking("hearing", when, dt.time(10, 0), COURT, kind=kind))

    def held(kind: str, when: dt.date, plan: str | None = None) -> None:
        approved = None if plan is None else rng.random() < 0.85
        events.append(Event("hearing", when, kind=kind, la_plan=plan, plan_approved=approved))

    if scenario in ("concluded", "concluded_late"):
        if scenario == "concluded_late":
            events.append(Event("court_extension", day(25), until=day(33)))
            end = day(30)
        else:
            end = day(rng.randint(18, min(25, age_weeks - 1)))
        held("issues_resolution", end - dt.timedelta(weeks=5), final_plan)
        held("final", end, final_plan)
        order = final_plan if rng.random() < 0.85 else _plan(rng)
        events.append(Event("proceedings_concluded", end, order=order))
    elif scenario == "hearing_not_recorded":
        missed = cal.add_working_days(today, -rng.randint(3, 6))
        book("further_case_management", missed)
        book("final", day(24))
    elif scenario == "week_26":
        held("issues_resolution", day(20), final_plan)
        book("final", cal.add_working_days(today, 10))
    else:  # in proceedings, on time (or the plan missing at the first hearing)
        irh = day(18)
        if irh <= today:
            held("issues_resolution", irh, final_plan)
        else:
            book("issues_resolution", irh)
        book("final", max(day(24), cal.add_working_days(today, 5)))
    events = [e for e in events if e.date <= today]
    return replace(
        case,
        court_reference=f"ZZ{issued.year % 100:02d}C{_number(case.reference):05d}",
        events=tuple(sorted(events, key=lambda e: e.date)),
        scheduled=tuple(sorted(bookings, key=lambda b: b.date)),
    )


def _number(reference: str) -> int:
    digits = "".join(ch for ch in reference.split("-")[-1] if ch.isdigit())
    return int(digits or 0)


def _moved(case: CaseHistory, days: int) -> CaseHistory:
    """The whole case moved ``days`` later (whole weeks, so weekdays stay weekdays)."""
    if days <= 0:
        return case
    shift = dt.timedelta(days=days)

    def later(value: dt.date | None) -> dt.date | None:
        return None if value is None else value + shift

    return replace(
        case,
        events=tuple(replace(e, date=e.date + shift, until=later(e.until)) for e in case.events),
        assessments=tuple(
            replace(
                a,
                commissioned=a.commissioned + shift,
                due=a.due + shift,
                completed=later(a.completed),
            )
            for a in case.assessments
        ),
        plan_actions=tuple(
            replace(a, due=a.due + shift, completed=later(a.completed)) for a in case.plan_actions
        ),
    )
