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

from plo_tracker.demo_court import court_stories
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

PRE_BIRTH_ROOM = "Family Centre, Room 2, Ludlow"
MEETING_ROOM = "Shirehall, Meeting Room 3"
REVIEW_PLACES = (MEETING_ROOM, "Ludlow Library, meeting room 1", "Video call (link sent by email)")


@dataclass
class _Draft:
    """One case being made: what is settled so far, and the random stream deciding the rest.

    Every part of a case is one function below, called in the order a case runs (and the
    random stream is read in that order, so a seed always gives the same cases).
    """

    index: int
    year: int
    rng: random.Random
    today: dt.date
    cal: WorkingCalendar
    scenario: str
    surname: str = ""
    team: str = ""
    manager: str = ""
    worker: str = ""
    children: list[Child] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    scheduled: list[Booking] = field(default_factory=list)

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(day, n)

    @property
    def with_pr(self) -> list[Party]:
        return [p for p in self.parties if p.parental_responsibility]

    def add(self, event: Event) -> bool:
        """Record what has happened by today (a later date has not happened yet)."""
        if event.date <= self.today:
            self.events.append(event)
            return True
        return False

    def oversight(self, day: dt.date, rationale: str, **kw: object) -> None:
        self.add(
            Event("management_oversight", day, decided_by=self.manager, rationale=rationale, **kw)
        )

    def case(self) -> CaseHistory:
        """The finished case (the legal liaison officer is chosen last)."""
        return CaseHistory(
            reference=f"PLO-{self.year}-{self.index:05d}",
            team=self.team,
            social_worker=self.worker,
            team_manager=self.manager,
            legal_liaison=self.rng.choice(LEGAL),
            children=tuple(self.children),
            parties=tuple(self.parties),
            events=tuple(sorted(self.events, key=lambda e: e.date)),
            assessments=tuple(self.assessments),
            plan_actions=tuple(self.actions),
            scheduled=tuple(self.scheduled),
        )


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
    """The case's story up to today; each scenario stops it where its drift begins."""
    d = _Draft(index, year, rng, today, cal, scenario)
    _family_and_staff(d)
    unborn = scenario == "pre_birth" or (scenario == "on_time" and rng.random() < 0.15)
    start = _start_day(d)
    d.children = _unborn_child(d) if unborn else _children(d, start)
    d.parties = _parties(d)
    outcome = _legal_planning_meeting(d, start)
    if scenario in ("letter_overdue", "letter_soon") or outcome == "issue_proceedings":
        return d.case()
    letter_day = _letters_before_proceedings(d, start)
    _family_group_conference(d, letter_day)
    stop_before_meeting = scenario == "meeting_overdue" or (
        scenario == "fgc_not_referred" and rng.random() < 0.5
    )
    if stop_before_meeting:
        return d.case()
    if scenario == "pre_birth":
        _book(d, "pre_proceedings_meeting", today + dt.timedelta(days=9), 10, PRE_BIRTH_ROOM)
        return d.case()
    meeting = d.wd(letter_day, rng.randint(4, 9))
    if meeting > today:
        _book(d, "pre_proceedings_meeting", meeting, 10, MEETING_ROOM)
        return d.case()
    d.add(Event("pre_proceedings_meeting", meeting))
    d.oversight(d.wd(meeting, rng.randint(1, 5)), "Plan agreed at the meeting; assessments booked.")
    _assessments(d, meeting)
    _plan_actions(d, meeting)
    _reviews(d, meeting)
    _extension_and_decision(d, meeting)
    _drift_the_scenario_needs(d, meeting)
    return d.case()


def _family_and_staff(d: _Draft) -> None:
    """The family's surname, and the team, its manager and the social worker."""
    d.surname = d.rng.choice(SURNAMES)
    d.team = d.rng.choice(list(TEAMS))
    d.manager, workers = TEAMS[d.team]
    d.worker = d.rng.choice(workers)


def _start_day(d: _Draft) -> dt.date:
    """When the case started (the legal planning meeting): how long ago, by scenario."""
    rng = d.rng
    starts_ago = {  # every draw is made whatever the scenario, as the seed's stream expects
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
    }.get(d.scenario, rng.randint(35, 70))
    start = d.today - dt.timedelta(days=starts_ago)
    while not d.cal.is_working_day(start):
        start -= dt.timedelta(days=1)
    return start


def _unborn_child(d: _Draft) -> list[Child]:
    expected = d.today + dt.timedelta(days=d.rng.randint(40, 90))
    if d.scenario == "pre_birth":
        expected = d.today + dt.timedelta(days=d.rng.randint(30, 65))
    return [Child(name=f"Baby {d.surname}", expected_birth=expected, la_child_id=_la_id(d, 0))]


def _la_id(d: _Draft, number: int) -> str:
    return f"LA{100000 + d.index * 4 + number}"


def _children(d: _Draft, start: dt.date) -> list[Child]:
    """One to three children, born before the case started; siblings have different names."""
    rng = d.rng
    children: list[Child] = []
    for n in range(rng.choice((1, 1, 2, 2, 3))):
        born = start - dt.timedelta(days=rng.randint(200, 5200))
        la_id = None if rng.random() < 0.04 else _la_id(d, n)
        name = _person(rng, d.surname, rng.random() < 0.5)
        while any(c.name == name for c in children):
            name = _person(rng, d.surname, rng.random() < 0.5)
        children.append(Child(name=name, date_of_birth=born, la_child_id=la_id))
    return children


def _parties(d: _Draft) -> list[Party]:
    """The mother, often the father, sometimes a grandmother; solicitors for those with PR."""
    rng, scenario = d.rng, d.scenario
    father_surname = d.surname if rng.random() < 0.6 else rng.choice(SURNAMES)
    parties = [
        Party(
            id="mother",
            name=_person(rng, d.surname, True),
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
                name=_person(rng, d.surname, True),
                relationship="maternal grandmother",
                parental_responsibility=False,
                address=_address(rng),
            )
        )
    if scenario == "solicitor_missing":
        return parties
    # Everyone with PR has a solicitor in the other scenarios.
    return [
        p if not p.parental_responsibility or p.solicitor else replace(p, solicitor=_solicitor(rng))
        for p in parties
    ]


def _legal_planning_meeting(d: _Draft, start: dt.date) -> str:
    """Pre-proceedings, or (some cases waiting to issue) straight to court, with the reason."""
    issue = d.scenario == "issue_overdue" and d.rng.random() < 0.5
    outcome = "issue_proceedings" if issue else "pre_proceedings"
    d.events.append(Event("legal_planning_meeting", start, outcome=outcome))
    if issue:
        d.oversight(d.wd(start, 1), "Risk too high for pre-proceedings; application being drafted.")
    return outcome


def _letters_before_proceedings(d: _Draft, start: dt.date) -> dt.date:
    """A letter to each person with PR, a few working days after the start."""
    letter_day = d.wd(start, d.rng.randint(1, 4))
    for party in d.with_pr:
        offered = True if d.rng.random() < 0.7 else None
        d.add(Event("letter_before_proceedings", letter_day, party=party.id, fgdm_offered=offered))
    return letter_day


def _family_group_conference(d: _Draft, letter_day: dt.date) -> None:
    """Referred (and often held), declined by the family, or (a scenario) never referred."""
    if d.scenario == "fgc_not_referred":
        return
    rng = d.rng
    referral = d.wd(letter_day, rng.randint(1, 6))
    if d.scenario == "fgc_not_held":
        d.add(Event("fgc_referral", referral))
    elif rng.random() < 0.15:
        reason = "The family said they did not want a family group conference."
        d.add(Event("fgc_declined", referral, reason=reason))
    else:
        d.add(Event("fgc_referral", referral))
        d.add(Event("fgc_held", referral + dt.timedelta(days=rng.randint(14, 38))))


def _book(d: _Draft, kind: str, day: dt.date, hour: int, place: str) -> None:
    d.scheduled.append(Booking(kind, day, dt.time(hour, 0), place))


def _assessments(d: _Draft, meeting: dt.date) -> None:
    """One to three assessments commissioned after the meeting, most done by their due date."""
    rng, today, overdue = d.rng, d.today, d.scenario == "assessment_overdue"
    for title in rng.sample(ASSESSMENTS, rng.randint(1, 3)):
        commissioned = d.wd(meeting, rng.randint(0, 5))
        if commissioned > today:
            continue
        due = commissioned + dt.timedelta(weeks=rng.randint(6, 10))
        completed = None
        if due < today and not overdue:
            completed = max(commissioned, min(today, due - dt.timedelta(days=rng.randint(0, 6))))
        if overdue and not d.assessments:
            due = max(commissioned, today - dt.timedelta(days=rng.randint(5, 25)))
        d.assessments.append(Assessment(title, commissioned, due, completed))


def _plan_actions(d: _Draft, meeting: dt.date) -> None:
    """Two to four plan actions, most for one parent, done by their due date but one."""
    rng, today = d.rng, d.today
    for n, (what, support) in enumerate(rng.sample(ACTIONS, rng.randint(2, 4))):
        party = rng.choice(d.with_pr).id if rng.random() < 0.8 else None
        due = meeting + dt.timedelta(weeks=rng.randint(3, 12))
        completed = None
        if due < today and not (d.scenario == "action_overdue" and n == 0):
            completed = min(today, due - dt.timedelta(days=rng.randint(0, 10)))
        d.actions.append(PlanAction(what, due, party=party, support=support, completed=completed))


def _reviews(d: _Draft, meeting: dt.date) -> None:
    """Reviews every six weeks or so, each with the manager's oversight; the next one booked."""
    rng, today, scenario = d.rng, d.today, d.scenario
    last = meeting
    review_gap = 6 * 7
    while True:
        next_review = last + dt.timedelta(days=rng.randint(review_gap - 7, review_gap - 1))
        if scenario == "review_soon" and next_review > today - dt.timedelta(days=8):
            break
        if next_review > today or scenario == "review_overdue":
            break
        d.add(Event("review_meeting", next_review))
        d.oversight(d.wd(next_review, 1), "Reviewed progress with the social worker.")
        last = next_review
    if scenario == "review_overdue":
        d.oversight(today - dt.timedelta(days=rng.randint(3, 20)), "Discussed in supervision.")
        return
    upcoming = last + dt.timedelta(weeks=6)
    if upcoming > today:
        hour = rng.choice((10, 11, 14))
        _book(d, "review_meeting", upcoming, hour, rng.choice(REVIEW_PLACES))


def _extension_and_decision(d: _Draft, meeting: dt.date) -> None:
    """An extension agreed (scenario "extended"), or a decision to issue (issue_overdue)."""
    today = d.today
    if d.scenario == "extended":
        d.add(
            Event(
                "extension_agreed",
                meeting + dt.timedelta(weeks=15),
                until=today + dt.timedelta(weeks=4),
                decided_by=d.manager,
                rationale="Parenting assessment needs four more weeks; progress is good.",
            )
        )
    if d.scenario == "issue_overdue":
        decided = today - dt.timedelta(days=d.rng.randint(9, 20))
        d.add(Event("decision_to_issue", decided, decided_by=d.manager))


def _drift_the_scenario_needs(d: _Draft, meeting: dt.date) -> None:
    """No recent oversight (oversight_overdue); an overdue action reviewed (reviewed_flag)."""
    today = d.today
    if d.scenario == "oversight_overdue":
        recent = today - dt.timedelta(weeks=6)
        d.events[:] = [e for e in d.events if e.type != "management_oversight" or e.date < recent]
    if d.scenario != "reviewed_flag" or not d.actions:
        return
    if not any(a.completed is None and a.due < today for a in d.actions):
        first = d.actions[0]
        due = max(meeting, min(today - dt.timedelta(days=10), first.due))
        d.actions[0] = PlanAction(first.action, due, party=first.party, support=first.support)
    d.oversight(
        today - dt.timedelta(days=2),
        "The course was cancelled by the provider; the delay is accepted.",
        rule="action_overdue",
        until=today + dt.timedelta(weeks=3),
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


def _closed_case(
    index: int, rng: random.Random, today: dt.date, cal: WorkingCalendar
) -> CaseHistory:
    """A case that ran on time months or years ago, then stepped down or went to court."""
    case = make_case(
        index, rng, today - dt.timedelta(days=rng.randint(120, 800)), cal, "on_time", 0
    )
    last = max(e.date for e in case.events)
    end_day = min(last + dt.timedelta(days=rng.randint(3, 20)), today)
    ending = _ending(case, end_day, rng, today, cal)
    return replace(
        case,
        reference=f"PLO-{end_day.year}-{index:05d}",
        children=_born_by(case.children, rng, today),
        events=tuple(sorted((*case.events, *ending), key=lambda e: e.date)),
        plan_actions=_done_by(case.plan_actions, end_day),
        scheduled=(),
    )


def _ending(
    case: CaseHistory, end_day: dt.date, rng: random.Random, today: dt.date, cal: WorkingCalendar
) -> tuple[Event, ...]:
    """Stepped down (most), or a decision to issue, the application and its letters."""
    if rng.random() < 0.6:
        to = rng.choice(
            ("child_protection", "child_protection", "child_in_need", "no_further_action")
        )
        return (Event("stepped_down", end_day, to=to),)
    issued = (
        Event("decision_to_issue", end_day, decided_by=case.team_manager or "Manager"),
        Event("proceedings_issued", min(today, cal.add_working_days(end_day, 3))),
    )
    letters_day = min(today, cal.add_working_days(end_day, 4))
    pr = [p for p in case.parties if p.parental_responsibility]
    return issued + tuple(Event("letter_of_issue", letters_day, party=p.id) for p in pr)


def _born_by(children: tuple[Child, ...], rng: random.Random, today: dt.date) -> tuple[Child, ...]:
    """A baby expected by today has been born, and named."""
    return tuple(
        Child(
            name=f"{rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)} {c.name.split()[-1]}",
            date_of_birth=c.expected_birth,
            la_child_id=c.la_child_id,
        )
        if c.expected_birth is not None and c.expected_birth <= today
        else c
        for c in children
    )


def _done_by(actions: tuple[PlanAction, ...], end_day: dt.date) -> tuple[PlanAction, ...]:
    """Plan actions due before the end were done by their due date."""
    return tuple(
        a
        if a.completed is not None or a.due > end_day
        else PlanAction(a.action, a.due, party=a.party, support=a.support, completed=a.due)
        for a in actions
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
    return court_stories(cases, today, cal)


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
