"""The timeliness report: how promptly each step of pre-proceedings happened.

``timeliness_report(cases, policy, calendar, date_from, date_to, as_of)`` is a pure
function.  Its population is the **cohort** of cases that *started* between the two dates
(both included); every figure is about those cases, following them up to the end of the
range (or ``as_of``, if earlier: the report never treats a step as missed before its due
date has passed in real time).  The choices are documented in ``docs/reports.md``.

Every figure carries its count, its denominator, its percentage and the case references
behind it (``cases``: behind the count; ``shortfall``: in the denominator but not the
count; ``excluded``: in the population but not counted, e.g. a step not yet due).
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plo_tracker.domain.drift import weeks_after
from plo_tracker.domain.model import STEP_DOWN_TO, CaseHistory
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.court_figures import CourtFacts, court_duration, court_facts, court_figures
from plo_tracker.reports.episode import Episode
from plo_tracker.reports.fgdm import Fgdm, fgdm_facts, fgdm_figures
from plo_tracker.reports.figures import RATE, SHARE, Duration, Figure, refs  # noqa: F401

# The status of one timed step (a letter, a first meeting, a review).
ON_TIME = "on_time"
LATE = "late"  # done, after its due date
MISSED = "missed"  # not done, and its due date passed while the case was open
NOT_YET_DUE = "not_yet_due"  # not done, the case is open and the due date has not passed
NOT_APPLICABLE = "not_applicable"  # the step did not apply (immediate issue, ended before due)
STATUS_LABELS: dict[str, str] = {
    ON_TIME: "on time",
    LATE: "late",
    MISSED: "not done, overdue",
    NOT_YET_DUE: "not yet due",
    NOT_APPLICABLE: "not applicable",
}

# FGC progress of a case (the most advanced wins: held beats declined beats referred).
FGC_HELD = "held"
FGC_DECLINED = "declined"
FGC_REFERRED = "referred"
FGC_NONE = "none"

# Outcomes: the stepped_down ``to`` values, proceedings issued, still open.
ISSUED = "proceedings_issued"
OPEN = "open"
OUTCOMES: tuple[str, ...] = (*STEP_DOWN_TO, ISSUED, OPEN)
OUTCOME_LABELS: dict[str, str] = {
    "child_protection": "Stepped down to a child protection plan",
    "child_in_need": "Stepped down to a child in need plan",
    "no_further_action": "Stepped down with no further action",
    ISSUED: "Proceedings issued",
    OPEN: "Still open at the end of the range",
}
assert set(OUTCOME_LABELS) == set(OUTCOMES)

NO_TEAM = "(no team)"
NO_WORKER = "(no social worker)"
COUNCIL = "council"
TEAM = "team"
WORKER = "worker"


@dataclass(frozen=True, slots=True)
class Step:
    """One timed step of a case: when it was done, when it was due, and the verdict."""

    done: dt.date | None
    due: dt.date | None
    status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "done": self.done.isoformat() if self.done else None,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class ReviewCheck:
    """One review interval: the meeting it follows, its due date, the next meeting."""

    after: dt.date
    due: dt.date
    held: dt.date | None
    status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "after": self.after.isoformat(),
            "due": self.due.isoformat(),
            "held": self.held.isoformat() if self.held else None,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class CaseTimeliness:
    """Everything the report says about one case (the desktop client's per-case detail)."""

    reference: str
    team: str
    social_worker: str
    start: dt.date
    start_outcome: str
    letter: Step
    first_meeting: Step
    reviews: tuple[ReviewCheck, ...]
    fgc: str
    extensions: int
    outcome: str
    end: dt.date | None
    days: int
    fgdm: Fgdm | None = None
    court: CourtFacts | None = None

    @property
    def weeks(self) -> float:
        """Days from the start to the end (or the end of the range) in weeks, one decimal."""
        return round(self.days / 7, 1)

    @property
    def reviews_on_time(self) -> int:
        return sum(1 for r in self.reviews if r.status == ON_TIME)

    @property
    def reviews_late(self) -> int:
        return sum(1 for r in self.reviews if r.status != ON_TIME)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "team": self.team,
            "social_worker": self.social_worker,
            "start": self.start.isoformat(),
            "start_outcome": self.start_outcome,
            "letter": self.letter.to_json(),
            "first_meeting": self.first_meeting.to_json(),
            "reviews": [r.to_json() for r in self.reviews],
            "reviews_on_time": self.reviews_on_time,
            "reviews_late": self.reviews_late,
            "fgc": self.fgc,
            "extensions": self.extensions,
            "outcome": self.outcome,
            "end": self.end.isoformat() if self.end else None,
            "days": self.days,
            "weeks": self.weeks,
            "fgdm": self.fgdm.to_json() if self.fgdm else None,
            "court": self.court.to_json() if self.court else None,
        }


@dataclass(frozen=True, slots=True)
class GroupReport:
    """The figures of one group: the whole council, one team, or one social worker."""

    kind: str
    name: str
    figures: tuple[Figure, ...]
    durations: tuple[Duration, ...]
    teams: tuple[str, ...] = ()

    def figure(self, key: str) -> Figure:
        for item in self.figures:
            if item.key == key:
                return item
        raise KeyError(key)

    def duration(self, key: str) -> Duration:
        for item in self.durations:
            if item.key == key:
                return item
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": self.name}
        if self.kind == WORKER:
            data["teams"] = list(self.teams)
        data["figures"] = [f.to_json() for f in self.figures]
        data["durations"] = [d.to_json() for d in self.durations]
        return data


@dataclass(frozen=True, slots=True)
class TimelinessReport:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    policy: Policy
    council: GroupReport
    teams: tuple[GroupReport, ...]
    workers: tuple[GroupReport, ...]
    cases: tuple[CaseTimeliness, ...] = field(default=())

    def case(self, reference: str) -> CaseTimeliness:
        for item in self.cases:
            if item.reference == reference:
                return item
        raise KeyError(reference)

    def series(self, key: str, by: str = TEAM) -> list[tuple[str, float | None]]:
        """(group name, percentage) of one figure for each team (or worker): chart data."""
        groups = self.teams if by == TEAM else self.workers
        return [(g.name, g.figure(key).percentage) for g in groups]

    def to_json(self) -> dict[str, Any]:
        return {
            "report": "timeliness",
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "as_of": self.as_of.isoformat(),
            "policy": {
                "letter_due_working_days": self.policy.letter_due_working_days,
                "first_meeting_working_days": self.policy.first_meeting_working_days,
                "review_weeks": self.policy.review_weeks,
            },
            "council": self.council.to_json(),
            "teams": [g.to_json() for g in self.teams],
            "workers": [g.to_json() for g in self.workers],
            "cases": [c.to_json() for c in self.cases],
        }


# -- one case ------------------------------------------------------------------------------


def _step(done: dt.date | None, due: dt.date, limit: dt.date, ended: bool) -> Step:
    """The verdict on a step due on ``due``; ``limit`` is the case's end (or the as-of date)."""
    if done is not None:
        return Step(done, due, ON_TIME if done <= due else LATE)
    if due < limit:
        return Step(None, due, MISSED)
    return Step(None, due, NOT_APPLICABLE if ended else NOT_YET_DUE)


def _reviews(
    episode: Episode, first_meeting: dt.date, weeks: int, limit: dt.date
) -> tuple[ReviewCheck, ...]:
    days = sorted(
        {
            e.date
            for e in episode.all("pre_proceedings_meeting", "review_meeting")
            if first_meeting <= e.date <= limit
        }
    )
    checks: list[ReviewCheck] = []
    for before, after in itertools.pairwise(days):
        due = weeks_after(before, weeks)
        checks.append(ReviewCheck(before, due, after, ON_TIME if after <= due else LATE))
    due = weeks_after(days[-1], weeks)
    if due < limit:
        checks.append(ReviewCheck(days[-1], due, None, MISSED))
    return tuple(checks)


def case_timeliness(
    case: CaseHistory, policy: Policy, calendar: WorkingCalendar, as_of: dt.date
) -> CaseTimeliness | None:
    """The report's view of one case as of a date; None if it has not started by then."""
    episode = Episode(case, as_of)
    start = episode.start
    if start is None:
        return None
    ended = episode.end is not None
    limit = episode.limit
    first_letter = episode.first("letter_before_proceedings")
    first_meeting = episode.first("pre_proceedings_meeting")

    if start.outcome == "pre_proceedings":
        due = calendar.add_working_days(start.date, policy.letter_due_working_days)
        letter = _step(first_letter.date if first_letter else None, due, limit, ended)
    else:  # immediate issue: no letter before proceedings is expected
        letter = Step(first_letter.date if first_letter else None, None, NOT_APPLICABLE)

    if first_letter is not None:
        due = calendar.add_working_days(first_letter.date, policy.first_meeting_working_days)
        meeting = _step(first_meeting.date if first_meeting else None, due, limit, ended)
    else:
        meeting = Step(first_meeting.date if first_meeting else None, None, NOT_APPLICABLE)

    reviews: tuple[ReviewCheck, ...] = ()
    if first_meeting is not None and first_meeting.date <= limit:
        reviews = _reviews(episode, first_meeting.date, policy.review_weeks, limit)

    if episode.has("fgc_held"):
        fgc = FGC_HELD
    elif episode.has("fgc_declined"):
        fgc = FGC_DECLINED
    elif episode.has("fgc_referral"):
        fgc = FGC_REFERRED
    else:
        fgc = FGC_NONE

    if episode.end is None:
        outcome = OPEN
    elif episode.end.type == "stepped_down":
        outcome = episode.end.to if episode.end.to in STEP_DOWN_TO else "no_further_action"
    else:
        outcome = ISSUED

    return CaseTimeliness(
        fgdm=fgdm_facts(episode),
        court=court_facts(episode),
        reference=case.reference,
        team=case.team or NO_TEAM,
        social_worker=case.social_worker or NO_WORKER,
        start=start.date,
        start_outcome=start.outcome or "",
        letter=letter,
        first_meeting=meeting,
        reviews=reviews,
        fgc=fgc,
        extensions=len(episode.all("extension_agreed")),
        outcome=outcome,
        end=episode.end.date if episode.end else None,
        days=max(0, (limit - start.date).days),
    )


# -- groups ----------------------------------------------------------------------------------


def _refs(rows: Iterable[CaseTimeliness]) -> tuple[str, ...]:
    return refs(rows)


def _step_figure(
    key: str, label: str, rows: Sequence[CaseTimeliness], pick: str, note: str
) -> Figure:
    steps = [(r, r.letter if pick == "letter" else r.first_meeting) for r in rows]
    steps = [(r, s) for r, s in steps if s.due is not None]  # the population
    on_time = [r for r, s in steps if s.status == ON_TIME]
    short = [r for r, s in steps if s.status in (LATE, MISSED)]
    not_counted = [r for r, s in steps if s.status in (NOT_YET_DUE, NOT_APPLICABLE)]
    return Figure(
        key=key,
        label=label,
        count=len(on_time),
        denominator=len(on_time) + len(short),
        cases=_refs(on_time),
        shortfall=_refs(short),
        excluded=_refs(not_counted),
        note=note,
    )


def _share(key: str, label: str, part: Sequence[CaseTimeliness], whole: int) -> Figure:
    return Figure(key, label, len(part), whole, kind=SHARE, cases=_refs(part))


def _duration(key: str, label: str, rows: Sequence[CaseTimeliness], note: str) -> Duration:
    if not rows:
        return Duration(key, label, (), None, None, None, note)
    days = [r.days for r in rows]
    longest = max(rows, key=lambda r: (r.days, r.reference))
    return Duration(
        key=key,
        label=label,
        cases=_refs(rows),
        median_weeks=round(statistics.median(days) / 7, 1),
        longest_weeks=longest.weeks,
        longest_case=longest.reference,
        note=note,
    )


def group_report(
    kind: str,
    name: str,
    rows: Sequence[CaseTimeliness],
    policy: Policy,
    council_started: int,
    teams: tuple[str, ...] = (),
) -> GroupReport:
    started = len(rows)
    pre = [r for r in rows if r.start_outcome == "pre_proceedings"]
    immediate = [r for r in rows if r.start_outcome != "pre_proceedings"]

    review_rows = [r for r in rows if r.reviews]
    reviews_due = sum(len(r.reviews) for r in rows)
    reviews_on_time = sum(r.reviews_on_time for r in rows)

    lettered = [r for r in rows if r.letter.done is not None]
    fgc_any = [r for r in rows if r.fgc != FGC_NONE]
    fgc_after_letter = [r for r in lettered if r.fgc != FGC_NONE]
    held = [r for r in fgc_any if r.fgc == FGC_HELD]
    declined = [r for r in fgc_any if r.fgc == FGC_DECLINED]
    waiting = [r for r in fgc_any if r.fgc == FGC_REFERRED]

    extended = [r for r in rows if r.extensions]
    stepped_down = [r for r in rows if r.outcome in STEP_DOWN_TO]

    figures = [
        _share(
            "started",
            "Cases started" if kind == COUNCIL else "Cases started (share of the council's)",
            rows,
            council_started,
        ),
        _share("started_pre_proceedings", "Started in pre-proceedings", pre, started),
        _share(
            "started_immediate_issue", "Started with a decision to issue now", immediate, started
        ),
        _step_figure(
            "letter_on_time",
            f"Letter before proceedings within {policy.letter_due_working_days} working days "
            "of the start",
            pre,
            "letter",
            "Cases started in pre-proceedings whose letter was due by the end of the range "
            "(or was sent); late or not sent are the shortfall.",
        ),
        _step_figure(
            "first_meeting_on_time",
            f"First meeting within {policy.first_meeting_working_days} working days of the "
            "first letter",
            rows,
            "meeting",
            "Cases with a letter sent whose first meeting was due by the end of the range "
            "(or was held).",
        ),
        Figure(
            key="reviews_on_time",
            label=f"Reviews held within {policy.review_weeks} weeks of the previous meeting",
            count=reviews_on_time,
            denominator=reviews_due,
            unit="reviews",
            cases=_refs(r for r in review_rows if r.reviews_on_time),
            shortfall=_refs(r for r in review_rows if r.reviews_late),
            shortfall_label="a review late or not held",
            note="Counted in reviews: every gap between meetings, and a review due before "
            "the case ended (or the end of the range) but not held.",
        ),
        Figure(
            key="fgc_activity",
            label="Cases with a letter sent and an FGC referred, held or declined",
            count=len(fgc_after_letter),
            denominator=len(lettered),
            cases=_refs(fgc_after_letter),
            shortfall=_refs(r for r in lettered if r.fgc == FGC_NONE),
            shortfall_label="no FGC referred, held or declined",
        ),
        _share(
            "fgc_held",
            "FGC held (of cases with an FGC referred, held or declined)",
            held,
            len(fgc_any),
        ),
        _share(
            "fgc_declined",
            "FGC declined (of cases with an FGC referred, held or declined)",
            declined,
            len(fgc_any),
        ),
        Figure(
            key="fgc_held_or_declined",
            label="FGC held or declined (of cases with an FGC referred, held or declined)",
            count=len(held) + len(declined),
            denominator=len(fgc_any),
            cases=_refs([*held, *declined]),
            shortfall=_refs(waiting),
            shortfall_label="referred, still waiting",
            note="The shortfall is referred and still waiting at the end of the range.",
        ),
        *(fgdm_figures(rows, policy.fgdm_duty_from) if policy.fgdm_duty_from is not None else []),
        _share("extensions", "Cases with an extension agreed", extended, started),
        _share("stepped_down", "Stepped down", stepped_down, started),
    ]
    court_rows = court_figures(rows, policy)
    for outcome in OUTCOMES:
        figures.append(
            _share(
                f"outcome_{outcome}",
                OUTCOME_LABELS[outcome],
                [r for r in rows if r.outcome == outcome],
                started,
            )
        )
    figures.extend(court_rows)
    durations = (
        _duration(
            "duration_ended",
            "Length of cases that ended (start to step-down or issue)",
            [r for r in pre if r.outcome != OPEN],
            "Weeks from the legal planning meeting that started pre-proceedings to the "
            "step-down or issue; cases that went straight to court are left out.",
        ),
        _duration(
            "duration_open",
            "Length so far of cases still open",
            [r for r in pre if r.outcome == OPEN],
            "Weeks from the start to the end of the range; not included in the ended cases; "
            "cases that went straight to court are left out.",
        ),
        court_duration(rows),
    )
    return GroupReport(kind, name, tuple(figures), durations, teams)


def timeliness_report(
    cases: Iterable[CaseHistory],
    policy: Policy,
    calendar: WorkingCalendar,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date | None = None,
) -> TimelinessReport:
    """The report over the cases started from ``date_from`` to ``date_to`` (both included).

    ``as_of`` (normally today) caps the end of the range: events are seen up to the earlier
    of the two dates, so a step due tomorrow is never counted as missed.
    """
    if date_to < date_from:
        raise ValueError("the range ends before it starts")
    horizon = min(date_to, as_of) if as_of is not None else date_to
    rows: list[CaseTimeliness] = []
    for case in cases:
        row = case_timeliness(case, policy, calendar, horizon)
        if row is not None and date_from <= row.start <= date_to:
            rows.append(row)
    rows.sort(key=lambda r: r.reference)
    total = len(rows)

    by_team: dict[str, list[CaseTimeliness]] = defaultdict(list)
    by_worker: dict[str, list[CaseTimeliness]] = defaultdict(list)
    for row in rows:
        by_team[row.team].append(row)
        by_worker[row.social_worker].append(row)
    teams = tuple(
        group_report(TEAM, name, by_team[name], policy, total) for name in sorted(by_team)
    )
    workers = tuple(
        group_report(
            WORKER,
            name,
            by_worker[name],
            policy,
            total,
            tuple(sorted({r.team for r in by_worker[name]})),
        )
        for name in sorted(by_worker)
    )
    return TimelinessReport(
        date_from=date_from,
        date_to=date_to,
        as_of=horizon,
        policy=policy,
        council=group_report(COUNCIL, "All teams", rows, policy, total),
        teams=teams,
        workers=workers,
        cases=tuple(rows),
    )
