"""Reading cases out of the database as domain records, one at a time or in bulk."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from db.models import Assessment as AssessmentRow
from db.models import Booking as BookingRow
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Concern as ConcernRow
from db.models import Event as EventRow
from db.models import Party as PartyRow
from db.models import PlanAction as PlanActionRow
from plo_tracker.domain.drift import END_TYPES, START_OUTCOMES
from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    Party,
    PlanAction,
    Solicitor,
)

ID_CHUNK = 900  # below SQLite's oldest limit on bound parameters


def _party(row: Any) -> Party:
    solicitor = None
    if row.solicitor_name:
        solicitor = Solicitor(
            name=row.solicitor_name,
            firm=row.solicitor_firm,
            phone=row.solicitor_phone,
            email=row.solicitor_email,
        )
    return Party(
        id=row.key,
        name=row.name,
        relationship=row.relationship_ if isinstance(row, PartyRow) else row.relationship,
        parental_responsibility=bool(row.parental_responsibility),
        address=tuple(row.address or ()),
        address_confidential=row.address_confidential,
        language=row.language,
        needs=row.needs,
        solicitor=solicitor,
        row_id=row.id,
        version=row.version,
    )


def _child(row: Any) -> Child:
    return Child(
        name=row.name,
        date_of_birth=row.date_of_birth,
        expected_birth=row.expected_birth,
        la_child_id=row.la_child_id,
        id=row.id,
        version=row.version,
    )


def _event(row: Any, keys: dict[int, str]) -> Event:
    return Event(
        type=row.type,
        date=row.date,
        party=keys.get(row.party_id) if row.party_id is not None else None,
        outcome=row.outcome,
        fgdm_offered=row.fgdm_offered,
        reason=row.reason,
        until=row.until,
        decided_by=row.decided_by,
        rationale=row.rationale,
        rule=row.rule,
        to=row.to_plan,
        response=row.response,
        id=row.id,
        version=row.version,
        recorded_by=row.recorded_by,
    )


def _assessment(row: Any) -> Assessment:
    return Assessment(
        title=row.title,
        commissioned=row.commissioned,
        due=row.due,
        completed=row.completed,
        id=row.id,
        version=row.version,
    )


def _action(row: Any, keys: dict[int, str]) -> PlanAction:
    return PlanAction(
        party=keys.get(row.party_id) if row.party_id is not None else None,
        action=row.action,
        support=row.support,
        due=row.due,
        completed=row.completed,
        id=row.id,
        version=row.version,
    )


def _booking(row: Any) -> Booking:
    return Booking(
        type=row.type,
        date=row.date,
        time=row.time,
        place=row.place,
        id=row.id,
        version=row.version,
    )


def _concern(row: Any) -> Concern:
    return Concern(text=row.text, about=tuple(row.about or ()), id=row.id, version=row.version)


def history_from_row(case: CaseRow) -> CaseHistory:
    """One ORM case (with its collections) as a domain record."""
    keys = {p.id: p.key for p in case.parties}
    return CaseHistory(
        reference=case.reference,
        team=case.team,
        social_worker=case.social_worker,
        team_manager=case.team_manager,
        legal_liaison=case.legal_liaison,
        children=tuple(_child(c) for c in case.children),
        parties=tuple(_party(p) for p in case.parties),
        events=tuple(_event(e, keys) for e in sorted(case.events, key=lambda e: (e.date, e.id))),
        assessments=tuple(_assessment(a) for a in case.assessments),
        plan_actions=tuple(_action(a, keys) for a in case.plan_actions),
        scheduled=tuple(_booking(b) for b in case.bookings),
        concerns=tuple(_concern(c) for c in case.concerns),
        id=case.id,
        version=case.version,
        court_reference=case.court_reference,
    )


def open_case_filter(as_of: dt.date) -> Any:
    """SQL condition: the case has started and not ended as of the date."""
    started = select(EventRow.case_id).where(
        EventRow.type == "legal_planning_meeting",
        EventRow.outcome.in_(sorted(START_OUTCOMES)),
        EventRow.date <= as_of,
    )
    ended = select(EventRow.case_id).where(
        EventRow.type.in_(sorted(END_TYPES)),
        EventRow.date <= as_of,
    )
    return and_(CaseRow.id.in_(started), CaseRow.id.not_in(ended))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small immutable records.

    The records (frozen dataclasses, tuples) form no reference cycles, so nothing is left
    for the collector; but with tens of thousands of new objects it would run over and over,
    each time over more live objects, making a bulk load grow faster than the data.
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_histories(
    session: Session,
    *,
    team: str | None = None,
    open_as_of: dt.date | None = None,
    references: Sequence[str] | None = None,
    case_ids: Sequence[int] | None = None,
) -> list[CaseHistory]:
    """Many cases at once, in reference order (see ``_load_histories``)."""
    with cyclic_gc_paused():
        return _load_histories(
            session, team=team, open_as_of=open_as_of, references=references, case_ids=case_ids
        )


def _load_histories(
    session: Session,
    *,
    team: str | None = None,
    open_as_of: dt.date | None = None,
    references: Sequence[str] | None = None,
    case_ids: Sequence[int] | None = None,
) -> list[CaseHistory]:
    """Many cases at once, in reference order.

    The cases are chosen once; each part table is then read by case id in chunks (or
    whole, when every case is wanted), so the filter is not re-evaluated per table.
    """
    query = select(
        CaseRow.id,
        CaseRow.reference,
        CaseRow.team,
        CaseRow.social_worker,
        CaseRow.team_manager,
        CaseRow.legal_liaison,
        CaseRow.court_reference,
        CaseRow.version,
    ).order_by(CaseRow.reference)
    if team is not None:
        query = query.where(CaseRow.team == team)
    if open_as_of is not None:
        query = query.where(open_case_filter(open_as_of))
    if references is not None:
        query = query.where(CaseRow.reference.in_(list(references)))
    if case_ids is not None:
        ids = list(case_ids)
        case_rows = [
            row
            for start in range(0, len(ids), ID_CHUNK)
            for row in session.execute(query.where(CaseRow.id.in_(ids[start : start + ID_CHUNK])))
        ]
        case_rows.sort(key=lambda row: row.reference)
    else:
        case_rows = session.execute(query).all()
    if not case_rows:
        return []
    everything = team is None and open_as_of is None and references is None and case_ids is None
    wanted = [c.id for c in case_rows]

    def rows(model: Any, order: Iterable[Any]) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        table = model.__table__
        if everything:
            batches: list[Any] = [select(table).order_by(*order)]
        else:
            batches = [
                select(table).where(table.c.case_id.in_(wanted[i : i + ID_CHUNK])).order_by(*order)
                for i in range(0, len(wanted), ID_CHUNK)
            ]
        for statement in batches:
            for row in session.execute(statement):
                grouped[row.case_id].append(row)
        return grouped

    children = rows(ChildRow, [ChildRow.__table__.c.case_id, ChildRow.__table__.c.position])
    parties = rows(PartyRow, [PartyRow.__table__.c.case_id, PartyRow.__table__.c.position])
    events = rows(
        EventRow, [EventRow.__table__.c.case_id, EventRow.__table__.c.date, EventRow.__table__.c.id]
    )
    assessments = rows(
        AssessmentRow, [AssessmentRow.__table__.c.case_id, AssessmentRow.__table__.c.position]
    )
    actions = rows(
        PlanActionRow, [PlanActionRow.__table__.c.case_id, PlanActionRow.__table__.c.position]
    )
    bookings = rows(BookingRow, [BookingRow.__table__.c.case_id, BookingRow.__table__.c.position])
    concerns = rows(ConcernRow, [ConcernRow.__table__.c.case_id, ConcernRow.__table__.c.position])

    histories: list[CaseHistory] = []
    for case in case_rows:
        case_parties = parties.get(case.id, [])
        keys = {p.id: p.key for p in case_parties}
        histories.append(
            CaseHistory(
                reference=case.reference,
                team=case.team,
                social_worker=case.social_worker,
                team_manager=case.team_manager,
                legal_liaison=case.legal_liaison,
                children=tuple(_child(r) for r in children.get(case.id, ())),
                parties=tuple(_party(r) for r in case_parties),
                events=tuple(_event(r, keys) for r in events.get(case.id, ())),
                assessments=tuple(_assessment(r) for r in assessments.get(case.id, ())),
                plan_actions=tuple(_action(r, keys) for r in actions.get(case.id, ())),
                scheduled=tuple(_booking(r) for r in bookings.get(case.id, ())),
                concerns=tuple(_concern(r) for r in concerns.get(case.id, ())),
                id=case.id,
                version=case.version,
                court_reference=case.court_reference,
            )
        )
    return histories


def letters_of(session: Session, case_id: int) -> list[dict[str, Any]]:
    """A case's letter records as plain values (for audit snapshots and exports)."""
    from db.models import Letter

    found = []
    for row in session.scalars(select(Letter).where(Letter.case_id == case_id).order_by(Letter.id)):
        item: dict[str, Any] = {}
        for column in Letter.__table__.columns:
            value = getattr(row, column.key, None)
            if isinstance(value, dt.datetime | dt.date):
                value = value.isoformat()
            item[column.name] = value
        found.append(item)
    return found
