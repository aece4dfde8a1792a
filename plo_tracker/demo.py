"""Realistic fictional cases for trying the app, training and benchmarks.

Every name, address and reference here is invented.  The same seed and date give
the same cases.  Open cases are spread over scenarios so that every drift rule
fires somewhere (overdue and due soon), and some cases are on time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from plo_tracker.demo_family import family_meetings_and_concerns, letter_stage_plan
from plo_tracker.demo_words import (
    ACTIONS,
    ASSESSMENTS,
    DEMO_COUNCIL,
    FIRMS,
    FIRST_NAMES_F,
    FIRST_NAMES_M,
    LEGAL,
    STREETS,
    SURNAMES,
    TEAMS,
    TOWNS,
    WORRIES,
)
from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Event,
    Party,
    PlanAction,
    Solicitor,
)
from plo_tracker.domain.working_days import WorkingCalendar

__all__ = [
    "ACTIONS",
    "ASSESSMENTS",
    "DEMO_COUNCIL",
    "FIRMS",
    "FIRST_NAMES_F",
    "FIRST_NAMES_M",
    "LEGAL",
    "MAX_CASES",
    "STREETS",
    "SURNAMES",
    "TEAMS",
    "TOWNS",
    "WORRIES",
    "demo_people",
    "generate",
    "make_case",
]

MAX_CASES = 50_000  # the most demo-data makes: the largest the benchmarks use

SCENARIOS = (
    "on_time",
    "letter_overdue",
    "letter_soon",
    "meeting_overdue",
    "review_overdue",
    "fgc_not_referred",
    "fgc_not_held",
    "duration_exceeded",
    "extended",
    "assessment_overdue",
    "action_overdue",
    "issue_overdue",
    "pre_birth",
    "oversight_overdue",
    "solicitor_missing",
    "reviewed_flag",
    "on_time",
    "review_soon",
)


@dataclass
class _Builder:
    rng: random.Random
    today: dt.date
    cal: WorkingCalendar
    events: list[Event] = field(default_factory=list)

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(day, n)

    def past(self, day: dt.date) -> dt.date:
        return min(day, self.today)


def _person(rng: random.Random, surname: str, female: bool) -> str:
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    return f"{first} {surname}"


def _address(rng: random.Random) -> tuple[str, ...]:
    town = rng.choice(TOWNS)
    inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLN')}{rng.choice('PQRSTUWXYZ')}"
    postcode = f"ZZ{rng.randint(1, 9)} {inward}"
    return (f"{rng.randint(1, 120)} {rng.choice(STREETS)}", town, postcode)


def _solicitor(rng: random.Random) -> Solicitor:
    firm = rng.choice(FIRMS)
    name = _person(rng, rng.choice(SURNAMES), rng.random() < 0.6)
    handle = name.split()[0][0].lower() + name.split()[1].lower().replace("'", "")
    return Solicitor(
        name=name,
        firm=firm,
        phone=f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        email=f"{handle}@{firm.split()[0].lower().strip(',')}.example.org",
    )


def _make_case(
    index: int,
    rng: random.Random,
    today: dt.date,
    cal: WorkingCalendar,
    scenario: str,
    year: int,
) -> CaseHistory:
    b = _Builder(rng, today, cal)
    surname = rng.choice(SURNAMES)
    team = rng.choice(list(TEAMS))
    manager, workers = TEAMS[team]
    worker = rng.choice(workers)
    unborn = scenario == "pre_birth" or (scenario == "on_time" and rng.random() < 0.15)

    # When the case started (legal planning meeting), by scenario.
    starts_ago = {
        "letter_overdue": rng.randint(9, 20),
        "letter_soon": rng.randint(0, 3),
        "meeting_overdue": rng.randint(22, 35),
        "fgc_not_referred": rng.randint(20, 40),
        "pre_birth": rng.randint(10, 25),
        "issue_overdue": rng.randint(60, 100),
        "duration_exceeded": rng.randint(150, 200),
        "extended": rng.randint(150, 180),
        "review_overdue": rng.randint(80, 110),
        "fgc_not_held": rng.randint(60, 90),
        "closed": rng.randint(200, 900),
    }.get(scenario, rng.randint(35, 70))
    start = today - dt.timedelta(days=starts_ago)
    while not cal.is_working_day(start):
        start -= dt.timedelta(days=1)

    children: list[Child] = []
    if unborn:
        expected = today + dt.timedelta(days=rng.randint(40, 90))
        if scenario == "pre_birth":
            expected = today + dt.timedelta(days=rng.randint(30, 65))
        children.append(
            Child(
                name=f"Baby {surname}",
                expected_birth=expected,
                la_child_id=f"LA{100000 + index * 4}",
            )
        )
    else:
        for n in range(rng.choice((1, 1, 2, 2, 3))):
            born = start - dt.timedelta(days=rng.randint(200, 5200))
            la_id = None if rng.random() < 0.04 else f"LA{100000 + index * 4 + n}"
            name = _person(rng, surname, rng.random() < 0.5)
            while any(c.name == name for c in children):  # siblings have different names
                name = _person(rng, surname, rng.random() < 0.5)
            children.append(
                Child(
                    name=name,
                    date_of_birth=born,
                    la_child_id=la_id,
                )
            )

    mother_surname = surname
    father_surname = surname if rng.random() < 0.6 else rng.choice(SURNAMES)
    parties = [
        Party(
            id="mother",
            name=_person(rng, mother_surname, True),
            relationship="mother",
            parental_responsibility=True,
            address=_address(rng),
            address_confidential=True if rng.random() < 0.15 else None,
            language=rng.choice((None, None, None, "Polish", "Urdu", "Welsh")),
            needs="Please read letters aloud with her" if rng.random() < 0.1 else None,
            solicitor=_solicitor(rng),
        )
    ]
    father_has_solicitor = scenario != "solicitor_missing" and rng.random() < 0.85
    if rng.random() < 0.8 or scenario == "solicitor_missing":
        parties.append(
            Party(
                id="father",
                name=_person(rng, father_surname, False),
                relationship="father",
                parental_responsibility=True,
                address=_address(rng),
                solicitor=_solicitor(rng) if father_has_solicitor else None,
            )
        )
    if rng.random() < 0.25:
        parties.append(
            Party(
                id="grandmother",
                name=_person(rng, mother_surname, True),
                relationship="maternal grandmother",
                parental_responsibility=False,
                address=_address(rng),
            )
        )
    pr_parties = [p for p in parties if p.parental_responsibility]
    if scenario != "solicitor_missing":
        # Everyone with PR has a solicitor in the other scenarios.
        parties = [
            p
            if (not p.parental_responsibility or p.solicitor)
            else Party(
                **{
                    **{
                        f: getattr(p, f)
                        for f in (
                            "id",
                            "name",
                            "relationship",
                            "parental_responsibility",
                            "address",
                            "address_confidential",
                            "language",
                            "needs",
                        )
                    },
                    "solicitor": _solicitor(rng),
                }
            )
            for p in parties
        ]
        pr_parties = [p for p in parties if p.parental_responsibility]

    ev = b.events
    outcome = (
        "issue_proceedings"
        if scenario == "issue_overdue" and rng.random() < 0.5
        else ("pre_proceedings")
    )
    ev.append(Event("legal_planning_meeting", start, outcome=outcome))
    assessments: list[Assessment] = []
    actions: list[PlanAction] = []
    scheduled: list[Booking] = []

    def add(event: Event) -> bool:
        if event.date <= today:
            ev.append(event)
            return True
        return False

    def oversight(day: dt.date, rationale: str, **kw: object) -> None:
        add(Event("management_oversight", day, decided_by=manager, rationale=rationale, **kw))

    if scenario in ("letter_overdue", "letter_soon") or outcome == "issue_proceedings":
        if outcome == "issue_proceedings":
            oversight(
                b.wd(start, 1), "Risk too high for pre-proceedings; application being drafted."
            )
        return _finish(
            index,
            year,
            team,
            worker,
            manager,
            children,
            parties,
            ev,
            assessments,
            actions,
            scheduled,
            rng,
        )

    letter_day = b.wd(start, rng.randint(1, 4))
    for party in pr_parties:
        add(
            Event(
                "letter_before_proceedings",
                letter_day,
                party=party.id,
                fgdm_offered=True if rng.random() < 0.7 else None,
            )
        )

    if scenario != "fgc_not_referred":
        referral = b.wd(letter_day, rng.randint(1, 6))
        if scenario == "fgc_not_held":
            add(Event("fgc_referral", referral))
        elif rng.random() < 0.15:
            add(
                Event(
                    "fgc_declined",
                    referral,
                    reason="The family said they did not want a family group conference.",
                )
            )
        else:
            add(Event("fgc_referral", referral))
            held = referral + dt.timedelta(days=rng.randint(14, 38))
            add(Event("fgc_held", held))

    stop_before_meeting = scenario == "meeting_overdue" or (
        scenario == "fgc_not_referred" and rng.random() < 0.5
    )
    if stop_before_meeting:
        return _finish(
            index,
            year,
            team,
            worker,
            manager,
            children,
            parties,
            ev,
            assessments,
            actions,
            scheduled,
            rng,
        )
    if scenario == "pre_birth":
        scheduled.append(
            Booking(
                "pre_proceedings_meeting",
                today + dt.timedelta(days=9),
                dt.time(10, 0),
                "Family Centre, Room 2, Ludlow",
            )
        )
        return _finish(
            index,
            year,
            team,
            worker,
            manager,
            children,
            parties,
            ev,
            assessments,
            actions,
            scheduled,
            rng,
        )

    meeting = b.wd(letter_day, rng.randint(4, 9))
    if meeting > today:
        scheduled.append(
            Booking("pre_proceedings_meeting", meeting, dt.time(10, 0), "Shirehall, Meeting Room 3")
        )
        return _finish(
            index,
            year,
            team,
            worker,
            manager,
            children,
            parties,
            ev,
            assessments,
            actions,
            scheduled,
            rng,
        )
    add(Event("pre_proceedings_meeting", meeting))
    oversight(b.wd(meeting, rng.randint(1, 5)), "Plan agreed at the meeting; assessments booked.")

    # Assessments and plan actions agreed at the meeting.
    for title in rng.sample(ASSESSMENTS, rng.randint(1, 3)):
        commissioned = b.wd(meeting, rng.randint(0, 5))
        if commissioned > today:
            continue
        due = commissioned + dt.timedelta(weeks=rng.randint(6, 10))
        completed = None
        if due < today and scenario != "assessment_overdue":
            completed = min(today, due - dt.timedelta(days=rng.randint(0, 6)))
            if completed < commissioned:
                completed = commissioned
        if scenario == "assessment_overdue" and not assessments:
            due = today - dt.timedelta(days=rng.randint(5, 25))
            if due < commissioned:
                due = commissioned
        assessments.append(Assessment(title, commissioned, due, completed))
    for n, (what, support) in enumerate(rng.sample(ACTIONS, rng.randint(2, 4))):
        party = rng.choice(pr_parties).id if rng.random() < 0.8 else None
        due = meeting + dt.timedelta(weeks=rng.randint(3, 12))
        completed = None
        if due < today and not (scenario == "action_overdue" and n == 0):
            completed = min(today, due - dt.timedelta(days=rng.randint(0, 10)))
        actions.append(PlanAction(what, due, party=party, support=support, completed=completed))

    # Reviews every six weeks or so.
    last = meeting
    review_gap = 6 * 7
    while True:
        next_review = last + dt.timedelta(days=rng.randint(review_gap - 7, review_gap - 1))
        if scenario == "review_soon" and next_review > today - dt.timedelta(days=8):
            break
        if next_review > today or scenario == "review_overdue":
            break
        add(Event("review_meeting", next_review))
        oversight(b.wd(next_review, 1), "Reviewed progress with the social worker.")
        last = next_review
    if scenario == "review_overdue":
        oversight(today - dt.timedelta(days=rng.randint(3, 20)), "Discussed in supervision.")
    if scenario not in ("review_overdue",):
        upcoming = last + dt.timedelta(weeks=6)
        if upcoming > today:
            scheduled.append(
                Booking(
                    "review_meeting",
                    upcoming,
                    dt.time(rng.choice((10, 11, 14))),
                    rng.choice(
                        (
                            "Shirehall, Meeting Room 3",
                            "Ludlow Library, meeting room 1",
                            "Video call (link sent by email)",
                        )
                    ),
                )
            )

    if scenario == "extended":
        ext_day = meeting + dt.timedelta(weeks=15)
        if ext_day <= today:
            add(
                Event(
                    "extension_agreed",
                    ext_day,
                    until=today + dt.timedelta(weeks=4),
                    decided_by=manager,
                    rationale="Parenting assessment needs four more weeks; progress is good.",
                )
            )
    if scenario == "issue_overdue":
        add(
            Event(
                "decision_to_issue",
                today - dt.timedelta(days=rng.randint(9, 20)),
                decided_by=manager,
            )
        )
    if scenario == "oversight_overdue":
        ev[:] = [
            e
            for e in ev
            if e.type != "management_oversight" or e.date < today - dt.timedelta(weeks=6)
        ]
    if scenario == "reviewed_flag":
        overdue = [a for a in actions if a.completed is None and a.due < today]
        if not overdue and actions:
            first = actions[0]
            due = min(today - dt.timedelta(days=10), first.due)
            if due < meeting:
                due = meeting
            actions[0] = PlanAction(first.action, due, party=first.party, support=first.support)
        if actions:
            oversight(
                today - dt.timedelta(days=2),
                "The course was cancelled by the provider; the delay is accepted.",
                rule="action_overdue",
                until=today + dt.timedelta(weeks=3),
            )
    return _finish(
        index,
        year,
        team,
        worker,
        manager,
        children,
        parties,
        ev,
        assessments,
        actions,
        scheduled,
        rng,
    )


MEETING_TYPES = frozenset({"pre_proceedings_meeting", "review_meeting", "fgc_held"})


def make_case(
    index: int,
    rng: random.Random,
    today: dt.date,
    cal: WorkingCalendar,
    scenario: str,
    year: int,
) -> CaseHistory:
    """One fictional case; meetings fall on working days, as real ones do."""
    case = _make_case(index, rng, today, cal, scenario, year)

    def back(day: dt.date) -> dt.date:
        return day if cal.is_working_day(day) else cal.add_working_days(day, -1)

    def forward(day: dt.date) -> dt.date:
        return day if cal.is_working_day(day) else cal.add_working_days(day, 1)

    events = tuple(
        replace(e, date=back(e.date)) if e.type in MEETING_TYPES else e for e in case.events
    )
    scheduled = tuple(replace(b, date=forward(b.date)) for b in case.scheduled)
    case = replace(case, events=tuple(sorted(events, key=lambda e: e.date)), scheduled=scheduled)
    case = family_meetings_and_concerns(case, index, today, cal, scenario)
    return letter_stage_plan(case, index, today, cal, scenario)


def _finish(
    index: int,
    year: int,
    team: str,
    worker: str,
    manager: str,
    children: list[Child],
    parties: list[Party],
    events: list[Event],
    assessments: list[Assessment],
    actions: list[PlanAction],
    scheduled: list[Booking],
    rng: random.Random,
) -> CaseHistory:
    return CaseHistory(
        reference=f"PLO-{year}-{index:05d}",
        team=team,
        social_worker=worker,
        team_manager=manager,
        legal_liaison=rng.choice(LEGAL),
        children=tuple(children),
        parties=tuple(parties),
        events=tuple(sorted(events, key=lambda e: e.date)),
        assessments=tuple(assessments),
        plan_actions=tuple(actions),
        scheduled=tuple(scheduled),
    )


def _closed_case(
    index: int, rng: random.Random, today: dt.date, cal: WorkingCalendar
) -> CaseHistory:
    case = make_case(
        index, rng, today - dt.timedelta(days=rng.randint(120, 800)), cal, "on_time", 0
    )
    last = max(e.date for e in case.events)
    end_day = last + dt.timedelta(days=rng.randint(3, 20))
    end_day = min(end_day, today)
    if rng.random() < 0.6:
        end = Event(
            "stepped_down",
            end_day,
            to=rng.choice(
                ("child_protection", "child_protection", "child_in_need", "no_further_action")
            ),
        )
        extra: tuple[Event, ...] = (end,)
    else:
        extra = (
            Event("decision_to_issue", end_day, decided_by=case.team_manager or "Manager"),
            Event("proceedings_issued", min(today, cal.add_working_days(end_day, 3))),
        )
        pr = [p for p in case.parties if p.parental_responsibility]
        extra += tuple(
            Event("letter_of_issue", min(today, cal.add_working_days(end_day, 4)), party=p.id)
            for p in pr
        )
    children = tuple(
        Child(
            name=f"{rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)} {c.name.split()[-1]}",
            date_of_birth=c.expected_birth,
            la_child_id=c.la_child_id,
        )
        if c.expected_birth is not None and c.expected_birth <= today
        else c
        for c in case.children
    )
    actions = tuple(
        a
        if a.completed is not None or a.due > end_day
        else PlanAction(a.action, a.due, party=a.party, support=a.support, completed=a.due)
        for a in case.plan_actions
    )
    return CaseHistory(
        reference=f"PLO-{end_day.year}-{index:05d}",
        team=case.team,
        social_worker=case.social_worker,
        team_manager=case.team_manager,
        legal_liaison=case.legal_liaison,
        children=children,
        parties=case.parties,
        events=tuple(sorted((*case.events, *extra), key=lambda e: e.date)),
        assessments=case.assessments,
        plan_actions=actions,
        scheduled=(),
        concerns=case.concerns,
    )


def generate(
    count: int,
    *,
    today: dt.date,
    calendar: WorkingCalendar | None = None,
    seed: int = 2024,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseHistory]:
    """``count`` fictional cases as of ``today``: a mix of open (drifting or not) and closed."""
    rng = random.Random(seed)
    cal = calendar or WorkingCalendar()
    open_share = 0.6 if count <= 200 else 0.1
    open_count = max(1, round(count * open_share)) if count else 0
    cases: list[CaseHistory] = []
    for index in range(1, count + 1):
        if index <= open_count:
            scenario = SCENARIOS[(index - 1) % len(SCENARIOS)]
            cases.append(make_case(index, rng, today, cal, scenario, today.year))
        else:
            cases.append(_closed_case(index, rng, today, cal))
        if progress is not None and index % 500 == 0:
            progress(index, count)
    return cases


def demo_people() -> list[tuple[str, str, str, str | None]]:
    """(user name, display name, role, team) for the staff named in the demo cases."""
    people: list[tuple[str, str, str, str | None]] = []
    for team, (manager, workers) in TEAMS.items():
        people.append((_username(manager), manager, "team_manager", team))
        people.extend((_username(w), w, "social_worker", team) for w in workers)
    people.extend((_username(name), name, "legal_liaison", None) for name in LEGAL)
    return people


def _username(name: str) -> str:
    return name.lower().replace(" ", ".")
