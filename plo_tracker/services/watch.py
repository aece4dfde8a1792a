"""Heading for PLO: the CP plans imported from the council's CIN return, the watch list
(``domain/watch.py``) and managers' reviews of its items.

``import_return`` reads the whole return first (``reports/cp_plans_return``); a return with
findings is refused with all of them listed and nothing replaced.  Otherwise the previous
import and its plans are replaced in one transaction, audited with who imported which file
and the counts.  A return older than the one held (by reference date, then the return's own
date) is refused unless ``replace_newer``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from db.audit import write_entry
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import CpPlan as CpPlanRow
from db.models import CpPlanImport, WatchReview
from db.models import Event as EventRow
from plo_tracker.domain import watch
from plo_tracker.domain.dates import short_date
from plo_tracker.domain.model import CaseHistory, Child, Event
from plo_tracker.errors import NotFound, PloError, ValidationError
from plo_tracker.permissions import Permission
from plo_tracker.reports.cp_plans_return import CpReturn, PlanFinding, read_cp_plans
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.census_files import check_return_file
from plo_tracker.services.settings import load_policy
from plo_tracker.validation import LIMITS, check_arg, shown, text_problem

SHOWN_FINDINGS = 20
INSERT_CHUNK = 5000


class ImportRefused(PloError):
    """The return has problems; nothing was replaced.  ``findings`` lists every one."""

    def __init__(
        self, message: str, findings: tuple[PlanFinding, ...] = (), *, older: bool = False
    ) -> None:
        super().__init__(message)
        self.findings = findings
        self.older = older  # refused only because an import of a newer return is held


@dataclass(frozen=True, slots=True)
class HeldImport:
    """What is held: the import's file, dates, who and the counts."""

    file_name: str
    reference_date: dt.date
    file_datetime: dt.datetime | None
    lea: str | None
    imported_by: str
    imported_at: dt.datetime
    children: int
    children_with_plans: int
    plans: int
    open_plans: int = 0

    def describe(self) -> str:
        return (
            f"{self.plans} child protection plan(s) of {self.children_with_plans} child(ren) "
            f"(of {self.children} in the return)"
        )


@dataclass(frozen=True, slots=True)
class WatchList:
    as_of: dt.date
    items: list[watch.WatchItem]
    held: HeldImport | None
    indicators: watch.Indicators | None


def _refusal(found: CpReturn, name: str) -> ImportRefused:
    findings = tuple(found.findings)
    lines = [f"- {f.describe()}" for f in findings[:SHOWN_FINDINGS]]
    if len(findings) > SHOWN_FINDINGS:
        lines.append(f"- … and {len(findings) - SHOWN_FINDINGS} more")
    return ImportRefused(
        f"{name} has {len(findings)} problem(s) with its child protection plans; correct them "
        "in the case management system and produce the return again. Nothing was replaced.\n"
        + "\n".join(lines),
        findings,
    )


def _held(row: CpPlanImport | None) -> HeldImport | None:
    if row is None:
        return None
    return HeldImport(
        file_name=row.file_name,
        reference_date=row.reference_date,
        file_datetime=row.file_datetime,
        lea=row.lea,
        imported_by=row.imported_by,
        imported_at=row.imported_at,
        children=row.children,
        children_with_plans=row.children_with_plans,
        plans=row.plans,
    )


def _latest_import(session: Session) -> CpPlanImport | None:
    return session.scalars(select(CpPlanImport).order_by(CpPlanImport.id.desc()).limit(1)).first()


def _order(reference: dt.date, stamp: dt.datetime | None) -> tuple[dt.date, dt.datetime]:
    moment = stamp or dt.datetime.min.replace(tzinfo=dt.UTC)
    if moment.tzinfo is None:  # SQLite gives back naive datetimes
        moment = moment.replace(tzinfo=dt.UTC)
    return reference, moment


def load_plans(session: Session) -> list[watch.CpPlan]:
    c = CpPlanRow.__table__.c
    rows = session.connection().execute(
        select(c.la_child_id, c.start, c.end, c.previous_plans, c.date_of_birth)
    )
    return [watch.CpPlan(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def load_child_cases(session: Session, la_ids: set[str] | None = None) -> list[watch.ChildCase]:
    """The cases holding children with an LA child id, with their legal planning meetings
    and step-downs (read with three small queries, not whole histories)."""
    connection = session.connection()
    children = ChildRow.__table__.c
    ids: dict[int, set[str]] = {}
    for case_id, la_id in connection.execute(
        select(children.case_id, children.la_child_id).where(children.la_child_id.is_not(None))
    ):
        if la_ids is None or la_id in la_ids:
            ids.setdefault(case_id, set()).add(la_id)
    if not ids:
        return []
    events = EventRow.__table__.c
    meetings: dict[int, list[dt.date]] = {}
    downs: dict[int, list[dt.date]] = {}
    for case_id, kind, day in connection.execute(
        select(events.case_id, events.type, events.date).where(
            events.type.in_(("legal_planning_meeting", "stepped_down"))
        )
    ):
        if case_id in ids:
            (meetings if kind == "legal_planning_meeting" else downs).setdefault(
                case_id, []
            ).append(day)
    cases = CaseRow.__table__.c
    found = []
    for case_id, reference, team in connection.execute(
        select(cases.id, cases.reference, cases.team)
    ):
        if case_id in ids:
            found.append(
                watch.ChildCase(
                    reference,
                    frozenset(ids[case_id]),
                    tuple(meetings.get(case_id, ())),
                    tuple(downs.get(case_id, ())),
                    team,
                )
            )
    return found


def load_reviews(session: Session) -> list[watch.Review]:
    rows = session.scalars(select(WatchReview).order_by(WatchReview.id))
    return [
        watch.Review(r.la_child_id, r.rule, r.decided_by, r.on, r.until, r.rationale) for r in rows
    ]


class WatchService(Service):
    # -- the CP plans ------------------------------------------------------------------------
    def held(self) -> HeldImport | None:
        """What is held, from which file and when (None: nothing imported yet)."""
        self.actor.require(Permission.VIEW_WATCH)
        with self.db.read() as session:
            held = _held(_latest_import(session))
            if held is None:
                return None
            plans = load_plans(session)
        day = today()
        open_plans = sum(1 for p in plans if p.start <= day and (p.end is None or p.end > day))
        return HeldImport(**{**_asdict(held), "open_plans": open_plans})

    def import_return(self, path: Path, *, replace_newer: bool = False) -> HeldImport:
        """Replace the held CP plans with the return's (one transaction, audited)."""
        self.actor.require(Permission.IMPORT_CASES)
        check_arg("File", path, Path)
        path = check_return_file(path)
        found = read_cp_plans(path)
        if found.findings:
            raise _refusal(found, path.name)
        if not found.plans:
            raise ImportRefused(
                f"{path.name} is a CIN census return of {found.children} child(ren) but holds "
                "no child protection plans (no <ChildProtectionPlans> with a CPPstartDate), so "
                "there is nothing to watch. Check that it is the council's full return. "
                "Nothing was replaced."
            )
        with self.db.write(self.actor.username) as session:
            previous = _latest_import(session)
            if previous is not None and not replace_newer:
                theirs = _order(found.reference_date, found.file_datetime)
                held = _order(previous.reference_date, previous.file_datetime)
                if theirs < held:
                    raise ImportRefused(
                        f"{path.name} is the return for {short_date(found.reference_date)}"
                        + (f" made {found.file_datetime:%d %B %Y}" if found.file_datetime else "")
                        + f", older than the one held ({previous.file_name}, for "
                        f"{short_date(previous.reference_date)}). To go back to it, import it "
                        "again with --replace-newer. Nothing was replaced.",
                        older=True,
                    )
            removed = previous.plans if previous is not None else 0
            session.execute(delete(CpPlanRow))
            session.execute(delete(CpPlanImport))
            record = CpPlanImport(
                file_name=path.name[:255],
                reference_date=found.reference_date,
                file_datetime=found.file_datetime,
                lea=(found.lea or None) and found.lea[:40],
                imported_by=self.actor.username,
                children=found.children,
                children_with_plans=found.children_with_plans,
                plans=len(found.plans),
            )
            session.add(record)
            session.flush()
            rows = [
                {
                    "import_id": record.id,
                    "la_child_id": p.la_child_id,
                    "date_of_birth": p.born,
                    "start": p.start,
                    "end": p.end,
                    "previous_plans": p.previous,
                }
                for p in found.plans
            ]
            for start in range(0, len(rows), INSERT_CHUNK):
                session.connection().execute(
                    insert(CpPlanRow.__table__), rows[start : start + INSERT_CHUNK]
                )
            write_entry(
                session,
                action="import",
                entity="cp_plans",
                entity_id=str(record.id),
                changes={
                    "file": path.name,
                    "reference_date": found.reference_date,
                    "file_datetime": found.file_datetime,
                    "children": found.children,
                    "children_with_plans": found.children_with_plans,
                    "plans": len(found.plans),
                    "replaced_plans": removed,
                    "replace_newer": replace_newer,
                },
            )
            held = _held(record)
        log.info("cp plans imported (%d plans)", len(found.plans))
        assert held is not None
        return held

    # -- the watch list ----------------------------------------------------------------------
    def watch_list(self, as_of: dt.date | None = None, team: str | None = None) -> WatchList:
        self.actor.require(Permission.VIEW_WATCH)
        as_of = as_of or today()
        with self.db.read() as session:
            policy = load_policy(session)
            held = _held(_latest_import(session))
            plans = load_plans(session)
            cases = load_child_cases(session, {p.la_child_id for p in plans})
            reviews = load_reviews(session)
        items = watch.evaluate(plans, cases, policy, as_of, reviews)
        if team is not None:
            items = [i for i in items if i.team == team]
        year_start = dt.date(as_of.year - (1 if as_of.month < 4 else 0), 4, 1)
        figures = watch.indicators(plans, as_of, year_start) if held else None
        return WatchList(as_of, items, held, figures)

    def birth_date(self, la_child_id: str) -> dt.date | None:
        """The child's date of birth as the return gives it (to start a case for them)."""
        self.actor.require(Permission.VIEW_WATCH)
        c = CpPlanRow.__table__.c
        with self.db.read() as session:
            return (
                session.connection()
                .execute(select(c.date_of_birth).where(c.la_child_id == la_child_id).limit(1))
                .scalar()
            )

    def counts(self) -> str:
        """'5 child(ren) heading for PLO (3 not reviewed)' (the start page's line)."""
        return watch.counts_text(self.watch_list().items)

    def review(
        self, la_child_id: str, rule: str, *, rationale: str, until: dt.date | None = None
    ) -> watch.Review:
        """Record a manager's review of a watch item on the list today (audited)."""
        self.actor.require(Permission.REVIEW_FLAGS)
        check_arg("LA child id", la_child_id, str)
        check_arg("Rule", rule, str)
        check_arg("Rationale", rationale, str)
        check_arg("Until", until, dt.date, type(None))
        now = today()
        if rule not in watch.RULES:
            raise ValidationError(
                f"Rule: '{shown(rule, 40)}' is not a watch-list rule; use one of "
                + ", ".join(watch.RULES)
                + ".",
                field="rule",
            )
        problem = text_problem(rationale, LIMITS["text"])
        if problem:
            raise ValidationError(f"Rationale: {problem}.", field="rationale")
        if until is not None and until <= now:
            raise ValidationError(
                f"Until: {until.isoformat()} is not after today; choose a later date.",
                field="until",
            )
        with self.db.write(self.actor.username) as session:
            plans = [p for p in load_plans(session) if p.la_child_id == la_child_id]
            cases = load_child_cases(session, {la_child_id})
            items = watch.evaluate(plans, cases, load_policy(session), now)
            if not any(i.rule == rule for i in items):
                raise NotFound(
                    f"{shown(la_child_id, 64)} is not on the watch list today for "
                    f"'{watch.TITLES[rule]}'; the item may have ended (a legal planning meeting, "
                    "or the plan ended) or the child id may be mistyped. Nothing was recorded."
                )
            row = WatchReview(
                la_child_id=la_child_id,
                rule=rule,
                rationale=rationale.strip(),
                on=now,
                until=until,
                reviewed_by=self.actor.username,
                decided_by=self.actor.display_name,
            )
            session.add(row)
            session.flush()
            write_entry(
                session,
                action="review",
                entity="watch_reviews",
                entity_id=str(row.id),
                changes={
                    "la_child_id": la_child_id,
                    "rule": rule,
                    "on": now,
                    "until": until,
                    "rationale": rationale.strip(),
                },
            )
        log.info("watch item reviewed (rule %s)", rule)
        return watch.Review(
            la_child_id, rule, self.actor.display_name, now, until, rationale.strip()
        )

    def start_case(
        self,
        header: Any,
        child: Child,
        meeting: dt.date,
        outcome: str,
    ) -> CaseHistory:
        """A new case for a watched child, with the legal planning meeting that considered
        them.  Everything is checked before anything is saved; then the case and the meeting
        are written (the case first, as a new case is in the window)."""
        from plo_tracker.services.cases import CaseService, check_chronology, validate

        self.actor.require(Permission.EDIT_CASES)
        self.actor.require_event_type("legal_planning_meeting")
        check_arg("Child", child, Child)
        check_arg("Meeting date", meeting, dt.date)
        check_arg("Outcome", outcome, str)
        if not child.la_child_id:
            raise ValidationError("Child: the LA child id is missing.", field="la_child_id")
        if meeting > today():
            raise ValidationError(
                "Meeting date: a legal planning meeting is recorded once it has been held; "
                f"{short_date(meeting)} is after today.",
                field="date",
            )
        event = Event(type="legal_planning_meeting", date=meeting, outcome=outcome)
        candidate = CaseHistory(
            reference=header.reference.strip(),
            team=header.team,
            social_worker=header.social_worker,
            team_manager=header.team_manager,
            legal_liaison=header.legal_liaison,
            children=(child,),
            events=(event,),
        )
        validate(candidate)
        check_chronology(None, candidate, confirm=True)
        cases = CaseService(self.db, self.actor)
        cases.create(header, [child])
        return cases.save_event(candidate.reference, event, confirm=True)


def _asdict(held: HeldImport) -> dict[str, object]:
    return {name: getattr(held, name) for name in HeldImport.__slots__}  # type: ignore[attr-defined]
