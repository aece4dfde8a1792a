"""Reading cases out of the database as domain records, one at a time or in bulk."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Assessment as AssessmentRow
from db.models import Booking as BookingRow
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Concern as ConcernRow
from db.models import Event as EventRow
from db.models import KeepApart as KeepApartRow
from db.models import Party as PartyRow
from db.models import PlanAction as PlanActionRow
from db.models import Strength as StrengthRow
from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    ChildLink,
    Concern,
    Event,
    KeepApart,
    Party,
    PlanAction,
    Solicitor,
    Strength,
)
from plo_tracker.services.open_cases import open_case_filter

ID_CHUNK = 900  # below SQLite's oldest limit on bound parameters


def links_from(value: list[dict[str, Any]] | None) -> tuple[ChildLink, ...] | None:
    """A party's stored ``child_links`` as ties (None: tied to every child, version 2)."""
    if value is None:
        return None
    return tuple(
        ChildLink(
            child=str(link["child"]),
            relationship=str(link["relationship"]),
            parental_responsibility=bool(link["parental_responsibility"]),
        )
        for link in value
    )


def links_to(links: tuple[ChildLink, ...] | None) -> list[dict[str, Any]] | None:
    if links is None:
        return None
    return [
        {
            "child": link.child,
            "relationship": link.relationship,
            "parental_responsibility": link.parental_responsibility,
        }
        for link in links
    ]


def keys_or_none(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


# One builder per part of a case, over the columns named in ``PARTS`` (after ``case_id``):
# the same builders make records from ORM rows (``history_from_row``) and from Core rows
# read in bulk (``load_histories``).


def _child_from(row: Sequence[Any], _keys: dict[int, str]) -> Child:
    id_, version, name, date_of_birth, expected_birth, la_child_id, key = row
    return Child(
        name=name,
        date_of_birth=date_of_birth,
        expected_birth=expected_birth,
        la_child_id=la_child_id,
        key=key,
        id=id_,
        version=version,
    )


def _party_from(row: Sequence[Any], _keys: dict[int, str]) -> Party:
    (
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
        child_links,
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
        children=links_from(child_links),
        row_id=id_,
        version=version,
    )


def _event_from(row: Sequence[Any], keys: dict[int, str]) -> Event:
    (
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
        attendees,
        effective,
        short_notice,
        short_notice_reason,
        kind,
        la_plan,
        plan_approved,
        order_made,
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
        attendees=keys_or_none(attendees),
        effective=effective,
        short_notice=short_notice,
        short_notice_reason=short_notice_reason,
        kind=kind,
        la_plan=la_plan,
        plan_approved=plan_approved,
        order=order_made,
        id=id_,
        version=version,
        recorded_by=recorded_by,
    )


def _assessment_from(row: Sequence[Any], _keys: dict[int, str]) -> Assessment:
    id_, version, title, commissioned, due, completed, about, children = row
    return Assessment(
        title=title,
        commissioned=commissioned,
        due=due,
        completed=completed,
        about=tuple(about or ()),
        children=tuple(children or ()),
        id=id_,
        version=version,
    )


def _action_from(row: Sequence[Any], keys: dict[int, str]) -> PlanAction:
    id_, version, party_id, action, support, due, completed = row
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
    id_, version, type_, date, time, place, attendees, kind = row
    return Booking(
        type=type_,
        date=date,
        time=time,
        place=place,
        attendees=keys_or_none(attendees),
        kind=kind,
        id=id_,
        version=version,
    )


def _remarks_from(kind: type[Concern]) -> Callable[[Sequence[Any], dict[int, str]], Concern]:
    """The builder of concerns or strengths (the same shape)."""

    def build(row: Sequence[Any], _keys: dict[int, str]) -> Concern:
        id_, version, text, about, children = row
        return kind(
            text=text,
            about=tuple(about or ()),
            children=tuple(children or ()),
            id=id_,
            version=version,
        )

    return build


def _apart_from(row: Sequence[Any], _keys: dict[int, str]) -> KeepApart:
    id_, version, protect, kept_from, reason = row
    return KeepApart(
        protect=protect, kept_from=tuple(kept_from or ()), reason=reason, id=id_, version=version
    )


# -- bulk loading: Core rows (plain tuples), only the columns the records need -------------
#
# Each part of a case is one table read for many cases at once.  A row is
# (case_id, *columns); its builder unpacks it in that order.  ``keys`` maps the case's
# party row ids to their keys (``"mother"``), for records that name a party.


@dataclass(frozen=True)
class Part:
    """One part of a case: the ``CaseHistory`` field it fills, its table and ORM relationship
    on the case, the columns its builder unpacks and the order within a case."""

    field: str
    table: Any
    relation: str
    columns: tuple[str, ...]
    order: tuple[str, ...]
    build: Callable[[Sequence[Any], dict[int, str]], Any]

    @cached_property
    def attributes(self) -> tuple[str, ...]:
        """The ORM attribute of each column (a column may be named apart from its attribute)."""
        names = {
            column.name: prop.key
            for prop in _mapper(self.table).column_attrs
            for column in prop.columns
        }
        return tuple(names[column] for column in self.columns)

    def from_orm(self, row: Any, keys: dict[int, str]) -> Any:
        return self.build(tuple(getattr(row, name) for name in self.attributes), keys)


def _mapper(table: Any) -> Any:
    from db.models import Base

    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper
    raise LookupError(table.name)


PARTIES = Part(
    "parties",
    PartyRow.__table__,
    "parties",
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
        "child_links",
    ),
    ("position",),
    _party_from,
)
PARTS: tuple[Part, ...] = (
    Part(
        "children",
        ChildRow.__table__,
        "children",
        ("id", "version", "name", "date_of_birth", "expected_birth", "la_child_id", "key"),
        ("position",),
        _child_from,
    ),
    PARTIES,
    Part(
        "events",
        EventRow.__table__,
        "events",
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
            "attendees",
            "effective",
            "short_notice",
            "short_notice_reason",
            "kind",
            "la_plan",
            "plan_approved",
            "order_made",
            "recorded_by",
        ),
        ("date", "id"),
        _event_from,
    ),
    Part(
        "assessments",
        AssessmentRow.__table__,
        "assessments",
        ("id", "version", "title", "commissioned", "due", "completed", "about", "children"),
        ("position",),
        _assessment_from,
    ),
    Part(
        "plan_actions",
        PlanActionRow.__table__,
        "plan_actions",
        ("id", "version", "party_id", "action", "support", "due", "completed"),
        ("position",),
        _action_from,
    ),
    Part(
        "scheduled",
        BookingRow.__table__,
        "bookings",
        ("id", "version", "type", "date", "time", "place", "attendees", "kind"),
        ("position",),
        _booking_from,
    ),
    Part(
        "concerns",
        ConcernRow.__table__,
        "concerns",
        ("id", "version", "text", "about", "children"),
        ("position",),
        _remarks_from(Concern),
    ),
    Part(
        "strengths",
        StrengthRow.__table__,
        "strengths",
        ("id", "version", "text", "about", "children"),
        ("position",),
        _remarks_from(Strength),
    ),
    Part(
        "keep_apart",
        KeepApartRow.__table__,
        "keep_apart",
        ("id", "version", "protect", "kept_from", "reason"),
        ("position",),
        _apart_from,
    ),
)


def history_from_row(case: CaseRow) -> CaseHistory:
    """One ORM case (with its collections) as a domain record."""
    keys = {p.id: p.key for p in case.parties}
    fields: dict[str, Any] = {}
    for part in PARTS:
        rows = getattr(case, part.relation)
        if part.field == "events":
            rows = sorted(rows, key=lambda e: (e.date, e.id))
        fields[part.field] = tuple(part.from_orm(row, keys) for row in rows)
    return CaseHistory(
        reference=case.reference,
        team=case.team,
        social_worker=case.social_worker,
        team_manager=case.team_manager,
        legal_liaison=case.legal_liaison,
        court_reference=case.court_reference,
        id=case.id,
        version=case.version,
        **fields,
    )


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
            part.field: tuple(
                part.build(row[1:], keys) for row in rows[part.field].get(case_id, ())
            )
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
