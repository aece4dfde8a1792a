"""The case list's rows, computed once and kept in ``case_status`` between starts.

At 10,000 cases, working out every row (stage, weeks, next due date, RAG) takes about
half a second; reading them back takes a few milliseconds.  A kept row is used only if
it is still right:

* its ``revision`` equals the case's (every write to a case bumps that, in the same
  transaction: db/revisions.py and the bulk import);
* it was computed with the current timescale policy and closure days (``policy_stamp``);
* for an open case, it was computed today (a closed case's row does not change with
  the date: its end is in the past).

Anything else is recomputed, and the new rows are written back when possible (any
user may; if the database is busy the list is still shown and the rows are kept next
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

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.errors import StoreError
from db.models import Case as CaseRow
from db.models import CaseStatus
from db.models import Child as ChildRow
from db.models import Event as EventRow
from db.session import Database
from plo_tracker.domain import drift, stages
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.services.base import log
from plo_tracker.services.records import ID_CHUNK, cyclic_gc_paused, load_histories
from plo_tracker.services.settings import load_calendar, load_policy


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


def policy_stamp(policy: Policy, calendar: WorkingCalendar) -> str:
    text = json.dumps(
        {
            "policy": sorted((k, getattr(policy, k)) for k in policy.__slots__),
            "closures": sorted(d.isoformat() for d in calendar.closure_days),
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
            EventRow.type.in_(("legal_planning_meeting", *sorted(drift.END_TYPES))),
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
            rows[case.id] = CaseSummary(
                **common,
                stage=stages.stage(history, as_of),
                weeks=stages.weeks_in_pre_proceedings(history, as_of),
                next_due=next_due,
                rag=drift.rag_status(flags),
                overdue=sum(f.severity == drift.OVERDUE for f in flags),
                due_soon=sum(f.severity == drift.DUE_SOON for f in flags),
                is_open=True,
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
        rows[case.id] = CaseSummary(
            **common,
            stage=stage,
            weeks=weeks,
            next_due=None,
            rag="none",
            overdue=0,
            due_soon=0,
            is_open=False,
        )
    return rows


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
            )
            .outerjoin(CaseStatus, CaseStatus.case_id == CaseRow.id)
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
        }
        for case_id, row in fresh.items()
    ]
    dialect = postgresql if db.is_postgresql else sqlite
    columns = [k for k in values[0] if k != "case_id"]
    try:
        with db.write(actor) as session:
            for start in range(0, len(values), 1000):
                statement = dialect.insert(CaseStatus.__table__).values(
                    values[start : start + 1000]
                )
                statement = statement.on_conflict_do_update(
                    index_elements=["case_id"],
                    set_={c: getattr(statement.excluded, c) for c in columns},
                )
                session.execute(statement)
    except StoreError:
        # Busy, refused, or a case deleted meanwhile: the rows are worked out again
        # next time.  Showing the list matters more than keeping them.
        log.info("case list rows not kept this time")
