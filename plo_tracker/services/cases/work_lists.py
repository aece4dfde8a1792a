"""The case list's rows, computed once and kept in ``case_status`` between starts.

At 10,000 cases, working out every row (stage, weeks, next due date, RAG) takes about
half a second; reading them back takes a few milliseconds.  A kept row is used only if
it is still right:

* its ``revision`` equals the case's (every write to a case bumps that, in the same
  transaction: db/revisions.py and the bulk import);
* it was computed with the current timescale policy and closure days (``policy_stamp``);
* for an open case, it was computed today (a closed case's row does not change with
  the date: its end is in the past).

Each login keeps and reads its own rows (``computed_by``; on PostgreSQL written only
through db-setup's SECURITY DEFINER function ``plo_keep_case_status``, which signs them with
the caller's login), so rows written by hand can mislead nobody else.

Anything else is recomputed, and the new rows are written back when possible (if the
database is busy the list is still shown and the rows are kept next
time).  The case's revision is read before its content, so a change racing with the
computation can only make a kept row look out of date, never hide a change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, literal_column, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.errors import StoreError
from db.models import Case as CaseRow
from db.models import CaseStatus
from db.models import Child as ChildRow
from db.models import Event as EventRow
from db.models import Letter as LetterRow
from db.session import Database
from plo_tracker.domain import drift, stages
from plo_tracker.domain.dates import abbreviated_date
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.records import ID_CHUNK, cyclic_gc_paused, load_histories
from plo_tracker.services.settings import load_calendar, load_policy

# What the case list calls each flag, short enough for a column: "2 overdue: letter, review".
RULE_SHORT_NAMES: dict[str, str] = {
    "letter_due": "letter",
    "first_meeting_due": "first meeting",
    "review_due": "review",
    "fgc_referral_due": "FGC referral",
    "fgc_held_due": "FGC",
    "duration_exceeded": "past planned end",
    "assessment_overdue": "assessment",
    "action_overdue": "plan action",
    "issue_due": "issue",
    "pre_birth_meeting_due": "pre-birth meeting",
    "oversight_due": "oversight",
    "solicitor_missing": "solicitor",
    "fgdm_offer_missing": "FGDM offer",
    "fgdm_before_application": "FGDM before issue",
    "week_26": "26 weeks",
    "hearing_not_recorded": "hearing not recorded",
    "first_hearing_plan": "first hearing plan",
}

# The status a row is shown with: its words, and the key of its colour.
OVERDUE, DUE_SOON, ON_TIME, OPEN, CLOSED = "red", "amber", "green", "open", "closed"
ACCEPTED = "accepted"  # overdue, every delay accepted by a manager
STATUS_LABELS: dict[str, str] = {
    OVERDUE: "Overdue",
    ACCEPTED: "Overdue, delay accepted",
    DUE_SOON: "Due soon",
    ON_TIME: "On time",
    OPEN: "Not started, not yet in pre-proceedings",
    CLOSED: "Closed",
}


def rule_short_name(rule: str) -> str:
    return RULE_SHORT_NAMES.get(rule) or drift.RULES.get(rule, rule).lower()


def rules_text(rules: Sequence[str]) -> str:
    """'letter, review' ('assessment (2), letter' when one rule has several flags)."""
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule] = counts.get(rule, 0) + 1
    return ", ".join(
        rule_short_name(rule) + (f" ({count})" if count > 1 else "")
        for rule, count in counts.items()
    )


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list."""

    id: int
    reference: str
    children: str
    social_worker: str
    team: str
    team_manager: str
    stage: str
    weeks: int | None
    next_due: dt.date | None
    rag: str
    overdue: int
    due_soon: int
    is_open: bool
    overdue_rules: tuple[str, ...] = ()
    due_soon_rules: tuple[str, ...] = ()
    as_of: dt.date | None = None
    # The overdue flags a manager has accepted (reviewed, and the delay still accepted).
    accepted_rules: tuple[str, ...] = ()

    @property
    def all_accepted(self) -> bool:
        """Every overdue flag's delay has been accepted by a manager."""
        return self.overdue > 0 and len(self.accepted_rules) >= self.overdue

    @property
    def status(self) -> str:
        """The key of the row's status: overdue, due soon, on time, open or closed."""
        if self.is_open:
            if self.rag == OVERDUE and self.all_accepted:
                return ACCEPTED
            return self.rag if self.rag in (OVERDUE, DUE_SOON) else ON_TIME
        return OPEN if self.stage == stages.NOT_STARTED else CLOSED

    def status_text(self) -> str:
        """'2 overdue: letter, review', '1 due soon: oversight', 'On time', 'Open', 'Closed'."""
        status = self.status
        if status == ACCEPTED:
            text = f"{self.overdue} overdue, delay accepted: {rules_text(self.overdue_rules)}"
            if self.due_soon:
                text += f"; {self.due_soon} due soon"
            return text
        if status == OVERDUE:
            text = f"{self.overdue} overdue: {rules_text(self.overdue_rules)}"
            if self.accepted_rules:
                text += f" ({len(self.accepted_rules)} accepted)"
            if self.due_soon:
                text += f"; {self.due_soon} due soon"
            return text
        if status == DUE_SOON:
            return f"{self.due_soon} due soon: {rules_text(self.due_soon_rules)}"
        if status == OPEN:  # "open" is kept for cases in pre-proceedings
            return "Not started"
        return STATUS_LABELS[status]

    def status_explained(self) -> str:
        """A sentence for the status (tooltips, screen readers)."""
        status = self.status
        if status == OPEN:
            return (
                "Not started: the case is recorded but is not in pre-proceedings (no legal "
                "planning meeting has started it), so no flags are raised yet."
            )
        if status == CLOSED:
            return f"Closed: {self.stage.lower()}. No flags are raised on a closed case."
        parts = []
        if self.overdue:
            names = ", ".join(drift.RULES.get(r, r) for r in dict.fromkeys(self.overdue_rules))
            parts.append(f"{self.overdue} overdue ({names})")
        if self.accepted_rules:
            names = ", ".join(drift.RULES.get(r, r) for r in dict.fromkeys(self.accepted_rules))
            every = "all accepted" if self.all_accepted else "accepted"
            parts.append(f"a manager has accepted the delay ({every}: {names})")
        if self.due_soon:
            names = ", ".join(drift.RULES.get(r, r) for r in dict.fromkeys(self.due_soon_rules))
            parts.append(f"{self.due_soon} due soon ({names})")
        return "; ".join(parts) + "." if parts else "Nothing overdue or due soon."

    @property
    def is_late(self) -> bool:
        """Whether the next due date has passed."""
        return self.next_due is not None and self.as_of is not None and self.next_due < self.as_of

    def next_due_text(self) -> str:
        """'4 Dec 2026', or 'late since 3 Nov 2026' once that date has passed."""
        if self.next_due is None:
            return ""
        day = abbreviated_date(self.next_due)
        if not self.is_late:
            return day
        return f"late since {day}, accepted" if self.all_accepted else f"late since {day}"


def policy_stamp(policy: Policy, calendar: WorkingCalendar) -> str:
    text = json.dumps(
        {
            "policy": sorted((k, getattr(policy, k)) for k in policy.__slots__),
            "closures": sorted(d.isoformat() for d in calendar.closure_days),
            "rows": 2,  # what a kept row holds (2: accepted flags too)
        },
        default=str,  # dates (fgdm_duty_from)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def compute(
    session: Session,
    as_of: dt.date,
    policy: Policy,
    calendar: WorkingCalendar,
    case_ids: Sequence[int] | None = None,
) -> dict[int, CaseSummary]:
    """The rows of the given cases (all when None), worked out from their history."""
    with cyclic_gc_paused():
        return _compute(session, as_of, policy, calendar, case_ids)


def _compute(
    session: Session,
    as_of: dt.date,
    policy: Policy,
    calendar: WorkingCalendar,
    case_ids: Sequence[int] | None,
) -> dict[int, CaseSummary]:
    query = select(
        CaseRow.id, CaseRow.reference, CaseRow.team, CaseRow.social_worker, CaseRow.team_manager
    )
    statements = (
        [query]
        if case_ids is None
        else [query.where(CaseRow.id.in_(chunk)) for chunk in _chunks(case_ids)]
    )
    cases = [row for statement in statements for row in session.execute(statement)]
    wanted = [c.id for c in cases]

    def restricted(statement: Any, column: Any) -> list[Any]:
        if case_ids is None:
            return [statement]
        return [statement.where(column.in_(chunk)) for chunk in _chunks(wanted)]

    names: dict[int, list[str]] = defaultdict(list)
    for statement in restricted(
        select(ChildRow.case_id, ChildRow.name).order_by(ChildRow.case_id, ChildRow.position),
        ChildRow.case_id,
    ):
        for case_id, name in session.execute(statement):
            names[case_id].append(name)
    key_events: dict[int, list[tuple[str, str | None, dt.date]]] = defaultdict(list)
    for statement in restricted(
        select(EventRow.case_id, EventRow.type, EventRow.outcome, EventRow.date).where(
            EventRow.type.in_(
                ("legal_planning_meeting", "proceedings_concluded", *sorted(drift.END_TYPES))
            ),
            EventRow.date <= as_of,
        ),
        EventRow.case_id,
    ):
        for case_id, kind, outcome, day in session.execute(statement):
            key_events[case_id].append((kind, outcome, day))
    open_histories = {
        h.id: h
        for h in load_histories(
            session, open_as_of=as_of, case_ids=None if case_ids is None else wanted
        )
    }
    rows: dict[int, CaseSummary] = {}
    for case in cases:
        common = {
            "id": case.id,
            "reference": case.reference,
            "children": ", ".join(names.get(case.id, [])),
            "social_worker": case.social_worker or "",
            "team": case.team or "",
            "team_manager": case.team_manager or "",
        }
        history = open_histories.get(case.id)
        if history is not None:
            flags, next_due = drift.assess(history, policy, calendar, as_of)
            overdue = tuple(f.rule for f in flags if f.severity == drift.OVERDUE)
            due_soon = tuple(f.rule for f in flags if f.severity == drift.DUE_SOON)
            accepted = tuple(
                f.rule for f in flags if f.severity == drift.OVERDUE and f.reviewed is not None
            )
            rows[case.id] = CaseSummary(
                **common,
                stage=stages.stage(history, as_of, policy),
                weeks=stages.weeks_in_pre_proceedings(history, as_of),
                next_due=next_due,
                rag=drift.rag_status(flags),
                overdue=len(overdue),
                due_soon=len(due_soon),
                is_open=True,
                overdue_rules=_rule_order(overdue),
                due_soon_rules=_rule_order(due_soon),
                as_of=as_of,
                accepted_rules=_rule_order(accepted),
            )
            continue
        events = key_events.get(case.id, [])
        starts = [
            d for k, o, d in events if k == "legal_planning_meeting" and o in drift.START_OUTCOMES
        ]
        ends = sorted((d, k) for k, _o, d in events if k in drift.END_TYPES)
        if not starts:
            stage, weeks = stages.NOT_STARTED, None
        else:
            end_day, end_kind = ends[0]
            stage = stages.ISSUED if end_kind == "proceedings_issued" else stages.STEPPED_DOWN
            weeks = stages.weeks_between(min(starts), end_day)
        if any(k == "proceedings_concluded" for k, _o, _d in events):
            stage = stages.CONCLUDED  # not in proceedings (else the case would be open)
        rows[case.id] = CaseSummary(
            **common,
            stage=stage,
            weeks=weeks,
            next_due=None,
            rag="none",
            overdue=0,
            due_soon=0,
            is_open=False,
            as_of=as_of,
        )
    return rows


def _rule_order(rules: Sequence[str]) -> tuple[str, ...]:
    """Rules in the order the domain reference lists them (repeats kept together)."""
    order = {rule: n for n, rule in enumerate(drift.RULES)}
    return tuple(sorted(rules, key=lambda r: order.get(r, len(order))))


def _split(text: str | None) -> tuple[str, ...]:
    """The rules kept as "letter_due,review_due" (what follows a "|" is ``_split_accepted``)."""
    return tuple(r for r in (text or "").split("|", 1)[0].split(",") if r)


def _split_accepted(text: str | None) -> tuple[str, ...]:
    """The accepted overdue rules, kept after a "|": "letter_due,review_due|review_due"."""
    _rules, _bar, accepted = (text or "").partition("|")
    return tuple(r for r in accepted.split(",") if r)


def _join_overdue(row: CaseSummary) -> str:
    text = ",".join(row.overdue_rules)
    return text + ("|" + ",".join(row.accepted_rules) if row.accepted_rules else "")


def summaries(db: Database, as_of: dt.date, today: dt.date, actor: str) -> list[CaseSummary]:
    """Every case's row, in reference order; kept rows used when still right."""
    if as_of != today:  # a past (or future) view is worked out, never kept
        with db.read() as session:
            rows = compute(session, as_of, load_policy(session), load_calendar(session))
        return sorted(rows.values(), key=lambda r: r.reference)
    with db.read() as session:
        policy = load_policy(session)
        calendar = load_calendar(session)
        stamp = policy_stamp(policy, calendar)
        kept = session.execute(
            select(
                CaseRow.id,
                CaseRow.reference,
                CaseRow.team,
                CaseRow.social_worker,
                CaseRow.team_manager,
                CaseRow.revision,
                CaseStatus.revision.label("kept_revision"),
                CaseStatus.policy_stamp,
                CaseStatus.computed_for,
                CaseStatus.children,
                CaseStatus.stage,
                CaseStatus.weeks,
                CaseStatus.next_due,
                CaseStatus.rag,
                CaseStatus.overdue,
                CaseStatus.due_soon,
                CaseStatus.is_open,
                CaseStatus.overdue_rules,
                CaseStatus.due_soon_rules,
            )
            .outerjoin(
                CaseStatus,
                (CaseStatus.case_id == CaseRow.id) & (CaseStatus.computed_by == _kept_by(db)),
            )
            .order_by(CaseRow.reference)
        ).all()
        rows: list[CaseSummary | None] = []
        stale: dict[int, int] = {}  # case id -> the revision read before computing
        for row in kept:
            usable = (
                row.kept_revision is not None
                and row.kept_revision == row.revision
                and row.policy_stamp == stamp
                and (not row.is_open or row.computed_for == today)
            )
            if usable:
                rows.append(
                    CaseSummary(
                        id=row.id,
                        reference=row.reference,
                        children=row.children,
                        social_worker=row.social_worker or "",
                        team=row.team or "",
                        team_manager=row.team_manager or "",
                        stage=row.stage,
                        weeks=row.weeks,
                        next_due=row.next_due,
                        rag=row.rag,
                        overdue=row.overdue,
                        due_soon=row.due_soon,
                        is_open=bool(row.is_open),
                        overdue_rules=_split(row.overdue_rules),
                        due_soon_rules=_split(row.due_soon_rules),
                        as_of=today,
                        accepted_rules=_split_accepted(row.overdue_rules),
                    )
                )
            else:
                rows.append(None)
                stale[row.id] = row.revision
        fresh = compute(session, as_of, policy, calendar, sorted(stale)) if stale else {}
    result = [
        row if row is not None else fresh[case.id]
        for row, case in zip(rows, kept, strict=True)
        if row is not None or case.id in fresh
    ]
    if fresh:
        _keep(db, actor, fresh, stale, stamp, today)
    return result


def _kept_by(db: Database) -> Any:
    """Whose kept rows this connection reads: its own login's ('' on SQLite)."""
    return literal_column("session_user") if db.is_postgresql else literal("")


def _keep(
    db: Database,
    actor: str,
    fresh: dict[int, CaseSummary],
    revisions: dict[int, int],
    stamp: str,
    today: dt.date,
) -> None:
    values = [
        {
            "case_id": case_id,
            "revision": revisions[case_id],
            "policy_stamp": stamp,
            "computed_for": today,
            "children": row.children,
            "stage": row.stage,
            "weeks": row.weeks,
            "next_due": row.next_due,
            "rag": row.rag,
            "overdue": row.overdue,
            "due_soon": row.due_soon,
            "is_open": row.is_open,
            "overdue_rules": _join_overdue(row),
            "due_soon_rules": ",".join(row.due_soon_rules),
        }
        for case_id, row in fresh.items()
    ]
    dialect = postgresql if db.is_postgresql else sqlite
    columns = [k for k in values[0] if k != "case_id"]
    try:
        with db.write(actor, notify=False) as session:  # a cache: no screen need re-read
            if db.is_postgresql:
                if session.scalar(text("SELECT to_regproc('plo_keep_case_status')")):
                    # db-setup's function: the only way a login may write these rows, each
                    # signed with that login (db/enforcement.py).
                    for start in range(0, len(values), 1000):
                        session.execute(
                            text("SELECT plo_keep_case_status(CAST(:rows AS jsonb))"),
                            {"rows": json.dumps(values[start : start + 1000], default=str)},
                        )
                    return
                login = str(session.scalar(text("SELECT session_user")))
                values = [{**v, "computed_by": login} for v in values]
            for start in range(0, len(values), 1000):
                statement = dialect.insert(CaseStatus.__table__).values(
                    values[start : start + 1000]
                )
                statement = statement.on_conflict_do_update(
                    index_elements=["case_id", "computed_by"],
                    set_={c: getattr(statement.excluded, c) for c in columns},
                )
                session.execute(statement)
    except StoreError:
        # Busy, refused, or a case deleted meanwhile: the rows are worked out again
        # next time.  Showing the list matters more than keeping them.
        log.info("case list rows not kept this time")


# -- letters to do (legal liaison's start page) ----------------------------------------------

ISSUE_LETTER_WINDOW_DAYS = 56  # a letter of issue still to send is listed for 8 weeks


@dataclass(frozen=True, slots=True)
class LetterToDo:
    """A case with a letter due, or letters made and not yet recorded as sent."""

    case: CaseSummary
    what: str  # "Letter before proceedings overdue (due 3 Nov 2026)", "2 letters made ..."
    due: dt.date | None  # when the letter is (or was) due; None for letters already made
    overdue: bool
    unsent: int  # letters made and not recorded as sent

    @property
    def reference(self) -> str:
        return self.case.reference

    def sort_key(self) -> tuple[int, dt.date, str]:
        """Overdue first, then by due date; letters already made after those due."""
        rank = 0 if self.overdue else 1 if self.due is not None else 2
        return (rank, self.due or dt.date.max, self.case.reference)


class WorkListService(Service):
    """The start pages' lists that are not simply the case list."""

    def letters_to_do(self) -> list[LetterToDo]:
        """Cases with a letter before proceedings due (overdue or due soon), a letter of
        issue still to send after proceedings were issued, or letters made but not yet
        recorded as sent; most urgent first."""
        self.actor.require(Permission.VIEW_CASES)
        now = today()
        rows = summaries(self.db, now, now, self.actor.username)
        by_id = {row.id: row for row in rows}
        letter_cases = [r.id for r in rows if "letter_due" in (*r.overdue_rules, *r.due_soon_rules)]
        with self.db.read() as session:
            policy, calendar = load_policy(session), load_calendar(session)
            due: dict[int, drift.Flag] = {}
            for history in load_histories(session, case_ids=letter_cases) if letter_cases else []:
                for flag in drift.evaluate(history, policy, calendar, now):
                    if flag.rule == "letter_due" and history.id is not None:
                        due[history.id] = flag
            unsent = {
                case_id: (count, first)
                for case_id, count, first in session.execute(
                    select(LetterRow.case_id, func.count(), func.min(LetterRow.generated_at))
                    # A draft is never sent, so it is no letter waiting to go out.
                    .where(LetterRow.sent_on.is_(None), LetterRow.draft.is_(False))
                    .group_by(LetterRow.case_id)
                )
            }
            issued: dict[int, dt.date] = {}
            sent_after: dict[int, dt.date] = {}
            for case_id, kind, day in session.execute(
                select(EventRow.case_id, EventRow.type, EventRow.date).where(
                    EventRow.type.in_(("proceedings_issued", "letter_of_issue")),
                    EventRow.date <= now,
                )
            ):
                target = issued if kind == "proceedings_issued" else sent_after
                target[case_id] = max(day, target.get(case_id, day))
        found: list[LetterToDo] = []
        for case_id, summary in by_id.items():
            parts: list[str] = []
            day: dt.date | None = None
            overdue = False
            flag = due.get(case_id)
            if flag is not None:
                overdue = flag.severity == drift.OVERDUE
                day = flag.due
                state = "overdue" if overdue else "due soon"
                parts.append(
                    f"Letter before proceedings {state} (due {abbreviated_date(flag.due)})"
                )
            issue_day = issued.get(case_id)
            if (
                issue_day is not None
                and (now - issue_day).days <= ISSUE_LETTER_WINDOW_DAYS
                and sent_after.get(case_id, dt.date.min) < issue_day
            ):
                day = min(day, issue_day) if day else issue_day
                overdue = True
                parts.append(
                    f"Letter of issue to send (proceedings issued {abbreviated_date(issue_day)})"
                )
            count, first = unsent.get(case_id, (0, None))
            if count:
                made = first.date() if isinstance(first, dt.datetime) else first
                when = f" since {abbreviated_date(made)}" if isinstance(made, dt.date) else ""
                noun = "letter" if count == 1 else "letters"
                parts.append(f"{count} {noun} made{when}, not yet recorded as sent")
            if parts:
                found.append(LetterToDo(summary, "; ".join(parts), day, overdue, count))
        return sorted(found, key=LetterToDo.sort_key)
