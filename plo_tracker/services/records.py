"""Reading cases out of the database as domain records, one at a time or in bulk."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


def _party(row: PartyRow) -> Party:
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
        relationship=row.relationship_,
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


# -- bulk loading: Core rows (plain tuples), only the columns the records need -------------
#
# Each part of a case is one table read for many cases at once.  A row is
# (case_id, *columns); its builder unpacks it in that order.  ``keys`` maps the case's
# party row ids to their keys (``"mother"``), for records that name a party.


def _child_from(row: Sequence[Any], _keys: dict[int, str]) -> Child:
    _case, id_, version, name, date_of_birth, expected_birth, la_child_id = row
    return Child(
        name=name,
        date_of_birth=date_of_birth,
        expected_birth=expected_birth,
        la_child_id=la_child_id,
        id=id_,
        version=version,
    )


def _party_from(row: Sequence[Any], _keys: dict[int, str]) -> Party:
    (
        _case,
        id_,
        version,
        key,
        name,
        relationship,
        parental_responsibility,
        address,
        address_confidential,
        language,
        needs,
        solicitor_name,
        solicitor_firm,
        solicitor_phone,
        solicitor_email,
    ) = row
    solicitor = None
    if solicitor_name:
        solicitor = Solicitor(
            name=solicitor_name, firm=solicitor_firm, phone=solicitor_phone, email=solicitor_email
        )
    return Party(
        id=key,
        name=name,
        relationship=relationship,
        parental_responsibility=bool(parental_responsibility),
        address=tuple(address or ()),
        address_confidential=address_confidential,
        language=language,
        needs=needs,
        solicitor=solicitor,
        row_id=id_,
        version=version,
    )


def _event_from(row: Sequence[Any], keys: dict[int, str]) -> Event:
    (
        _case,
        id_,
        version,
        type_,
        date,
        party_id,
        outcome,
        fgdm_offered,
        reason,
        until,
        decided_by,
        rationale,
        rule,
        to_plan,
        response,
        recorded_by,
    ) = row
    return Event(
        type=type_,
        date=date,
        party=keys.get(party_id) if party_id is not None else None,
        outcome=outcome,
        fgdm_offered=fgdm_offered,
        reason=reason,
        until=until,
        decided_by=decided_by,
        rationale=rationale,
        rule=rule,
        to=to_plan,
        response=response,
        id=id_,
        version=version,
        recorded_by=recorded_by,
    )


def _assessment_from(row: Sequence[Any], _keys: dict[int, str]) -> Assessment:
    _case, id_, version, title, commissioned, due, completed = row
    return Assessment(
        title=title,
        commissioned=commissioned,
        due=due,
        completed=completed,
        id=id_,
        version=version,
    )


def _action_from(row: Sequence[Any], keys: dict[int, str]) -> PlanAction:
    _case, id_, version, party_id, action, support, due, completed = row
    return PlanAction(
        party=keys.get(party_id) if party_id is not None else None,
        action=action,
        support=support,
        due=due,
        completed=completed,
        id=id_,
        version=version,
    )


def _booking_from(row: Sequence[Any], _keys: dict[int, str]) -> Booking:
    _case, id_, version, type_, date, time, place = row
    return Booking(type=type_, date=date, time=time, place=place, id=id_, version=version)


def _concern_from(row: Sequence[Any], _keys: dict[int, str]) -> Concern:
    _case, id_, version, text, about = row
    return Concern(text=text, about=tuple(about or ()), id=id_, version=version)


@dataclass(frozen=True)
class Part:
    """One part of a case read in bulk: the ``CaseHistory`` field it fills, its table, the
    columns its builder unpacks (after ``case_id``) and the order within a case."""

    field: str
    table: Any
    columns: tuple[str, ...]
    order: tuple[str, ...]
    build: Callable[[Sequence[Any], dict[int, str]], Any]


PARTIES = Part(
    "parties",
    PartyRow.__table__,
    (
        "id",
        "version",
        "key",
        "name",
        "relationship",
        "parental_responsibility",
        "address",
        "address_confidential",
        "language",
        "needs",
        "solicitor_name",
        "solicitor_firm",
        "solicitor_phone",
        "solicitor_email",
    ),
    ("position",),
    _party_from,
)
PARTS: tuple[Part, ...] = (
    Part(
        "children",
        ChildRow.__table__,
        ("id", "version", "name", "date_of_birth", "expected_birth", "la_child_id"),
        ("position",),
        _child_from,
    ),
    PARTIES,
    Part(
        "events",
        EventRow.__table__,
        (
            "id",
            "version",
            "type",
            "date",
            "party_id",
            "outcome",
            "fgdm_offered",
            "reason",
            "until",
            "decided_by",
            "rationale",
            "rule",
            "to_plan",
            "response",
            "recorded_by",
        ),
        ("date", "id"),
        _event_from,
    ),
    Part(
        "assessments",
        AssessmentRow.__table__,
        ("id", "version", "title", "commissioned", "due", "completed"),
        ("position",),
        _assessment_from,
    ),
    Part(
        "plan_actions",
        PlanActionRow.__table__,
        ("id", "version", "party_id", "action", "support", "due", "completed"),
        ("position",),
        _action_from,
    ),
    Part(
        "scheduled",
        BookingRow.__table__,
        ("id", "version", "type", "date", "time", "place"),
        ("position",),
        _booking_from,
    ),
    Part(
        "concerns",
        ConcernRow.__table__,
        ("id", "version", "text", "about"),
        ("position",),
        _concern_from,
    ),
)


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
    """SQL condition: the case has started and not ended as of the date.

    Written on the tables (Core), so it compiles without the ORM's machinery."""
    events = EventRow.__table__.c
    started = select(events.case_id).where(
        events.type == "legal_planning_meeting",
        events.outcome.in_(sorted(START_OUTCOMES)),
        events.date <= as_of,
    )
    ended = select(events.case_id).where(
        events.type.in_(sorted(END_TYPES)),
        events.date <= as_of,
    )
    case_id = CaseRow.__table__.c.id
    return and_(case_id.in_(started), case_id.not_in(ended))


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
    cases = CaseRow.__table__.c
    query = select(
        cases.id,
        cases.reference,
        cases.team,
        cases.social_worker,
        cases.team_manager,
        cases.legal_liaison,
        cases.court_reference,
        cases.version,
    ).order_by(cases.reference)
    if team is not None:
        query = query.where(cases.team == team)
    if open_as_of is not None:
        query = query.where(open_case_filter(open_as_of))
    if references is not None:
        query = query.where(cases.reference.in_(list(references)))
    if case_ids is not None:
        ids = list(case_ids)
        case_rows = [
            row
            for start in range(0, len(ids), ID_CHUNK)
            for row in session.connection().execute(
                query.where(cases.id.in_(ids[start : start + ID_CHUNK]))
            )
        ]
        case_rows.sort(key=lambda row: row.reference)
    else:
        case_rows = session.connection().execute(query).all()
    if not case_rows:
        return []
    everything = team is None and open_as_of is None and references is None and case_ids is None
    wanted = [c.id for c in case_rows]
    connection = session.connection()

    def grouped(part: Part) -> dict[int, list[Any]]:
        table = part.table
        chosen = [table.c.case_id, *(table.c[name] for name in part.columns)]
        ordering = [table.c.case_id, *(table.c[name] for name in part.order)]
        if everything:
            batches: list[Any] = [select(*chosen).order_by(*ordering)]
        else:
            batches = [
                select(*chosen)
                .where(table.c.case_id.in_(wanted[i : i + ID_CHUNK]))
                .order_by(*ordering)
                for i in range(0, len(wanted), ID_CHUNK)
            ]
        found: dict[int, list[Any]] = defaultdict(list)
        for statement in batches:
            for row in connection.execute(statement).all():
                found[row[0]].append(row)
        return found

    rows = {part.field: grouped(part) for part in PARTS}
    party_rows = rows[PARTIES.field]
    histories: list[CaseHistory] = []
    for case in case_rows:
        case_id = case.id
        keys = {row[1]: row[3] for row in party_rows.get(case_id, ())}  # row id -> key
        fields = {
            part.field: tuple(part.build(row, keys) for row in rows[part.field].get(case_id, ()))
            for part in PARTS
        }
        histories.append(
            CaseHistory(
                reference=case.reference,
                team=case.team,
                social_worker=case.social_worker,
                team_manager=case.team_manager,
                legal_liaison=case.legal_liaison,
                id=case_id,
                version=case.version,
                court_reference=case.court_reference,
                **fields,
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
