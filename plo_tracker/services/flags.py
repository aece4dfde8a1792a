"""Drift flags for the whole council, and managers' reviews of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select

from db.models import Case as CaseRow
from db.models import Event as EventRow
from db.models import FlagReview
from plo_tracker.domain import drift
from plo_tracker.domain.dates import short_date
from plo_tracker.domain.model import CaseHistory, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import NotFound, ValidationError
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.open_cases import open_case_filter
from plo_tracker.services.records import cyclic_gc_paused, history_from_row, load_histories
from plo_tracker.services.settings import load_calendar, load_policy
from plo_tracker.validation import LIMITS, check_arg, shown, text_problem

ACCEPT = "accept"
EXTEND = "extend"
# In the PLO an extension extends the pre-proceedings period: only its flag is extended.
# Any other flag's delay is accepted (until a date, or with none).
EXTENDABLE = frozenset({"duration_exceeded"})


def may_extend(rule: str) -> bool:
    """Whether a flag can be extended (the pre-proceedings period) rather than accepted."""
    return rule in EXTENDABLE


def decision_words(decision: str, rule: str, until: dt.date | None = None) -> str:
    """'Extension agreed' (the pre-proceedings period) or 'Delay accepted', the same words
    wherever a review is shown (an older 'extend' of another flag was an accepted delay)."""
    from plo_tracker.domain.dates import abbreviated_date

    words = "Extension agreed" if decision == EXTEND and may_extend(rule) else "Delay accepted"
    return f"{words} until {abbreviated_date(until)}" if until is not None else words


@dataclass(frozen=True, slots=True)
class FlaggedCase:
    flag: drift.Flag
    team: str
    social_worker: str
    team_manager: str


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    case: str
    rule: str
    item: str | None
    flag_due: dt.date
    decision: str
    reviewed_by: str
    decided_by: str
    on: dt.date
    until: dt.date | None
    rationale: str


def review_problem(
    decision: str, rationale: str, until: dt.date | None, on: dt.date | None = None
) -> str | None:
    """What would stop a review being recorded; the window checks it as the manager types."""
    if decision not in (ACCEPT, EXTEND):
        return "Decision: choose to accept the delay or agree an extension."
    problem = text_problem(rationale, LIMITS["text"])
    if problem:
        return f"Rationale: {problem}."
    if decision == EXTEND and until is None:
        return "Until: an extension needs the date it runs to."
    on = on or today()
    if until is not None and until <= on:
        return f"Until: {short_date(until)} is not after today; choose a later date."
    return None


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a list of flags looked at, so an empty list is never a false all-clear.

    ``cases``: every case (of the team) in the database; ``open``: those started and not
    ended on the day, or in care proceedings, the only ones that can raise a flag.
    """

    cases: int
    open: int

    def where(self, team: str | None) -> str:
        return f" of {team}" if team else ""

    def nothing_found(self, as_of_text: str, team: str | None) -> str:
        """The sentence for an empty list: what was checked, and why nothing showed."""
        of = self.where(team)
        if self.cases == 0:
            if team:
                return (
                    f"Nothing to check: no case in this database belongs to {team}, so no "
                    "flag can be raised for it. If its cases are recorded under another "
                    "team name, correct the team (or the user's team) first."
                )
            return (
                "Nothing to check: this database holds no cases, so no flag can be raised. "
                "Add cases (plo-tracker import FILE, or in the window) to see which are "
                "drifting."
            )
        if self.open == 0:
            return (
                f"No case is drifting as of {as_of_text}, because none of the {self.cases} "
                f"case(s){of} was open in pre-proceedings on that day (started by a legal "
                "planning meeting and not yet issued or stepped down) or in care proceedings "
                "(issued and not yet concluded)."
            )
        return (
            f"No case is drifting as of {as_of_text}: all {self.open} open case(s){of} were "
            f"checked ({self.cases} case(s){of} in the database)."
        )


class FlagService(Service):
    def coverage(self, as_of: dt.date | None = None, team: str | None = None) -> Coverage:
        """How many cases (of the team) there are, and how many were open on the day."""
        self.actor.require(Permission.VIEW_CASES)
        as_of = as_of or today()
        query = self._count(team)
        with self.db.read() as session:
            connection = session.connection()
            total = int(connection.execute(query).scalar_one())
            opened = int(connection.execute(query.where(open_case_filter(as_of))).scalar_one())
        return Coverage(cases=total, open=opened)

    def flagged_with_coverage(
        self, as_of: dt.date | None = None, team: str | None = None
    ) -> tuple[list[FlaggedCase], Coverage]:
        """``flagged`` and what it looked at, the open cases counted as they are read."""
        as_of, policy, calendar, histories = self._open_cases(as_of, team)
        with self.db.read() as session:
            total = int(session.connection().execute(self._count(team)).scalar_one())
        with cyclic_gc_paused():
            found = self._evaluate(histories, policy, calendar, as_of)
        return found, Coverage(cases=total, open=len(histories))

    @staticmethod
    def _count(team: str | None) -> Any:
        query = select(func.count()).select_from(CaseRow.__table__)
        if team is not None:
            query = query.where(CaseRow.__table__.c.team == team)
        return query

    def _open_cases(
        self, as_of: dt.date | None, team: str | None
    ) -> tuple[dt.date, Policy, WorkingCalendar, list[CaseHistory]]:
        self.actor.require(Permission.VIEW_CASES)
        as_of = as_of or today()
        with self.db.read() as session:
            policy = load_policy(session)
            calendar = load_calendar(session)
            histories = load_histories(session, team=team, open_as_of=as_of)
        return as_of, policy, calendar, histories

    def flags(self, as_of: dt.date | None = None, team: str | None = None) -> list[drift.Flag]:
        """Every flag, as the contract's flags output lists them."""
        as_of, policy, calendar, histories = self._open_cases(as_of, team)
        with cyclic_gc_paused():
            return drift.evaluate_all(histories, policy, calendar, as_of)

    def flagged(self, as_of: dt.date | None = None, team: str | None = None) -> list[FlaggedCase]:
        """Every flag with its case's team and staff (the drift review, the table output)."""
        as_of, policy, calendar, histories = self._open_cases(as_of, team)
        with cyclic_gc_paused():
            return self._evaluate(histories, policy, calendar, as_of)

    @staticmethod
    def _evaluate(
        histories: list[CaseHistory], policy: Policy, calendar: WorkingCalendar, as_of: dt.date
    ) -> list[FlaggedCase]:
        found: list[FlaggedCase] = []
        for history in histories:
            for flag in drift.evaluate(history, policy, calendar, as_of):
                found.append(
                    FlaggedCase(
                        flag=flag,
                        team=history.team or "",
                        social_worker=history.social_worker or "",
                        team_manager=history.team_manager or "",
                    )
                )
        found.sort(key=lambda f: f.flag.sort_key())
        return found

    def review(
        self,
        reference: str,
        rule: str,
        *,
        decision: str,
        rationale: str,
        until: dt.date | None = None,
        item: str | None = None,
    ) -> ReviewRecord:
        """Record a manager's review of a flag raised today.

        ``accept``: the delay is accepted (until a date, or with no end date); the
        flag stays and shows the review.  ``extend``: for ``duration_exceeded`` an
        extension to ``until`` is agreed, which moves the due date; for any other
        rule the delay is accepted until that date, and recorded as ``accept``.
        """
        from plo_tracker.services.cases import load_case_row, validate

        self.actor.require(Permission.REVIEW_FLAGS)
        check_arg("Case reference", reference, str)
        check_arg("Flag", rule, str)
        check_arg("Decision", decision, str)
        check_arg("Rationale", rationale, str)
        check_arg("Until", until, dt.date, type(None))
        check_arg("Item", item, str, type(None))
        now = today()
        problem = review_problem(decision, rationale, until, now)
        if problem:
            raise ValidationError(problem, field=problem.split(":", 1)[0].lower())
        if decision == EXTEND and not may_extend(rule):
            decision = ACCEPT  # another flag's delay is accepted until that date
        with self.db.write(self.actor.username) as session:
            row = load_case_row(session, reference)
            self.require_case_team(session, row.reference, row.team)
            history = history_from_row(row)
            flags = drift.evaluate(history, load_policy(session), load_calendar(session), now)
            matching = [f for f in flags if f.rule == rule and (item is None or f.item == item)]
            if not matching:
                title = drift.RULES.get(rule, shown(rule))
                raise NotFound(
                    f"{shown(reference, 70)} has no '{title}' flag today; it may have been "
                    "resolved or reviewed by someone else. Nothing was recorded."
                )
            flag = matching[0]
            if decision == EXTEND and rule == "duration_exceeded":
                event = Event(
                    type="extension_agreed",
                    date=now,
                    until=until,
                    decided_by=self.actor.display_name,
                    rationale=rationale.strip(),
                )
            else:
                event = Event(
                    type="management_oversight",
                    date=now,
                    decided_by=self.actor.display_name,
                    rationale=rationale.strip(),
                    rule=rule,
                    until=until,
                )
            validate(replace(history, events=(*history.events, event)))
            event_row = EventRow(
                type=event.type,
                date=event.date,
                until=event.until,
                decided_by=event.decided_by,
                rationale=event.rationale,
                rule=event.rule,
                recorded_by=self.actor.username,
            )
            row.events.append(event_row)
            session.flush()
            session.add(
                FlagReview(
                    case_id=row.id,
                    event_id=event_row.id,
                    rule=rule,
                    item=flag.item,
                    flag_due=flag.due,
                    decision=decision,
                    reviewed_by=self.actor.username,
                )
            )
            session.flush()
        log.info("flag reviewed (rule %s, decision %s)", rule, decision)
        return ReviewRecord(
            case=reference,
            rule=rule,
            item=flag.item,
            flag_due=flag.due,
            decision=decision,
            reviewed_by=self.actor.username,
            decided_by=self.actor.display_name,
            on=now,
            until=until,
            rationale=rationale.strip(),
        )

    def reviews(self, reference: str) -> list[ReviewRecord]:
        from plo_tracker.services.cases import load_case_row

        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            row = load_case_row(session, reference)
            found = session.execute(
                select(FlagReview, EventRow)
                .join(EventRow, FlagReview.event_id == EventRow.id)
                .where(FlagReview.case_id == row.id)
                .order_by(FlagReview.created_at)
            ).all()
            return [
                ReviewRecord(
                    case=reference,
                    rule=review.rule,
                    item=review.item,
                    flag_due=review.flag_due,
                    decision=review.decision,
                    reviewed_by=review.reviewed_by,
                    decided_by=event.decided_by or "",
                    on=event.date,
                    until=event.until,
                    rationale=event.rationale or "",
                )
                for review, event in found
            ] + self._other_reviews(row, {event.id for _review, event in found})

    @staticmethod
    def _other_reviews(row: Any, known: set[int]) -> list[ReviewRecord]:
        """Reviews made outside the review dialog: a ``management_oversight`` naming a rule
        that came in with an import or was recorded as an event.  The drift engine counts
        them (the flag shows "reviewed"), so the list of reviews shows them too."""
        return [
            ReviewRecord(
                case=row.reference,
                rule=event.rule,
                item=None,
                flag_due=event.date,  # not recorded with the event; the flag was due by then
                decision=ACCEPT,
                reviewed_by=event.recorded_by or "",
                decided_by=event.decided_by or "",
                on=event.date,
                until=event.until,
                rationale=event.rationale or "",
            )
            for event in sorted(row.events, key=lambda e: (e.date, e.id))
            if event.type == "management_oversight" and event.rule and event.id not in known
        ]
